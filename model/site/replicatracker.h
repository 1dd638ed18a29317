// Judges replica liveness the way the HA protocol does: on the OBSERVER's
// monotonic clock. A replica is alive while its heartbeat counter changed
// within leaseSeconds of our own clock; wall clocks of other hosts are never
// compared. Pure logic, the caller passes "now" (tests drive it).
#pragma once

#include "rde/definedentity.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace cse::site {

struct ReplicaStatus
{
    enum class Health { Live, Fenced, Draining, Stopped, Lost };

    QString entityId;
    QString instanceId;
    QString name;
    QString version;
    QString host;
    QString state;            // running | draining | stopped (as the replica wrote it)
    bool suspect = false;     // fenced: stopped writing until a renew succeeds
    QStringList clustersOwned;
    qint64 heartbeat = 0;
    int takeovers = 0;
    QString lastTakeoverAt;   // RFC 3339, as written by the replica (display only)
    QString lastError;
    qint64 lastChangeMs = 0;  // observer's monotonic ms when the counter last changed
    qint64 ageMs = 0;         // now - lastChangeMs
    Health health = Health::Live;
    QString etag;

    bool isAlive() const { return health == Health::Live || health == Health::Fenced || health == Health::Draining; }
    bool operator==(const ReplicaStatus &o) const;
};

QString toString(ReplicaStatus::Health h);

// What the banner says: how many replica failures the site tolerates now.
struct Tolerance
{
    int live = 0;    // running, renewing, not fenced
    int fenced = 0;
    int lost = 0;
    int tolerates() const { return live > 0 ? live - 1 : 0; }
    bool singlePointOfFailure() const { return live == 1; }
};

class ReplicaTracker
{
public:
    explicit ReplicaTracker(int leaseSeconds = 10) : m_leaseMs(qint64(leaseSeconds) * 1000) {}
    void setLeaseSeconds(int s) { m_leaseMs = qint64(qMax(1, s)) * 1000; }
    int leaseSeconds() const { return int(m_leaseMs / 1000); }

    // New entity data: records counter changes at `nowMs`, then evaluates.
    QList<ReplicaStatus> observe(const QList<rde::DefinedEntity> &instances, qint64 nowMs);
    // No new data (a clock tick): ages and health move on.
    QList<ReplicaStatus> evaluate(qint64 nowMs);
    QList<ReplicaStatus> current() const { return m_current; }

    static Tolerance tolerance(const QList<ReplicaStatus> &replicas);

private:
    struct Seen
    {
        qint64 heartbeat = 0;
        qint64 changedAtMs = 0;
    };
    qint64 m_leaseMs;
    QHash<QString, Seen> m_seen; // entity id -> last counter and when it changed
    QList<ReplicaStatus> m_current;
};

} // namespace cse::site
