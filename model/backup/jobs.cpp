#include "jobs.h"

#include "core/logging.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vcd/client.h"

#include <QJsonArray>
#include <QSet>
#include <QTimer>

namespace cse::backup {

namespace {
vcd::ListQuery clustersIn(const vcd::Client &client, const QString &orgName, const QString &orgId)
{
    vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
    if (orgName.compare(client.options().org, Qt::CaseInsensitive) != 0)
        q.tenantContext = orgId;
    return q;
}
} // namespace

// ---- Job -------------------------------------------------------------------

Job::Job(vcd::Client *client, QObject *parent) : QObject(parent), m_client(client) {}

Job::Job(const vcd::ConnectionOptions &options, QObject *parent) : QObject(parent)
{
    m_own = new vcd::Client(options, nullptr, this);
    m_client = m_own;
}

Job::~Job() = default;

void Job::start()
{
    if (m_started)
        return;
    m_started = true;
    // Never report from inside start(): the caller may connect after it.
    QTimer::singleShot(0, this, [this] {
        if (m_finished)
            return;
        if (!m_client)
            return finishWith(makeError(ErrorKind::Canceled, QStringLiteral("the connection to the site was closed")));
        if (m_own && !m_own->isConnected()) {
            say(QStringLiteral("connecting to %1").arg(m_own->options().url.toString()));
            m_own->connectToSite(guard<void>([this](Result<void> r) {
                if (!r)
                    return finishWith(r.error());
                run();
            }));
            return;
        }
        run();
    });
}

void Job::cancel()
{
    if (m_finished)
        return;
    if (m_own)
        m_own->cancelAll(); // only our own connection
    finishWith(makeError(ErrorKind::Canceled, QStringLiteral("canceled")));
}

bool Job::markFinished()
{
    if (m_finished)
        return false;
    m_finished = true;
    return true;
}

void Job::finishWith(const Error &error)
{
    if (markFinished())
        fail(error);
}

void Job::say(const QString &line)
{
    Q_EMIT message(line);
}

// ---- BackupJob -------------------------------------------------------------

struct BackupJob::State
{
    Archive archive;
    QList<QPair<QString, QString>> orgs;
    int orgsRead = 0;
    QList<rde::DefinedEntity> clusters;
    QSet<QString> seen;
    QList<std::optional<Result<rde::DefinedEntity>>> full;
    int fetched = 0;
};

BackupJob::BackupJob(vcd::Client *client, BackupOptions options, QObject *parent)
    : Job(client, parent), m_options(std::move(options)), m_state(std::make_shared<State>())
{
}

BackupJob::BackupJob(const vcd::ConnectionOptions &connection, BackupOptions options, QObject *parent)
    : Job(connection, parent), m_options(std::move(options)), m_state(std::make_shared<State>())
{
}

void BackupJob::fail(const Error &error)
{
    Q_EMIT finished(error);
}

void BackupJob::run()
{
    vcd::Client &c = client();
    if (!c.options().isProvider())
        return finishWith(makeError(ErrorKind::Invalid, QStringLiteral("a backup needs a provider administrator (--org System): "
                                                                       "only a provider sees the clusters of every org")));
    Archive &archive = m_state->archive;
    archive.manifest.site = c.options().url.toString();
    archive.manifest.createdAt = rde::isoTimestamp();
    archive.manifest.tool = m_options.tool;
    archive.manifest.includesSecrets = m_options.includeSecrets;
    auto author = [](const QJsonObject &session) -> QString {
        return session.value(QLatin1String("user")).toObject().value(QLatin1String("name")).toString() + QLatin1Char('@')
               + session.value(QLatin1String("org")).toObject().value(QLatin1String("name")).toString();
    };
    if (!c.session().isEmpty()) {
        archive.manifest.createdBy = author(c.session());
        return readSite();
    }
    // An API token login carries no session document: ask VCD who we are.
    c.send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/sessions/current")),
           guard<vcd::Reply>([this, author](Result<vcd::Reply> r) {
        if (!r)
            return finishWith(r.error());
        m_state->archive.manifest.createdBy = author(r->json());
        readSite();
    }));
}

void BackupJob::readSite()
{
    vcd::Client &c = client();
    // The server configuration and the replicas, in the System org; then the orgs.
    c.listEntities(vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1")),
                   guard<QList<rde::DefinedEntity>>([this](Result<QList<rde::DefinedEntity>> configs) {
        if (!configs)
            return finishWith(configs.error());
        for (const rde::DefinedEntity &e : std::as_const(*configs))
            add(kind::kConfig, e);
        say(QStringLiteral("configuration: %1 entity").arg(configs->size()));
        client().listEntities(vcd::ListQuery::ofType(rde::types::kServerVendor, rde::types::kServerNss, QStringLiteral("1")),
                              guard<QList<rde::DefinedEntity>>([this](Result<QList<rde::DefinedEntity>> servers) {
            if (!servers)
                return finishWith(servers.error());
            for (const rde::DefinedEntity &e : std::as_const(*servers))
                add(kind::kServerInstance, e);
            say(QStringLiteral("server instances: %1").arg(servers->size()));
            listOrgs(client(), guard<QList<QPair<QString, QString>>>([this](Result<QList<QPair<QString, QString>>> orgs) {
                if (!orgs)
                    return finishWith(orgs.error());
                m_state->orgs = *orgs;
                listClusters();
            }));
        }));
    }));
}

void BackupJob::add(const QString &kind, rde::DefinedEntity e)
{
    if (!m_options.includeSecrets)
        stripSecure(e.entityType, e.entity);
    m_state->archive.entries.append(Entry{kind, std::move(e)});
}

// Clusters of every version, org by org (in order, so the archive's order is stable).
void BackupJob::listClusters()
{
    if (m_state->orgsRead >= m_state->orgs.size())
        return fetchFull();
    const auto [orgName, orgId] = m_state->orgs.at(m_state->orgsRead);
    client().listEntities(clustersIn(client(), orgName, orgId),
                          guard<QList<rde::DefinedEntity>>([this, orgName = orgName](Result<QList<rde::DefinedEntity>> list) {
        if (!list)
            return finishWith(list.error());
        int n = 0;
        for (const rde::DefinedEntity &e : std::as_const(*list))
            if (!m_state->seen.contains(e.id)) {
                m_state->seen.insert(e.id);
                m_state->clusters.append(e);
                ++n;
            }
        say(QStringLiteral("org %1: %2 cluster(s)").arg(orgName).arg(n));
        ++m_state->orgsRead;
        listClusters();
    }));
}

// Full entities (private and secure fields) where the type offers getFullEntity.
void BackupJob::fetchFull()
{
    State &s = *m_state;
    const int total = int(s.clusters.size());
    s.full.resize(total);
    Q_EMIT progress(0, total);
    if (total == 0)
        return complete();
    for (int i = 0; i < total; ++i) {
        const rde::TypeInfo *type = rde::findType(s.clusters[i].entityType);
        const bool hasFull = m_options.fullEntity && type && type->interfaces.contains(rde::types::kCapvcdInterface);
        auto landed = [this, i, total](Result<rde::DefinedEntity> r) {
            m_state->full[i] = std::move(r);
            const int fetched = ++m_state->fetched;
            Q_EMIT progress(fetched, total);
            if (fetched % 100 == 0)
                say(QStringLiteral("fetched %1 of %2 clusters").arg(fetched).arg(total));
            if (fetched == total)
                complete();
        };
        if (!hasFull) {
            // Asynchronous like the others, so that progress and cancel behave the same.
            QTimer::singleShot(0, this, [this, i, landed] {
                if (!isFinished())
                    landed(m_state->clusters[i]);
            });
            continue;
        }
        client().getFullEntity(s.clusters[i].id, guard<rde::DefinedEntity>(landed));
    }
}

void BackupJob::complete()
{
    State &s = *m_state;
    for (int i = 0; i < s.clusters.size(); ++i) {
        const Result<rde::DefinedEntity> &r = *s.full[i];
        if (!r) {
            if (r.error().is(ErrorKind::Forbidden)) { // deleted while we were reading: not part of the site any more
                say(QStringLiteral("cluster %1 (%2) disappeared during the backup; skipped").arg(s.clusters[i].name, s.clusters[i].id));
                continue;
            }
            return finishWith(r.error());
        }
        rde::DefinedEntity e = s.clusters[i]; // the envelope (org, owner, state, ETag) from the list
        e.entity = r->entity;                 // the content with private fields
        add(kind::kCluster, e);
    }
    s.archive.seal();
    qCInfo(lcBackup).noquote() << "collected" << s.archive.manifest.summary();
    say(QStringLiteral("collected %1").arg(s.archive.manifest.summary()));
    if (markFinished())
        Q_EMIT finished(s.archive);
}

// ---- TargetJob -------------------------------------------------------------

TargetJob::TargetJob(vcd::Client *client, QObject *parent) : Job(client, parent), m_state(std::make_shared<TargetState>()) {}

TargetJob::TargetJob(const vcd::ConnectionOptions &connection, QObject *parent)
    : Job(connection, parent), m_state(std::make_shared<TargetState>())
{
}

void TargetJob::fail(const Error &error)
{
    Q_EMIT finished(error);
}

void TargetJob::run()
{
    if (!client().options().isProvider())
        return finishWith(makeError(ErrorKind::Invalid, QStringLiteral("a restore needs a provider administrator (--org System)")));
    listOrgs(client(), guard<QList<QPair<QString, QString>>>([this](Result<QList<QPair<QString, QString>>> orgs) {
        if (!orgs)
            return finishWith(orgs.error());
        for (const auto &[name, id] : std::as_const(*orgs))
            m_state->orgs.insert(name, id);
        listCollection(client(), QStringLiteral("/cloudapi/1.0.0/entityTypes/"), guard<QJsonArray>([this](Result<QJsonArray> types) {
            if (!types)
                return finishWith(types.error());
            for (const QJsonValue &v : std::as_const(*types))
                m_state->installedTypes << v.toObject().value(QLatin1String("id")).toString();
            client().listEntities(vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1")),
                                  guard<QList<rde::DefinedEntity>>([this](Result<QList<rde::DefinedEntity>> configs) {
                if (!configs)
                    return finishWith(configs.error());
                m_state->configs = *configs;
                readClusters();
            }));
        }));
    }));
}

void TargetJob::readClusters()
{
    const QList<QString> names = m_state->orgs.keys();
    auto pending = std::make_shared<int>(int(names.size()));
    auto perOrg = std::make_shared<QList<QList<rde::DefinedEntity>>>(names.size());
    auto complete = [this, perOrg] {
        for (const auto &list : std::as_const(*perOrg))
            m_state->clusters.append(list);
        if (markFinished())
            Q_EMIT finished(*m_state);
    };
    if (names.isEmpty())
        return complete();
    int total = int(names.size());
    Q_EMIT progress(0, total);
    for (int i = 0; i < names.size(); ++i) {
        client().listEntities(clustersIn(client(), names[i], m_state->orgs.value(names[i])),
                              guard<QList<rde::DefinedEntity>>([this, i, pending, perOrg, complete, total](Result<QList<rde::DefinedEntity>> list) {
            if (!list && !list.error().is(ErrorKind::NotFound)) // NotFound: the cluster type is not installed at all
                return finishWith(list.error());
            if (list)
                (*perOrg)[i] = *list;
            Q_EMIT progress(total - --*pending, total);
            if (*pending == 0)
                complete();
        }));
    }
}

// ---- RestoreJob ------------------------------------------------------------

RestoreJob::RestoreJob(vcd::Client *client, Plan plan, RestoreOptions options, QObject *parent)
    : Job(client, parent), m_plan(std::move(plan)), m_options(std::move(options))
{
}

RestoreJob::RestoreJob(const vcd::ConnectionOptions &connection, Plan plan, RestoreOptions options, QObject *parent)
    : Job(connection, parent), m_plan(std::move(plan)), m_options(std::move(options))
{
}

void RestoreJob::fail(const Error &error)
{
    Q_EMIT finished(error);
}

void RestoreJob::run()
{
    for (const PlanItem &i : std::as_const(m_plan.items))
        if (i.action == Action::Create || i.action == Action::Update)
            m_work.append(&i);
    Q_EMIT progress(0, int(m_work.size()));
    if (m_work.isEmpty()) {
        if (markFinished())
            Q_EMIT finished(m_report);
        return;
    }
    next();
}

void RestoreJob::next()
{
    while (!isFinished() && m_issued < m_work.size() && m_issued - m_finishedCount < kParallel)
        applyOne(*m_work.at(m_issued++));
}

void RestoreJob::done(const PlanItem &item, const QString &what, const std::optional<Error> &error)
{
    if (isFinished())
        return;
    ++m_finishedCount;
    const int total = int(m_work.size());
    const QString label = QStringLiteral("%1 %2/%3").arg(item.kind, item.targetOrg, item.name);
    if (error) {
        m_report.failures << QStringLiteral("%1: %2").arg(label, error->toString());
        say(QStringLiteral("[%1/%2] FAILED %3: %4").arg(m_finishedCount).arg(total).arg(label, error->toString()));
    } else {
        say(QStringLiteral("[%1/%2] %3").arg(m_finishedCount).arg(total).arg(QString(what).replace(QLatin1String("%L"), label)));
    }
    Q_EMIT progress(m_finishedCount, total);
    if (m_finishedCount == total) {
        qCInfo(lcBackup).noquote() << "restore applied:" << m_report.created << "created," << m_report.updated << "updated,"
                                   << m_report.failures.size() << "failed";
        if (markFinished())
            Q_EMIT finished(m_report);
        return;
    }
    next();
}

void RestoreJob::applyOne(const PlanItem &item)
{
    const PlanItem *itemPtr = &item;
    const rde::DefinedEntity &e = item.entry->entity;
    const bool resolve = e.state == QLatin1String("RESOLVED");
    vcd::Client &c = client();
    if (item.action == Action::Update && item.kind == kind::kConfig) {
        const QJsonObject archived = e.entity;
        c.patch(item.targetId, [archived](QJsonObject &content) -> Result<bool> {
            const QJsonObject merged = mergeConfig(archived, content);
            if (json::canonical(merged) == json::canonical(content))
                return false;
            content = merged;
            return true;
        }, guard<rde::DefinedEntity>([this, itemPtr](Result<rde::DefinedEntity> r) {
            if (!r)
                return done(*itemPtr, {}, r.error());
            ++m_report.updated;
            done(*itemPtr, QStringLiteral("updated %L"), std::nullopt);
        }));
        return;
    }
    if (item.action == Action::Update) { // a cluster left unresolved
        c.resolveEntity(item.targetId, guard<rde::DefinedEntity>([this, itemPtr](Result<rde::DefinedEntity> r) {
            if (!r)
                return done(*itemPtr, {}, r.error());
            ++m_report.updated;
            done(*itemPtr, QStringLiteral("resolved %L: ") + r->state, std::nullopt);
        }));
        return;
    }
    // Create in the target org, with the original id as externalId.
    QJsonObject content = e.entity;
    if (item.kind == kind::kCluster && item.targetOrg != item.sourceOrg)
        content = json::set(content, {QStringLiteral("metadata"), QStringLiteral("orgName")}, item.targetOrg);
    vcd::RequestSpec spec;
    spec.method = "POST";
    spec.path = QStringLiteral("/cloudapi/1.0.0/entityTypes/") + e.entityType;
    spec.body = json::canonical(QJsonObject{{QStringLiteral("name"), e.name},
                                            {QStringLiteral("externalId"), item.originalId},
                                            {QStringLiteral("entity"), content}});
    if (item.targetOrg.compare(c.options().org, Qt::CaseInsensitive) != 0)
        spec.headers += vcd::tenantContextHeaders(item.targetOrgId, item.targetOrg);
    spec.idempotent = false;
    c.send(spec, guard<vcd::Reply>([this, itemPtr, resolve](Result<vcd::Reply> r) {
        if (!r)
            return done(*itemPtr, {}, r.error());
        const QString location = QString::fromLatin1(r->header("Location"));
        if (r->status != 202 || location.isEmpty())
            return done(*itemPtr, {}, makeError(QStringLiteral("creating the entity answered %1 without a task").arg(r->status)));
        // The create task runs until the entity is resolved: take the id
        // from its owner at once (go-vcloud-director govcd/defined_entity.go).
        client().createdEntityId(location, guard<QString>([this, itemPtr, resolve](Result<QString> created) {
            if (!created)
                return done(*itemPtr, {}, created.error());
            const QString id = *created;
            ++m_report.created;
            if (!resolve)
                return done(*itemPtr, QStringLiteral("created %L as ") + id, std::nullopt);
            client().resolveEntity(id, guard<rde::DefinedEntity>([this, itemPtr, id](Result<rde::DefinedEntity> resolved) {
                if (!resolved)
                    return done(*itemPtr, {}, resolved.error());
                if (resolved->state != QLatin1String("RESOLVED"))
                    return done(*itemPtr, {}, makeError(ErrorKind::Invalid, QStringLiteral("created as %1 but it did not resolve: %2")
                                                                                .arg(id, resolved->message)));
                done(*itemPtr, QStringLiteral("created and resolved %L as ") + id, std::nullopt);
            }));
        }));
    }));
}

} // namespace cse::backup
