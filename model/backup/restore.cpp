#include "restore.h"

#include "core/logging.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vcd/client.h"

#include <QEventLoop>
#include <QJsonArray>

namespace cse::backup {

namespace {
const QString kSystemOrg = QStringLiteral("System");

QJsonObject withoutInstances(QJsonObject config)
{
    QJsonArray profiles = config.value(QLatin1String("profiles")).toArray();
    for (int i = 0; i < profiles.size(); ++i) {
        QJsonObject p = profiles[i].toObject();
        p.remove(QStringLiteral("vcdKeInstances"));
        profiles[i] = p;
    }
    config.insert(QStringLiteral("profiles"), profiles);
    return config;
}

// The archived configuration, keeping the target's list of registered replicas.
QJsonObject mergeConfig(const QJsonObject &archived, const QJsonObject &target)
{
    QJsonObject out = archived;
    QJsonArray profiles = out.value(QLatin1String("profiles")).toArray();
    const QJsonArray current = target.value(QLatin1String("profiles")).toArray();
    for (int i = 0; i < profiles.size(); ++i) {
        QJsonObject p = profiles[i].toObject();
        const QJsonValue instances = current.at(i).toObject().value(QLatin1String("vcdKeInstances"));
        if (instances.isUndefined())
            p.remove(QStringLiteral("vcdKeInstances"));
        else
            p.insert(QStringLiteral("vcdKeInstances"), instances);
        profiles[i] = p;
    }
    out.insert(QStringLiteral("profiles"), profiles);
    return out;
}

// The spec as a plain GET shows it (without secure fields), so that an entity
// read from the target compares equal to its archived full copy.
QByteArray specOf(const QString &typeId, QJsonObject entity)
{
    stripSecure(typeId, entity);
    return json::canonical(entity.value(QLatin1String("spec")).toObject());
}

Result<QStringList> listTypes(vcd::Client &client)
{
    QStringList out;
    for (int page = 1; page < 100; ++page) {
        vcd::RequestSpec s = vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/entityTypes/"));
        s.query.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("128"));
        s.query.addQueryItem(QStringLiteral("page"), QString::number(page));
        auto r = vcd::await<vcd::Reply>([&](auto done) { client.send(s, done); });
        if (!r)
            return r.error();
        const QJsonArray values = r->json().value(QLatin1String("values")).toArray();
        for (const QJsonValue &v : values)
            out << v.toObject().value(QLatin1String("id")).toString();
        if (values.isEmpty() || page >= r->json().value(QLatin1String("pageCount")).toInt(1))
            break;
    }
    return out;
}
} // namespace

QString toString(Action a)
{
    switch (a) {
    case Action::Create: return QStringLiteral("create");
    case Action::Update: return QStringLiteral("update");
    case Action::Unchanged: return QStringLiteral("unchanged");
    case Action::Conflict: return QStringLiteral("conflict");
    }
    return {};
}

QString PlanItem::describe() const
{
    QString line = QStringLiteral("%1 %2 %3/%4 (%5)").arg(toString(action).leftJustified(9), kind, targetOrg, name, originalId);
    if (!targetId.isEmpty() && targetId != originalId)
        line += QStringLiteral(" -> %1").arg(targetId);
    if (!reason.isEmpty())
        line += QStringLiteral(": ") + reason;
    return line;
}

int Plan::count(Action a) const
{
    return int(std::count_if(items.begin(), items.end(), [a](const PlanItem &i) { return i.action == a; }));
}

QString Plan::summary() const
{
    return QStringLiteral("%1 create, %2 update, %3 unchanged, %4 conflict")
        .arg(count(Action::Create)).arg(count(Action::Update)).arg(count(Action::Unchanged)).arg(count(Action::Conflict));
}

Result<void> parseOrgMapping(const QString &spec, QMap<QString, QString> &orgMap)
{
    const int eq = int(spec.indexOf(QLatin1Char('=')));
    if (eq <= 0 || eq == spec.size() - 1)
        return makeError(ErrorKind::Invalid, QStringLiteral("--map-org expects OLD=NEW (org names), got \"%1\"").arg(spec));
    const QString from = spec.left(eq).trimmed(), to = spec.mid(eq + 1).trimmed();
    if (orgMap.contains(from) && orgMap.value(from) != to)
        return makeError(ErrorKind::Invalid, QStringLiteral("--map-org maps \"%1\" twice").arg(from));
    orgMap.insert(from, to);
    return {};
}

QString originalIdOf(const rde::DefinedEntity &e)
{
    return e.externalId.startsWith(QLatin1String("urn:vcloud:entity:")) ? e.externalId : e.id;
}

Result<TargetState> readTarget(vcd::Client &client)
{
    if (!client.options().isProvider())
        return makeError(ErrorKind::Invalid, QStringLiteral("a restore needs a provider administrator (--org System)"));
    TargetState t;
    auto orgs = listOrgs(client);
    if (!orgs)
        return orgs.error();
    for (const auto &[name, id] : std::as_const(*orgs))
        t.orgs.insert(name, id);
    auto types = listTypes(client);
    if (!types)
        return types.error();
    t.installedTypes = *types;
    auto configs = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        client.listEntities(vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1")), done);
    });
    if (!configs)
        return configs.error();
    t.configs = *configs;
    for (auto it = t.orgs.cbegin(); it != t.orgs.cend(); ++it) {
        vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
        if (it.key().compare(client.options().org, Qt::CaseInsensitive) != 0)
            q.tenantContext = it.value();
        auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) { client.listEntities(q, done); });
        if (!list) {
            if (list.error().is(ErrorKind::NotFound)) // the cluster type is not installed at all
                continue;
            return list.error();
        }
        t.clusters.append(*list);
    }
    return t;
}

Plan makePlan(const Archive &archive, const TargetState &target, const RestoreOptions &options)
{
    Plan plan;
    auto orgIdOf = [&](const QString &name) -> QString {
        for (auto it = target.orgs.cbegin(); it != target.orgs.cend(); ++it)
            if (it.key().compare(name, Qt::CaseInsensitive) == 0)
                return it.value();
        return {};
    };
    for (const Entry &entry : archive.entries) {
        const rde::DefinedEntity &e = entry.entity;
        if (entry.kind == kind::kServerInstance) {
            plan.notes << QStringLiteral("server instance %1 (%2): kept in the archive for reference; replicas register themselves")
                              .arg(e.name, e.id);
            continue;
        }
        PlanItem item;
        item.entry = &entry;
        item.kind = entry.kind;
        item.name = e.name;
        item.sourceOrg = e.org.name;
        item.originalId = originalIdOf(e);
        item.targetOrg = entry.kind == kind::kConfig ? kSystemOrg : options.orgMap.value(e.org.name, e.org.name);
        item.targetOrgId = orgIdOf(item.targetOrg);

        if (entry.kind == kind::kConfig) {
            if (target.configs.isEmpty()) {
                item.action = target.installedTypes.contains(e.entityType) ? Action::Create : Action::Conflict;
                if (item.action == Action::Conflict)
                    item.reason = QStringLiteral("type %1 is not installed; run `cse-server install` first").arg(e.entityType);
            } else {
                const rde::DefinedEntity &t = target.configs.first();
                item.targetId = t.id;
                item.targetEtag = t.etag;
                if (json::canonical(withoutInstances(t.entity)) == json::canonical(withoutInstances(e.entity))) {
                    item.action = Action::Unchanged;
                } else {
                    item.action = Action::Update;
                    item.reason = QStringLiteral("the configuration differs; the archived one replaces it (the target's list of "
                                                 "registered replicas is kept)");
                }
            }
            plan.items.append(item);
            continue;
        }

        // A cluster: the same entity (same site) or one an earlier restore made.
        const rde::DefinedEntity *match = nullptr;
        for (const rde::DefinedEntity &t : target.clusters)
            if (t.id == e.id || t.id == item.originalId || t.externalId == item.originalId) {
                match = &t;
                break;
            }
        if (!match) {
            if (item.targetOrgId.isEmpty()) {
                item.action = Action::Conflict;
                item.reason = QStringLiteral("org \"%1\" does not exist in the target; recreate it or use --map-org %1=NEW")
                                  .arg(item.targetOrg);
            } else if (!target.installedTypes.contains(e.entityType)) {
                item.action = Action::Conflict;
                item.reason = QStringLiteral("type %1 is not installed in the target; run `cse-server install` first").arg(e.entityType);
            } else {
                item.action = Action::Create;
            }
            plan.items.append(item);
            continue;
        }
        item.targetId = match->id;
        item.targetEtag = match->etag;
        item.targetOrg = match->org.name;
        item.targetOrgId = match->org.id;
        if (specOf(match->entityType, match->entity) != specOf(e.entityType, e.entity) || match->name != e.name) {
            item.action = Action::Conflict;
            item.reason = QStringLiteral("changed in the target since the backup (spec or name differ); left as it is");
        } else if (e.state == QLatin1String("RESOLVED") && match->state != QLatin1String("RESOLVED")) {
            item.action = Action::Update;
            item.reason = QStringLiteral("resolve it (an earlier restore stopped before resolving it)");
        } else {
            item.action = Action::Unchanged;
        }
        plan.items.append(item);
    }
    return plan;
}

ApplyReport apply(vcd::Client &client, const Plan &plan, const RestoreOptions &options)
{
    ApplyReport report;
    QList<const PlanItem *> work;
    for (const PlanItem &i : plan.items)
        if (i.action == Action::Create || i.action == Action::Update)
            work.append(&i);
    if (work.isEmpty())
        return report;
    int remaining = int(work.size());
    int finished = 0;
    QEventLoop loop;
    auto done = [&](const PlanItem &item, const QString &what, const std::optional<Error> &error) {
        ++finished;
        const QString label = QStringLiteral("%1 %2/%3").arg(item.kind, item.targetOrg, item.name);
        QString line;
        if (error) {
            report.failures << QStringLiteral("%1: %2").arg(label, error->toString());
            line = QStringLiteral("[%1/%2] FAILED %3: %4").arg(finished).arg(work.size()).arg(label, error->toString());
        } else {
            line = QStringLiteral("[%1/%2] %3").arg(finished).arg(work.size()).arg(QString(what).replace(QLatin1String("%L"), label));
        }
        if (options.progress)
            options.progress(line);
        if (--remaining == 0)
            loop.quit();
    };

    for (const PlanItem *itemPtr : std::as_const(work)) {
        const PlanItem &item = *itemPtr;
        const rde::DefinedEntity &e = item.entry->entity;
        const bool resolve = e.state == QLatin1String("RESOLVED");
        if (item.action == Action::Update && item.kind == kind::kConfig) {
            const QJsonObject archived = e.entity;
            client.patch(item.targetId, [archived](QJsonObject &content) -> Result<bool> {
                const QJsonObject merged = mergeConfig(archived, content);
                if (json::canonical(merged) == json::canonical(content))
                    return false;
                content = merged;
                return true;
            }, [&, itemPtr](Result<rde::DefinedEntity> r) {
                if (!r)
                    return done(*itemPtr, {}, r.error());
                ++report.updated;
                done(*itemPtr, QStringLiteral("updated %L"), std::nullopt);
            });
            continue;
        }
        if (item.action == Action::Update) { // a cluster left unresolved
            client.resolveEntity(item.targetId, [&, itemPtr](Result<rde::DefinedEntity> r) {
                if (!r)
                    return done(*itemPtr, {}, r.error());
                ++report.updated;
                done(*itemPtr, QStringLiteral("resolved %L: ") + r->state, std::nullopt);
            });
            continue;
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
        if (item.targetOrg.compare(client.options().org, Qt::CaseInsensitive) != 0)
            spec.headers.append({"X-VMWARE-VCLOUD-TENANT-CONTEXT", item.targetOrgId.toLatin1()});
        spec.idempotent = false;
        client.send(spec, [&, itemPtr, resolve](Result<vcd::Reply> r) {
            if (!r)
                return done(*itemPtr, {}, r.error());
            const QString location = QString::fromLatin1(r->header("Location"));
            if (r->status != 202 || location.isEmpty())
                return done(*itemPtr, {}, makeError(QStringLiteral("creating the entity answered %1 without a task").arg(r->status)));
            client.waitForTask(location, [&, itemPtr, resolve](Result<QJsonObject> task) {
                if (!task)
                    return done(*itemPtr, {}, task.error());
                const QString id = task->value(QLatin1String("owner")).toObject().value(QLatin1String("id")).toString();
                if (id.isEmpty())
                    return done(*itemPtr, {}, makeError(QStringLiteral("the create task finished without naming the new entity")));
                ++report.created;
                if (!resolve)
                    return done(*itemPtr, QStringLiteral("created %L as ") + id, std::nullopt);
                client.resolveEntity(id, [&, itemPtr, id](Result<rde::DefinedEntity> resolved) {
                    if (!resolved)
                        return done(*itemPtr, {}, resolved.error());
                    if (resolved->state != QLatin1String("RESOLVED"))
                        return done(*itemPtr, {}, makeError(ErrorKind::Invalid, QStringLiteral("created as %1 but it did not resolve: %2")
                                                                                    .arg(id, resolved->message)));
                    done(*itemPtr, QStringLiteral("created and resolved %L as ") + id, std::nullopt);
                });
            });
        });
    }
    if (remaining > 0)
        loop.exec();
    qCInfo(lcBackup).noquote() << "restore applied:" << report.created << "created," << report.updated << "updated,"
                               << report.failures.size() << "failed";
    return report;
}

} // namespace cse::backup
