#include "backup.h"

#include "core/logging.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vcd/client.h"

#include <QJsonArray>
#include <QSet>

namespace cse::backup {

namespace {

bool isSecure(const QJsonValue &restricted)
{
    if (restricted.isString())
        return restricted.toString() == QLatin1String("secure");
    for (const QJsonValue &v : restricted.toArray())
        if (v.toString() == QLatin1String("secure"))
            return true;
    return false;
}

QJsonObject deref(const QJsonObject &schema, const QJsonObject &root)
{
    if (!schema.contains(QLatin1String("$ref")))
        return schema;
    auto r = json::resolvePointer(root, schema.value(QLatin1String("$ref")).toString());
    return r ? r->toObject() : QJsonObject();
}

QJsonValue strip(const QJsonValue &value, const QJsonObject &schemaIn, const QJsonObject &root, int depth, bool &changed)
{
    if (depth > 48)
        return value;
    const QJsonObject schema = deref(schemaIn, root);
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        const QJsonObject props = schema.value(QLatin1String("properties")).toObject();
        for (auto it = props.begin(); it != props.end(); ++it) {
            if (!o.contains(it.key()))
                continue;
            const QJsonObject child = deref(it.value().toObject(), root);
            if (isSecure(child.value(QLatin1String("x-vcloud-restricted")))) {
                o.remove(it.key());
                changed = true;
            } else {
                o.insert(it.key(), strip(o.value(it.key()), child, root, depth + 1, changed));
            }
        }
        return o;
    }
    if (value.isArray()) {
        const QJsonValue items = schema.value(QLatin1String("items"));
        QJsonArray a = value.toArray();
        for (int i = 0; i < a.size(); ++i) {
            const QJsonObject itemSchema = items.isArray() ? items.toArray().at(i).toObject() : items.toObject();
            if (isSecure(deref(itemSchema, root).value(QLatin1String("x-vcloud-restricted")))) {
                a.removeAt(i--);
                changed = true;
                continue;
            }
            a[i] = strip(a[i], itemSchema, root, depth + 1, changed);
        }
        return a;
    }
    return value;
}

// Runs `count` asynchronous jobs (the client queues them to its concurrency
// limit) and waits on a local event loop until all have reported.
void runAll(int count, const std::function<void(int index, std::function<void()> done)> &start)
{
    if (count == 0)
        return;
    int remaining = count;
    QEventLoop loop;
    for (int i = 0; i < count; ++i)
        start(i, [&remaining, &loop] {
            if (--remaining == 0)
                loop.quit();
        });
    if (remaining > 0)
        loop.exec();
}

Result<QList<rde::DefinedEntity>> listAll(vcd::Client &client, vcd::ListQuery q)
{
    return vcd::await<QList<rde::DefinedEntity>>([&](auto done) { client.listEntities(q, done); });
}

} // namespace

bool stripSecure(const QString &typeId, QJsonObject &entity)
{
    auto schema = rde::bundledSchema(typeId);
    if (!schema)
        return false;
    bool changed = false;
    entity = strip(entity, *schema, *schema, 0, changed).toObject();
    return true;
}

Result<QList<QPair<QString, QString>>> listOrgs(vcd::Client &client)
{
    QList<QPair<QString, QString>> out;
    for (int page = 1; page < 1000; ++page) {
        vcd::RequestSpec s = vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs"));
        s.query.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("128"));
        s.query.addQueryItem(QStringLiteral("page"), QString::number(page));
        auto r = vcd::await<vcd::Reply>([&](auto done) { client.send(s, done); });
        if (!r)
            return r.error();
        const QJsonObject body = r->json();
        const QJsonArray values = body.value(QLatin1String("values")).toArray();
        for (const QJsonValue &v : values)
            out.append({v.toObject().value(QLatin1String("name")).toString(), v.toObject().value(QLatin1String("id")).toString()});
        if (values.isEmpty() || page >= body.value(QLatin1String("pageCount")).toInt(1))
            break;
    }
    return out;
}

Result<Archive> collect(vcd::Client &client, const BackupOptions &options)
{
    auto say = [&](const QString &line) {
        if (options.progress)
            options.progress(line);
    };
    if (!client.options().isProvider())
        return makeError(ErrorKind::Invalid, QStringLiteral("a backup needs a provider administrator (--org System): "
                                                            "only a provider sees the clusters of every org"));
    Archive archive;
    archive.manifest.site = client.options().url.toString();
    archive.manifest.createdAt = rde::isoTimestamp();
    const QJsonObject session = client.session();
    archive.manifest.createdBy = session.value(QLatin1String("user")).toObject().value(QLatin1String("name")).toString() + QLatin1Char('@')
                                 + session.value(QLatin1String("org")).toObject().value(QLatin1String("name")).toString();
    archive.manifest.tool = options.tool;
    archive.manifest.includesSecrets = options.includeSecrets;

    auto add = [&](const QString &kind, rde::DefinedEntity e) {
        if (!options.includeSecrets)
            stripSecure(e.entityType, e.entity);
        archive.entries.append(Entry{kind, std::move(e)});
    };

    // The server configuration and the replicas, in the System org.
    auto configs = listAll(client, vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1")));
    if (!configs)
        return configs.error();
    for (const rde::DefinedEntity &e : *configs)
        add(kind::kConfig, e);
    say(QStringLiteral("configuration: %1 entity").arg(configs->size()));
    auto servers = listAll(client, vcd::ListQuery::ofType(rde::types::kServerVendor, rde::types::kServerNss, QStringLiteral("1")));
    if (!servers)
        return servers.error();
    for (const rde::DefinedEntity &e : *servers)
        add(kind::kServerInstance, e);
    say(QStringLiteral("server instances: %1").arg(servers->size()));

    // Clusters of every version, org by org.
    auto orgs = listOrgs(client);
    if (!orgs)
        return orgs.error();
    QList<rde::DefinedEntity> clusters;
    QSet<QString> seen;
    for (const auto &[orgName, orgId] : std::as_const(*orgs)) {
        vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
        if (orgName.compare(client.options().org, Qt::CaseInsensitive) != 0)
            q.tenantContext = orgId;
        auto list = listAll(client, q);
        if (!list)
            return list.error();
        int n = 0;
        for (const rde::DefinedEntity &e : *list)
            if (!seen.contains(e.id)) {
                seen.insert(e.id);
                clusters.append(e);
                ++n;
            }
        say(QStringLiteral("org %1: %2 cluster(s)").arg(orgName).arg(n));
    }

    // Full entities (private and secure fields) where the type offers getFullEntity.
    QList<std::optional<Result<rde::DefinedEntity>>> full(clusters.size());
    int fetched = 0;
    runAll(int(clusters.size()), [&](int i, std::function<void()> done) {
        const rde::TypeInfo *type = rde::findType(clusters[i].entityType);
        const bool hasFull = options.fullEntity && type && type->interfaces.contains(rde::types::kCapvcdInterface);
        if (!hasFull) {
            full[i] = Result<rde::DefinedEntity>(clusters[i]);
            ++fetched;
            return done();
        }
        client.getFullEntity(clusters[i].id, [&, i, done](Result<rde::DefinedEntity> r) {
            full[i] = std::move(r);
            if (++fetched % 100 == 0)
                say(QStringLiteral("fetched %1 of %2 clusters").arg(fetched).arg(clusters.size()));
            done();
        });
    });
    for (int i = 0; i < clusters.size(); ++i) {
        const Result<rde::DefinedEntity> &r = *full[i];
        if (!r) {
            if (r.error().is(ErrorKind::Forbidden)) { // deleted while we were reading: not part of the site any more
                say(QStringLiteral("cluster %1 (%2) disappeared during the backup; skipped").arg(clusters[i].name, clusters[i].id));
                continue;
            }
            return Error(r.error());
        }
        rde::DefinedEntity e = clusters[i]; // the envelope (org, owner, state, ETag) from the list
        e.entity = r->entity;               // the content with private fields
        add(kind::kCluster, e);
    }
    archive.seal();
    qCInfo(lcBackup).noquote() << "collected" << archive.manifest.summary();
    say(QStringLiteral("collected %1").arg(archive.manifest.summary()));
    return archive;
}

} // namespace cse::backup
