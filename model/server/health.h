// The replica's health endpoint on the project's one HTTP server:
// /healthz (alive), /readyz (heartbeat fresh and not fenced, else 503),
// /metrics (Prometheus text format).
#pragma once

#include "core/result.h"

#include <QHostAddress>
#include <QObject>
#include <memory>

namespace cse::http {
class HttpServer;
}

namespace cse::server {

class Replica;

class HealthEndpoint : public QObject
{
    Q_OBJECT
public:
    explicit HealthEndpoint(Replica *replica, QObject *parent = nullptr);
    ~HealthEndpoint() override;
    // "HOST:PORT"; port 0 picks a free one.
    Result<void> listen(const QString &hostPort);
    QString url() const; // http://HOST:PORT

private:
    Replica *m_replica;
    std::unique_ptr<http::HttpServer> m_server;
};

// Parses "HOST:PORT" or "[V6]:PORT".
Result<QPair<QHostAddress, quint16>> parseHostPort(const QString &text, const QString &what);

} // namespace cse::server
