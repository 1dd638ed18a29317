#include "httpserver.h"

#include "core/logging.h"

#include <QPointer>
#include <algorithm>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>

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
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

class Connection : public QObject
{
public:
    Connection(HttpServer *server, QTcpSocket *socket)
        : QObject(server), m_server(server), m_socket(socket)
    {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
        connect(socket, &QTcpSocket::disconnected, this, &Connection::onDisconnected);
    }

    void respond(const HttpResponse &r)
    {
        if (!m_busy)
            return;
        QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + HttpResponse::reason(r.status) + "\r\n";
        bool hasType = false;
        for (const auto &h : r.headers) {
            out += h.first + ": " + h.second + "\r\n";
            hasType = hasType || h.first.compare("content-type", Qt::CaseInsensitive) == 0;
        }
        if (!hasType && !r.body.isEmpty())
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
        if (m_closeAfter)
            out += "Connection: close\r\n";
        out += "\r\n";
        out += r.body;
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->write(out);
        finishRequest();
        if (m_closeAfter || (m_closing && m_discardRemaining <= 0)) {
            m_socket->disconnectFromHost(); // flushes what was written, then closes
            return;
        }
        if (!m_buffer.isEmpty())
            QMetaObject::invokeMethod(this, &Connection::parse, Qt::QueuedConnection);
    }

    void drop()
    {
        if (!m_busy)
            return;
        finishRequest();
        m_socket->abort();
        deleteLater();
    }

    void closeIfIdle()
    {
        m_closing = true;
        if (!m_busy)
            m_socket->disconnectFromHost();
    }

private:
    void finishRequest()
    {
        m_busy = false;
        m_server->requestFinished();
    }

    void onReadyRead()
    {
        if (m_discardRemaining > 0) {
            // Reading the rest of a refused body lets the client see our answer.
            m_discardRemaining -= m_socket->skip(m_discardRemaining);
            if (m_discardRemaining <= 0)
                m_socket->disconnectFromHost();
            return;
        }
        m_buffer += m_socket->readAll();
        parse();
    }

    void onDisconnected()
    {
        if (m_busy)
            finishRequest();
        deleteLater();
    }

    void fail(int status, const QByteArray &message)
    {
        m_busy = true;
        m_server->requestStarted();
        m_closeAfter = true;
        m_buffer.clear();
        respond(HttpResponse::json(status, R"({"minorErrorCode":"BAD_REQUEST","message":")" + message
                                               + R"(","stackTrace":null})"));
    }

    void parse()
    {
        if (m_busy || m_closing)
            return;
        const int end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > 64 * 1024)
                fail(400, "request header too large");
            return;
        }
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
            fail(400, "malformed request line");
            return;
        }
        HttpRequest req;
        req.method = requestLine.at(0);
        req.rawTarget = requestLine.at(1);
        for (int i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const int colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            req.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
        }
        if (req.headers.contains("transfer-encoding")) {
            fail(411, "chunked request bodies are not supported; send Content-Length");
            return;
        }
        bool ok = true;
        const QByteArray lengthText = req.headers.value("content-length", "0");
        const qint64 length = lengthText.toLongLong(&ok);
        if (!ok || length < 0) {
            fail(400, "bad Content-Length");
            return;
        }
        if (length > m_server->maxBodyBytes()) {
            m_discardRemaining = length - (m_buffer.size() - end - 4);
            m_closing = true;
            m_busy = true;
            m_server->requestStarted();
            m_buffer.clear();
            respond(HttpResponse::json(413, R"({"minorErrorCode":"BAD_REQUEST","message":"request body of )" + lengthText
                                                + " bytes exceeds the limit of " + QByteArray::number(m_server->maxBodyBytes())
                                                + R"( bytes","stackTrace":null})"));
            QTimer::singleShot(30000, this, [this] { m_socket->abort(); });
            return;
        }
        if (m_buffer.size() < end + 4 + length)
            return; // wait for the rest of the body
        req.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        const QUrl url = QUrl::fromEncoded(req.rawTarget, QUrl::TolerantMode);
        req.path = url.path(QUrl::FullyDecoded);
        req.query = QUrlQuery(url.query(QUrl::FullyEncoded));
        m_closeAfter = req.headers.value("connection").toLower() == "close" || requestLine.at(2) == "HTTP/1.0";
        m_busy = true;
        m_server->requestStarted();
        m_server->m_handler(req, Responder(this));
    }

    HttpServer *m_server;
    QTcpSocket *m_socket;
    QByteArray m_buffer;
    bool m_busy = false;
    bool m_closeAfter = false;
    bool m_closing = false;
    qint64 m_discardRemaining = 0;
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

void HttpServer::incomingConnection(qintptr fd)
{
    if (!tls()) {
        auto *s = new QTcpSocket;
        s->setSocketDescriptor(fd);
        m_connections.append(new Connection(this, s));
        return;
    }
    auto *s = new QSslSocket;
    if (!s->setSocketDescriptor(fd)) {
        delete s;
        return;
    }
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(m_cert);
    conf.setPrivateKey(m_key);
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    s->setSslConfiguration(conf);
    QObject::connect(s, &QSslSocket::sslErrors, s, [](const QList<QSslError> &) {});
    m_connections.removeAll(nullptr);
    m_connections.append(new Connection(this, s));
    s->startServerEncryption();
}

} // namespace cse::http
