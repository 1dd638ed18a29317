// Typed view over our serverInstance 1.0.0 entity: one per replica, its lease.
#pragma once

#include "entityview.h"

#include <QDateTime>

namespace cse::rde {

namespace replicastate {
inline const QString kRunning = QStringLiteral("running");
inline const QString kDraining = QStringLiteral("draining");
inline const QString kStopped = QStringLiteral("stopped");
} // namespace replicastate

class ServerInstance : public EntityView
{
public:
    using EntityView::EntityView;

    static ServerInstance create(const QString &instanceId, const QString &name, const QString &version,
                                 const QString &host, const QDateTime &start = QDateTime::currentDateTimeUtc());

    QString instanceId() const { return str({QStringLiteral("instanceId")}); }
    QString name() const { return str({QStringLiteral("name")}); }
    QString version() const { return str({QStringLiteral("version")}); }
    QString host() const { return str({QStringLiteral("host")}); }
    QDateTime startTime() const;
    qint64 heartbeat() const { return integer({QStringLiteral("heartbeat")}); }
    QDateTime lastRenewTime() const;
    QString state() const { return str({QStringLiteral("state")}); }
    bool suspect() const { return flag({QStringLiteral("suspect")}, false); }
    QStringList clustersOwned() const;
    // Orgs with work in flight this replica knows of (per-org discovery:
    // every replica lists them every poll).
    QStringList busyOrgs() const;
    QString lastError() const { return str({QStringLiteral("lastError")}); }
    qint64 takeovers() const { return integer({QStringLiteral("takeovers")}); }
    QDateTime lastTakeoverAt() const;

    // One renewal: heartbeat + 1 and the renew time.
    void renew(const QDateTime &now = QDateTime::currentDateTimeUtc());
    void setState(const QString &state) { setValue({QStringLiteral("state")}, state); }
    void setSuspect(bool on) { setValue({QStringLiteral("suspect")}, on); }
    void setClustersOwned(const QStringList &ids);
    void setBusyOrgs(const QStringList &orgIds);
    void setLastError(const QString &error) { setValue({QStringLiteral("lastError")}, error); }
    void setTakeovers(qint64 n, const QDateTime &last);
};

} // namespace cse::rde
