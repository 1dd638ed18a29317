// Routes under /cloudapi/x-sim/1.0.0/ (not VCD API): admin calls for tests
// and operators (tokens, sessions, faults, audit, integrity). The server's
// infrastructure is VCD's own vApp API (sim/vapps.cpp).
#include "core/logging.h"
#include "credentials.h"
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
    auto body = [&req]() -> QJsonObject { return QJsonDocument::fromJson(req.body).object(); };

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
        const QString name = b.value(QLatin1String("name")).toString(QStringLiteral("token"));
        Result<QByteArray> token = QByteArray();
        if (b.contains(QLatin1String("token"))) {
            // A token this user had before the site was rebuilt: VCD's own recovery
            // restores users with their API tokens, which a test models this way.
            const QByteArray given = b.value(QLatin1String("token")).toString().toLatin1();
            if (given.size() < 32)
                return fail(400, QStringLiteral("a given token needs at least 32 characters"));
            if (auto r = m_store->insertApiToken(tokenHash(given), (*user)->id, name); !r)
                return fail(409, QStringLiteral("that token cannot be registered"));
            token = given;
        } else {
            token = m_store->issueApiToken((*user)->id, name);
        }
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

    return fail(404, QStringLiteral("no x-sim resource %1 %2").arg(QString::fromLatin1(m), rest));
}

} // namespace cse::sim
