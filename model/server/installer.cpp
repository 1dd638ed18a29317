#include "installer.h"

#include "core/logging.h"
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
        if (r) {
            ++report.created;
            report.lines << QStringLiteral("interface %1: created").arg(id);
        } else if (r.error().is(ErrorKind::NotFound) || r.error().is(ErrorKind::Invalid)) {
            // vcd-sim derives interfaces from the types that name them.
            report.lines << QStringLiteral("interface %1: this VCD does not create interfaces separately (%2)")
                                .arg(id, r.error().message);
        } else {
            return r.error();
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
