// What a tenant writes into its cluster entity is hostile input: epochs read
// exactly (never through a double), phases form a closed set, names are
// DNS-1123 labels, tenant text in logs is quoted and bounded, and metric route
// labels are templates.
#include "core/logging.h"
#include "rde/cluster.h"
#include "vcd/client.h"

#include <QJsonDocument>
#include <QtTest>

using namespace cse;

namespace {
rde::Cluster withVcdKe(const QByteArray &key, const QByteArray &rawJsonValue)
{
    const QByteArray doc = R"({"status":{"vcdKe":{")" + key + R"(":)" + rawJsonValue + "}}}";
    QJsonParseError err;
    const QJsonDocument d = QJsonDocument::fromJson(doc, &err);
    if (err.error != QJsonParseError::NoError)
        qFatal("bad test JSON %s", doc.constData());
    return rde::Cluster(d.object());
}
} // namespace

class TestTenantInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void epochs_data();
    void epochs();
    void epochSaturatesNeverWraps();
    void forgedRepairAttemptsLeaveNoRepair_data();
    void forgedRepairAttemptsLeaveNoRepair();
    void phasesAreClosed_data();
    void phasesAreClosed();
    void clusterNames_data();
    void clusterNames();
    void entitySizeCap();
    void quoteTenant_data();
    void quoteTenant();
    void routeTemplates_data();
    void routeTemplates();
};

void TestTenantInput::epochs_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<qint64>("read");      // ownerEpoch(); -1: forged
    QTest::addColumn<qint64>("claimed");   // the epoch a claim writes, having seen epoch 7 before
    QTest::newRow("honest") << QByteArray("41") << qint64(41) << qint64(42);
    QTest::newRow("honest below seen") << QByteArray("3") << qint64(3) << qint64(8);
    QTest::newRow("zero") << QByteArray("0") << qint64(0) << qint64(8);
    QTest::newRow("1e300") << QByteArray("1e300") << qint64(-1) << qint64(8);
    QTest::newRow("2^53+1") << QByteArray("9007199254740993") << qint64(-1) << qint64(8);
    QTest::newRow("negative") << QByteArray("-1") << qint64(-1) << qint64(8);
    QTest::newRow("string") << QByteArray("\"12\"") << qint64(-1) << qint64(8);
    QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1) << qint64(8);
    QTest::newRow("2^63") << QByteArray("9223372036854775808") << qint64(-1) << qint64(8);
    QTest::newRow("-2^63") << QByteArray("-9223372036854775808") << qint64(-1) << qint64(8);
    QTest::newRow("null") << QByteArray("null") << qint64(0) << qint64(8);
    QTest::newRow("object") << QByteArray("{}") << qint64(-1) << qint64(8);
    QTest::newRow("largest") << QByteArray("9007199254740990") << qint64(9007199254740990) << qint64(9007199254740991);
}

void TestTenantInput::epochs()
{
    QFETCH(QByteArray, raw);
    QFETCH(qint64, read);
    QFETCH(qint64, claimed);
    rde::Cluster c = withVcdKe("ownerEpoch", raw);
    QCOMPARE(c.ownerEpoch(), read);
    QCOMPARE(c.ownerEpochForged(), read < 0);
    c.claim(QStringLiteral("me"), QStringLiteral("w"), QDateTime::currentDateTimeUtc(), 7);
    QCOMPARE(c.ownerEpoch(), claimed);
    // Written as an exact integer: a JSON round trip keeps it.
    const QJsonDocument again = QJsonDocument::fromJson(QJsonDocument(c.json()).toJson(QJsonDocument::Compact));
    QCOMPARE(rde::Cluster(again.object()).ownerEpoch(), claimed);
    c.releaseOwner();
    QCOMPARE(c.ownerEpoch(), claimed == rde::kMaxEpoch ? claimed : claimed + 1);
}

void TestTenantInput::epochSaturatesNeverWraps()
{
    rde::Cluster c = withVcdKe("ownerEpoch", QByteArray::number(rde::kMaxEpoch));
    QCOMPARE(c.ownerEpoch(), rde::kMaxEpoch);
    c.claim(QStringLiteral("me"), QStringLiteral("w"));
    QCOMPARE(c.ownerEpoch(), rde::kMaxEpoch);
    QCOMPARE(c.nextEpoch(std::numeric_limits<qint64>::max()), rde::kMaxEpoch);
    QCOMPARE(c.nextEpoch(-5), rde::kMaxEpoch);
}

void TestTenantInput::forgedRepairAttemptsLeaveNoRepair_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("read");
    QTest::newRow("honest") << QByteArray("2") << 2;
    QTest::newRow("absent-like null") << QByteArray("null") << 0;
    QTest::newRow("negative") << QByteArray("-1000000") << rde::Cluster::kForgedRepairAttempts;
    QTest::newRow("1e300") << QByteArray("1e300") << rde::Cluster::kForgedRepairAttempts;
    QTest::newRow("2^40") << QByteArray("1099511627776") << rde::Cluster::kForgedRepairAttempts;
    QTest::newRow("fraction") << QByteArray("0.5") << rde::Cluster::kForgedRepairAttempts;
}

void TestTenantInput::forgedRepairAttemptsLeaveNoRepair()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, read);
    QCOMPARE(withVcdKe("repairAttempts", raw).repairAttempts(), read);
}

void TestTenantInput::phasesAreClosed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("phase");
    QTest::newRow("empty") << QString() << int(rde::Phase::None);
    QTest::newRow("validate") << QStringLiteral("validate") << int(rde::Phase::Validate);
    QTest::newRow("repair") << QStringLiteral("repair") << int(rde::Phase::Repair);
    QTest::newRow("case matters") << QStringLiteral("Validate") << int(rde::Phase::Unknown);
    QTest::newRow("injection") << QStringLiteral("pwn\"} 1\ncse_tenant_injected 1\n#") << int(rde::Phase::Unknown);
    QTest::newRow("huge") << QString(100000, QLatin1Char('x')) << int(rde::Phase::Unknown);
}

void TestTenantInput::phasesAreClosed()
{
    QFETCH(QString, text);
    QFETCH(int, phase);
    QCOMPARE(int(rde::phaseFromString(text)), phase);
    const QString name = rde::phaseName(rde::Phase(phase));
    if (phase == int(rde::Phase::Unknown))
        QCOMPARE(name, QStringLiteral("unknown"));
    else
        QCOMPARE(rde::phaseFromString(name), rde::Phase(phase)); // round trip
}

void TestTenantInput::clusterNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QStringLiteral("acme-dev") << true;
    QTest::newRow("digits") << QStringLiteral("9lives") << true;
    QTest::newRow("one char") << QStringLiteral("a") << true;
    QTest::newRow("63") << QString(63, QLatin1Char('a')) << true;
    QTest::newRow("64") << QString(64, QLatin1Char('a')) << false;
    QTest::newRow("100") << QString(100, QLatin1Char('a')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("star") << QStringLiteral("*") << false;
    QTest::newRow("wildcard inside") << QStringLiteral("acme*") << false;
    QTest::newRow("upper") << QStringLiteral("My-cluster") << false;
    QTest::newRow("space") << QStringLiteral("My Cluster 1") << false;
    QTest::newRow("leading dash") << QStringLiteral("-a") << false;
    QTest::newRow("trailing dash") << QStringLiteral("a-") << false;
    QTest::newRow("dot") << QStringLiteral("a.b") << false;
    QTest::newRow("underscore") << QStringLiteral("a_b") << false;
    QTest::newRow("newline") << QStringLiteral("evil\nline") << false;
    QTest::newRow("fiql") << QStringLiteral("a;name==b") << false;
    QTest::newRow("non-ascii") << QStringLiteral("caf\u00e9") << false;
}

void TestTenantInput::clusterNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    const QString reason = rde::validateClusterName(name);
    QCOMPARE(reason.isEmpty(), valid);
    QVERIFY2(reason.size() < 200, qPrintable(reason)); // never echoes the name
}

void TestTenantInput::quoteTenant_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << QStringLiteral("acme-dev") << QStringLiteral("\"acme-dev\"");
    QTest::newRow("forged log line") << QStringLiteral("evil\n2026-12-03T17:00:00.000 cse.server info: takeover: x")
                                     << QStringLiteral("\"evil\\n2026-12-03T17:00:00.000 cse.server info: takeover: x\"");
    QTest::newRow("quotes") << QStringLiteral("a\"b\\c") << QStringLiteral("\"a\\\"b\\\\c\"");
    QTest::newRow("controls") << QStringLiteral("a\r\t\x1b[31m\u2028") << QStringLiteral("\"a\\r\\t\\u001b[31m\\u2028\"");
}

void TestTenantInput::quoteTenant()
{
    QFETCH(QString, text);
    QFETCH(QString, quoted);
    QCOMPARE(cse::quoteTenant(text), quoted);
    // Bounded: 4.5 million characters give a short line.
    const QString huge = cse::quoteTenant(QString(4500000, QLatin1Char('p')) + text);
    QVERIFY(huge.size() < 140);
    QVERIFY(huge.contains(QLatin1String("4500000")) || huge.contains(QLatin1String("more characters")));
    QVERIFY(!huge.contains(QLatin1Char('\n')));
}

void TestTenantInput::routeTemplates_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("route");
    QTest::newRow("tenant login") << QByteArray("POST") << QStringLiteral("/oauth/tenant/acme/token")
                                  << QStringLiteral("POST /oauth/tenant/{org}/token");
    QTest::newRow("tenant login, odd org") << QByteArray("POST") << QStringLiteral("/oauth/tenant/ev%22il%0A/token")
                                           << QStringLiteral("POST /oauth/tenant/{org}/token");
    QTest::newRow("provider login") << QByteArray("POST") << QStringLiteral("/oauth/provider/token")
                                    << QStringLiteral("POST /oauth/provider/token");
    QTest::newRow("entity") << QByteArray("PUT")
                            << QStringLiteral("/cloudapi/1.0.0/entities/urn:vcloud:entity:vmware:capvcdCluster:0b6e9c51-8d0b-4d1a-9f4e-2a7f3f6b1c11")
                            << QStringLiteral("PUT /cloudapi/1.0.0/entities/{id}");
    QTest::newRow("vapp") << QByteArray("POST")
                          << QStringLiteral("/api/vApp/vapp-0b6e9c51-8d0b-4d1a-9f4e-2a7f3f6b1c11/action/composeVApp")
                          << QStringLiteral("POST /api/vApp/vapp-{id}/action/composeVApp");
    QTest::newRow("type list") << QByteArray("GET") << QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1")
                               << QStringLiteral("GET /cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1");
    QTest::newRow("odd segment") << QByteArray("GET") << QStringLiteral("/api/org/some name with spaces")
                                 << QStringLiteral("GET /api/org/{value}");
}

void TestTenantInput::routeTemplates()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, route);
    QCOMPARE(vcd::routeTemplate(method, path), route);
}

QTEST_GUILESS_MAIN(TestTenantInput)
// The entity size cap (issue 19.5): at the cap passes, one byte over does not.
void TestTenantInput::entitySizeCap()
{
    auto entityOf = [](qsizetype bytes) {
        // {"a":"xxx"} is the payload plus 8 bytes of JSON.
        return QJsonObject{{QStringLiteral("a"), QString(int(bytes - 8), QLatin1Char('x'))}};
    };
    QVERIFY(cse::rde::checkClusterEntitySize(entityOf(cse::rde::kMaxClusterEntityBytes)).isEmpty());
    const QString over = cse::rde::checkClusterEntitySize(entityOf(cse::rde::kMaxClusterEntityBytes + 1));
    QVERIFY2(over.contains(QLatin1String("over the cap")), qPrintable(over));
}

#include "tst_tenant_input.moc"
