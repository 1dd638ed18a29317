// One server replica (DESIGN.md, "High availability protocol"): registers
// its serverInstance entity and renews it (the heartbeat), fences itself when
// it cannot renew, watches the other replicas' heartbeats on its own
// monotonic clock, discovers clusters that need work with a filtered, paged
// list per org, claims by rendezvous hashing with If-Match and a new epoch,
// and runs a bounded worker pool of reconcile steps. SIGTERM drains: claims
// are handed back so successors take them at once.
#pragma once

#include "clock.h"
#include "discovery.h"
#include "fairqueue.h"
#include "lease.h"
#include "reconciler.h"
#include "rde/definedentity.h"
#include "rde/vcdkeconfig.h"
#include "vcd/connectionoptions.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>

namespace cse::vcd {
class Client;
class OrgDirectory;
struct RequestStats;
}

namespace cse::server {

struct ReplicaSettings
{
    QString name;                 // stable across restarts; the instance id derives from it
    QString version = QStringLiteral(CSE_VERSION);
    QString host;                 // default: this machine's host name
    int drainTimeoutMs = 10000;   // SIGTERM: exit within this bound whatever happens
};

struct ReplicaMetrics
{
    qint64 claims = 0;
    qint64 takeovers = 0;
    qint64 claimsLost = 0;
    qint64 discoveryListFailures = 0; // work lists that failed (any org)        // a claim that lost its If-Match race (412) or found a new owner
    qint64 handedBack = 0;
    QDateTime lastTakeoverAt;
    QMap<QString, QPair<double, qint64>> stepSeconds; // phase -> (sum of seconds, count)
};

class Replica : public QObject
{
    Q_OBJECT
public:
    Replica(vcd::ConnectionOptions connection, ReplicaSettings settings, const Clock *clock = Clock::system(),
            QObject *parent = nullptr);
    ~Replica() override;

    void start();
    void drain(); // emits stopped() when done, within drainTimeoutMs

    static QString instanceIdFor(const QString &name);
    QString instanceId() const { return m_instanceId; }
    QString name() const { return m_settings.name; }
    bool isFenced() const { return m_fenced; }
    bool isReady() const;      // registered, heartbeat fresh, not fenced, not draining
    qint64 heartbeatAgeMs() const { return m_fence.sinceRenewMs(); }
    int ownedCount() const { return int(m_owned.size()); }
    QStringList ownedClusters() const { return m_owned.keys(); }
    const ReplicaMetrics &metrics() const { return m_metrics; }
    vcd::RequestStats requestStats() const;
    rde::HaSettings haSettings() const { return m_ha; }
    QString prometheusText() const;

Q_SIGNALS:
    void firstHeartbeat();
    void fencedChanged(bool fenced);
    void stopped();

private:
    struct Owned
    {
        qint64 epoch = 0;
        QString name;
        QString orgId;
        bool running = false;
        bool queued = false;
    };

    void connectAndRegister();
    void retryLater(const QString &what, const Error &e);
    void findConfig();
    void registerInstance();
    void adoptInstance(const QString &entityId);
    void startTimers();
    void applySettings(const rde::HaSettings &ha);
    void renew();
    void checkFence();
    void poll();
    void pollClusters();
    void probeVisibility(std::function<void()> then);
    void listWork();
    void finishPoll();
    void leaseExpired(); // a peer's lease ran out on our clock: look now
    void armExpiry();
    void listed(const QString &orgId, const Result<void> &r); // counts and logs a failed work list
    QString orgName(const QString &orgId) const;             // for logs: quoted, bounded
    bool providerWide() const;
    QSet<QString> busyOrgs() const; // orgs with work in flight this replica knows of
    QString ownOrgId() const;
    void consider(const rde::DefinedEntity &e);
    void claim(const rde::DefinedEntity &e, bool takeover);
    // Running replicas seen alive, this one included: new clusters are spread over them.
    QStringList workSharers() const;
    void schedule(const QString &id, qint64 delayMs);
    void pump();
    void handBack();
    void finishDrain();

    vcd::ConnectionOptions m_connection;
    ReplicaSettings m_settings;
    const Clock *m_clock;
    std::unique_ptr<vcd::Client> m_client;
    std::unique_ptr<vcd::OrgDirectory> m_orgDirectory;
    std::unique_ptr<Infrastructure> m_infra;
    std::unique_ptr<Reconciler> m_reconciler;
    QString m_instanceId;
    QString m_workerId;
    rde::DefinedEntity m_instance;     // our serverInstance entity as last written
    QString m_configId;
    rde::HaSettings m_ha;
    Liveness m_liveness;
    SelfFence m_fence;
    bool m_fenced = true;
    bool m_registered = false;
    bool m_heartbeatSeen = false;
    bool m_renewing = false;
    bool m_polling = false;
    bool m_draining = false;
    bool m_stopped = false;
    QString m_state;
    QHash<QString, QString> m_replicaStates; // instance id -> state, from the last poll
    QHash<QString, Owned> m_owned;
    DiscoveryPlanner m_planner;
    QSet<QString> m_busyOrgs;  // orgs whose last work list showed work (per-org mode)
    bool m_wideVisible = false; // auto mode: the provider-wide list shows every org
    qint64 m_probedMs = -1;
    struct Unreadable
    {
        qint64 loggedMs = 0;
    };
    QHash<QString, Unreadable> m_unreadable; // orgs whose last work list failed
    QSet<QString> m_claiming;
    QHash<QString, qint64> m_highestEpoch; // per cluster: the highest real epoch seen (a claim goes above it)
    FairQueue m_ready; // per org, round-robin
    int m_running = 0;
    QString m_lastProblem;
    QTimer m_renewTimer;
    QTimer m_pollTimer;
    QTimer m_fenceTimer;
    QTimer m_expiryTimer; // fires when a peer's lease runs out on our clock
    bool m_pollAgain = false;
    QSet<QString> m_peerBusyOrgs; // orgs the other replicas' heartbeats name as busy
    ReplicaMetrics m_metrics;
};

} // namespace cse::server
