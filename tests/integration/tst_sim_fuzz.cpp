// A bounded number of random requests (bodies, headers, queries, raw bytes):
// vcd-sim never crashes and its store stays intact.
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

QTEST_GUILESS_MAIN(TestSimFuzz)
#include "tst_sim_fuzz.moc"
