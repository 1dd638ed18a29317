// Parsers reachable from a request, fed hostile input without a network:
// the HTTP request parser, the schema validator ($ref cycles, nesting),
// capiYaml (yaml-cpp's own depth guard), and the login throttle on an
// injected clock.
#include "http/httpserver.h"
#include "loginthrottle.h"
#include "rde/capiyaml.h"
#include "rde/schemavalidator.h"

#include <QJsonDocument>
#include <QtTest>

using namespace cse;

class TestHostileParsers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestParser_data();
    void requestParser();
    void requestParserKeepsPipelinedBytes();
    void requestParserByteByByte();
    void schemaRefCycles_data();
    void schemaRefCycles();
    void capiYamlDepth_data();
    void capiYamlDepth();
    void loginThrottle();
    void loginThrottleSourceAndWindow();
};

void TestHostileParsers::requestParser_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("kind");   // ParseResult::Kind
    QTest::addColumn<int>("status"); // Fail: the answer
    const int more = http::ParseResult::NeedMore, body = http::ParseResult::NeedBody, done = http::ParseResult::Complete,
              fail = http::ParseResult::Fail;
    QTest::newRow("simple") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << done << 0;
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: a\n\n") << done << 0;
    QTest::newRow("mixed endings") << QByteArray("GET / HTTP/1.1\r\nHost: a\n\r\n") << done << 0;
    QTest::newRow("leading empty lines") << QByteArray("\r\n\r\nGET / HTTP/1.1\r\n\r\n") << done << 0;
    QTest::newRow("partial header") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n") << more << 0;
    QTest::newRow("partial body") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab") << body << 0;
    QTest::newRow("conflicting lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n") << fail << 400;
    QTest::newRow("equal lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}") << done << 0;
    QTest::newRow("length list") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\n{}") << done << 0;
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << fail << 400;
    QTest::newRow("hex length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n") << fail << 400;
    QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n") << fail << 400;
    QTest::newRow("too large body") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 9000000\r\n\r\n") << fail << 413;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") << fail << 411;
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << fail << 400;
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost a\r\n\r\n") << fail << 400;
    QTest::newRow("space in name") << QByteArray("GET / HTTP/1.1\r\nHo st: a\r\n\r\n") << fail << 400;
    QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n") << fail << 400;
    QTest::newRow("NUL") << QByteArray("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 28) << fail << 400;
    QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << fail << 400;
    QTest::newRow("HTTP/2") << QByteArray("PRI * HTTP/2.0\r\n\r\n") << fail << 400;
    QTest::newRow("extra space") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << fail << 400;
    QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << fail << 400;
    QTest::newRow("header too long") << QByteArray("GET / HTTP/1.1\r\nA: ") + QByteArray(70000, 'a') << fail << 431;
    QByteArray many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 200; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("too many fields") << many + "\r\n" << fail << 431;
}

void TestHostileParsers::requestParser()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, kind);
    QFETCH(int, status);
    http::HttpLimits limits;
    const http::ParseResult r = http::parseRequest(bytes, limits);
    QCOMPARE(int(r.kind), kind);
    if (kind == http::ParseResult::Fail) {
        QCOMPARE(r.status, status);
        QVERIFY(!r.message.isEmpty());
    }
}

void TestHostileParsers::requestParserKeepsPipelinedBytes()
{
    QByteArray buffer("POST /a?x=1 HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}GET /b HTTP/1.0\r\n\r\n");
    http::HttpLimits limits;
    http::ParseResult first = http::parseRequest(buffer, limits);
    QCOMPARE(first.kind, http::ParseResult::Complete);
    QCOMPARE(first.request.body, QByteArray("{}"));
    QCOMPARE(first.request.path, QStringLiteral("/a"));
    QCOMPARE(first.request.query.queryItemValue(QStringLiteral("x")), QStringLiteral("1"));
    QVERIFY(first.closeAfter);
    QCOMPARE(buffer, QByteArray("GET /b HTTP/1.0\r\n\r\n"));
    http::ParseResult second = http::parseRequest(buffer, limits);
    QCOMPARE(second.kind, http::ParseResult::Complete);
    QCOMPARE(second.request.path, QStringLiteral("/b"));
    QVERIFY(second.closeAfter); // HTTP/1.0: one request per connection
    QVERIFY(buffer.isEmpty());
}

// The same request split at every byte: never Complete early, never Fail.
void TestHostileParsers::requestParserByteByByte()
{
    const QByteArray whole("PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc");
    http::HttpLimits limits;
    for (qsizetype cut = 0; cut < whole.size(); ++cut) {
        QByteArray part = whole.left(cut);
        const http::ParseResult r = http::parseRequest(part, limits);
        QVERIFY2(r.kind == http::ParseResult::NeedMore || r.kind == http::ParseResult::NeedBody, qPrintable(QString::number(cut)));
        if (r.kind == http::ParseResult::NeedBody)
            QVERIFY(r.expectContinue);
    }
    QByteArray all = whole;
    QCOMPARE(http::parseRequest(all, limits).kind, http::ParseResult::Complete);
}

void TestHostileParsers::schemaRefCycles_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("instance");
    QTest::addColumn<QString>("keyword"); // expected among the errors
    QTest::newRow("self reference") << QByteArray(R"({"$ref":"#"})") << QByteArray("1") << "depth";
    QTest::newRow("two-step cycle") << QByteArray(R"({"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},"$ref":"#/definitions/a"})")
                                    << QByteArray("{}") << "depth";
    QTest::newRow("branching cycle") << QByteArray(R"({"definitions":{"a":{"anyOf":[{"$ref":"#/definitions/a"},{"$ref":"#/definitions/a"}]}},"$ref":"#/definitions/a"})")
                                     << QByteArray("{}") << "";
    QTest::newRow("not of a cycle") << QByteArray(R"({"not":{"$ref":"#"}})") << QByteArray("1") << "";
    QByteArray deep = "true";
    for (int i = 0; i < 400; ++i) // QJsonDocument itself stops at 1024 levels
        deep = R"({"allOf":[)" + deep + "]}";
    QTest::newRow("deep allOf") << deep << QByteArray("1") << "depth";
    QByteArray data = "1";
    for (int i = 0; i < 1000; ++i)
        data = "[" + data + "]";
    QTest::newRow("deep data, recursive items") << QByteArray(R"({"items":{"$ref":"#"}})") << data << "depth";
    QTest::newRow("fine recursion") << QByteArray(R"({"type":"array","items":{"$ref":"#"}})") << QByteArray("[[[]]]") << "none";
}

void TestHostileParsers::schemaRefCycles()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, instance);
    QFETCH(QString, keyword);
    QJsonParseError e{};
    const QJsonDocument s = QJsonDocument::fromJson(schema, &e);
    QCOMPARE(e.error, QJsonParseError::NoError);
    const QJsonDocument i = QJsonDocument::fromJson("[" + instance + "]", &e);
    QCOMPARE(e.error, QJsonParseError::NoError);
    rde::SchemaValidator v(s.isObject() ? QJsonValue(s.object()) : QJsonValue(s.array()));
    const QList<rde::SchemaError> errors = v.validate(i.array().at(0)); // must return, whatever it says
    if (keyword == QLatin1String("none"))
        QVERIFY2(errors.isEmpty(), qPrintable(rde::SchemaValidator::describe(errors)));
    else if (!keyword.isEmpty())
        QVERIFY2(std::any_of(errors.begin(), errors.end(), [&](const rde::SchemaError &x) { return x.keyword == keyword; }),
                 qPrintable(rde::SchemaValidator::describe(errors)));
}

void TestHostileParsers::capiYamlDepth_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::newRow("100000 [") << QString(100000, QLatin1Char('['));
    QTest::newRow("1500 nested flow lists") << QStringLiteral("kind: Cluster\nx: ") + QString(1500, QLatin1Char('[')) + QString(1500, QLatin1Char(']'));
    QTest::newRow("100000 {") << QStringLiteral("kind: Cluster\nx: ") + QString(100000, QLatin1Char('{'));
    QString block = QStringLiteral("kind: Cluster\n");
    for (int i = 0; i < 3000; ++i)
        block += QString(i, QLatin1Char(' ')) + QStringLiteral("a:\n");
    QTest::newRow("3000 nested block maps") << block;
    QString laughs = QStringLiteral("kind: Cluster\na: &a [x,x,x,x,x,x,x,x,x]\n");
    for (char c = 'b'; c <= 'j'; ++c)
        laughs += QStringLiteral("%1: &%1 [*%2,*%2,*%2,*%2,*%2,*%2,*%2,*%2,*%2]\n").arg(QLatin1Char(c)).arg(QLatin1Char(c - 1));
    QTest::newRow("billion laughs") << laughs;
    // yaml-cpp 0.7's LoadAll loops for ever on these (found by fuzz_capiyaml).
    QTest::newRow("stray comma") << QStringLiteral(",");
    QTest::newRow("stray comma, second document") << QStringLiteral("kind: Cluster\n---\n, x\n");
    QTest::newRow("fuzz: comma before a flow map") << QStringLiteral(", spec: {org: o, ovdc: v, ovdcNetwork: net}}\n---\nkind: KubeadmControlPlane\n...\n");
}

// yaml-cpp 0.7 stops at a nesting depth of its own (DeepRecursion) and keeps
// aliases shared; capiYaml must turn all of it into an error or a summary,
// and return at all where LoadAll alone would not (a stray ',').
void TestHostileParsers::capiYamlDepth()
{
    QFETCH(QString, yaml);
    auto r = rde::parseCapiYaml(yaml); // returning at all is most of the test
    QVERIFY2(!r.ok(), "none of these is a usable capiYaml");
    QVERIFY(!r.error().message.isEmpty());
}

void TestHostileParsers::loginThrottle()
{
    qint64 now = 1000000;
    sim::LoginThrottle t({3, 100, 60}, [&now] { return now; });
    const QString user = QStringLiteral("a@acme"), src = QStringLiteral("127.0.0.1");
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(t.retryAfter(user, src), 0);
        t.failed(user, src);
        now += 1000;
    }
    // Failures at 0 s, 1 s, 2 s; now 3 s: free again when the first leaves the 60 s window.
    QCOMPARE(t.retryAfter(user, src), 57);
    QCOMPARE(t.retryAfter(QStringLiteral("b@acme"), src), 0);
    now += 56 * 1000;
    QCOMPARE(t.retryAfter(user, src), 1);
    now += 1000;
    QCOMPARE(t.retryAfter(user, src), 0);
    t.failed(user, src);
    QVERIFY(t.retryAfter(user, src) > 0);
    t.succeeded(user);
    QCOMPARE(t.retryAfter(user, src), 0);
}

void TestHostileParsers::loginThrottleSourceAndWindow()
{
    qint64 now = 0;
    sim::LoginThrottle t({1000, 5, 10}, [&now] { return now; });
    for (int i = 0; i < 5; ++i)
        t.failed(QStringLiteral("u%1@o").arg(i), QStringLiteral("10.0.0.1"));
    QCOMPARE(t.retryAfter(QStringLiteral("fresh@o"), QStringLiteral("10.0.0.1")), 10);
    QCOMPARE(t.retryAfter(QStringLiteral("fresh@o"), QStringLiteral("10.0.0.2")), 0);
    // A success clears the user's count, not the address's.
    t.succeeded(QStringLiteral("u0@o"));
    QCOMPARE(t.retryAfter(QStringLiteral("fresh@o"), QStringLiteral("10.0.0.1")), 10);
    now += 10000;
    QCOMPARE(t.retryAfter(QStringLiteral("fresh@o"), QStringLiteral("10.0.0.1")), 0);
    // Memory stays bounded under a flood of names.
    for (int i = 0; i < 20000; ++i)
        t.failed(QStringLiteral("n%1@o").arg(i), QStringLiteral("10.0.%1.%2").arg(i / 250).arg(i % 250));
    now += 20000;
    QCOMPARE(t.retryAfter(QStringLiteral("x@o"), QStringLiteral("10.0.0.1")), 0);
}

QTEST_GUILESS_MAIN(TestHostileParsers)
#include "tst_hostile_parsers.moc"
