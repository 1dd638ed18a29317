// The simulator's FIQL evaluator and fault rules, without HTTP.
#include "faults.h"
#include "fiql.h"
#include "vcd/fiql.h"

#include <QJsonDocument>
#include <QtTest>

using namespace cse;
using namespace cse::sim;

class TestFiqlFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void evaluate_data();
    void evaluate();
    void parseErrors_data();
    void parseErrors();
    void literalStar_data();
    void literalStar();
    void builderRoundTrip_data();
    void builderRoundTrip();
    void limits_data();
    void limits();
    void faultSpecs_data();
    void faultSpecs();
    void faultDecisions();
};

static QJsonObject sample()
{
    return QJsonDocument::fromJson(R"({"name":"prod-a","id":"urn:vcloud:entity:vmware:capvcdCluster:1","state":"RESOLVED",
        "org":{"name":"acme"},"creationDate":"2026-01-02T03:04:05.000Z",
        "entity":{"spec":{"vcdKe":{"markForDelete":false}},"status":{"vcdKe":{"state":"provisioning","ownerEpoch":3}}}})").object();
}

void TestFiqlFaults::evaluate_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("match");
    QTest::newRow("eq") << "name==prod-a" << true;
    QTest::newRow("wildcard") << "name==prod*" << true;
    QTest::newRow("wildcard middle") << "name==p*-a" << true;
    QTest::newRow("wildcard miss") << "name==dev*" << false;
    QTest::newRow("ne wildcard") << "name!=dev*" << true;
    QTest::newRow("and") << "name==prod-a;org.name==acme" << true;
    QTest::newRow("and miss") << "name==prod-a;org.name==globex" << false;
    QTest::newRow("or") << "org.name==globex,name==prod-a" << true;
    QTest::newRow("precedence") << "name==x;name==y,state==RESOLVED" << true; // (x;y),RESOLVED
    QTest::newRow("parens") << "name==x;(name==y,state==RESOLVED)" << false;
    QTest::newRow("number gt") << "entity.status.vcdKe.ownerEpoch=gt=2" << true;
    QTest::newRow("number le") << "entity.status.vcdKe.ownerEpoch=le=2" << false;
    QTest::newRow("numeric not lexical") << "entity.status.vcdKe.ownerEpoch=lt=10" << true;
    QTest::newRow("bool") << "entity.spec.vcdKe.markForDelete==false" << true;
    QTest::newRow("not provisioned") << "entity.status.vcdKe.state!=provisioned" << true;
    QTest::newRow("missing path never matches") << "entity.status.capvcd.phase!=x" << false;
    QTest::newRow("timestamp") << "creationDate=lt=2026-01-02T03:04:06.000Z" << true;
    QTest::newRow("quoted") << "name==\"prod-a\"" << true;
    QTest::newRow("object value") << "entity.spec==x" << false;
}

void TestFiqlFaults::evaluate()
{
    QFETCH(QString, filter);
    QFETCH(bool, match);
    auto f = FiqlFilter::parse(filter);
    QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().message));
    QCOMPARE(f->matches(sample()), match);
}

void TestFiqlFaults::parseErrors_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("position");
    QTest::newRow("unknown key") << "colour==red" << 0;
    QTest::newRow("unknown later") << "name==a;colour==red" << 8;
    QTest::newRow("no op") << "name" << 4;
    QTest::newRow("no value") << "name==" << 6;
    QTest::newRow("unclosed") << "(name==a" << 8;
    QTest::newRow("stray") << "name==a)" << 7;
    QTest::newRow("unterminated quote") << "name==\"abc" << 10;
}

void TestFiqlFaults::parseErrors()
{
    QFETCH(QString, filter);
    QFETCH(int, position);
    auto f = FiqlFilter::parse(filter);
    QVERIFY(!f.ok());
    QCOMPARE(f.error().httpStatus, 400);
    QVERIFY2(f.error().message.startsWith(QStringLiteral("invalid filter at position %1:").arg(position)), qPrintable(f.error().message));
}

void TestFiqlFaults::literalStar_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("match");
    QTest::newRow("wildcard matches star") << "name==star*name" << "star*name" << true;
    QTest::newRow("wildcard matches more") << "name==star*name" << "starXXname" << true;
    QTest::newRow("escaped star literal") << "name==star\\*name" << "star*name" << true;
    QTest::newRow("escaped star not wildcard") << "name==star\\*name" << "starXXname" << false;
    QTest::newRow("quoted escaped star") << "name==\"star\\*name\"" << "star*name" << true;
    QTest::newRow("quoted escaped star miss") << "name==\"star\\*name\"" << "starXXname" << false;
    QTest::newRow("ne escaped star") << "name!=\"star\\*name\"" << "starXXname" << true;
    QTest::newRow("escaped backslash then wildcard") << "name==\"a\\\\*\"" << "a\\zz" << true;
    QTest::newRow("escaped backslash literal") << "name==\"a\\\\*\"" << "azz" << false;
    QTest::newRow("only stars") << "name==**" << "" << true;
    QTest::newRow("overlap") << "name==ab*ba" << "aba" << false;
    QTest::newRow("many stars") << "name==a*a*a*a*a*a*a*a*a*a*a*a*a*a*b" << QString(200, QLatin1Char('a')) << false;
}

void TestFiqlFaults::literalStar()
{
    QFETCH(QString, filter);
    QFETCH(QString, name);
    QFETCH(bool, match);
    auto f = FiqlFilter::parse(filter);
    QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().message));
    QCOMPARE(f->matches(QJsonObject{{QStringLiteral("name"), name}}), match);
}

// What the client's builder writes, the simulator's parser reads back.
void TestFiqlFaults::builderRoundTrip_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("star") << "star*name";
    QTest::newRow("backslash star") << "a\\*b";
    QTest::newRow("quote star") << "say \"*\"";
    QTest::newRow("separators") << "x;(y),*";
    QTest::newRow("plain") << "prod-1";
}

void TestFiqlFaults::builderRoundTrip()
{
    QFETCH(QString, value);
    auto exact = FiqlFilter::parse(vcd::fiql::eqExact(QStringLiteral("name"), value));
    QVERIFY2(exact.ok(), qPrintable(exact.ok() ? QString() : exact.error().message));
    QVERIFY(exact->matches(QJsonObject{{QStringLiteral("name"), value}}));
    QVERIFY(!exact->matches(QJsonObject{{QStringLiteral("name"), QString(value).replace(QLatin1Char('*'), QLatin1String("XX"))}})
            || !value.contains(QLatin1Char('*')));
    auto ne = FiqlFilter::parse(vcd::fiql::neExact(QStringLiteral("name"), value));
    QVERIFY(ne.ok());
    QVERIFY(!ne->matches(QJsonObject{{QStringLiteral("name"), value}}));
}

void TestFiqlFaults::limits_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("message"); // empty: parses
    const QString deep = QString(FiqlFilter::kMaxDepth, QLatin1Char('(')) + QStringLiteral("name==x") + QString(FiqlFilter::kMaxDepth, QLatin1Char(')'));
    QTest::newRow("at depth limit") << deep << QString();
    QTest::newRow("one deeper") << QLatin1Char('(') + deep + QLatin1Char(')') << "limit of 32";
    QTest::newRow("9000 balanced") << QString(9000, QLatin1Char('(')) + QStringLiteral("name==x") + QString(9000, QLatin1Char(')'))
                                   << "limit is 16384";
    QTest::newRow("8000 unbalanced") << QString(8000, QLatin1Char('(')) << "limit of 32";
    QTest::newRow("long value") << QStringLiteral("name==") + QString(FiqlFilter::kMaxLength, QLatin1Char('x')) << "limit is 16384";
    QStringList terms;
    for (int i = 0; i < 1000; ++i)
        terms << QStringLiteral("name==n%1").arg(i);
    QTest::newRow("long flat list") << terms.join(QLatin1Char(',')) << QString();
}

void TestFiqlFaults::limits()
{
    QFETCH(QString, filter);
    QFETCH(QString, message);
    auto f = FiqlFilter::parse(filter);
    if (message.isEmpty()) {
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().message));
        return;
    }
    QVERIFY(!f.ok());
    QCOMPARE(f.error().httpStatus, 400);
    QVERIFY(f.error().is(ErrorKind::Invalid));
    QVERIFY2(f.error().message.contains(message), qPrintable(f.error().message));
}

void TestFiqlFaults::faultSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::newRow("full") << "route=^PUT /cloudapi/.*;error=0.5;status=500;412=0.1;latency=20;drop=0.01" << "";
    QTest::newRow("block") << "block=User-Agent:replica-2" << "";
    QTest::newRow("bad rate") << "error=2" << "between 0 and 1";
    QTest::newRow("bad status") << "status=200" << "from 400 to 599";
    QTest::newRow("bad key") << "colour=red" << "unknown key";
    QTest::newRow("bad regex") << "route=(" << "not a valid regular expression";
    QTest::newRow("no equals") << "error" << "KEY=VALUE";
}

void TestFiqlFaults::faultSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, error);
    auto r = FaultRule::parse(spec);
    QCOMPARE(r.ok(), error.isEmpty());
    if (!error.isEmpty())
        QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
    else
        QVERIFY(FaultRule::fromJson(r->toJson()).ok());
}

void TestFiqlFaults::faultDecisions()
{
    Faults f;
    f.add(FaultRule::parse(QStringLiteral("route=^GET ;latency=15;error=1;status=502")).value());
    f.add(FaultRule::parse(QStringLiteral("route=^PUT ;412=1")).value());
    f.add(FaultRule::parse(QStringLiteral("block=x-cse-client-id:r2")).value());
    f.add(FaultRule::parse(QStringLiteral("route=infra:pivot;error=1")).value());
    const QHash<QByteArray, QByteArray> none, blocked{{"x-cse-client-id", "r2"}};
    auto get = f.decide(QStringLiteral("GET /cloudapi/1.0.0/orgs"), none, false);
    QCOMPARE(get.delayMs, 15);
    QCOMPARE(get.status, 502);
    QVERIFY(!get.drop);
    QCOMPARE(f.decide(QStringLiteral("PUT /x"), none, true).status, 412);
    QCOMPARE(f.decide(QStringLiteral("PUT /x"), none, false).status, 0); // no If-Match, no forced 412
    QVERIFY(f.decide(QStringLiteral("POST /x"), blocked, false).drop);
    QVERIFY(!f.decide(QStringLiteral("POST /x"), none, false).drop);
    QVERIFY(f.stepFails(QStringLiteral("pivot")));
    QVERIFY(!f.stepFails(QStringLiteral("controlPlane")));
    f.clear();
    QCOMPARE(f.decide(QStringLiteral("GET /x"), none, false).status, 0);
}

QTEST_GUILESS_MAIN(TestFiqlFaults)
#include "tst_fiql_faults.moc"
