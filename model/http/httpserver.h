// The one HTTP/1.1 server of the project (vcd-sim and the replica health
// endpoint): keep-alive, TLS, Content-Length
// bodies, and responses that may be sent later (latency injection) or never
// (dropped connections).
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QUrlQuery>
#include <functional>
#include <memory>

namespace cse::http {

struct HttpRequest
{
    QByteArray method;
    QString path;          // percent-decoded path
    QByteArray rawTarget;  // as sent
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
};

struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int delayMs = 0; // not sent: answer this much later (simulated work)

    HttpResponse &header(const QByteArray &name, const QByteArray &value)
    {
        headers.append({name, value});
        return *this;
    }
    static HttpResponse json(int status, const QByteArray &body);
    static QByteArray reason(int status);
};

class Connection;

// Handed to the request handler; answer now or later, once.
class Responder
{
public:
    explicit Responder(QPointer<Connection> c);
    void respond(const HttpResponse &r) const;
    void drop() const; // close the connection without an answer
private:
    QPointer<Connection> m_conn;
};

class HttpServer : public QTcpServer
{
    Q_OBJECT
public:
    using Handler = std::function<void(const HttpRequest &, const Responder &)>;

    explicit HttpServer(QObject *parent = nullptr);
    void setTls(const QSslCertificate &cert, const QSslKey &key);
    void setHandler(Handler h) { m_handler = std::move(h); }
    void setMaxBodyBytes(qint64 n) { m_maxBody = n; }
    qint64 maxBodyBytes() const { return m_maxBody; }
    bool tls() const { return !m_cert.isNull(); }
    int inFlight() const { return m_inFlight; }
    void closeAll(); // stop accepting and close idle connections
    int openConnections() const;

Q_SIGNALS:
    void idle(); // no request in flight

protected:
    void incomingConnection(qintptr fd) override;

private:
    friend class Connection;
    void requestStarted() { ++m_inFlight; }
    void requestFinished();

    Handler m_handler;
    QSslCertificate m_cert;
    QSslKey m_key;
    qint64 m_maxBody = 8 * 1024 * 1024;
    int m_inFlight = 0;
    QList<QPointer<Connection>> m_connections;
};

} // namespace cse::http
