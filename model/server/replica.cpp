#include "replica.h"

#include "core/logging.h"
#include "rde/cluster.h"
#include "rde/serverinstance.h"
#include "rde/types.h"
#include "vcd/client.h"
#include "vcd/fiql.h"
#include "vcd/orgdirectory.h"

#include <QJsonObject>

#include <QElapsedTimer>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <QHostInfo>
#include <QJsonArray>
#include <QPointer>
#include <QUuid>

namespace cse::server {

namespace {

// Clusters that need a server: not yet resolved (being created, failed, or
// provisioned but not resolved), being deleted, or marked for deletion.
// Provisioned, resolved clusters never match: idle cost does not grow with them.
const QString kWorkFilter = QStringLiteral(
    "entity.spec.vcdKe.isVCDKECluster==true;(state==PRE_CREATED,entity.status.vcdKe.state==provisioning,"
    "entity.status.vcdKe.state==deleting,entity.spec.vcdKe.markForDelete==true)");

const QUuid kInstanceNamespace = QUuid(QStringLiteral("{6f1b8c1e-6a52-4c1f-9a3e-0c5e2d1c7a10}"));
constexpr qint64 kOrgRefreshMs = 30000; // the org directory's own clock
constexpr qint64 kExpiryMarginMs = 50;   // a peer's lease is looked at this long after it runs out

} // namespace

Replica::Replica(vcd::ConnectionOptions connection, ReplicaSettings settings, const Clock *clock, QObject *parent)
    : QObject(parent),
      m_connection(std::move(connection)),
      m_settings(std::move(settings)),
      m_clock(clock),
      m_liveness(clock, qint64(rde::HaSettings().leaseSeconds) * 1000),
      m_fence(clock, qint64(rde::HaSettings().leaseSeconds) * 1000),
      m_state(rde::replicastate::kRunning)
{
    if (m_settings.host.isEmpty())
        m_settings.host = QHostInfo::localHostName();
    m_instanceId = instanceIdFor(m_settings.name);
    m_workerId = QStringLiteral("%1@%2").arg(m_settings.name, m_settings.host);
    m_connection.clientId = QStringLiteral("cse-server/") + m_settings.name;
    m_client = std::make_unique<vcd::Client>(m_connection);
    m_orgDirectory = std::make_unique<vcd::OrgDirectory>(m_client.get(), m_clock);
    m_orgDirectory->setRefreshMs(kOrgRefreshMs);
    m_infra = std::make_unique<VappInfrastructure>(m_client.get());
    m_reconciler = std::make_unique<Reconciler>(m_client.get(), m_infra.get(), OwnerIdentity{m_instanceId, m_workerId}, m_clock,
                                                [this] { return m_fenced || m_fence.fenced(); });
    connect(&m_renewTimer, &QTimer::timeout, this, &Replica::renew);
    connect(&m_pollTimer, &QTimer::timeout, this, &Replica::poll);
    connect(&m_fenceTimer, &QTimer::timeout, this, &Replica::checkFence);
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &Replica::leaseExpired);
}

Replica::~Replica()
{
    // The client must not call back into a half-destroyed replica.
    m_reconciler.reset();
    m_orgDirectory.reset();
    m_client.reset();
}

QString Replica::instanceIdFor(const QString &name)
{
    return QUuid::createUuidV5(kInstanceNamespace, name).toString(QUuid::WithoutBraces);
}

vcd::RequestStats Replica::requestStats() const
{
    vcd::RequestStats all = m_client->stats();
    if (m_infra)
        all.add(m_infra->requestStats());
    return all;
}

bool Replica::isReady() const
{
    return m_registered && !m_draining && !m_fenced && m_fence.sinceRenewMs() >= 0;
}

void Replica::start()
{
    qCInfo(lcServer).noquote() << "replica" << m_settings.name << "instance" << m_instanceId << "starting against"
                               << m_connection.url.toString();
    connectAndRegister();
}

void Replica::retryLater(const QString &what, const Error &e)
{
    const QString problem = what + QStringLiteral(": ") + e.toString();
    if (problem != m_lastProblem) // say it once, not every two seconds
        qCWarning(lcServer).noquote() << problem << "- trying again";
    m_lastProblem = problem;
    QTimer::singleShot(2000, this, [this] {
        if (!m_draining)
            connectAndRegister();
    });
}

void Replica::connectAndRegister()
{
    QPointer<Replica> self(this);
    m_client->connectToSite([this, self](Result<void> r) {
        if (!self)
            return;
        if (!r) {
            if (r.error().is(ErrorKind::Invalid) || r.error().is(ErrorKind::Unauthorized))
                qCCritical(lcServer).noquote() << "cannot log in:" << r.error().toString();
            return retryLater(QStringLiteral("connecting to VCD"), r.error());
        }
        findConfig();
    });
}

void Replica::findConfig()
{
    vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1"));
    q.filter = vcd::fiql::eq(QStringLiteral("name"), rde::types::kConfigEntityName);
    QPointer<Replica> self(this);
    m_client->listEntities(q, [this, self](Result<QList<rde::DefinedEntity>> list) {
        if (!self)
            return;
        if (!list)
            return retryLater(QStringLiteral("reading the server configuration"), list.error());
        if (list->isEmpty())
            return retryLater(QStringLiteral("reading the server configuration"),
                              makeError(ErrorKind::NotFound, QStringLiteral("there is no vcdKeConfig entity; run `cse-server install` "
                                                                            "with a provider account first")));
        m_configId = list->first().id;
        applySettings(rde::VcdKeConfig(list->first().entity).ha());
        registerInstance();
    });
}

void Replica::registerInstance()
{
    // Found by the instance id in the entity (stable for a name), not by the entity's name.
    vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kServerVendor, rde::types::kServerNss, QStringLiteral("1"));
    q.filter = vcd::fiql::eq(QStringLiteral("entity.instanceId"), m_instanceId);
    QPointer<Replica> self(this);
    m_client->listEntities(q, [this, self](Result<QList<rde::DefinedEntity>> list) {
        if (!self)
            return;
        if (!list)
            return retryLater(QStringLiteral("looking up this replica's serverInstance entity"), list.error());
        if (!list->isEmpty())
            return adoptInstance(list->first().id);
        const rde::ServerInstance si = rde::ServerInstance::create(m_instanceId, m_settings.name, m_settings.version,
                                                                   m_settings.host, m_clock->utcNow());
        m_client->createEntity(rde::types::serverInstance().id(), m_settings.name, si.json(), [this, self](Result<QString> id) {
            if (!self)
                return;
            if (!id)
                return retryLater(QStringLiteral("creating this replica's serverInstance entity"), id.error());
            m_client->resolveEntity(*id, [this, self, id = *id](Result<rde::DefinedEntity> e) {
                if (!self)
                    return;
                if (!e)
                    return retryLater(QStringLiteral("resolving this replica's serverInstance entity"), e.error());
                adoptInstance(id);
            });
        });
    });
}

void Replica::adoptInstance(const QString &entityId)
{
    // A fresh GET: a list answer carries no ETag and a resolve answer no name,
    // and every heartbeat PUT sends both.
    QPointer<Replica> self(this);
    m_client->getEntity(entityId, [this, self](Result<rde::DefinedEntity> got) {
        if (!self)
            return;
        if (!got)
            return retryLater(QStringLiteral("reading this replica's serverInstance entity"), got.error());
        const rde::ServerInstance before(got->entity);
        rde::ServerInstance fresh = rde::ServerInstance::create(m_instanceId, m_settings.name, m_settings.version,
                                                                m_settings.host, m_clock->utcNow());
        fresh.setValue({QStringLiteral("heartbeat")}, before.heartbeat()); // the counter only ever grows
        m_instance = *got;
        m_instance.name = m_settings.name;
        m_instance.entity = fresh.json();
        // List the replica in vcdKeConfig, as CSE lists its instances.
        const rde::RegisteredInstance me{m_settings.name, m_settings.version, m_instanceId};
        m_client->patch(m_configId, [me](QJsonObject &entity) -> Result<bool> {
            rde::VcdKeConfig cfg(entity);
            const bool changed = cfg.registerInstance(me);
            entity = cfg.json();
            return changed;
        }, [this, self](Result<rde::DefinedEntity> r) {
            if (!self)
                return;
            if (!r)
                qCWarning(lcServer).noquote() << "cannot list this replica in vcdKeConfig:" << r.error().toString();
            m_registered = true;
            m_lastProblem.clear();
            qCInfo(lcServer).noquote() << "replica" << m_settings.name << "registered as" << m_instance.id;
            startTimers();
            renew();
        });
    });
}

void Replica::startTimers()
{
    m_renewTimer.start(m_ha.renewSeconds * 1000);
    m_pollTimer.start(m_ha.pollSeconds * 1000);
    m_fenceTimer.start(100);
}

void Replica::applySettings(const rde::HaSettings &ha)
{
    rde::HaSettings s = ha;
    s.leaseSeconds = qMax(1, s.leaseSeconds);
    s.renewSeconds = qBound(1, s.renewSeconds, s.leaseSeconds);
    s.pollSeconds = qMax(1, s.pollSeconds);
    s.workersPerReplica = qMax(1, s.workersPerReplica);
    s.autoRepairMaxAttempts = qMax(0, s.autoRepairMaxAttempts);
    s.autoRepairBackoffSeconds = qMax(0, s.autoRepairBackoffSeconds);
    s.phaseTimeoutSeconds = qMax(0, s.phaseTimeoutSeconds);
    s.discoveryRequestsPerSecond = qMax(1, s.discoveryRequestsPerSecond);
    const bool changed = s.leaseSeconds != m_ha.leaseSeconds || s.renewSeconds != m_ha.renewSeconds
                         || s.pollSeconds != m_ha.pollSeconds || s.workersPerReplica != m_ha.workersPerReplica
                         || s.autoRepairMaxAttempts != m_ha.autoRepairMaxAttempts
                         || s.autoRepairBackoffSeconds != m_ha.autoRepairBackoffSeconds
                         || s.phaseTimeoutSeconds != m_ha.phaseTimeoutSeconds
                         || s.discoveryRequestsPerSecond != m_ha.discoveryRequestsPerSecond
                         || s.discoveryMode != m_ha.discoveryMode;
    m_ha = s;
    m_liveness.setLeaseMs(qint64(s.leaseSeconds) * 1000);
    m_fence.setLeaseMs(qint64(s.leaseSeconds) * 1000);
    m_reconciler->setSettings(s);
    if (changed) {
        qCInfo(lcServer).noquote() << "settings: lease" << s.leaseSeconds << "s, renew" << s.renewSeconds << "s, poll"
                                   << s.pollSeconds << "s," << s.workersPerReplica << "workers, auto-repair"
                                   << s.autoRepairMaxAttempts << "attempts, backoff" << s.autoRepairBackoffSeconds << "s, phase timeout"
                                   << s.phaseTimeoutSeconds << "s, discovery" << s.discoveryMode << "within"
                                   << s.discoveryRequestsPerSecond << "requests/s";
        if (m_renewTimer.isActive())
            m_renewTimer.setInterval(s.renewSeconds * 1000);
        if (m_pollTimer.isActive())
            m_pollTimer.setInterval(s.pollSeconds * 1000);
        pump();
    }
}

// ---- heartbeat and fencing ----

void Replica::renew()
{
    if (m_renewing || !m_registered || m_stopped)
        return;
    m_renewing = true;
    rde::ServerInstance si(m_instance.entity);
    si.renew(m_clock->utcNow());
    si.setState(m_state);
    si.setSuspect(m_fenced);
    si.setClustersOwned(m_owned.keys());
    if (!providerWide()) {
        QStringList busy = busyOrgs().values();
        busy.sort();
        si.setBusyOrgs(busy);
    } else {
        si.setBusyOrgs({});
    }
    si.setTakeovers(m_metrics.takeovers, m_metrics.lastTakeoverAt);
    rde::DefinedEntity e = m_instance;
    e.entity = si.json();
    QPointer<Replica> self(this);
    m_client->updateEntity(e, [this, self](Result<rde::DefinedEntity> r) {
        if (!self)
            return;
        m_renewing = false;
        if (r) {
            m_instance = *r;
            m_fence.renewed();
            checkFence();
            if (!m_heartbeatSeen) {
                m_heartbeatSeen = true;
                Q_EMIT firstHeartbeat();
            }
            return;
        }
        qCWarning(lcServer).noquote() << "heartbeat failed:" << r.error().toString();
        if (r.error().is(ErrorKind::Conflict)) {
            // Someone wrote our entity (an operator, or a second process with our name): re-read it.
            m_client->getEntity(m_instance.id, [this, self](Result<rde::DefinedEntity> fresh) {
                if (!self || !fresh)
                    return;
                const qint64 mine = rde::ServerInstance(m_instance.entity).heartbeat();
                rde::ServerInstance si(fresh->entity);
                if (si.heartbeat() < mine)
                    si.setValue({QStringLiteral("heartbeat")}, mine);
                m_instance = *fresh;
                m_instance.entity = si.json();
            });
        }
    });
}

void Replica::checkFence()
{
    const bool fenced = m_fence.fenced();
    if (fenced == m_fenced)
        return;
    m_fenced = fenced;
    if (fenced)
        qCWarning(lcServer).noquote() << "fenced: no successful heartbeat for" << m_fence.sinceRenewMs() << "ms (limit"
                                      << m_fence.fenceAfterMs() << "ms); no writes until the next renew";
    else
        qCInfo(lcServer).noquote() << "unfenced: heartbeat renewed";
    Q_EMIT fencedChanged(fenced);
}

// ---- discovery and claims ----

void Replica::leaseExpired()
{
    if (m_polling)
        m_pollAgain = true; // look once more right after this poll
    else
        poll();
}

void Replica::poll()
{
    if (m_polling || m_draining || !m_registered)
        return;
    m_polling = true;
    QPointer<Replica> self(this);
    // 1. Settings, re-read every poll so a change applies without a restart.
    m_client->getEntity(m_configId, [this, self](Result<rde::DefinedEntity> cfg) {
        if (!self)
            return;
        if (cfg)
            applySettings(rde::VcdKeConfig(cfg->entity).ha());
        // 2. The replicas' heartbeats, judged on our own clock.
        vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kServerVendor, rde::types::kServerNss, QStringLiteral("1"));
        m_client->listEntities(q, [this, self](Result<QList<rde::DefinedEntity>> replicas) {
            if (!self)
                return;
            if (!replicas)
                return finishPoll();
            // One sighting per instance id; should a site hold two entities for
            // one id, the one with the newest heartbeat counts.
            QHash<QString, rde::ServerInstance> newest;
            for (const rde::DefinedEntity &e : *replicas) {
                const rde::ServerInstance si(e.entity);
                auto it = newest.find(si.instanceId());
                if (it == newest.end() || it->heartbeat() < si.heartbeat())
                    newest.insert(si.instanceId(), si);
            }
            QSet<QString> present;
            m_replicaStates.clear();
            for (const rde::ServerInstance &si : std::as_const(newest)) {
                present.insert(si.instanceId());
                m_replicaStates.insert(si.instanceId(), si.state());
                m_liveness.observe(si.instanceId(), si.heartbeat(), si.state());
            }
            m_liveness.retain(present);
            // Per-org discovery: the orgs another replica knows to have work
            // are listed by all, so work is shared by cluster id; a dead or
            // stopped replica's for three leases after its last heartbeat
            // (its survivors then know them from their own lists).
            m_peerBusyOrgs.clear();
            for (const rde::ServerInstance &si : std::as_const(newest)) {
                const qint64 silence = m_liveness.silenceMs(si.instanceId());
                if (si.instanceId() != m_instanceId && silence >= 0 && silence < 3 * m_liveness.leaseMs())
                    for (const QString &org : si.busyOrgs())
                        m_peerBusyOrgs.insert(org);
            }
            armExpiry();
            // 3. Orgs (a provider lists clusters per org with a tenant context),
            // re-listed on the directory's own, slower clock.
            if (!m_connection.isProvider())
                return pollClusters();
            m_orgDirectory->ensureFresh([this, self](Result<void> r) {
                if (!self)
                    return;
                if (!r)
                    qCWarning(lcServer).noquote() << "cannot list orgs:" << r.error().toString();
                pollClusters();
            });
        });
    });
}

bool Replica::providerWide() const
{
    if (!m_connection.isProvider() || m_ha.discoveryMode == QLatin1String("providerWide"))
        return true; // a tenant's own list is its whole world
    if (m_ha.discoveryMode == QLatin1String("perOrg"))
        return false;
    return m_wideVisible;
}

QSet<QString> Replica::busyOrgs() const
{
    QSet<QString> busy = m_busyOrgs;
    for (const Owned &o : std::as_const(m_owned))
        if (!o.orgId.isEmpty())
            busy.insert(o.orgId);
    return busy;
}

QString Replica::ownOrgId() const
{
    return m_client->session().value(QLatin1String("org")).toObject().value(QLatin1String("id")).toString();
}

void Replica::probeVisibility(std::function<void()> then)
{
    // Auto mode: does the list without a tenant context show other orgs'
    // clusters? One entity's worth of answer, on the org directory's clock.
    // (Nothing in other orgs also reads as "no": per-org lists are then
    // cheap, and the first tenant cluster the wide list shows switches.)
    if (!m_connection.isProvider() || m_ha.discoveryMode != QLatin1String("auto")
        || (m_probedMs >= 0 && m_clock->monotonicMs() - m_probedMs < kOrgRefreshMs) || ownOrgId().isEmpty())
        return then();
    m_probedMs = m_clock->monotonicMs();
    vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
    q.filter = vcd::fiql::ne(QStringLiteral("org.id"), ownOrgId());
    QPointer<Replica> self(this);
    m_client->countEntities(q, [this, self, then](Result<int> n) {
        if (!self)
            return;
        if (n) {
            const bool wide = *n > 0;
            if (wide != m_wideVisible)
                qCInfo(lcServer).noquote() << "discovery:" << (wide ? "the provider-wide list shows every org; one list a poll"
                                                                    : "the provider-wide list shows only this org; per-org lists within the budget");
            m_wideVisible = wide;
        }
        then();
    });
}

void Replica::pollClusters()
{
    probeVisibility([this] { listWork(); });
}

void Replica::listWork()
{
    // The list without a tenant context (the own org, or every org where the
    // provider-wide list shows them), then in per-org mode this poll's orgs.
    QList<QString> contexts{QString()};
    const bool wide = providerWide();
    if (!wide) {
        const QString ownOrg = m_connection.org;
        QStringList orgs;
        for (const vcd::OrgEntry &org : m_orgDirectory->orgs())
            if (org.name.compare(ownOrg, Qt::CaseInsensitive) != 0)
                orgs.append(org.id);
        const QSet<QString> busy = busyOrgs() | m_peerBusyOrgs;
        const QStringList sharers = workSharers();
        // The own org's list counts against the budget too (but with very
        // many replicas the idle orgs keep a quarter of the share).
        const double share = double(qMax(1, m_ha.discoveryRequestsPerSecond)) * m_ha.pollSeconds / sharers.size();
        const double perPoll = qMax(share - 1.0, share / 4);
        const DiscoveryPlanner::Plan plan = m_planner.plan(orgs, sharers, m_instanceId, busy, perPoll);
        contexts += plan.busy;
        contexts += plan.idle;
    }
    auto pending = std::make_shared<int>(int(contexts.size()));
    auto seen = std::make_shared<QHash<QString, rde::DefinedEntity>>();
    QPointer<Replica> self(this);
    const QString own = ownOrgId();
    for (const QString &context : contexts) {
        vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
        q.filter = kWorkFilter;
        q.tenantContext = context;
        m_client->listEntities(q, [this, self, pending, seen, context, own, wide](Result<QList<rde::DefinedEntity>> list) {
            if (!self)
                return;
            listed(context, list ? Result<void>() : Result<void>(list.error()));
            if (list) {
                bool busy = false;
                for (const rde::DefinedEntity &e : *list) {
                    seen->insert(e.id, e); // a VCD that shows every org to a provider lists some twice
                    busy = true;
                    if (context.isEmpty() && !own.isEmpty() && e.org.id != own && !m_wideVisible && !wide) {
                        m_wideVisible = true; // auto mode: the wide list shows another org's cluster
                        qCInfo(lcServer).noquote() << "discovery: the provider-wide list shows every org; one list a poll";
                    }
                }
                if (!context.isEmpty()) {
                    if (busy)
                        m_busyOrgs.insert(context);
                    else
                        m_busyOrgs.remove(context);
                }
            }
            if (--*pending > 0)
                return;
            if (m_draining)
                return finishPoll();
            for (const rde::DefinedEntity &e : std::as_const(*seen))
                consider(e);
            pump();
            finishPoll();
        });
    }
}

void Replica::finishPoll()
{
    m_polling = false;
    if (m_pollAgain && !m_draining) {
        m_pollAgain = false;
        QTimer::singleShot(0, this, &Replica::poll);
    }
}

void Replica::armExpiry()
{
    // Look again the moment a peer's lease runs out on our clock (plus a
    // little, so the look finds it expired): a takeover then waits for the
    // lease, not for the lease and the rest of a poll interval.
    const qint64 ms = m_liveness.msUntilNextExpiry(m_instanceId);
    if (ms < 0 || m_draining) {
        m_expiryTimer.stop();
        return;
    }
    m_expiryTimer.start(int(qMin<qint64>(ms + kExpiryMarginMs, 24 * 3600 * 1000)));
}

void Replica::listed(const QString &orgId, const Result<void> &r)
{
    const QString key = orgId.isEmpty() ? QStringLiteral("(provider-wide)") : orgId;
    if (r) {
        if (m_unreadable.remove(key))
            qCInfo(lcServer).noquote() << "discovery: org" << orgName(orgId) << "can be read again";
        return;
    }
    ++m_metrics.discoveryListFailures;
    auto it = m_unreadable.find(key);
    const qint64 now = m_clock->monotonicMs();
    // One line per org when it first fails, then at most one a minute.
    if (it == m_unreadable.end() || now - it->loggedMs >= 60000) {
        qCWarning(lcServer).noquote() << "discovery: cannot list the clusters of org" << orgName(orgId) << "-"
                                      << quoteTenant(r.error().toString(), 300);
        if (it == m_unreadable.end())
            it = m_unreadable.insert(key, Unreadable{});
        it->loggedMs = now;
    }
}

QString Replica::orgName(const QString &orgId) const
{
    if (orgId.isEmpty())
        return quoteTenant(m_connection.org) + QStringLiteral(" (and those the provider-wide list shows)");
    for (const vcd::OrgEntry &o : m_orgDirectory->orgs())
        if (o.id == orgId)
            return quoteTenant(o.name, 128);
    return orgId;
}

void Replica::consider(const rde::DefinedEntity &e)
{
    const rde::Cluster c(e.entity);
    const QString owner = c.ownerInstanceId();
    const qint64 epoch = c.ownerEpoch(); // -1: forged by a tenant
    if (epoch > m_highestEpoch.value(e.id))
        m_highestEpoch.insert(e.id, epoch);
    const bool needsWork = c.markForDelete()
                           || (c.state() != rde::clusterstate::kError
                               && (c.state() != rde::clusterstate::kProvisioned || e.state != QLatin1String("RESOLVED")));
    auto mine = m_owned.find(e.id);
    if (mine != m_owned.end()) {
        if (owner == m_instanceId && epoch == mine->epoch) {
            if (needsWork && !mine->running && !mine->queued)
                schedule(e.id, 0);
            return;
        }
        if (mine->running)
            return; // the running step finds out itself and reports Lost
        qCInfo(lcServer).noquote() << "cluster" << quoteTenant(c.name()) << "is no longer ours: owner" << quoteTenant(owner)
                                   << "epoch" << epoch;
        m_owned.erase(mine);
    }
    if (!needsWork || m_fenced || m_draining || m_claiming.contains(e.id) || m_reconciler->refused(e))
        return;
    const bool restarted = owner == m_instanceId; // ours before a restart: claim again with a new epoch
    if (!restarted && !m_liveness.mayReplace(owner))
        return;
    if (!restarted && rendezvousPick(workSharers(), e.id) != m_instanceId)
        return;
    claim(e, !owner.isEmpty() && !restarted);
}

QStringList Replica::workSharers() const
{
    QStringList ids;
    for (const QString &id : m_liveness.alive())
        if (m_replicaStates.value(id) == rde::replicastate::kRunning)
            ids.append(id);
    if (!ids.contains(m_instanceId))
        ids.append(m_instanceId);
    return ids;
}

void Replica::claim(const rde::DefinedEntity &e, bool takeover)
{
    const rde::Cluster seen(e.entity);
    const QString seenOwner = seen.ownerInstanceId();
    const qint64 seenEpoch = seen.ownerEpoch();
    const QString me = m_instanceId, worker = m_workerId;
    const QDateTime now = m_clock->utcNow();
    const qint64 highestSeen = qMax(m_highestEpoch.value(e.id), m_owned.value(e.id).epoch);
    m_claiming.insert(e.id);
    QPointer<Replica> self(this);
    m_client->patch(e.id, [=](QJsonObject &entity) -> Result<bool> {
        if (m_fenced)
            return makeError(ErrorKind::Canceled, QStringLiteral("fenced"));
        rde::Cluster c(entity);
        if (c.ownerInstanceId() != seenOwner || c.ownerEpoch() != seenEpoch)
            return makeError(ErrorKind::Conflict, QStringLiteral("claimed meanwhile by \"%1\" (epoch %2)")
                                                      .arg(c.ownerInstanceId()).arg(c.ownerEpoch()));
        c.claim(me, worker, now, highestSeen); // a forged epoch starts above every one seen, never wraps
        if (c.state().isEmpty())
            c.setState(rde::clusterstate::kProvisioning);
        c.appendVcdKe(rde::Cluster::Log::Event, takeover ? QStringLiteral("ClusterTakenOver") : QStringLiteral("ClusterClaimed"),
                      takeover ? QStringLiteral("replica %1 took over from %2 (no heartbeat), epoch %3").arg(worker, quoteTenant(seenOwner, 64)).arg(c.ownerEpoch())
                               : QStringLiteral("replica %1 works on the cluster, epoch %2").arg(worker).arg(c.ownerEpoch()),
                      QString(), QString(), now);
        entity = c.json();
        return true;
    }, [this, self, id = e.id, name = seen.name(), orgId = e.org.id, seenOwner, takeover](Result<rde::DefinedEntity> r) {
        if (!self)
            return;
        m_claiming.remove(id);
        if (!r) {
            if (r.error().is(ErrorKind::Conflict)) {
                ++m_metrics.claimsLost;
                qCInfo(lcServer).noquote() << "claim of cluster" << quoteTenant(name) << "lost:" << quoteTenant(r.error().message, 300);
            } else {
                qCInfo(lcServer).noquote() << "claim of cluster" << quoteTenant(name) << "failed:" << quoteTenant(r.error().toString(), 300);
            }
            return;
        }
        const qint64 epoch = rde::Cluster(r->entity).ownerEpoch();
        ++m_metrics.claims;
        if (takeover) {
            ++m_metrics.takeovers;
            m_metrics.lastTakeoverAt = m_clock->utcNow();
            qCInfo(lcServer).noquote() << "takeover: cluster" << quoteTenant(name) << "from" << quoteTenant(seenOwner) << "epoch" << epoch;
        } else {
            qCInfo(lcServer).noquote() << "claim: cluster" << quoteTenant(name) << "epoch" << epoch;
        }
        Owned o;
        o.epoch = epoch;
        o.name = name;
        o.orgId = orgId;
        m_owned.insert(id, o);
        if (m_draining)
            return;
        schedule(id, 0);
        pump();
    }, 2);
}

// ---- worker pool ----

void Replica::schedule(const QString &id, qint64 delayMs)
{
    auto it = m_owned.find(id);
    if (it == m_owned.end() || it->queued)
        return;
    it->queued = true;
    if (delayMs <= 0) {
        m_ready.push(it->orgId, id);
        return;
    }
    QPointer<Replica> self(this);
    QTimer::singleShot(int(qMin<qint64>(delayMs, 24 * 3600 * 1000)), this, [this, self, id] {
        if (!self)
            return;
        auto owned = m_owned.constFind(id);
        if (owned == m_owned.cend())
            return;
        m_ready.push(owned->orgId, id);
        pump();
    });
}

void Replica::pump()
{
    while (!m_draining && m_running < m_ha.workersPerReplica && !m_ready.isEmpty()) {
        const QString id = m_ready.pop();
        auto it = m_owned.find(id);
        if (it == m_owned.end())
            continue;
        it->queued = false;
        if (it->running)
            continue;
        if (m_fenced) { // no writes while fenced: try again later
            schedule(id, m_ha.pollSeconds * 1000);
            continue;
        }
        it->running = true;
        ++m_running;
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        QPointer<Replica> self(this);
        m_reconciler->step(id, it->epoch, [this, self, id, timer](StepOutcome o) {
            if (!self)
                return;
            --m_running;
            const bool known = o.phase == phase::kDelete || o.phase == phase::kRepair || phase::creation().contains(o.phase);
            auto &sum = m_metrics.stepSeconds[known ? o.phase : phase::kUnknown]; // a label: closed set only
            sum.first += double(timer->elapsed()) / 1000.0;
            ++sum.second;
            auto it = m_owned.find(id);
            if (it != m_owned.end()) {
                it->running = false;
                switch (o.kind) {
                case StepOutcome::Again:
                    schedule(id, 0);
                    break;
                case StepOutcome::Wait:
                case StepOutcome::Backoff:
                    schedule(id, o.delayMs);
                    break;
                case StepOutcome::Finished:
                case StepOutcome::Lost:
                    m_owned.erase(it);
                    break;
                }
            }
            if (m_draining && m_running == 0)
                return handBack();
            pump();
        });
    }
}

// ---- graceful stop ----

void Replica::drain()
{
    if (m_draining)
        return;
    m_draining = true;
    m_state = rde::replicastate::kDraining;
    m_pollTimer.stop();
    m_expiryTimer.stop();
    m_ready.clear();
    qCInfo(lcServer).noquote() << "draining:" << m_owned.size() << "clusters to hand back," << m_running << "steps running";
    QTimer::singleShot(m_settings.drainTimeoutMs, this, [this] {
        if (!m_stopped) {
            qCWarning(lcServer) << "drain took too long; stopping anyway";
            finishDrain();
        }
    });
    if (!m_registered)
        return finishDrain();
    renew(); // others stop counting on us at once
    if (m_running == 0)
        handBack();
}

void Replica::handBack()
{
    if (m_stopped)
        return;
    const QHash<QString, Owned> owned = m_owned;
    if (owned.isEmpty())
        return finishDrain();
    auto pending = std::make_shared<int>(int(owned.size()));
    QPointer<Replica> self(this);
    for (auto it = owned.cbegin(); it != owned.cend(); ++it) {
        const QString me = m_instanceId;
        const qint64 epoch = it->epoch;
        const QString name = it->name;
        m_client->patch(it.key(), [me, epoch, worker = m_workerId](QJsonObject &entity) -> Result<bool> {
            rde::Cluster c(entity);
            if (c.ownerInstanceId() != me || c.ownerEpoch() != epoch)
                return false; // not ours any more: nothing to hand back
            c.releaseOwner();
            c.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("ClusterHandedBack"),
                          QStringLiteral("replica %1 is stopping; another replica continues at once").arg(worker));
            entity = c.json();
            return true;
        }, [this, self, pending, name](Result<rde::DefinedEntity> r) {
            if (!self)
                return;
            if (r) {
                ++m_metrics.handedBack;
                qCInfo(lcServer).noquote() << "handed back cluster" << quoteTenant(name);
            } else {
                qCWarning(lcServer).noquote() << "cannot hand back cluster" << quoteTenant(name) << ":" << quoteTenant(r.error().toString(), 300);
            }
            if (--*pending == 0) {
                m_owned.clear();
                finishDrain();
            }
        }, 3);
    }
}

void Replica::finishDrain()
{
    if (m_stopped)
        return;
    m_state = rde::replicastate::kStopped;
    m_renewTimer.stop();
    m_fenceTimer.stop();
    if (!m_registered) {
        m_stopped = true;
        Q_EMIT stopped();
        return;
    }
    // The last heartbeat says "stopped": successors need not wait for the lease.
    m_renewing = false;
    rde::ServerInstance si(m_instance.entity);
    si.renew(m_clock->utcNow());
    si.setState(m_state);
    si.setClustersOwned({});
    rde::DefinedEntity e = m_instance;
    e.entity = si.json();
    m_stopped = true;
    QPointer<Replica> self(this);
    m_client->updateEntity(e, [this, self](Result<rde::DefinedEntity> r) {
        if (!self)
            return;
        if (!r)
            qCWarning(lcServer).noquote() << "cannot record the stop:" << r.error().toString();
        qCInfo(lcServer).noquote() << "replica" << m_settings.name << "stopped";
        Q_EMIT stopped();
    });
}

// ---- metrics ----

// The exposition is prometheus-cpp's (Registry and TextSerializer of its
// core library): it escapes label values as the text format requires. Every
// label value comes from a closed set (the replica's own name, phase::k*,
// route templates, HTTP status numbers); tenant text never becomes one.
QString Replica::prometheusText() const
{
    namespace prom = prometheus;
    prom::Registry registry;
    const std::string replica = m_settings.name.toStdString();
    auto gauge = [&](const char *name, const char *help, double v) {
        prom::BuildGauge().Name(name).Help(help).Register(registry).Add({{"replica", replica}}).Set(v);
    };
    auto counter = [&](const char *name, const char *help, double v) {
        prom::BuildCounter().Name(name).Help(help).Register(registry).Add({{"replica", replica}}).Increment(v);
    };
    gauge("cse_replica_owned_clusters", "Clusters this replica owns now.", double(m_owned.size()));
    gauge("cse_replica_sharing_replicas", "Running replicas, this one included, that new work is shared among.",
          double(workSharers().size()));
    const qint64 age = m_fence.sinceRenewMs();
    gauge("cse_replica_heartbeat_age_seconds", "Seconds since the last successful heartbeat (-1: none yet).",
          age < 0 ? -1.0 : double(age) / 1000.0);
    gauge("cse_replica_fenced", "1 while the replica has fenced itself.", m_fenced ? 1 : 0);
    counter("cse_replica_claims_total", "Clusters claimed.", double(m_metrics.claims));
    counter("cse_replica_takeovers_total", "Clusters taken over from a dead owner.", double(m_metrics.takeovers));
    counter("cse_replica_claims_lost_total", "Claims lost to another replica (412 or a new owner).", double(m_metrics.claimsLost));
    counter("cse_discovery_list_failures_total", "Work lists (one org's, or the provider-wide one) that failed.",
            double(m_metrics.discoveryListFailures));
    gauge("cse_discovery_unreadable_orgs", "Orgs whose last work list failed: their new clusters are not seen.",
          double(m_unreadable.size()));
    gauge("cse_discovery_provider_wide", "1 while one provider-wide list finds the work of every org, 0 in per-org mode.",
          providerWide() ? 1 : 0);
    counter("cse_replica_handed_back_total", "Clusters handed back while draining.", double(m_metrics.handedBack));

    auto &requests = prom::BuildCounter()
                         .Name("cse_vcd_requests_total")
                         .Help("VCD requests by route template and HTTP status (0: no answer).")
                         .Register(registry);
    const vcd::RequestStats stats = requestStats(); // the replica's own connection and its clusters' owners'
    for (auto r = stats.byRoute.cbegin(); r != stats.byRoute.cend(); ++r)
        for (auto st = r->cbegin(); st != r->cend(); ++st)
            requests.Add({{"replica", replica}, {"route", r.key().toStdString()}, {"status", std::to_string(st.key())}})
                .Increment(st.value());

    std::vector<prom::MetricFamily> families = registry.Collect();
    // Only sums and counts are kept per phase, which prometheus-cpp's Summary
    // (fed observation by observation) cannot take: this family is filled in directly.
    prom::MetricFamily steps;
    steps.name = "cse_reconcile_step_seconds";
    steps.help = "Duration of reconcile steps per phase.";
    steps.type = prom::MetricType::Summary;
    for (auto it = m_metrics.stepSeconds.cbegin(); it != m_metrics.stepSeconds.cend(); ++it) {
        prom::ClientMetric m;
        m.label = {{"phase", it.key().toStdString()}, {"replica", replica}};
        m.summary.sample_sum = it->first;
        m.summary.sample_count = std::uint64_t(it->second);
        steps.metric.push_back(std::move(m));
    }
    families.push_back(std::move(steps));
    return QString::fromStdString(prom::TextSerializer().Serialize(families));
}

} // namespace cse::server
