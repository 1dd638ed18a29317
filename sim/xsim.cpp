// Routes under /cloudapi/x-sim/1.0.0/ (not VCD API): simulated
// infrastructure for the server, and admin calls for tests and operators.
#include "core/logging.h"
#include "infra.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "vcdsim.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

namespace cse::sim {

namespace {

HttpResponse reply(int status, const QJsonValue &v)
{
    return HttpResponse::json(status, v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                                  : json::canonical(v.toObject()));
}

HttpResponse fail(int status, const QString &message)
{
    const char *minor = status == 400 ? "BAD_REQUEST" : status == 403 ? "ACCESS_TO_RESOURCE_IS_FORBIDDEN"
                      : status == 404 ? "NOT_FOUND" : status == 409 ? "CONFLICT" : "INTERNAL_SERVER_ERROR";
    return reply(status, QJsonObject{{QStringLiteral("minorErrorCode"), QString::fromLatin1(minor)},
                                     {QStringLiteral("message"), message},
                                     {QStringLiteral("stackTrace"), QJsonValue::Null}});
}

HttpResponse noContent(int delayMs = 0)
{
    HttpResponse r;
    r.status = 204;
    r.delayMs = delayMs;
    return r;
}

QJsonArray toArray(const QList<VmRow> &vms)
{
    QJsonArray a;
    for (const VmRow &vm : vms)
        a.append(vm.toJson());
    return a;
}

} // namespace

HttpResponse VcdSim::xsim(const HttpRequest &req, const Caller &c, const QString &rest)
{
    const QByteArray &m = req.method;
    const int step = m_options.latencyMs;
    auto body = [&req]() -> QJsonObject { return QJsonDocument::fromJson(req.body).object(); };

    // A cluster the caller may work on, or an error response.
    auto clusterFor = [&](const QString &id, bool write) -> std::optional<HttpResponse> {
        auto e = m_store->entity(id);
        if (!e)
            return fail(500, e.error().message);
        if (!e->has_value() || (!c.provider && (*e)->e.org.id != c.org.id))
            return fail(403, QStringLiteral("No access to cluster %1").arg(id));
        if (write && !c.canWrite())
            return fail(403, QStringLiteral("The user %1 may not change infrastructure").arg(c.user.name));
        return std::nullopt;
    };

    // --- admin (provider only) ---
    static const QStringList adminPrefixes = {QStringLiteral("tokens"), QStringLiteral("sessions"), QStringLiteral("faults"),
                                              QStringLiteral("audit/"), QStringLiteral("integrity")};
    for (const QString &prefix : adminPrefixes)
        if (rest.startsWith(prefix) && !c.provider)
            return fail(403, QStringLiteral("vcd-sim admin calls need a provider administrator"));

    if (rest == QLatin1String("tokens") && m == "POST") {
        const QJsonObject b = body();
        auto org = m_store->orgByName(b.value(QLatin1String("org")).toString());
        if (!org || !org->has_value())
            return fail(400, QStringLiteral("unknown org \"%1\"").arg(b.value(QLatin1String("org")).toString()));
        auto user = m_store->user((*org)->id, b.value(QLatin1String("user")).toString());
        if (!user || !user->has_value())
            return fail(400, QStringLiteral("unknown user \"%1\"").arg(b.value(QLatin1String("user")).toString()));
        auto token = m_store->issueApiToken((*user)->id, b.value(QLatin1String("name")).toString(QStringLiteral("token")));
        if (!token)
            return fail(500, token.error().message);
        return reply(201, QJsonObject{{QStringLiteral("token"), QString::fromLatin1(*token)},
                                      {QStringLiteral("user"), (*user)->name}, {QStringLiteral("org"), (*org)->name}});
    }
    if (rest == QLatin1String("sessions/expire") && m == "POST") {
        auto n = m_store->expireAllSessions();
        if (!n)
            return fail(500, n.error().message);
        return reply(200, QJsonObject{{QStringLiteral("expired"), *n}});
    }
    if (rest == QLatin1String("faults")) {
        if (m == "GET")
            return reply(200, m_faults.toJson());
        if (m == "DELETE") {
            m_faults.clear();
            return noContent();
        }
        if (m == "PUT" || m == "POST") {
            const QJsonDocument doc = QJsonDocument::fromJson(req.body);
            const QJsonArray list = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
            QList<FaultRule> rules;
            for (const QJsonValue &v : list) {
                auto r = FaultRule::fromJson(v.toObject());
                if (!r)
                    return fail(400, r.error().message);
                rules.append(*r);
            }
            if (m == "PUT")
                m_faults.set(rules);
            else
                for (const FaultRule &r : rules)
                    m_faults.add(r);
            return reply(200, m_faults.toJson());
        }
    }
    if (rest == QLatin1String("audit/writes") && m == "GET") {
        auto rows = m_store->writeAudit(req.query.queryItemValue(QStringLiteral("entityId"), QUrl::FullyDecoded));
        if (!rows)
            return fail(500, rows.error().message);
        QJsonArray a;
        for (const WriteAudit &w : *rows)
            a.append(w.toJson());
        return reply(200, a);
    }
    if (rest == QLatin1String("audit/vms") && m == "GET") {
        auto rows = m_store->vmAudit(req.query.queryItemValue(QStringLiteral("clusterId"), QUrl::FullyDecoded));
        if (!rows)
            return fail(500, rows.error().message);
        return reply(200, toArray(*rows));
    }
    if (rest == QLatin1String("integrity") && m == "GET") {
        auto r = m_store->integrityCheck();
        if (!r)
            return fail(500, r.error().message);
        return reply(200, QJsonObject{{QStringLiteral("result"), *r}});
    }

    // --- simulated infrastructure ---
    if (rest == QLatin1String("vms") && m == "POST") {
        const QJsonObject b = body();
        const QString clusterId = b.value(QLatin1String("clusterId")).toString();
        if (auto denied = clusterFor(clusterId, true))
            return *denied;
        if (m_faults.stepFails(QStringLiteral("bootstrapVm")))
            return fail(500, QStringLiteral("bootstrap VM creation failed (injected fault)"));
        VmRow vm{QStringLiteral("urn:vcloud:vm:") + QUuid::createUuid().toString(QUuid::WithoutBraces), clusterId,
                 b.value(QLatin1String("name")).toString(QStringLiteral("EPHEMERAL-TEMP-VM")),
                 b.value(QLatin1String("role")).toString(QStringLiteral("bootstrap")), QStringLiteral("created"),
                 rde::isoTimestamp(), QString()};
        if (vm.role != QLatin1String("bootstrap"))
            return fail(400, QStringLiteral("only bootstrap VMs are created through this call"));
        if (auto r = m_store->insertVm(vm); !r)
            return fail(500, r.error().message);
        HttpResponse r = reply(201, vm.toJson());
        r.delayMs = step;
        return r;
    }
    static const QRegularExpression vmRoute(QStringLiteral("^vms/([^/]+)(/powerOn|/capiYaml)?$"));
    if (const auto vmMatch = vmRoute.match(rest); vmMatch.hasMatch()) {
        auto vm = m_store->vm(vmMatch.captured(1));
        if (!vm)
            return fail(500, vm.error().message);
        if (!vm->has_value())
            return fail(404, QStringLiteral("no VM %1").arg(vmMatch.captured(1)));
        if (auto denied = clusterFor((*vm)->clusterId, m != "GET"))
            return *denied;
        VmRow row = **vm;
        const QString action = vmMatch.captured(2);
        if (action.isEmpty() && m == "GET")
            return reply(200, row.toJson());
        if (action.isEmpty() && m == "DELETE") {
            if (auto r = m_store->markVmDeleted(row.id); !r)
                return fail(500, r.error().message);
            return noContent(step);
        }
        if (row.state == QLatin1String("deleted"))
            return fail(409, QStringLiteral("VM %1 is deleted").arg(row.id));
        if (action == QLatin1String("/powerOn") && m == "POST") {
            if (m_faults.stepFails(QStringLiteral("powerOn")))
                return fail(500, QStringLiteral("VM %1 failed to power on (injected fault)").arg(row.name));
            row.state = QStringLiteral("poweredOn");
            if (auto r = m_store->setVmState(row.id, row.state); !r)
                return fail(500, r.error().message);
            HttpResponse resp = reply(200, row.toJson());
            resp.delayMs = step;
            return resp;
        }
        if (action == QLatin1String("/capiYaml") && m == "POST") {
            if (row.role != QLatin1String("bootstrap"))
                return fail(400, QStringLiteral("capiYaml is applied to a bootstrap VM, not to %1").arg(row.role));
            if (row.state != QLatin1String("poweredOn"))
                return fail(409, QStringLiteral("bootstrap VM %1 is not powered on").arg(row.name));
            const QString yaml = body().value(QLatin1String("capiYaml")).toString();
            auto summary = rde::parseCapiYaml(yaml);
            if (!summary)
                return fail(400, summary.error().message);
            if (m_faults.stepFails(QStringLiteral("applyCapiYaml")))
                return fail(500, QStringLiteral("clusterctl failed to apply the capiYaml (injected fault)"));
            // A fresh bootstrap cluster starts from a clean slate: the status a
            // torn-down earlier attempt left behind is not this attempt's.
            if (auto prior = m_store->infra(row.clusterId); prior && !prior->has_value()) {
                auto w = writeEntityWithRetry(row.clusterId, [](EntityRow &fresh) {
                    if (!json::get(fresh.e.entity, rde::paths::kStatusCapvcd).isObject())
                        return false;
                    fresh.e.entity = json::set(fresh.e.entity, rde::paths::kStatusCapvcd, QJsonObject());
                    return true;
                }, InfraController::clientId());
                if (!w)
                    return fail(500, w.error().message);
            }
            InfraRow infra;
            infra.clusterId = row.clusterId;
            infra.bootstrapVm = row.id;
            infra.appliedYaml = yaml;
            infra.applied = true;
            if (auto r = m_store->upsertInfra(infra); !r)
                return fail(500, r.error().message);
            HttpResponse resp = reply(202, QJsonObject{{QStringLiteral("clusterId"), row.clusterId},
                                                       {QStringLiteral("nodes"), summary->totalNodes()}});
            resp.delayMs = step;
            return resp;
        }
        return fail(405, QStringLiteral("%1 is not supported on %2").arg(QString::fromLatin1(m), rest));
    }
    static const QRegularExpression clusterRoute(QStringLiteral("^clusters/([^/]+)/(pivot|infrastructure|vms)$"));
    if (const auto cm = clusterRoute.match(rest); cm.hasMatch()) {
        const QString id = cm.captured(1), what = cm.captured(2);
        if (auto denied = clusterFor(id, m != "GET"))
            return *denied;
        auto infra = m_store->infra(id);
        if (!infra)
            return fail(500, infra.error().message);
        if (what == QLatin1String("vms") && m == "GET") {
            auto vms = m_store->vms(id, req.query.queryItemValue(QStringLiteral("includeDeleted")) == QLatin1String("true"));
            if (!vms)
                return fail(500, vms.error().message);
            return reply(200, toArray(*vms));
        }
        if (what == QLatin1String("infrastructure") && m == "GET") {
            if (!infra->has_value())
                return fail(404, QStringLiteral("cluster %1 has no infrastructure").arg(id));
            const InfraRow &r = **infra;
            return reply(200, QJsonObject{{QStringLiteral("clusterId"), r.clusterId}, {QStringLiteral("bootstrapVm"), r.bootstrapVm},
                                          {QStringLiteral("applied"), r.applied}, {QStringLiteral("pivoted"), r.pivoted},
                                          {QStringLiteral("failedStep"), r.failedStep},
                                          {QStringLiteral("kubernetesVersion"), r.kubernetesVersion}});
        }
        if (what == QLatin1String("infrastructure") && m == "DELETE") {
            if (m_faults.stepFails(QStringLiteral("deleteInfrastructure")))
                return fail(500, QStringLiteral("vApp deletion failed (injected fault)"));
            auto vms = m_store->vms(id, false);
            if (!vms)
                return fail(500, vms.error().message);
            for (const VmRow &vm : *vms)
                if (auto r = m_store->markVmDeleted(vm.id); !r)
                    return fail(500, r.error().message);
            if (auto r = m_store->deleteInfra(id); !r)
                return fail(500, r.error().message);
            return noContent(step);
        }
        if (what == QLatin1String("pivot") && m == "POST") {
            if (!infra->has_value() || !(*infra)->applied)
                return fail(409, QStringLiteral("cluster %1 has no applied capiYaml to pivot").arg(id));
            InfraRow r = **infra;
            auto e = m_store->entity(id);
            const QJsonObject capvcd = e && e->has_value()
                                           ? json::get((*e)->e.entity, {QStringLiteral("status"), QStringLiteral("capvcd")}).toObject()
                                           : QJsonObject();
            if (capvcd.value(QLatin1String("clusterApiStatus")).toObject().value(QLatin1String("phase")).toString()
                != QLatin1String("Ready"))
                return fail(409, QStringLiteral("the control plane of %1 is not ready yet").arg(id));
            if (m_faults.stepFails(QStringLiteral("pivot")))
                return fail(500, QStringLiteral("clusterctl move failed (injected fault)"));
            r.pivoted = true;
            if (auto w = m_store->upsertInfra(r); !w)
                return fail(500, w.error().message);
            HttpResponse resp = reply(200, QJsonObject{{QStringLiteral("clusterId"), id}, {QStringLiteral("pivoted"), true}});
            resp.delayMs = step;
            return resp;
        }
    }
    return fail(404, QStringLiteral("no x-sim resource %1 %2").arg(QString::fromLatin1(m), rest));
}

} // namespace cse::sim
