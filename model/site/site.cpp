#include "site.h"

#include "core/logging.h"
#include "operations.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vcd/orgdirectory.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTimer>

namespace cse::site {

namespace {
struct RefreshState
{
    int pending = 0;
    bool complete = true;
    QList<rde::DefinedEntity> clusters;
    QSet<QString> ids;   // a site whose provider list shows every org lists some twice
    bool sawOtherOrg = false; // the list without a tenant context showed another org's cluster
    std::optional<QList<rde::DefinedEntity>> instances;
    std::optional<rde::DefinedEntity> config;
};

Site::Clock monotonicClock()
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [timer] { return timer->elapsed(); };
}

// Lists carry no ETags, so the content decides: QJsonObject compares
// structurally without serialising (canonical text of 10,000 entities on
// every poll cost more than the poll). A number spelled differently only
// costs one needless clustersChanged.
bool sameEntities(const QList<rde::DefinedEntity> &a, const QList<rde::DefinedEntity> &b)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i)
        if (a.at(i).id != b.at(i).id || a.at(i).etag != b.at(i).etag || a.at(i).toJson() != b.at(i).toJson())
            return false;
    return true;
}
} // namespace

Site::Site(QObject *parent, Clock clock)
    : QObject(parent), m_clock(clock ? std::move(clock) : monotonicClock())
{
    // One shot, armed when a refresh ends (finishRefresh): a full list that
    // takes longer than the interval (10,000 clusters) must not run back to back.
    m_poll = new QTimer(this);
    m_poll->setSingleShot(true);
    m_poll->setInterval(m_pollInterval);
    connect(m_poll, &QTimer::timeout, this, &Site::refresh);
}

Site::~Site()
{
    ++m_generation;
}

void Site::setPollInterval(int ms)
{
    m_pollInterval = ms;
    m_poll->setInterval(ms);
}

void Site::disconnectFromSite()
{
    ++m_generation; // results of the old connection are dropped
    m_poll->stop();
    m_refreshing = false;
    m_connected = false;
    // The clients may be inside one of their own callbacks: delete later.
    if (m_provider)
        m_provider.release()->deleteLater();
    for (vcd::Client *c : std::as_const(m_perOrg))
        c->deleteLater();
    m_perOrg.clear();
    if (m_orgDirectory) {
        m_orgDirectory->deleteLater();
        m_orgDirectory = nullptr;
    }
    m_providerListIsWide = false;
    const bool hadData = !m_clusters.isEmpty() || !m_replicas.isEmpty() || m_config;
    m_clusters.clear();
    m_replicas.clear();
    m_orgs.clear();
    m_config.reset();
    m_replicasVisible = false;
    if (hadData) {
        Q_EMIT clustersChanged();
        Q_EMIT replicasChanged();
        Q_EMIT configChanged();
    }
    Q_EMIT disconnected();
}

void Site::connectTo(const vcd::ConnectionOptions &options)
{
    disconnectFromSite();
    m_options = options;
    m_provider = std::make_unique<vcd::Client>(options);
    m_provider->connectToSite(guarded<void>(nullptr, [this](Result<void> r) {
        if (!r) {
            Q_EMIT failed(r.error());
            return;
        }
        m_connected = true;
        Q_EMIT connected();
        refresh(); // arms the poll timer when it ends
    }));
}

vcd::Client *Site::clientFor(const QString &orgId)
{
    if (!m_provider)
        return nullptr;
    if (!m_options.isProvider() || orgId.isEmpty())
        return m_provider.get();
    vcd::Client *&c = m_perOrg[orgId];
    if (!c) {
        // Shares the provider's login through its own session: the tenant context is per client.
        c = new vcd::Client(m_options, nullptr, this);
        QString orgName;
        for (const OrgRef &o : std::as_const(m_orgs))
            if (o.id == orgId)
                orgName = o.name;
        c->setTenantContext(orgId, orgName);
    }
    return c;
}

std::optional<rde::DefinedEntity> Site::cluster(const QString &id) const
{
    for (const rde::DefinedEntity &e : m_clusters)
        if (e.id == id)
            return e;
    return std::nullopt;
}

rde::HaSettings Site::ha() const
{
    return m_config ? rde::VcdKeConfig(m_config->entity).ha() : rde::HaSettings{};
}

void Site::report(const Error &e)
{
    if (e.is(ErrorKind::Canceled))
        return;
    qCWarning(lcItems).noquote() << "site request failed:" << e.toString();
    Q_EMIT requestFailed(e);
}

void Site::refresh()
{
    if (!m_connected || m_refreshing)
        return;
    m_refreshing = true;
    m_poll->stop();
    m_refreshTime.start();
    refreshNow(m_generation);
}

void Site::refreshNow(quint64 generation)
{
    auto state = std::make_shared<RefreshState>();
    const quint64 sequence = ++m_refreshSequence;
    auto done = [this, state, generation, sequence] {
        if (--state->pending > 0)
            return;
        if (m_options.isProvider() && state->complete)
            m_providerListIsWide = state->sawOtherOrg;
        finishRefresh(generation, sequence, state->clusters, state->complete, state->instances, state->config);
    };
    auto clustersOf = [this, state, done](const QString &orgId) {
        ++state->pending;
        vcd::ListQuery q = vcd::ListQuery::ofInterface(QStringLiteral("vmware"), QStringLiteral("k8s"), QStringLiteral("1.0.0"));
        q.tenantContext = orgId;
        const QString ownOrg = m_provider->session().value(QLatin1String("org")).toObject().value(QLatin1String("id")).toString();
        m_provider->listEntities(q,
                             guarded<QList<rde::DefinedEntity>>(nullptr, [state, done, orgId, ownOrg](Result<QList<rde::DefinedEntity>> r) {
                                 if (r) {
                                     for (const rde::DefinedEntity &e : std::as_const(*r)) {
                                         if (orgId.isEmpty() && e.org.id != ownOrg)
                                             state->sawOtherOrg = true;
                                         if (!state->ids.contains(e.id)) {
                                             state->ids.insert(e.id);
                                             state->clusters.append(e);
                                         }
                                     }
                                 } else {
                                     state->complete = false;
                                 }
                                 done();
                             }));
    };
    state->pending = 1; // held until every request is issued
    // Replicas and the configuration live in the System org.
    ++state->pending;
    const rde::TypeRef si = rde::types::serverInstance();
    m_provider->listEntities(vcd::ListQuery::ofType(si.vendor, si.nss, si.version),
                             [self = QPointer<Site>(this), state, done, generation](Result<QList<rde::DefinedEntity>> r) {
                                 if (!self || self->m_generation != generation)
                                     return;
                                 if (r)
                                     state->instances = *r;
                                 else if (!r.error().is(ErrorKind::Forbidden) && !r.error().is(ErrorKind::NotFound))
                                     self->report(r.error());
                                 done();
                             });
    ++state->pending;
    m_provider->listEntities(vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1")),
                             [self = QPointer<Site>(this), state, done, generation](Result<QList<rde::DefinedEntity>> r) {
                                 if (!self || self->m_generation != generation)
                                     return;
                                 if (r) {
                                     for (const rde::DefinedEntity &e : *r)
                                         if (e.name == rde::types::kConfigEntityName || !state->config)
                                             state->config = e;
                                 } else if (!r.error().is(ErrorKind::Forbidden) && !r.error().is(ErrorKind::NotFound)) {
                                     self->report(r.error());
                                 }
                                 done();
                             });
    if (!m_options.isProvider()) {
        m_orgs = {OrgRef{m_provider->session().value(QLatin1String("org")).toObject().value(QLatin1String("id")).toString(),
                         m_options.org}};
        clustersOf(QString());
        done();
        return;
    }
    // A provider: the list without a tenant context, which on a VCD that
    // shows a provider every org's entities is the whole site (seen in the
    // last refresh: it showed another org's cluster); elsewhere one list per
    // org through the tenant context, the orgs from the directory (re-listed
    // on its own, slower clock).
    clustersOf(QString());
    if (!m_orgDirectory)
        m_orgDirectory = new vcd::OrgDirectory(m_provider.get(), nullptr, this);
    const bool wide = m_providerListIsWide;
    const QString ownOrg = m_provider->session().value(QLatin1String("org")).toObject().value(QLatin1String("id")).toString();
    m_orgDirectory->ensureFresh(guarded<void>(nullptr, [this, state, clustersOf, done, wide, ownOrg](Result<void> r) {
        if (!r) {
            state->complete = false;
            Q_EMIT failed(r.error());
            done();
            return;
        }
        QList<OrgRef> list;
        for (const vcd::OrgEntry &o : m_orgDirectory->orgs())
            list.append({o.id, o.name});
        m_orgs = list;
        if (!wide)
            for (const OrgRef &org : std::as_const(list))
                if (org.id != ownOrg)
                    clustersOf(org.id);
        done();
    }));
}

void Site::finishRefresh(quint64 generation, quint64 sequence, const QList<rde::DefinedEntity> &clusters, bool complete,
                         std::optional<QList<rde::DefinedEntity>> instances, std::optional<rde::DefinedEntity> config)
{
    if (generation != m_generation)
        return;
    m_refreshing = false;
    // The next poll starts one interval after this one ended, or later if
    // the refresh itself took longer: at most half the time is spent polling.
    // Real time, as the timer's: an injected test clock may jump.
    m_poll->start(int(qMax(qint64(m_pollInterval), qMin(m_refreshTime.elapsed(), qint64(10 * 60 * 1000)))));
    if (complete && !sameEntities(clusters, m_clusters)) {
        m_clusters = clusters;
        Q_EMIT clustersChanged();
    }
    if (sequence < m_configTrustedFrom)
        config.reset(); // read before our own save landed: older than what we have
    if (config && (!m_config || config->etag != m_config->etag
                   || json::canonical(config->entity) != json::canonical(m_config->entity))) {
        m_config = config;
        m_tracker.setLeaseSeconds(ha().leaseSeconds);
        Q_EMIT configChanged();
    }
    m_replicasVisible = instances.has_value();
    const QList<ReplicaStatus> replicas = m_tracker.observe(instances.value_or(QList<rde::DefinedEntity>{}), m_clock());
    if (replicas != m_replicas) {
        m_replicas = replicas;
        Q_EMIT replicasChanged();
    }
    Q_EMIT refreshed();
}

void Site::tick()
{
    const QList<ReplicaStatus> replicas = m_tracker.evaluate(m_clock());
    if (replicas != m_replicas) {
        m_replicas = replicas;
        Q_EMIT replicasChanged();
    }
}

void Site::patchCluster(const QString &id, vcd::Client::Change change, QObject *context, Callback<rde::DefinedEntity> done)
{
    const auto found = cluster(id);
    vcd::Client *client = clientFor(found ? found->org.id : QString());
    if (!client)
        return done(makeError(ErrorKind::Invalid, tr("not connected")));
    auto deliver = guarded<rde::DefinedEntity>(context, std::move(done));
    client->patch(id, std::move(change), [self = QPointer<Site>(this), deliver, id](Result<rde::DefinedEntity> r) {
        if (!r && !r.error().operation.contains(id)) {
            // The Activity page names the entity of every failed operation.
            Error e = r.error();
            e.operation = e.operation.isEmpty() ? tr("edit of entity %1").arg(id) : tr("%1 (entity %2)").arg(e.operation, id);
            r = Result<rde::DefinedEntity>(std::move(e));
        }
        deliver(std::move(r));
        if (self)
            QTimer::singleShot(0, self, &Site::refresh);
    });
}

void Site::resizeCluster(const QString &id, const QString &pool, int replicas, QObject *context, Callback<rde::DefinedEntity> done)
{
    patchCluster(id, [pool, replicas](QJsonObject &e) { return applyResize(e, pool, replicas); }, context, std::move(done));
}

void Site::upgradeCluster(const QString &id, const QString &version, QObject *context, Callback<rde::DefinedEntity> done)
{
    patchCluster(id, [version](QJsonObject &e) { return applyUpgrade(e, version); }, context, std::move(done));
}

void Site::deleteCluster(const QString &id, bool force, QObject *context, Callback<rde::DefinedEntity> done)
{
    patchCluster(id, [force](QJsonObject &e) { return applyDelete(e, force); }, context, std::move(done));
}

void Site::retryCluster(const QString &id, const QString &ownerToken, QObject *context, Callback<rde::DefinedEntity> done)
{
    if (!ownerToken.isEmpty() && m_options.isProvider() && ownerToken == m_options.apiToken)
        return done(makeError(ErrorKind::Invalid, tr("this is the connection's own API token; give a token of a user of the cluster's organization")));
    patchCluster(id, [ownerToken](QJsonObject &e) { return applyRetry(e, ownerToken); }, context, std::move(done));
}

void Site::fullEntity(const QString &id, QObject *context, Callback<rde::DefinedEntity> done)
{
    const auto found = cluster(id);
    vcd::Client *client = clientFor(found ? found->org.id : QString());
    if (!client)
        return done(makeError(ErrorKind::Invalid, tr("not connected")));
    client->getFullEntity(id, guarded<rde::DefinedEntity>(context, std::move(done)));
}

void Site::hasOwnerToken(const QString &id, QObject *context, Callback<bool> done)
{
    fullEntity(id, context, [done](Result<rde::DefinedEntity> r) {
        if (!r)
            return done(r.error());
        done(rde::Cluster(r->entity).hasApiToken());
    });
}

void Site::createCluster(const rde::ClusterSpec &spec, const QString &apiToken, bool autoRepair, QObject *context,
                         Callback<QString> done)
{
    if (auto v = spec.validate(); !v)
        return done(v.error());
    auto yaml = rde::renderCapiYaml(spec);
    if (!yaml)
        return done(yaml.error());
    QString orgId;
    for (const OrgRef &o : std::as_const(m_orgs))
        if (o.name == spec.org)
            orgId = o.id;
    vcd::Client *client = clientFor(orgId);
    if (!client)
        return done(makeError(ErrorKind::Invalid, tr("not connected")));
    // The token is stored in the cluster and readable by the org's
    // administrators: never fall back to (or accept) the connection's own.
    if (apiToken.isEmpty())
        return done(makeError(ErrorKind::Invalid, tr("the owner's API token is needed: the server acts for the cluster's owner with it")));
    if (m_options.isProvider() && apiToken == m_options.apiToken)
        return done(makeError(ErrorKind::Invalid, tr("this is the connection's own API token; give a token of a user of %1").arg(spec.org)));
    const rde::Cluster c = rde::Cluster::create(spec.name, spec.org, spec.vdc, spec.site, *yaml, apiToken, autoRepair);
    if (const QString tooLarge = rde::checkClusterEntitySize(c.json()); !tooLarge.isEmpty())
        return done(makeError(ErrorKind::Invalid, tooLarge));
    auto deliver = guarded<QString>(context, std::move(done));
    client->createEntity(rde::types::cluster(QStringLiteral("1.3.0")).id(), spec.name, c.json(),
                         [self = QPointer<Site>(this), deliver](Result<QString> r) {
                             deliver(std::move(r));
                             if (self)
                                 QTimer::singleShot(0, self, &Site::refresh);
                         });
}

void Site::fetchKubeconfig(const QString &id, QObject *context, Callback<QString> done)
{
    fullEntity(id, context, [done](Result<rde::DefinedEntity> r) {
        if (!r)
            return done(r.error());
        const QString kubeconfig = json::get(r->entity, {QStringLiteral("status"), QStringLiteral("capvcd"),
                                                         QStringLiteral("private"), QStringLiteral("kubeConfig")})
                                       .toString();
        if (kubeconfig.isEmpty())
            return done(makeError(ErrorKind::NotFound, tr("the cluster has no kubeconfig yet (it is written once the control plane is up)")));
        done(kubeconfig);
    });
}

void Site::saveConfig(const rde::DefinedEntity &edited, QObject *context, Callback<rde::DefinedEntity> done)
{
    if (!m_provider)
        return done(makeError(ErrorKind::Invalid, tr("not connected")));
    m_provider->updateEntity(edited, guarded<rde::DefinedEntity>(context, [this, done](Result<rde::DefinedEntity> r) {
        if (r) {
            m_config = *r;
            m_configTrustedFrom = m_refreshSequence + 1;
            m_tracker.setLeaseSeconds(ha().leaseSeconds);
            Q_EMIT configChanged();
        }
        done(std::move(r));
    }));
}

void Site::reloadConfig(QObject *context, Callback<rde::DefinedEntity> done)
{
    if (!m_provider || !m_config)
        return done(makeError(ErrorKind::NotFound, tr("no server configuration is visible on this site")));
    m_provider->getEntity(m_config->id, guarded<rde::DefinedEntity>(context, [this, done](Result<rde::DefinedEntity> r) {
        if (r) {
            m_config = *r;
            m_configTrustedFrom = m_refreshSequence + 1;
            m_tracker.setLeaseSeconds(ha().leaseSeconds);
            Q_EMIT configChanged();
        }
        done(std::move(r));
    }));
}

void Site::listItems(const QString &path, const QString &orgId, QObject *context, Callback<QList<NamedItem>> done)
{
    if (!m_provider)
        return done(makeError(ErrorKind::Invalid, tr("not connected")));
    vcd::RequestSpec spec = vcd::RequestSpec::get(path);
    if (m_options.isProvider())
        spec.tenantContext = orgId;
    m_provider->listValues(spec, guarded<QList<QJsonObject>>(context, [done](Result<QList<QJsonObject>> r) {
        if (!r)
            return done(r.error());
        QList<NamedItem> out;
        for (const QJsonObject &o : std::as_const(*r)) {
            NamedItem item{o.value(QLatin1String("id")).toString(), o.value(QLatin1String("name")).toString(), {}, {}};
            item.orgId = (o.contains(QLatin1String("org")) ? o.value(QLatin1String("org")) : o.value(QLatin1String("orgRef")))
                             .toObject().value(QLatin1String("id")).toString();
            item.vdcName = o.value(QLatin1String("orgVdc")).toObject().value(QLatin1String("name")).toString();
            out.append(item);
        }
        done(out);
    }));
}

void Site::issueDemoToken(const QString &org, const QString &user, QObject *context, Callback<QString> done)
{
    if (!m_provider)
        return done(makeError(ErrorKind::Invalid, tr("not connected")));
    vcd::RequestSpec spec;
    spec.method = "POST";
    spec.path = QStringLiteral("/cloudapi/x-sim/1.0.0/tokens");
    spec.body = json::canonical(QJsonObject{{QStringLiteral("org"), org}, {QStringLiteral("user"), user}});
    m_provider->send(spec, guarded<vcd::Reply>(context, [done](Result<vcd::Reply> r) {
        if (!r)
            return done(r.error());
        done(r->json().value(QLatin1String("token")).toString());
    }));
}

void Site::listVdcs(const QString &orgId, QObject *context, Callback<QList<NamedItem>> done)
{
    listItems(QStringLiteral("/cloudapi/1.0.0/vdcs"), orgId, context, std::move(done));
}

void Site::listNetworks(const QString &orgId, QObject *context, Callback<QList<NamedItem>> done)
{
    listItems(QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks"), orgId, context, std::move(done));
}

} // namespace cse::site
