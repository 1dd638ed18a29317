// A QNetworkAccessManager that answers from a test's handler instead of the
// network, recording every request (the ownCloud client's approach).
#pragma once

#include <QBuffer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <functional>

namespace cse::test {

struct Canned
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError; // e.g. ConnectionRefusedError: no HTTP answer
    int delayMs = 0;
};

struct Seen
{
    QByteArray method;
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return {};
    }
};

class FakeReply : public QNetworkReply
{
    Q_OBJECT
public:
    FakeReply(const QNetworkRequest &req, QNetworkAccessManager::Operation op, const QByteArray &verb, const Canned &c,
              QObject *parent)
        : QNetworkReply(parent)
    {
        setRequest(req);
        setUrl(req.url());
        setOperation(op);
        Q_UNUSED(verb);
        m_data = c.body;
        if (c.error == QNetworkReply::NoError) {
            setAttribute(QNetworkRequest::HttpStatusCodeAttribute, c.status);
            // Repeated headers are combined with ", " as QNAM does.
            QList<QByteArray> names;
            QHash<QByteArray, QByteArrayList> values;
            for (const auto &h : c.headers) {
                if (!values.contains(h.first))
                    names.append(h.first);
                values[h.first].append(h.second);
            }
            for (const QByteArray &n : names)
                setRawHeader(n, values.value(n).join(", "));
        } else {
            setError(c.error, QStringLiteral("canned network error"));
        }
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
        QTimer::singleShot(c.delayMs, this, [this, c] {
            if (m_aborted)
                return;
            if (c.error != QNetworkReply::NoError)
                Q_EMIT errorOccurred(c.error);
            setFinished(true);
            Q_EMIT finished();
        });
    }
    void abort() override
    {
        if (isFinished())
            return;
        m_aborted = true;
        setError(OperationCanceledError, QStringLiteral("aborted"));
        setFinished(true);
        Q_EMIT finished();
    }
    qint64 bytesAvailable() const override { return m_data.size() - m_pos + QIODevice::bytesAvailable(); }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 max) override
    {
        const qint64 n = qMin(max, qint64(m_data.size() - m_pos));
        memcpy(data, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
    bool m_aborted = false;
};

class FakeNam : public QNetworkAccessManager
{
    Q_OBJECT
public:
    using Handler = std::function<Canned(const Seen &)>;
    explicit FakeNam(Handler h, QObject *parent = nullptr) : QNetworkAccessManager(parent), m_handler(std::move(h)) {}
    QList<Seen> seen;
    void setHandler(Handler h) { m_handler = std::move(h); }

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &req, QIODevice *data) override
    {
        Seen s;
        s.method = req.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray();
        if (s.method.isEmpty())
            s.method = op == GetOperation ? "GET" : op == PostOperation ? "POST" : op == PutOperation ? "PUT"
                     : op == DeleteOperation ? "DELETE" : "HEAD";
        s.url = req.url();
        for (const QByteArray &name : req.rawHeaderList())
            s.headers.append({name, req.rawHeader(name)});
        if (data)
            s.body = data->readAll();
        seen.append(s);
        return new FakeReply(req, op, s.method, m_handler(s), this);
    }

private:
    Handler m_handler;
};

inline QByteArray versionsXml(const QStringList &versions)
{
    QByteArray xml = R"(<?xml version="1.0"?><SupportedVersions xmlns="http://www.vmware.com/vcloud/versions">)";
    for (const QString &v : versions)
        xml += "<VersionInfo deprecated=\"false\"><Version>" + v.toLatin1() + "</Version>"
               "<LoginUrl>https://vcd.test/cloudapi/1.0.0/sessions</LoginUrl>"
               "<ProviderLoginUrl>https://vcd.test/cloudapi/1.0.0/sessions/provider</ProviderLoginUrl></VersionInfo>";
    return xml + "</SupportedVersions>";
}

} // namespace cse::test
