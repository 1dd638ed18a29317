#include "httpserver.h"

#include "core/logging.h"

#include <QPointer>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>
#include <algorithm>
#include <cstring>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace cse::http {

HttpResponse HttpResponse::json(int status, const QByteArray &body)
{
    HttpResponse r;
    r.status = status;
    r.body = body;
    r.header("Content-Type", "application/json;version=37.2");
    return r;
}

QByteArray HttpResponse::reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

namespace {

constexpr int kMaxHeaderFields = 128;
constexpr qint64 kChunk = 64 * 1024;      // written per step
constexpr qint64 kLowWater = 256 * 1024;  // refill the socket below this
constexpr qint64 kReadBuffer = 256 * 1024;
constexpr int kLingerMs = 1000; // after an error answer, how long to drain the client before closing

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

bool isToken(const QByteArray &t)
{
    return !t.isEmpty() && std::all_of(t.begin(), t.end(), isTokenChar);
}

ParseResult failed(int status, const QByteArray &message)
{
    ParseResult r;
    r.kind = ParseResult::Fail;
    r.status = status;
    r.message = message;
    return r;
}

// Where the header ends: the first empty line, CRLF or bare LF. Returns the
// index of the first body byte, or -1.
qsizetype headerEnd(const QByteArray &b)
{
    qsizetype from = 0;
    for (;;) {
        const qsizetype nl = b.indexOf('\n', from);
        if (nl < 0 || nl + 1 >= b.size())
            return -1;
        if (b.at(nl + 1) == '\n')
            return nl + 2;
        if (b.at(nl + 1) == '\r') {
            if (nl + 2 >= b.size())
                return -1;
            if (b.at(nl + 2) == '\n')
                return nl + 3;
        }
        from = nl + 1;
    }
}

} // namespace

ParseResult parseRequest(QByteArray &buffer, const HttpLimits &limits)
{
    // RFC 9112 2.2: empty lines before a request line are ignored.
    qsizetype lead = 0;
    while (lead < buffer.size() && (buffer.at(lead) == '\r' || buffer.at(lead) == '\n'))
        ++lead;
    if (lead > 0)
        buffer.remove(0, lead);
    const qsizetype bodyStart = headerEnd(buffer);
    if (bodyStart < 0) {
        if (buffer.size() > limits.maxHeaderBytes)
            return failed(431, "request header larger than " + QByteArray::number(limits.maxHeaderBytes) + " bytes");
        ParseResult r;
        return r;
    }
    if (bodyStart > limits.maxHeaderBytes + 2)
        return failed(431, "request header larger than " + QByteArray::number(limits.maxHeaderBytes) + " bytes");
    // Lines end in LF; a CR is allowed only right before it.
    QList<QByteArray> lines = buffer.left(bodyStart).split('\n');
    while (!lines.isEmpty() && (lines.last().isEmpty() || lines.last() == "\r"))
        lines.removeLast();
    for (QByteArray &l : lines) {
        if (l.endsWith('\r'))
            l.chop(1);
        if (l.contains('\r') || l.contains('\0'))
            return failed(400, "a bare CR or NUL in the request header");
    }
    if (lines.size() > kMaxHeaderFields + 1)
        return failed(431, "more than " + QByteArray::number(kMaxHeaderFields) + " header fields");
    const QList<QByteArray> requestLine = lines.value(0).split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine.at(0)) || requestLine.at(1).isEmpty()
        || (requestLine.at(2) != "HTTP/1.1" && requestLine.at(2) != "HTTP/1.0"))
        return failed(400, "malformed request line");
    ParseResult r;
    HttpRequest &req = r.request;
    req.method = requestLine.at(0);
    req.rawTarget = requestLine.at(1);
    QList<QByteArray> lengths;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return failed(400, "obsolete header line folding is not accepted");
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).toLower();
        if (colon <= 0 || !isToken(name))
            return failed(400, "malformed header field");
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            for (const QByteArray &v : value.split(','))
                lengths.append(v.trimmed());
            continue;
        }
        if (name == "host" && req.headers.contains(name))
            return failed(400, "more than one Host header");
        auto it = req.headers.find(name);
        if (it == req.headers.end())
            req.headers.insert(name, value);
        else
            *it += ", " + value;
    }
    if (req.headers.contains("transfer-encoding"))
        return failed(411, "chunked request bodies are not supported; send Content-Length");
    qint64 length = 0;
    if (!lengths.isEmpty()) {
        const QByteArray first = lengths.first();
        for (const QByteArray &v : lengths) {
            if (v != first)
                return failed(400, "conflicting Content-Length headers");
        }
        const bool digits = !first.isEmpty() && first.size() <= 18
                            && std::all_of(first.begin(), first.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits)
            return failed(400, "bad Content-Length");
        length = first.toLongLong();
        req.headers.insert("content-length", first);
    }
    r.contentLength = length;
    r.headerBytes = bodyStart;
    r.expectContinue = req.headers.value("expect").toLower() == "100-continue";
    if (length > limits.maxBodyBytes) {
        ParseResult tooLarge = failed(413, "request body of " + QByteArray::number(length) + " bytes exceeds the limit of "
                                                   + QByteArray::number(limits.maxBodyBytes) + " bytes");
        tooLarge.contentLength = length;
        tooLarge.headerBytes = bodyStart;
        tooLarge.expectContinue = r.expectContinue;
        return tooLarge;
    }
    if (buffer.size() < bodyStart + length) {
        r.kind = ParseResult::NeedBody;
        return r;
    }
    req.body = buffer.mid(bodyStart, length);
    buffer.remove(0, bodyStart + length);
    const QUrl url = QUrl::fromEncoded(req.rawTarget, QUrl::TolerantMode);
    req.path = url.path(QUrl::FullyDecoded);
    req.query = QUrlQuery(url.query(QUrl::FullyEncoded));
    const QByteArray connection = req.headers.value("connection").toLower();
    r.closeAfter = connection.contains("close") || requestLine.at(2) == "HTTP/1.0"; // no HTTP/1.0 keep-alive
    r.kind = ParseResult::Complete;
    return r;
}

class Connection : public QObject
{
public:
    Connection(HttpServer *server, QTcpSocket *socket)
        : QObject(server), m_server(server), m_socket(socket)
    {
        socket->setParent(this);
        socket->setReadBufferSize(kReadBuffer); // backpressure: unread bytes stay in the kernel
        m_peer = socket->peerAddress();
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &Connection::onTimeout);
        connect(socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
        connect(socket, &QTcpSocket::disconnected, this, &Connection::onDisconnected);
        connect(socket, &QTcpSocket::bytesWritten, this, &Connection::pump);
        enter(Phase::Header); // also covers a TLS handshake that never finishes
    }

    void respond(const HttpResponse &given)
    {
        if (m_phase != Phase::Handling)
            return;
        const HttpResponse *r = &given;
        HttpResponse tooLarge;
        if (given.body.size() > m_server->limits().maxResponseBytes) {
            tooLarge = error(500, "the response of " + QByteArray::number(given.body.size()) + " bytes exceeds the server's limit of "
                                      + QByteArray::number(m_server->limits().maxResponseBytes) + " bytes");
            qCWarning(lcHttp) << "response of" << given.body.size() << "bytes refused: over the limit";
            r = &tooLarge;
        }
        QByteArray out = "HTTP/1.1 " + QByteArray::number(r->status) + ' ' + HttpResponse::reason(r->status) + "\r\n";
        bool hasType = false;
        for (const auto &h : r->headers) {
            out += h.first + ": " + h.second + "\r\n";
            hasType = hasType || h.first.compare("content-type", Qt::CaseInsensitive) == 0;
        }
        if (!hasType && !r->body.isEmpty())
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(r->body.size()) + "\r\n";
        if (m_closeAfter)
            out += "Connection: close\r\n";
        out += "\r\n";
        finishRequest();
        if (m_socket->state() != QAbstractSocket::ConnectedState) {
            m_phase = Phase::Closing;
            m_socket->abort();
            deleteLater();
            return;
        }
        m_out = out;
        m_outBody = m_head ? QByteArray() : r->body; // HEAD: the headers GET would send, no body; shared, not copied
        m_outPos = 0;
        enter(Phase::Writing);
        pump();
    }

    void drop()
    {
        if (m_phase != Phase::Handling)
            return;
        finishRequest();
        m_socket->abort();
        deleteLater();
    }

    void closeIfIdle()
    {
        m_closing = true;
        if (m_phase == Phase::Header || m_phase == Phase::Idle || m_phase == Phase::Body)
            m_socket->disconnectFromHost();
    }

    QHostAddress peer() const { return m_peer; }
    // Waiting for a request with nothing of it received: a keep-alive
    // connection between requests, or a new one that sent nothing yet.
    bool idle() const { return m_phase == Phase::Idle || (m_phase == Phase::Header && m_buffer.isEmpty()); }
    quint64 idleSeq() const { return m_idleSeq; }
    void evict()
    {
        qCDebug(lcHttp) << "closing an idle connection from" << m_peer.toString() << "to make room";
        m_phase = Phase::Closing;
        m_timer.stop();
        m_socket->abort();
        deleteLater();
    }

    // Over the connection cap: refuse at once.
    void refuse()
    {
        if (qobject_cast<QSslSocket *>(m_socket)) { // no handshake for it: just close
            m_phase = Phase::Closing;
            m_socket->abort();
            deleteLater();
            return;
        }
        m_socket->write(responseBytes(error(503, "too many connections; try again later"), true));
        linger(-1);
    }

private:
    enum class Phase {
        Idle,       // keep-alive, waiting for the next request
        Header,     // reading a request header (or the TLS handshake)
        Body,       // reading a request body
        Handling,   // the handler has the request
        Writing,    // sending the answer
        Discarding, // answered with an error: reading (and dropping) what the client still sends, then closing
        Closing,
    };

    static HttpResponse error(int status, const QByteArray &message)
    {
        return HttpResponse::json(status, R"({"minorErrorCode":")" + QByteArray(status == 408 ? "REQUEST_TIMEOUT"
                                                                                : status >= 500 ? "INTERNAL_SERVER_ERROR"
                                                                                                : "BAD_REQUEST")
                                              + R"(","message":")" + message + R"(","stackTrace":null})");
    }

    static QByteArray responseBytes(const HttpResponse &r, bool close)
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + HttpResponse::reason(r.status) + "\r\n";
        for (const auto &h : r.headers)
            out += h.first + ": " + h.second + "\r\n";
        out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
        if (close)
            out += "Connection: close\r\n";
        return out + "\r\n" + r.body;
    }

    void enter(Phase p)
    {
        m_phase = p;
        if (p == Phase::Idle || p == Phase::Header)
            m_idleSeq = ++m_server->m_idleSeq;
        const HttpLimits &l = m_server->limits();
        int ms = 0;
        switch (p) {
        case Phase::Idle: ms = l.idleTimeoutMs; break;
        case Phase::Header: ms = l.headerTimeoutMs; break;
        case Phase::Body: ms = l.bodyTimeoutMs; break;
        case Phase::Writing: ms = l.writeTimeoutMs; break;
        case Phase::Discarding: ms = m_discardRemaining > 0 ? l.bodyTimeoutMs : kLingerMs; break;
        case Phase::Handling:
        case Phase::Closing: m_timer.stop(); return;
        }
        m_timer.start(qMax(1, ms)); // a deadline for the whole phase, not per byte
    }

    void onTimeout()
    {
        switch (m_phase) {
        case Phase::Header:
            if (!m_buffer.isEmpty()) {
                sendAndClose(error(408, "the request header did not arrive within " + QByteArray::number(m_server->limits().headerTimeoutMs)
                                            + " ms"));
                return;
            }
            break;
        case Phase::Body:
            sendAndClose(error(408, "the request body did not arrive within " + QByteArray::number(m_server->limits().bodyTimeoutMs)
                                        + " ms"));
            return;
        default:
            break;
        }
        qCDebug(lcHttp) << "closing a connection from" << m_peer.toString() << "after its timeout";
        // Gracefully only when the client has taken everything we sent; a
        // client that stopped reading gets a reset, which also frees the
        // kernel's send buffer at once.
        const bool graceful = (m_phase == Phase::Idle || m_phase == Phase::Discarding) && unsent() == 0;
        if (graceful) {
            m_phase = Phase::Closing;
            m_socket->disconnectFromHost();
            m_timer.start(kLingerMs); // and reset if the peer does not finish closing
            return;
        }
        reset();
    }

    // Bytes written but not yet acknowledged... or not yet sent: ours and the kernel's.
    qint64 unsent() const
    {
        int queued = 0;
        const qintptr fd = m_socket->socketDescriptor();
        if (fd >= 0 && ::ioctl(int(fd), SIOCOUTQ, &queued) != 0)
            queued = 0;
        return m_socket->bytesToWrite() + queued;
    }

    void reset()
    {
        const qintptr fd = m_socket->socketDescriptor();
        if (fd >= 0) {
            const struct ::linger hard{1, 0};
            ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        }
        m_phase = Phase::Closing;
        m_timer.stop();
        m_socket->abort();
        deleteLater();
    }

    // After an error answer: stop sending (plain TCP: half-close, so the
    // client sees the end at once) but keep reading for a while, so that
    // bytes still in flight do not turn the close into a reset that could
    // destroy the answer. remaining < 0: until the client closes or kLingerMs.
    void linger(qint64 remaining)
    {
        m_discardRemaining = remaining;
        m_buffer.clear();
        enter(Phase::Discarding);
        pump();
    }

    void sendAndClose(const HttpResponse &r)
    {
        m_lingerAfter = true;
        m_buffer.clear();
        m_phase = Phase::Handling;
        m_server->requestStarted();
        m_closeAfter = true;
        respond(r);
    }

    void finishRequest()
    {
        m_server->requestFinished();
    }

    void pump()
    {
        if (m_phase == Phase::Discarding) {
            if (m_socket->bytesToWrite() > 0)
                return;
            if (!m_halfClosed && !qobject_cast<QSslSocket *>(m_socket)) {
                m_halfClosed = true;
                ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
            }
            if (m_discardRemaining == 0) {
                m_phase = Phase::Closing;
                m_timer.start(kLingerMs);
                m_socket->disconnectFromHost();
            }
            return;
        }
        if (m_phase != Phase::Writing)
            return;
        const qint64 total = m_out.size() + m_outBody.size();
        bool progressed = false;
        while (m_outPos < total && m_socket->bytesToWrite() < kLowWater) {
            qint64 n = 0;
            if (m_outPos < m_out.size())
                n = m_socket->write(m_out.constData() + m_outPos, qMin(kChunk, m_out.size() - m_outPos));
            else
                n = m_socket->write(m_outBody.constData() + (m_outPos - m_out.size()), qMin(kChunk, total - m_outPos));
            if (n <= 0) {
                reset();
                return;
            }
            m_outPos += n;
            progressed = true;
        }
        if (progressed || m_socket->bytesToWrite() < kLowWater)
            m_timer.start(qMax(1, m_server->limits().writeTimeoutMs)); // a reader that makes progress keeps its connection
        if (m_outPos < total)
            return;
        m_out.clear();
        m_outBody.clear();
        m_outPos = 0;
        if (m_closeAfter || m_closing) {
            if (m_lingerAfter || m_discardRemaining > 0) {
                linger(m_discardRemaining > 0 ? m_discardRemaining : -1);
                return;
            }
            m_phase = Phase::Closing;
            m_timer.stop();
            m_socket->disconnectFromHost(); // flushes what was written, then closes
            return;
        }
        enter(m_buffer.isEmpty() ? Phase::Idle : Phase::Header);
        // Pipelined requests: what is buffered, and what waited in the socket.
        QMetaObject::invokeMethod(this, &Connection::onReadyRead, Qt::QueuedConnection);
    }

    void onReadyRead()
    {
        if (m_phase == Phase::Discarding || (m_phase == Phase::Writing && m_discardRemaining != 0)) {
            // Reading the rest of a refused body lets the client see our answer.
            if (m_discardRemaining < 0)
                m_socket->skip(m_socket->bytesAvailable());
            else
                m_discardRemaining -= m_socket->skip(m_discardRemaining);
            pump();
            return;
        }
        if (m_phase == Phase::Closing) {
            m_socket->readAll();
            return;
        }
        // While a request is handled or answered, pipelined bytes wait in the
        // socket (its read buffer is bounded, then the kernel's): one
        // connection never holds more than one request in memory.
        if (m_phase == Phase::Handling || m_phase == Phase::Writing)
            return;
        // Bound what one connection holds: a header, or the body being read.
        const qint64 room = m_phase == Phase::Body ? m_bodyEnd - m_buffer.size()
                                                   : m_server->limits().maxHeaderBytes + 4 - m_buffer.size();
        if (room > 0)
            m_buffer += m_socket->read(room);
        if (m_phase == Phase::Idle && !m_buffer.isEmpty())
            enter(Phase::Header);
        parse();
    }

    void onDisconnected()
    {
        if (m_phase == Phase::Handling)
            finishRequest();
        m_phase = Phase::Closing;
        m_timer.stop();
        deleteLater();
    }

    void parse()
    {
        if (m_phase != Phase::Header && m_phase != Phase::Body && m_phase != Phase::Idle)
            return;
        if (m_closing && m_buffer.isEmpty())
            return;
        ParseResult r = parseRequest(m_buffer, m_server->limits());
        switch (r.kind) {
        case ParseResult::NeedMore:
            return;
        case ParseResult::NeedBody:
            m_bodyEnd = r.headerBytes + r.contentLength;
            if (m_phase != Phase::Body) {
                enter(Phase::Body);
                if (r.expectContinue && m_buffer.size() == r.headerBytes && m_socket->bytesAvailable() == 0)
                    m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                // Body bytes that came with the header wait in the socket: no
                // new readyRead will announce them.
                if (m_socket->bytesAvailable() > 0)
                    QMetaObject::invokeMethod(this, &Connection::onReadyRead, Qt::QueuedConnection);
            }
            return;
        case ParseResult::Fail:
            if (r.status == 413) {
                m_discardRemaining = r.contentLength - (m_buffer.size() - r.headerBytes);
                if (r.expectContinue && m_buffer.size() == r.headerBytes)
                    m_discardRemaining = 0; // the client waits for our answer and will not send the body
            }
            qCDebug(lcHttp) << "refused a request from" << m_peer.toString() << ":" << r.status << r.message;
            sendAndClose(error(r.status, r.message));
            return;
        case ParseResult::Complete:
            break;
        }
        r.request.peer = m_peer;
        m_head = r.request.method == "HEAD";
        m_closeAfter = r.closeAfter || m_closing;
        m_phase = Phase::Handling;
        m_timer.stop();
        m_server->requestStarted();
        m_server->m_handler(r.request, Responder(this));
    }

    HttpServer *m_server;
    QTcpSocket *m_socket;
    QHostAddress m_peer;
    QTimer m_timer;
    QByteArray m_buffer;
    QByteArray m_out;      // status line and headers
    QByteArray m_outBody;  // body
    qint64 m_outPos = 0;
    Phase m_phase = Phase::Header;
    bool m_closeAfter = false;
    bool m_closing = false;
    qint64 m_discardRemaining = 0; // Discarding: bytes still to drop; < 0: all until close
    qint64 m_bodyEnd = 0; // Body: where the body being read ends in m_buffer
    bool m_lingerAfter = false;
    bool m_halfClosed = false;
    bool m_head = false;  // the request being answered is a HEAD
    quint64 m_idleSeq = 0; // when it last became idle (HttpServer::m_idleSeq)
};

Responder::Responder(QPointer<Connection> c)
    : m_conn(std::move(c))
{
}

void Responder::respond(const HttpResponse &r) const
{
    if (m_conn)
        m_conn->respond(r);
}

void Responder::drop() const
{
    if (m_conn)
        m_conn->drop();
}

HttpServer::HttpServer(QObject *parent)
    : QTcpServer(parent)
{
}

void HttpServer::setTls(const QSslCertificate &cert, const QSslKey &key)
{
    m_cert = cert;
    m_key = key;
}

void HttpServer::requestFinished()
{
    if (--m_inFlight == 0)
        Q_EMIT idle();
}

int HttpServer::openConnections() const
{
    return int(std::count_if(m_connections.begin(), m_connections.end(), [](const QPointer<Connection> &c) { return !c.isNull(); }));
}

void HttpServer::closeAll()
{
    close();
    const auto connections = m_connections;
    for (const QPointer<Connection> &c : connections)
        if (c)
            c->closeIfIdle();
}

QList<QSslCipher> HttpServer::allowedCiphers()
{
    QList<QSslCipher> out;
    for (const QSslCipher &c : QSslConfiguration::supportedCiphers()) {
        const QString n = c.name();
        const bool tls13 = c.protocol() == QSsl::TlsV1_3 || n.startsWith(QLatin1String("TLS_"));
        const bool ecdheAead = n.startsWith(QLatin1String("ECDHE-"))
                               && (n.contains(QLatin1String("GCM")) || n.contains(QLatin1String("CHACHA20")));
        if (tls13 || ecdheAead)
            out.append(c);
    }
    return out;
}

bool HttpServer::evictIdleConnection(const QHostAddress *peer)
{
    Connection *oldest = nullptr;
    for (const QPointer<Connection> &c : std::as_const(m_connections))
        if (c && c->idle() && (!peer || c->peer() == *peer) && (!oldest || c->idleSeq() < oldest->idleSeq()))
            oldest = c;
    if (!oldest)
        return false;
    m_connections.removeAll(oldest);
    oldest->evict();
    return true;
}

void HttpServer::incomingConnection(qintptr fd)
{
    m_connections.removeAll(nullptr);
    QTcpSocket *s = tls() ? new QSslSocket : new QTcpSocket;
    if (!s->setSocketDescriptor(fd)) {
        delete s;
        return;
    }
    const QHostAddress peer = s->peerAddress();
    bool full = false;
    if (m_limits.maxConnectionsPerClient > 0) {
        const auto fromPeer = std::count_if(m_connections.cbegin(), m_connections.cend(),
                                            [&peer](const QPointer<Connection> &c) { return c && c->peer() == peer; });
        full = fromPeer >= m_limits.maxConnectionsPerClient && !(m_limits.evictIdle && evictIdleConnection(&peer));
    }
    full = full || (openConnections() >= m_limits.maxConnections && !(m_limits.evictIdle && evictIdleConnection(nullptr)));
    if (full) {
        qCWarning(lcHttp) << "refusing a connection from" << peer.toString() << ":" << openConnections()
                          << "connections are open (limits:" << m_limits.maxConnections << "in all,"
                          << m_limits.maxConnectionsPerClient << "per client; 0: none)";
        auto *c = new Connection(this, s);
        c->refuse();
        return;
    }
    auto *c = new Connection(this, s);
    m_connections.append(c);
    if (auto *ssl = qobject_cast<QSslSocket *>(s)) {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificate(m_cert);
        conf.setPrivateKey(m_key);
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
        conf.setProtocol(QSsl::TlsV1_2OrLater);
        conf.setCiphers(allowedCiphers());
        ssl->setSslConfiguration(conf);
        QObject::connect(ssl, &QSslSocket::sslErrors, ssl, [](const QList<QSslError> &) {});
        ssl->startServerEncryption();
    }
}

} // namespace cse::http
