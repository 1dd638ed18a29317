#include "installer.h"

#include "core/logging.h"
#include "rde/cserights.h"
#include "rde/json.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"
#include "vcd/client.h"
#include "vcd/fiql.h"

#include <QJsonArray>
#include <QSet>

namespace cse::server {

namespace {

Result<vcd::Reply> call(vcd::Client &c, vcd::RequestSpec spec)
{
    return vcd::await<vcd::Reply>([&](auto done) { c.send(spec, done); });
}

QString interfaceName(const QString &id)
{
    // urn:vcloud:interface:VENDOR:NSS:VERSION
    const QStringList parts = id.split(QLatin1Char(':'));
    return parts.size() == 6 ? parts[4] : id;
}

vcd::RequestSpec post(const QString &path, const QJsonObject &body, const QByteArray &method = "POST")
{
    vcd::RequestSpec s;
    s.method = method;
    s.path = path;
    s.body = json::canonical(body);
    return s;
}

// Every page of a cloudapi collection (the one paged list).
Result<QList<QJsonObject>> listAll(vcd::Client &c, const vcd::RequestSpec &first)
{
    return vcd::await<QList<QJsonObject>>([&](auto done) { c.listValues(first, done); });
}

// A role, global role or rights bundle with at least `rights` (CSE's install:
// terraform-provider-vcd examples/container-service-extension/v4.2/install/
// step1/3.11-cse-install-2-cse-server-prerequisites.tf). Rights are sent by
// name; missing ones are added, others are left as the operator set them.
Result<void> ensureRights(vcd::Client &client, InstallReport &report, const QString &collection, const QString &what,
                          const QString &name, const QString &description, const QStringList &rights, bool publishToAll)
{
    const QString base = QStringLiteral("/cloudapi/1.0.0/") + collection;
    vcd::RequestSpec find = vcd::RequestSpec::get(base);
    find.query.addQueryItem(QStringLiteral("filter"), vcd::fiql::eq(QStringLiteral("name"), name));
    auto found = listAll(client, find);
    if (!found)
        return found.error();
    QString id = found->isEmpty() ? QString() : found->first().value(QLatin1String("id")).toString();
    QJsonArray wanted;
    if (id.isEmpty()) {
        auto created = call(client, post(base, {{QStringLiteral("name"), name}, {QStringLiteral("description"), description}}));
        if (!created)
            return created.error();
        id = created->json().value(QLatin1String("id")).toString();
        for (const QString &r : rights)
            wanted.append(QJsonObject{{QStringLiteral("name"), r}});
        if (auto set = call(client, post(base + QLatin1Char('/') + id + QStringLiteral("/rights"), {{QStringLiteral("values"), wanted}}, "PUT"));
            !set)
            return set.error();
        if (publishToAll)
            if (auto p = call(client, post(base + QLatin1Char('/') + id + QStringLiteral("/tenants/publishAll"), {})); !p)
                return p.error();
        ++report.created;
        report.lines << QStringLiteral("%1 \"%2\": created with %3 rights%4").arg(what, name).arg(rights.size())
                            .arg(publishToAll ? QStringLiteral(", published to all tenants") : QString());
        return {};
    }
    auto have = listAll(client, vcd::RequestSpec::get(base + QLatin1Char('/') + id + QStringLiteral("/rights")));
    if (!have)
        return have.error();
    QSet<QString> present;
    for (const QJsonObject &v : std::as_const(*have))
        present.insert(v.value(QLatin1String("name")).toString());
    for (const QString &r : rights)
        if (!present.contains(r))
            wanted.append(QJsonObject{{QStringLiteral("name"), r}});
    if (wanted.isEmpty()) {
        report.lines << QStringLiteral("%1 \"%2\": present").arg(what, name);
        return {};
    }
    if (auto add = call(client, post(base + QLatin1Char('/') + id + QStringLiteral("/rights"), {{QStringLiteral("values"), wanted}})); !add)
        return add.error();
    ++report.changed;
    report.lines << QStringLiteral("%1 \"%2\": %3 missing rights added").arg(what, name).arg(wanted.size());
    return {};
}

} // namespace

Result<InstallReport> install(vcd::Client &client)
{
    InstallReport report;
    if (!client.isConnected())
        return makeError(ErrorKind::Unauthorized, QStringLiteral("not connected"));

    // Interfaces the types implement.
    QSet<QString> existing;
    {
        auto r = vcd::await<QList<QJsonObject>>([&](auto done) {
            client.listValues(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/interfaces")), done);
        });
        if (!r)
            return r.error();
        for (const QJsonObject &o : std::as_const(*r))
            existing.insert(o.value(QLatin1String("id")).toString());
    }
    QSet<QString> wanted;
    for (const rde::TypeInfo &t : rde::knownTypes())
        for (const QString &i : t.interfaces)
            wanted.insert(i);
    QStringList sortedWanted = wanted.values();
    sortedWanted.sort();
    for (const QString &id : std::as_const(sortedWanted)) {
        if (existing.contains(id)) {
            report.lines << QStringLiteral("interface %1: present").arg(id);
            continue;
        }
        const QStringList p = id.split(QLatin1Char(':'));
        if (p.size() != 6)
            return makeError(ErrorKind::Invalid, QStringLiteral("bad interface id %1").arg(id));
        vcd::RequestSpec s;
        s.method = "POST";
        s.path = QStringLiteral("/cloudapi/1.0.0/interfaces");
        s.body = json::canonical(QJsonObject{{QStringLiteral("name"), interfaceName(id)}, {QStringLiteral("vendor"), p[3]},
                                             {QStringLiteral("nss"), p[4]}, {QStringLiteral("version"), p[5]}});
        auto r = call(client, s);
        if (!r)
            return r.error();
        ++report.created;
        report.lines << QStringLiteral("interface %1: created").arg(id);
    }

    // The getFullEntity behavior on cse:capvcd:1.0.0, before any type uses it.
    const QString behaviors = QStringLiteral("/cloudapi/1.0.0/interfaces/%1/behaviors").arg(rde::types::kCapvcdInterface);
    {
        auto list = listAll(client, vcd::RequestSpec::get(behaviors));
        if (!list)
            return list.error();
        bool present = false;
        for (const QJsonObject &v : std::as_const(*list))
            present = present || v.value(QLatin1String("id")).toString() == rde::types::kGetFullEntityBehavior;
        if (present) {
            report.lines << QStringLiteral("behavior getFullEntity: present");
        } else {
            auto made = call(client, post(behaviors, {{QStringLiteral("name"), QStringLiteral("getFullEntity")},
                                                      {QStringLiteral("execution"), QJsonObject{{QStringLiteral("type"), QStringLiteral("noop")},
                                                                                                {QStringLiteral("id"), QStringLiteral("getFullEntity")}}}}));
            if (!made)
                return made.error();
            ++report.created;
            report.lines << QStringLiteral("behavior getFullEntity: created on %1").arg(rde::types::kCapvcdInterface);
        }
    }

    // Entity types with the project's schemas.
    for (const rde::TypeInfo &t : rde::knownTypes()) {
        auto found = call(client, vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/entityTypes/") + t.ref.id()));
        if (found) {
            report.lines << QStringLiteral("entity type %1: present").arg(t.ref.id());
            continue;
        }
        if (!found.error().is(ErrorKind::Forbidden) && !found.error().is(ErrorKind::NotFound))
            return found.error();
        auto schema = rde::bundledSchema(t.ref.id());
        if (!schema)
            return schema.error();
        vcd::RequestSpec s;
        s.method = "POST";
        s.path = QStringLiteral("/cloudapi/1.0.0/entityTypes/");
        s.body = json::canonical(QJsonObject{{QStringLiteral("name"), t.name}, {QStringLiteral("vendor"), t.ref.vendor},
                                             {QStringLiteral("nss"), t.ref.nss}, {QStringLiteral("version"), t.ref.version},
                                             {QStringLiteral("description"), t.description}, {QStringLiteral("schema"), *schema},
                                             {QStringLiteral("interfaces"), QJsonArray::fromStringList(t.interfaces)}});
        auto created = call(client, s);
        if (!created)
            return created.error();
        ++report.created;
        report.lines << QStringLiteral("entity type %1: created").arg(t.ref.id());
    }

    // Its behavior access control on every cluster type: FullControl.
    for (const rde::TypeInfo &t : rde::knownTypes()) {
        if (!t.interfaces.contains(rde::types::kCapvcdInterface))
            continue;
        const QString path = QStringLiteral("/cloudapi/1.0.0/entityTypes/%1/behaviorAccessControls").arg(t.ref.id());
        auto acl = listAll(client, vcd::RequestSpec::get(path));
        if (!acl)
            return acl.error();
        QJsonArray entries;
        bool granted = false;
        for (const QJsonObject &v : std::as_const(*acl)) {
            entries.append(v);
            granted = granted || (v.value(QLatin1String("behaviorId")).toString() == rde::types::kGetFullEntityBehavior
                                  && v.value(QLatin1String("accessLevelId")).toString() == rde::rights::kFullControlLevel);
        }
        if (granted) {
            report.lines << QStringLiteral("behavior access %1: present").arg(t.ref.id());
            continue;
        }
        entries.append(QJsonObject{{QStringLiteral("behaviorId"), rde::types::kGetFullEntityBehavior},
                                   {QStringLiteral("accessLevelId"), rde::rights::kFullControlLevel}});
        if (auto put = call(client, post(path, {{QStringLiteral("values"), entries}}, "PUT")); !put)
            return put.error();
        ++report.created;
        report.lines << QStringLiteral("behavior access %1: getFullEntity granted to FullControl").arg(t.ref.id());
    }

    // Rights for the tenants and for the server's own user. Organization:
    // Traversal exists from VCD 10.5.1 (API 38.x) on.
    if (auto r = ensureRights(client, report, QStringLiteral("rightsBundles"), QStringLiteral("rights bundle"), rde::rights::kRightsBundle,
                              QStringLiteral("Rights bundle with required rights for managing Kubernetes clusters"),
                              rde::rights::rightsBundleRights(), true);
        !r)
        return r.error();
    if (auto r = ensureRights(client, report, QStringLiteral("globalRoles"), QStringLiteral("global role"), rde::rights::kClusterAuthorRole,
                              QStringLiteral("Role to create Kubernetes clusters"), rde::rights::clusterAuthorRights(), true);
        !r)
        return r.error();
    const bool traversal = client.apiVersion().section(QLatin1Char('.'), 0, 0).toInt() >= 38;
    if (auto r = ensureRights(client, report, QStringLiteral("roles"), QStringLiteral("role"), rde::rights::kCseAdminRole,
                              QStringLiteral("Used for administrative purposes"), rde::rights::cseAdminRights(traversal), false);
        !r)
        return r.error();

    // The one vcdKeConfig entity, resolved, with the HA knobs.
    vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1"));
    q.filter = vcd::fiql::eq(QStringLiteral("name"), rde::types::kConfigEntityName);
    auto configs = vcd::await<QList<rde::DefinedEntity>>([&](auto done) { client.listEntities(q, done); });
    if (!configs)
        return configs.error();
    if (configs->isEmpty()) {
        const rde::VcdKeConfig cfg = rde::VcdKeConfig::defaults42();
        auto id = vcd::await<QString>([&](auto done) {
            client.createEntity(rde::types::config().id(), rde::types::kConfigEntityName, cfg.json(), done);
        });
        if (!id)
            return id.error();
        auto resolved = vcd::await<rde::DefinedEntity>([&](auto done) { client.resolveEntity(*id, done); });
        if (!resolved)
            return resolved.error();
        if (resolved->state != QLatin1String("RESOLVED"))
            return makeError(ErrorKind::Invalid, QStringLiteral("the new vcdKeConfig did not resolve: %1").arg(resolved->message));
        ++report.created;
        report.lines << QStringLiteral("vcdKeConfig: created (%1)").arg(*id);
    } else {
        const QString id = configs->first().id;
        // Add HA knobs that are missing; never overwrite what an operator set.
        bool changed = false;
        auto patched = vcd::await<rde::DefinedEntity>([&](auto done) {
            client.patch(id, [&changed](QJsonObject &entity) -> Result<bool> {
                rde::VcdKeConfig cfg(entity);
                const QStringList path{QStringLiteral("profiles")};
                QJsonArray profiles = cfg.value(path).toArray();
                if (profiles.isEmpty())
                    return makeError(ErrorKind::Invalid, QStringLiteral("vcdKeConfig has no profile"));
                QJsonObject p0 = profiles.first().toObject();
                QJsonObject sc = p0.value(QLatin1String("serverConfig")).toObject();
                const rde::HaSettings d;
                const QList<QPair<QString, int>> knobs{{QStringLiteral("leaseSeconds"), d.leaseSeconds},
                                                       {QStringLiteral("renewSeconds"), d.renewSeconds},
                                                       {QStringLiteral("pollSeconds"), d.pollSeconds},
                                                       {QStringLiteral("workersPerReplica"), d.workersPerReplica},
                                                       {QStringLiteral("autoRepairMaxAttempts"), d.autoRepairMaxAttempts},
                                                       {QStringLiteral("autoRepairBackoffSeconds"), d.autoRepairBackoffSeconds}};
                changed = false;
                for (const auto &k : knobs)
                    if (!sc.contains(k.first)) {
                        sc.insert(k.first, k.second);
                        changed = true;
                    }
                if (!changed)
                    return false;
                p0.insert(QStringLiteral("serverConfig"), sc);
                profiles[0] = p0;
                cfg.setValue(path, profiles);
                entity = cfg.json();
                return true;
            }, done);
        });
        if (!patched)
            return patched.error();
        report.changed += changed ? 1 : 0;
        report.lines << QStringLiteral("vcdKeConfig: present (%1)%2").arg(id, changed ? QStringLiteral(", HA knobs added") : QString());
    }
    return report;
}

} // namespace cse::server
