#include "restore.h"

#include "jobs.h"

#include "core/logging.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vcd/client.h"

#include <QEventLoop>
#include <QJsonArray>

#include <algorithm>

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

} // namespace

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

namespace {

// The spec as a plain GET shows it (without secure fields), so that an entity
// read from the target compares equal to its archived full copy.
QByteArray specOf(const QString &typeId, QJsonObject entity)
{
    stripSecure(typeId, entity);
    return json::canonical(entity.value(QLatin1String("spec")).toObject());
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

Result<void> checkOrgMapping(const QMap<QString, QString> &orgMap, const TargetState &target)
{
    QStringList missing;
    for (auto it = orgMap.cbegin(); it != orgMap.cend(); ++it) {
        const bool known = std::any_of(target.orgs.keyBegin(), target.orgs.keyEnd(), [&](const QString &name) {
            return name.compare(it.value(), Qt::CaseInsensitive) == 0;
        });
        if (!known)
            missing << QStringLiteral("%1=%2").arg(it.key(), it.value());
    }
    if (missing.isEmpty())
        return {};
    QStringList orgs = target.orgs.keys();
    orgs.sort(Qt::CaseInsensitive);
    return makeError(ErrorKind::Invalid, QStringLiteral("--map-org %1: the target has no such org (its orgs: %2)")
                                             .arg(missing.join(QStringLiteral(", ")), orgs.join(QStringLiteral(", "))));
}

QString originalIdOf(const rde::DefinedEntity &e)
{
    return e.externalId.startsWith(QLatin1String("urn:vcloud:entity:")) ? e.externalId : e.id;
}

Result<TargetState> readTarget(vcd::Client &client)
{
    TargetJob job(&client);
    return runToEnd<TargetState>(job);
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
                item.why = item.action == Action::Create ? Why::NotInTarget : Why::TypeMissing;
                item.reason = item.action == Action::Create
                                  ? QStringLiteral("the target has no configuration; the archived one is created")
                                  : QStringLiteral("type %1 is not installed; run `cse-server install` first").arg(e.entityType);
            } else {
                const rde::DefinedEntity &t = target.configs.first();
                item.targetId = t.id;
                item.targetEtag = t.etag;
                if (json::canonical(withoutInstances(t.entity)) == json::canonical(withoutInstances(e.entity))) {
                    item.action = Action::Unchanged;
                    item.why = Why::SameAsArchived;
                    item.reason = QStringLiteral("the target's configuration is the archived one");
                } else {
                    item.action = Action::Update;
                    item.why = Why::ConfigDiffers;
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
                item.why = Why::OrgMissing;
                item.reason = QStringLiteral("org \"%1\" does not exist in the target; create it, or restore into an existing org "
                                             "with --map-org %2=NEW")
                                  .arg(item.targetOrg, item.sourceOrg);
            } else if (!target.installedTypes.contains(e.entityType)) {
                item.action = Action::Conflict;
                item.why = Why::TypeMissing;
                item.reason = QStringLiteral("type %1 is not installed in the target; run `cse-server install` first").arg(e.entityType);
            } else {
                item.action = Action::Create;
                item.why = Why::NotInTarget;
                item.reason = QStringLiteral("not in the target; created in org %1").arg(item.targetOrg);
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
            item.why = Why::ChangedInTarget;
            item.reason = QStringLiteral("changed in the target since the backup (spec or name differ); left as it is");
        } else if (e.state == QLatin1String("RESOLVED") && match->state != QLatin1String("RESOLVED")) {
            item.action = Action::Update;
            item.why = Why::NotResolved;
            item.reason = QStringLiteral("resolve it (an earlier restore stopped before resolving it)");
        } else {
            item.action = Action::Unchanged;
            item.why = Why::SameAsArchived;
            item.reason = QStringLiteral("the target has it as archived");
        }
        plan.items.append(item);
    }
    return plan;
}

ApplyReport apply(vcd::Client &client, const Plan &plan, const RestoreOptions &options)
{
    RestoreJob job(&client, plan, options);
    auto r = runToEnd<ApplyReport>(job, options.progress);
    return r ? *r : ApplyReport{0, 0, {r.error().toString()}};
}

} // namespace cse::backup
