#include "infrastructure.h"

#include "rde/json.h"
#include "vcd/client.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace cse::server {

namespace {

const QString kBase = QStringLiteral("/cloudapi/x-sim/1.0.0/");

VmInfo vmFrom(const QJsonObject &o)
{
    return VmInfo{o.value(QLatin1String("id")).toString(), o.value(QLatin1String("name")).toString(),
                  o.value(QLatin1String("role")).toString(), o.value(QLatin1String("state")).toString()};
}

vcd::RequestSpec request(const QByteArray &method, const QString &rest, const QJsonObject &body = {})
{
    vcd::RequestSpec s;
    s.method = method;
    s.path = kBase + rest;
    if (!body.isEmpty())
        s.body = json::canonical(body);
    // Creating and applying change the world: never replayed blindly.
    if (method == "POST")
        s.idempotent = false;
    return s;
}

// NotFound (and x-sim's 409 "is deleted") mean there is nothing left to remove.
Done<vcd::Reply> tolerateGone(Done<void> done)
{
    return [done](Result<vcd::Reply> r) {
        if (r || r.error().is(ErrorKind::NotFound) || r.error().is(ErrorKind::Conflict))
            return done({});
        done(r.error());
    };
}

Done<vcd::Reply> ignoreBody(Done<void> done)
{
    return [done](Result<vcd::Reply> r) {
        if (!r)
            return done(r.error());
        done({});
    };
}

} // namespace

void XsimInfrastructure::findBootstrapVm(const QString &clusterId, Done<std::optional<VmInfo>> done)
{
    m_client->send(request("GET", QStringLiteral("clusters/%1/vms").arg(clusterId)), [done](Result<vcd::Reply> r) {
        if (!r)
            return done(r.error());
        const QJsonArray vms = QJsonDocument::fromJson(r->body).array();
        for (const QJsonValue &v : vms) {
            const VmInfo vm = vmFrom(v.toObject());
            if (vm.role == QLatin1String("bootstrap") && vm.state != QLatin1String("deleted"))
                return done(std::optional<VmInfo>(vm));
        }
        done(std::optional<VmInfo>());
    });
}

void XsimInfrastructure::createBootstrapVm(const QString &clusterId, const QString &name, Done<VmInfo> done)
{
    const QJsonObject body{{QStringLiteral("clusterId"), clusterId}, {QStringLiteral("name"), name},
                           {QStringLiteral("role"), QStringLiteral("bootstrap")}};
    m_client->send(request("POST", QStringLiteral("vms"), body), [done](Result<vcd::Reply> r) {
        if (!r)
            return done(r.error());
        done(vmFrom(r->json()));
    });
}

void XsimInfrastructure::powerOn(const QString &vmId, Done<void> done)
{
    m_client->send(request("POST", QStringLiteral("vms/%1/powerOn").arg(vmId)), ignoreBody(done));
}

void XsimInfrastructure::applyCapiYaml(const QString &vmId, const QString &capiYaml, Done<void> done)
{
    m_client->send(request("POST", QStringLiteral("vms/%1/capiYaml").arg(vmId), QJsonObject{{QStringLiteral("capiYaml"), capiYaml}}),
                   ignoreBody(done));
}

void XsimInfrastructure::state(const QString &clusterId, Done<InfraState> done)
{
    m_client->send(request("GET", QStringLiteral("clusters/%1/infrastructure").arg(clusterId)), [done](Result<vcd::Reply> r) {
        if (!r) {
            if (r.error().is(ErrorKind::NotFound))
                return done(InfraState{});
            return done(r.error());
        }
        const QJsonObject o = r->json();
        InfraState s;
        s.exists = true;
        s.applied = o.value(QLatin1String("applied")).toBool();
        s.pivoted = o.value(QLatin1String("pivoted")).toBool();
        s.failedStep = o.value(QLatin1String("failedStep")).toString();
        done(s);
    });
}

void XsimInfrastructure::pivot(const QString &clusterId, Done<void> done)
{
    vcd::RequestSpec s = request("POST", QStringLiteral("clusters/%1/pivot").arg(clusterId));
    s.idempotent = true; // moving twice is a no-op
    m_client->send(s, ignoreBody(done));
}

void XsimInfrastructure::deleteVm(const QString &vmId, Done<void> done)
{
    m_client->send(request("DELETE", QStringLiteral("vms/%1").arg(vmId)), tolerateGone(done));
}

void XsimInfrastructure::deleteEverything(const QString &clusterId, Done<void> done)
{
    m_client->send(request("DELETE", QStringLiteral("clusters/%1/infrastructure").arg(clusterId)), tolerateGone(done));
}

} // namespace cse::server
