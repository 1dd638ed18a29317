#include "health.h"

#include "http/httpserver.h"
#include "replica.h"

namespace cse::server {

Result<QPair<QHostAddress, quint16>> parseHostPort(const QString &text, const QString &what)
{
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const int port = colon > 0 ? text.mid(colon + 1).toInt(&ok) : -1;
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (colon <= 0 || !ok || port < 0 || port > 65535 || address.isNull())
        return makeError(ErrorKind::Invalid, QStringLiteral("%1 expects ADDRESS:PORT such as 127.0.0.1:9464 (port 0 picks a "
                                                            "free one), got \"%2\"").arg(what, text));
    return qMakePair(address, quint16(port));
}

HealthEndpoint::HealthEndpoint(Replica *replica, QObject *parent)
    : QObject(parent), m_replica(replica), m_server(std::make_unique<http::HttpServer>())
{
    // A readiness probe must never fail because of unrelated sockets: one
    // address holds at most 16 connections, and at a cap the longest-idle
    // keep-alive connection makes room for the new one.
    http::HttpLimits limits = m_server->limits();
    limits.maxConnections = 128;
    limits.maxConnectionsPerClient = 16;
    limits.evictIdle = true;
    m_server->setLimits(limits);
    m_server->setHandler([this](const http::HttpRequest &req, const http::Responder &respond) {
        http::HttpResponse r;
        r.header("Content-Type", "text/plain; charset=utf-8");
        if (req.method != "GET" && req.method != "HEAD") {
            r.status = 405;
            r.body = "only GET and HEAD\n";
        } else if (req.path == QLatin1String("/healthz")) {
            r.body = "ok\n";
        } else if (req.path == QLatin1String("/readyz")) {
            const bool ready = m_replica->isReady();
            r.status = ready ? 200 : 503;
            r.body = ready ? QByteArray("ready\n")
                           : m_replica->isFenced() ? QByteArray("fenced: no recent heartbeat\n") : QByteArray("not ready\n");
        } else if (req.path == QLatin1String("/metrics")) {
            r.headers.clear();
            r.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            r.body = m_replica->prometheusText().toUtf8();
        } else {
            r.status = 404;
            r.body = "try /healthz, /readyz or /metrics\n";
        }
        respond.respond(r);
    });
}

HealthEndpoint::~HealthEndpoint() = default;

Result<void> HealthEndpoint::listen(const QString &hostPort)
{
    auto where = parseHostPort(hostPort, QStringLiteral("--health"));
    if (!where)
        return where.error();
    if (!m_server->listen(where->first, where->second))
        return makeError(ErrorKind::Invalid, QStringLiteral("cannot listen on %1 for the health endpoint: %2")
                                                 .arg(hostPort, m_server->errorString()));
    return {};
}

QString HealthEndpoint::url() const
{
    const QHostAddress a = m_server->serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(a.toString()) : a.toString();
    return QStringLiteral("http://%1:%2").arg(host).arg(m_server->serverPort());
}

} // namespace cse::server
