// The one HTTP/1.1 server of the project (vcd-sim and the replica health
// endpoint): keep-alive, TLS, Content-Length
// bodies, and responses that may be sent later (latency injection) or never
// (dropped connections).
//
// Under hostile input it holds: every connection has deadlines (the request
// header, the body, the keep-alive idle time, a stalled reader), the number
// of connections is capped, header, body and response sizes are bounded, and
// a large response is written in pieces as the client reads it, so other
// connections are served in between. TLS is 1.2 with ECDHE AEAD suites only,
// or 1.3.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QSslCertificate>
#include <QSslCipher>
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
    QHostAddress peer;     // the client's address (empty when parsed without a socket)
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

// Every bound of the server; the defaults suit a loopback emulator and a
// health endpoint. vcd-sim exposes each as a command-line option.
struct HttpLimits
{
    int headerTimeoutMs = 10000;   // a new connection or a started request: the whole header within this
    int bodyTimeoutMs = 30000;     // after the header: the whole body within this
    int idleTimeoutMs = 60000;     // keep-alive: the next request must start within this
    int writeTimeoutMs = 30000;    // a client that reads nothing of our answer for this long is dropped
    int maxConnections = 512;      // more are closed at once (see evictIdle)
    int maxConnectionsPerClient = 0; // per client address; 0: only maxConnections applies
    // At a cap, a new connection closes the longest-idle keep-alive connection
    // (of the same address for the per-client cap) instead of being refused:
    // idle sockets never keep a probe from being answered.
    bool evictIdle = false;
    qint64 maxHeaderBytes = 64 * 1024;
    qint64 maxBodyBytes = 8 * 1024 * 1024;
    qint64 maxResponseBytes = 32 * 1024 * 1024; // larger answers become a 500 that names the limit
};

// The request parser, without a socket (the connection and the fuzz
// targets feed it bytes). It looks at the start of `buffer`.
struct ParseResult
{
    enum Kind {
        NeedMore,   // no complete header yet
        NeedBody,   // header complete, body incomplete (see expectContinue, contentLength)
        Complete,   // `request` is whole; its bytes were removed from the buffer
        Fail,       // answer `status` with `message`, then close
    } kind = NeedMore;
    HttpRequest request;      // Complete (NeedBody: everything but the body)
    bool closeAfter = false;  // Complete: Connection: close or HTTP/1.0
    bool expectContinue = false;
    qint64 contentLength = 0;
    qint64 headerBytes = 0;   // NeedBody/Complete: bytes up to and including the empty line
    int status = 0;           // Fail
    QByteArray message;       // Fail
};
ParseResult parseRequest(QByteArray &buffer, const HttpLimits &limits);

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
    void setLimits(const HttpLimits &l) { m_limits = l; }
    const HttpLimits &limits() const { return m_limits; }
    void setMaxBodyBytes(qint64 n) { m_limits.maxBodyBytes = n; }
    qint64 maxBodyBytes() const { return m_limits.maxBodyBytes; }
    bool tls() const { return !m_cert.isNull(); }
    int inFlight() const { return m_inFlight; }
    void closeAll(); // stop accepting and close idle connections
    int openConnections() const;

    // The cipher suites offered: TLS 1.3, and TLS 1.2 with ECDHE key exchange
    // and an AEAD cipher (GCM, ChaCha20-Poly1305).
    static QList<QSslCipher> allowedCiphers();

Q_SIGNALS:
    void idle(); // no request in flight

protected:
    void incomingConnection(qintptr fd) override;

private:
    friend class Connection;
    // At a cap: closes the longest-idle connection (of `peer` when given); false when none is idle.
    bool evictIdleConnection(const QHostAddress *peer);
    quint64 m_idleSeq = 0; // orders connections by when they became idle
    void requestStarted() { ++m_inFlight; }
    void requestFinished();

    Handler m_handler;
    QSslCertificate m_cert;
    QSslKey m_key;
    HttpLimits m_limits;
    int m_inFlight = 0;
    QList<QPointer<Connection>> m_connections;
};

} // namespace cse::http
