// The two halves of the lease protocol (DESIGN.md, items 2 and 3):
// - Liveness: an observer's view of the other replicas. A replica is alive
//   while its heartbeat counter keeps changing; it is dead after leaseMs of
//   no change on the OBSERVER's monotonic clock. Wall clocks of other hosts
//   are never compared.
// - SelfFence: a replica's view of itself. It stops writing once it has not
//   renewed successfully for 0.8 x leaseMs, before anyone may take over.
#pragma once

#include "clock.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace cse::server {

class Liveness
{
public:
    Liveness(const Clock *clock, qint64 leaseMs);
    void setLeaseMs(qint64 ms) { m_leaseMs = ms; }
    qint64 leaseMs() const { return m_leaseMs; }

    // One sighting of a replica's serverInstance entity.
    void observe(const QString &instanceId, qint64 heartbeat, const QString &state);
    // Replicas whose entity is gone are forgotten.
    void retain(const QSet<QString> &present);

    bool isAlive(const QString &instanceId) const;
    // An owner may be replaced: seen dead, or stopped (it handed its work
    // back), or never seen although we have watched for a whole lease.
    bool mayReplace(const QString &instanceId) const;
    QStringList alive() const;
    qint64 silenceMs(const QString &instanceId) const; // -1 when never seen
    // How long until the first live replica other than EXCEPT is seen dead
    // should its heartbeat not change again (-1: none is alive). An observer
    // arms a timer for it and looks then, instead of at its next poll.
    qint64 msUntilNextExpiry(const QString &except) const;
    bool watchedForWholeLease() const;

private:
    struct Seen
    {
        qint64 heartbeat = 0;
        QString state;
        qint64 lastChangeMs = 0;
    };
    const Clock *m_clock;
    qint64 m_leaseMs;
    qint64 m_startMs;
    QHash<QString, Seen> m_seen;
};

class SelfFence
{
public:
    SelfFence(const Clock *clock, qint64 leaseMs);
    void setLeaseMs(qint64 ms) { m_leaseMs = ms; }
    void renewed();                 // a renew succeeded just now
    bool fenced() const;            // no successful renew for 0.8 x lease (or never)
    qint64 sinceRenewMs() const;    // -1 before the first renew
    qint64 fenceAfterMs() const { return m_leaseMs * 8 / 10; }

private:
    const Clock *m_clock;
    qint64 m_leaseMs;
    qint64 m_lastRenewMs = -1;
};

// Rendezvous (highest random weight) hashing: the same on every host.
quint64 rendezvousScore(const QString &instanceId, const QString &clusterId);
QString rendezvousPick(const QStringList &instanceIds, const QString &clusterId); // empty if none

} // namespace cse::server
