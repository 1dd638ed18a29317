// A bounded number of random requests (bodies, headers, queries, raw bytes):
// vcd-sim never crashes and its store stays intact. The structure-aware part
// builds what parsers recurse on or buffer: nested parentheses in filters,
// deeply nested JSON bodies and entities, long and many headers.
#include "../support/simprocess.h"

#include <QRandomGenerator>
#include <QSslSocket>
#include <QtTest>

using namespace cse;

class TestSimFuzz : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void randomRequests();
    void structured();
};

static QByteArray randomBytes(QRandomGenerator &rng, int max)
{
    QByteArray b(int(rng.bounded(max + 1)), Qt::Uninitialized);
    for (char &c : b)
        c = char(rng.bounded(256));
    return b;
}

void TestSimFuzz::randomRequests()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("10")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::ConnectionOptions o = sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin"));
    o.maxRetries = 0;
    vcd::Client c(o);
    QVERIFY(test::connect(c).ok());
    QRandomGenerator rng(20261125);
    const QStringList paths = {
        QStringLiteral("/cloudapi/1.0.0/entityTypes/urn:vcloud:type:vmware:capvcdCluster:1.2.0"),
        QStringLiteral("/cloudapi/1.0.0/entities/urn:vcloud:entity:vmware:capvcdCluster:x"),
        QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1"),
        QStringLiteral("/cloudapi/1.0.0/entities/interfaces/vmware/k8s/1.0.0"),
        QStringLiteral("/cloudapi/1.0.0/orgs"), QStringLiteral("/cloudapi/1.0.0/entityTypes/"),
        QStringLiteral("/cloudapi/x-sim/1.0.0/vms"), QStringLiteral("/api/task/123"), QStringLiteral("/oauth/tenant/acme/token"),
        QStringLiteral("/cloudapi/1.0.0/sessions"), QStringLiteral("/cloudapi/x-sim/1.0.0/clusters/x/pivot")};
    const QList<QByteArray> methods = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    const QStringList filters = {QStringLiteral("name=="), QStringLiteral("(((("), QStringLiteral("a==b;;c"),
                                 QStringLiteral("entity.x=gt=\"unterminated"), QStringLiteral(",,,"), QStringLiteral("name=lt=\xff")};
    int answered = 0, serverErrors = 0;
    for (int i = 0; i < 300; ++i) {
        QUrlQuery q;
        if (rng.bounded(2))
            q.addQueryItem(QStringLiteral("filter"), filters.at(int(rng.bounded(qsizetype(filters.size())))) + QString::fromLatin1(randomBytes(rng, 8).toHex()));
        if (rng.bounded(3) == 0)
            q.addQueryItem(QStringLiteral("pageSize"), QString::number(int(rng.bounded(400)) - 100));
        QList<QPair<QByteArray, QByteArray>> headers;
        if (rng.bounded(4) == 0)
            headers.append({"If-Match", randomBytes(rng, 6).toHex()});
        if (rng.bounded(5) == 0)
            headers.append({"Accept", "application/json;version=" + QByteArray::number(int(rng.bounded(50)))});
        const QByteArray body = rng.bounded(2) ? randomBytes(rng, 300)
                                               : QByteArray(R"({"name":"f","entity":{"apiVersion":)") + randomBytes(rng, 20).toHex() + "}}";
        auto r = test::call(c, methods.at(int(rng.bounded(qsizetype(methods.size())))), paths.at(int(rng.bounded(qsizetype(paths.size())))),
                            body, headers, q);
        if (r.ok() || r.error().httpStatus > 0)
            ++answered;
        if (!r.ok() && r.error().httpStatus >= 500)
            ++serverErrors;
    }
    // Raw garbage on the socket.
    for (int i = 0; i < 30; ++i) {
        QSslSocket s;
        s.setPeerVerifyMode(QSslSocket::VerifyNone);
        s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), quint16(QUrl(sim.url()).port()));
        if (!s.waitForEncrypted(3000))
            continue;
        s.write(i % 3 == 0 ? randomBytes(rng, 500) : QByteArray("GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n") + randomBytes(rng, 50));
        s.waitForReadyRead(500);
        s.abort();
    }
    QCOMPARE(answered, 300);
    QCOMPARE(serverErrors, 0);
    auto versions = test::call(c, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"));
    QVERIFY2(versions.ok(), "vcd-sim stopped answering after the fuzzing");
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin).ok());
    auto integrity = test::call(admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/integrity"));
    QCOMPARE(integrity->json().value(QLatin1String("result")).toString(), QStringLiteral("ok"));
    QVERIFY(sim.terminate());
}

namespace {

QString nestedFilter(QRandomGenerator &rng)
{
    static const int depths[] = {1, 2, 5, 31, 32, 33, 100, 1000, 9000};
    const int depth = depths[rng.bounded(int(std::size(depths)))];
    const QStringList terms = {QStringLiteral("name==a*"), QStringLiteral("entity.spec.x=gt=3"), QStringLiteral("org.name!=\"b\\*\""),
                               QStringLiteral("state==RESOLVED"), QStringLiteral("name=="), QStringLiteral("==x")};
    QString f;
    for (int i = 0; i < depth; ++i) {
        f += QLatin1Char('(');
        if (rng.bounded(4) == 0)
            f += terms.at(int(rng.bounded(qsizetype(terms.size())))) + (rng.bounded(2) ? QLatin1Char(';') : QLatin1Char(','));
    }
    f += terms.at(int(rng.bounded(qsizetype(terms.size()))));
    const int closing = rng.bounded(3) == 0 ? int(rng.bounded(depth + 2)) : depth; // sometimes unbalanced
    f += QString(closing, QLatin1Char(')'));
    return f;
}

QByteArray nestedJson(QRandomGenerator &rng)
{
    static const int depths[] = {10, 100, 500, 1023, 1024, 1025, 5000, 50000};
    const int depth = depths[rng.bounded(int(std::size(depths)))];
    QByteArray open, close;
    for (int i = 0; i < depth; ++i) {
        if (rng.bounded(2)) {
            open += "{\"a\":";
            close.prepend('}');
        } else {
            open += '[';
            close.prepend(']');
        }
    }
    return open + "1" + close;
}

// Sends raw bytes over TLS; true when an HTTP answer (any status) or a close came back in time.
bool rawAnswered(quint16 port, const QByteArray &bytes, QByteArray *status)
{
    QSslSocket s;
    s.setPeerVerifyMode(QSslSocket::VerifyNone);
    s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (!s.waitForEncrypted(5000))
        return false;
    s.write(bytes);
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (!got.contains("\r\n") && t.elapsed() < 15000) {
        if (!s.waitForReadyRead(200) && s.state() != QAbstractSocket::ConnectedState)
            break;
        got += s.readAll();
    }
    *status = got.left(12);
    return got.startsWith("HTTP/1.1 ") || s.state() != QAbstractSocket::ConnectedState;
}

} // namespace

void TestSimFuzz::structured()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("10")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::ConnectionOptions o = sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin"));
    o.maxRetries = 0;
    vcd::Client c(o);
    QVERIFY(test::connect(c).ok());
    QRandomGenerator rng(20261126);
    const QStringList lists = {QStringLiteral("/cloudapi/1.0.0/orgs"), QStringLiteral("/cloudapi/1.0.0/entityTypes/"),
                               QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1.2.0"),
                               QStringLiteral("/cloudapi/1.0.0/vdcs")};
    int answered = 0, serverErrors = 0, total = 0;
    auto count = [&](const Result<vcd::Reply> &r, const QString &what) {
        ++total;
        if (r.ok() || r.error().httpStatus > 0)
            ++answered;
        else
            qWarning() << "no answer to" << what.left(200) << r.error().message;
        if (!r.ok() && r.error().httpStatus >= 500) {
            ++serverErrors;
            qWarning() << "server error for" << what.left(200) << r.error().message;
        }
    };
    // Nested parentheses.
    for (int i = 0; i < 60; ++i) {
        QUrlQuery q;
        const QString f = nestedFilter(rng);
        q.addQueryItem(QStringLiteral("filter"), f);
        count(test::call(c, "GET", lists.at(int(rng.bounded(qsizetype(lists.size())))), {}, {}, q), f);
    }
    // Deep JSON: as the body, and as the entity inside a valid body.
    const QString type = QStringLiteral("/cloudapi/1.0.0/entityTypes/urn:vcloud:type:vmware:capvcdCluster:1.2.0");
    for (int i = 0; i < 40; ++i) {
        const QByteArray deep = nestedJson(rng);
        const QByteArray body = rng.bounded(2) ? deep : QByteArray(R"({"name":"deep","entity":{"apiVersion":"x","spec":)") + deep + "}}";
        count(test::call(c, "POST", type, body), QString::fromLatin1(body.left(60)));
    }
    QCOMPARE(answered, total);
    QCOMPARE(serverErrors, 0);
    // Long and many headers on a raw socket: an answer (or a close), never a hang.
    const quint16 port = quint16(QUrl(sim.url()).port());
    for (int i = 0; i < 20; ++i) {
        QByteArray req = "GET /api/versions HTTP/1.1\r\nHost: t\r\n";
        const int kind = int(rng.bounded(3));
        if (kind == 0)
            req += "X-Long: " + QByteArray(int(rng.bounded(1000, 100000)), 'a') + "\r\n";
        else if (kind == 1)
            for (int h = 0, n = int(rng.bounded(50, 400)); h < n; ++h)
                req += "X-H" + QByteArray::number(h) + ": " + QByteArray(int(rng.bounded(1, 300)), 'v') + "\r\n";
        const int a = int(rng.bounded(5)), b = int(rng.bounded(5));
        if (kind == 2)
            req += "Content-Length: " + QByteArray::number(a) + "\r\nContent-Length: " + QByteArray::number(b) + "\r\n";
        req += "\r\n";
        if (kind == 2)
            req += QByteArray(qMax(a, b), 'b'); // equal lengths: a whole body; different: 400 first
        QByteArray status;
        QVERIFY2(rawAnswered(port, req, &status), qPrintable(QStringLiteral("no answer to header kind %1 (%2 bytes)").arg(kind).arg(req.size())));
        QVERIFY2(!status.startsWith("HTTP/1.1 5"), status.constData());
    }
    auto alive = test::call(c, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"));
    QVERIFY2(alive.ok(), "vcd-sim stopped answering after the structured fuzzing");
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin).ok());
    auto integrity = test::call(admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/integrity"));
    QCOMPARE(integrity->json().value(QLatin1String("result")).toString(), QStringLiteral("ok"));
    QVERIFY(sim.terminate());
}

QTEST_GUILESS_MAIN(TestSimFuzz)
#include "tst_sim_fuzz.moc"
