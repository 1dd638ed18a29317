// A tenant (acme-admin, through VCD's API, bypassing the console) writes
// hostile values into its own cluster entities; one real vcd-sim and one
// real cse-server replica must stay correct for everybody: unknown phases,
// names that are no DNS-1123 label or forge log lines, duplicates, missing
// or refused owner tokens, writes VCD refuses for good, and a health
// endpoint flooded with idle connections.
#include "../support/serverprocess.h"
#include "../support/simprocess.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/types.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QtTest>

using namespace cse;

class TestHostileTenant : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void unknownPhaseEndsInErrorOnce();
    void invalidNamesNeverReachAQuery();
    void duplicateNameInOrg();
    void noOwnerTokenEndsInError();
    void oversizedEntityEndsInError();
    void refusedOwnerTokenEndsRepair();
    void permanentWriteFailureEndsTheStep();
    void metricsAreValidAndBounded();
    void headHasNoBody();
    void idleConnectionsDoNotFailReadiness();

private:
    // A capiYaml-valid cluster entity of org acme as its admin writes it;
    // `edit` changes it before the tenant creates it.
    QString create(const QString &name, const QString &token, bool autoRepair = true,
                   const std::function<void(rde::Cluster &)> &edit = {});
    rde::Cluster cluster(const QString &id);
    QList<rde::ClusterEvent> errors(const QString &id) { return cluster(id).vcdKeLog(rde::Cluster::Log::Error); }
    QJsonArray audit(const QString &what, const QString &id);
    QString metrics() { return QString::fromUtf8(m_server->health(QStringLiteral("/metrics")).second); }

    std::unique_ptr<test::SimProcess> m_sim;
    std::unique_ptr<test::ServerProcess> m_server;
    std::unique_ptr<vcd::Client> m_admin, m_acme;
    QString m_token; // a real API token of acme-admin
};

void TestHostileTenant::initTestCase()
{
    m_sim = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(m_sim->start(), qPrintable(m_sim->error()));
    m_admin = std::make_unique<vcd::Client>(m_sim->provider());
    m_acme = std::make_unique<vcd::Client>(m_sim->tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    QVERIFY(test::connect(*m_admin).ok());
    QVERIFY(test::connect(*m_acme).ok());
    QVERIFY(test::setHaSettings(*m_admin, test::fastHaSettings()).ok());
    auto token = test::createApiToken(*m_admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
    QVERIFY(token.ok());
    m_token = *token;
    m_server = std::make_unique<test::ServerProcess>(*m_sim, QStringLiteral("h1"));
    QVERIFY2(m_server->start(), qPrintable(m_server->error()));
}

void TestHostileTenant::cleanupTestCase()
{
    m_server.reset();
    m_acme.reset();
    m_admin.reset();
    m_sim.reset();
}

QString TestHostileTenant::create(const QString &name, const QString &token, bool autoRepair,
                                  const std::function<void(rde::Cluster &)> &edit)
{
    rde::ClusterSpec spec;
    spec.name = rde::validateClusterName(name).isEmpty() ? name : QStringLiteral("renamed");
    spec.org = QStringLiteral("acme");
    spec.vdc = QStringLiteral("acme-vdc");
    spec.network = QStringLiteral("acme-net");
    spec.site = m_sim->url();
    const QString yaml = rde::renderCapiYaml(spec).value();
    rde::Cluster c = rde::Cluster::create(name, spec.org, spec.vdc, spec.site, yaml, token, autoRepair);
    if (edit)
        edit(c);
    auto id = vcd::await<QString>([&](auto done) { m_acme->createEntity(rde::types::cluster().id(), name, c.json(), done); });
    if (!id)
        qWarning("create %s: %s", qPrintable(name), qPrintable(id.error().toString()));
    return id ? *id : QString();
}

rde::Cluster TestHostileTenant::cluster(const QString &id)
{
    auto e = vcd::await<rde::DefinedEntity>([&](auto done) { m_admin->getEntity(id, done); });
    return e ? rde::Cluster(e->entity) : rde::Cluster();
}

QJsonArray TestHostileTenant::audit(const QString &what, const QString &id)
{
    QUrlQuery q;
    q.addQueryItem(what == QLatin1String("vms") ? QStringLiteral("clusterId") : QStringLiteral("entityId"), id);
    auto r = test::call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/") + what, {}, {}, q);
    return r ? QJsonDocument::fromJson(r->body).array() : QJsonArray();
}

// Issue 19.3: `pwn"} 1\ncse_tenant_injected 1\n#` (and 300 kB more) as the phase.
void TestHostileTenant::unknownPhaseEndsInErrorOnce()
{
    const QString forged = QStringLiteral("pwn\"} 1\ncse_tenant_injected 1\n#") + QString(300000, QLatin1Char('p'));
    const QString id = create(QStringLiteral("phase-forger"), m_token, true, [&](rde::Cluster &c) {
        c.setValue(rde::paths::kStatusVcdKe + QStringList{QStringLiteral("phase")}, forged);
    });
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kError, 30000);
    const QList<rde::ClusterEvent> errs = errors(id);
    QCOMPARE(errs.size(), 1);
    QCOMPARE(errs.first().name, QStringLiteral("ClusterSpecInvalid"));
    QVERIFY2(errs.first().detail.contains(QLatin1String("status.vcdKe.phase")), qPrintable(errs.first().detail));
    QVERIFY2(errs.first().detail.size() < 1000, "the error entry carries the tenant's phase uncut");
    QCOMPARE(audit(QStringLiteral("vms"), id).size(), 0);
    // Written once: an error cluster is not written again.
    const int writes = audit(QStringLiteral("writes"), id).size();
    QTest::qWait(2500);
    QCOMPARE(audit(QStringLiteral("writes"), id).size(), writes);
    const QString m = metrics();
    QVERIFY2(!m.contains(QLatin1String("cse_tenant_injected")) && !m.contains(QLatin1String("pwn")), "tenant text in /metrics");
    for (const QByteArray &line : m_server->output().split('\n'))
        QVERIFY2(line.size() < 2000, "a log line carries the tenant's phase uncut");
}

// Issue 19.4 and 19.3 (logs): "*" and a name that forges a log line.
void TestHostileTenant::invalidNamesNeverReachAQuery()
{
    const QString forgedLine = QStringLiteral("2026-12-03T17:00:00.000 cse.server info: takeover: cluster forged");
    const QStringList names{QStringLiteral("*"), QStringLiteral("evil\n") + forgedLine, QString(64, QLatin1Char('a')),
                            QStringLiteral("My Cluster 1")};
    QStringList ids;
    for (const QString &name : names) {
        ids << create(name, m_token);
        QVERIFY(!ids.last().isEmpty());
    }
    for (const QString &id : std::as_const(ids)) {
        QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kError, 30000);
        const QList<rde::ClusterEvent> errs = errors(id);
        QCOMPARE(errs.size(), 1);
        QVERIFY2(errs.first().detail.contains(QLatin1String("not a valid cluster name")), qPrintable(errs.first().detail));
        QCOMPARE(audit(QStringLiteral("vms"), id).size(), 0); // no bootstrap VM, no vApp query
    }
    for (const QByteArray &line : m_server->output().split('\n'))
        QVERIFY2(!line.startsWith(forgedLine.toUtf8()), "a cluster name forged a log line");
    QVERIFY(m_server->output().contains("evil\\n2026-12-03T17:00:00.000"));
}

// Issue 22.1: a second "acme-dev" in acme (the seeded one is provisioned).
void TestHostileTenant::duplicateNameInOrg()
{
    vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
    q.filter = QStringLiteral("name==acme-dev");
    auto before = vcd::await<QList<rde::DefinedEntity>>([&](auto done) { m_acme->listEntities(q, done); });
    QVERIFY(before.ok());
    QCOMPARE(before->size(), 1);
    const QString original = before->first().id;
    const QString id = create(QStringLiteral("acme-dev"), m_token);
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kError, 30000);
    const QList<rde::ClusterEvent> errs = errors(id);
    QCOMPARE(errs.size(), 1);
    QVERIFY2(errs.first().detail.contains(QLatin1String("a cluster named \"acme-dev\" already exists in org \"acme\"")),
             qPrintable(errs.first().detail));
    QCOMPARE(audit(QStringLiteral("vms"), id).size(), 0);
    // The older one keeps working.
    QCOMPARE(cluster(original).state(), rde::clusterstate::kProvisioned);
    QVERIFY(errors(original).isEmpty());
}

// Issue 22.2: no spec.vcdKe.secure.apiToken.
void TestHostileTenant::noOwnerTokenEndsInError()
{
    const QString id = create(QStringLiteral("tokenless"), QString());
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kError, 30000);
    const QList<rde::ClusterEvent> errs = errors(id);
    QCOMPARE(errs.size(), 1);
    QVERIFY2(errs.first().detail.startsWith(QLatin1String("no owner API token: ")), qPrintable(errs.first().detail));
    QVERIFY2(errs.first().detail.contains(QLatin1String("What to do:")), qPrintable(errs.first().detail));
    QCOMPARE(cluster(id).repairAttempts(), 0);
    QCOMPARE(audit(QStringLiteral("vms"), id).size(), 0);
}

// Issue 19.5: an entity over the documented cap (4 MiB) ends in error with
// the reason at validate; nothing is built for it.
void TestHostileTenant::oversizedEntityEndsInError()
{
    const QString id = create(QStringLiteral("oversized"), m_token, true, [](rde::Cluster &c) {
        c.setCapiYaml(c.capiYaml() + QStringLiteral("\n# ") + QString(int(rde::kMaxClusterEntityBytes), QLatin1Char('x')) + QLatin1Char('\n'));
    });
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kError, 30000);
    const QList<rde::ClusterEvent> errs = errors(id);
    QCOMPARE(errs.size(), 1);
    QVERIFY2(errs.first().detail.contains(QLatin1String("over the cap")), qPrintable(errs.first().detail));
    QCOMPARE(audit(QStringLiteral("vms"), id).size(), 0);
}

// Issue 19.6: an owner token VCD refuses (invalid_grant) must not keep the
// cluster in provisioning/repair for ever.
void TestHostileTenant::refusedOwnerTokenEndsRepair()
{
    const QString id = create(QStringLiteral("badtoken"), QStringLiteral("not-a-token-of-anybody"));
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kError, 40000);
    const rde::Cluster c = cluster(id);
    QCOMPARE(c.repairAttempts(), test::fastHaSettings().autoRepairMaxAttempts);
    QVERIFY2(c.lastError().contains(QLatin1String("cannot remove the failed attempt")), qPrintable(c.lastError()));
}

// Issue 19.3: a write VCD refuses for good (413) ends the step; it is not
// "deferred" and retried every poll.
void TestHostileTenant::permanentWriteFailureEndsTheStep()
{
    const QString id = create(QStringLiteral("refused-writes"), m_token, false);
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(cluster(id).ownerEpoch() > 0, 30000);
    QJsonObject rule;
    rule.insert(QStringLiteral("route"), QString(QStringLiteral("PUT /cloudapi/1\\.0\\.0/entities/") + QRegularExpression::escape(id)));
    rule.insert(QStringLiteral("errorRate"), 1);
    rule.insert(QStringLiteral("errorStatus"), 413);
    const QJsonArray rules{rule};
    QVERIFY(test::call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"), QJsonDocument(rules).toJson()).ok());
    static const QRegularExpression refused(QStringLiteral("^cse_vcd_requests_total\\{[^}]*route=\"PUT /cloudapi/1.0.0/entities/\\{id\\}\""
                                                           "[^}]*status=\"413\"\\} (\\d+)$"),
                                            QRegularExpression::MultilineOption);
    auto count = [&] { return refused.match(metrics()).captured(1).toInt(); };
    QTRY_VERIFY_WITH_TIMEOUT(count() > 0, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->output().contains("write refused"), 5000);
    const int n = count();
    QTest::qWait(4000); // four polls
    const int after = count();
    QVERIFY(test::call(*m_admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).ok());
    QVERIFY2(after == n, qPrintable(QStringLiteral("%1 refused writes became %2: retried").arg(n).arg(after)));
}

// Issue 19.3 and 19.13: the exposition is valid, route labels are templates.
void TestHostileTenant::metricsAreValidAndBounded()
{
    // A cluster whose owner connection logs in at /oauth/tenant/acme/token.
    QVERIFY(!create(QStringLiteral("metrics-probe"), QStringLiteral("another-bad-token"), false).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(metrics().contains(QLatin1String("route=\"POST /oauth/tenant/{org}/token\"")), 30000);
    const QString m = metrics();
    QVERIFY(m.contains(QLatin1String("cse_vcd_requests_total{")));
    QVERIFY2(!m.contains(QLatin1String("acme")) && !m.contains(QLatin1String("urn:vcloud")), "a tenant name or id in /metrics");
    static const QRegularExpression sample(QStringLiteral(
        R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? [-+0-9.eEInfa]+$)"));
    int samples = 0;
    for (const QString &line : m.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (line.startsWith(QLatin1Char('#')))
            continue;
        QVERIFY2(sample.match(line).hasMatch(), qPrintable(line));
        ++samples;
    }
    QVERIFY(samples > 10);
    QVERIFY(m.size() < 64 * 1024);
}

// Issue 19.11: HEAD answers the headers GET would, without a body (the
// next answer on the connection follows the headers at once).
void TestHostileTenant::headHasNoBody()
{
    const QUrl health(m_server->healthUrl());
    QTcpSocket s;
    s.connectToHost(QHostAddress(health.host()), quint16(health.port()));
    QVERIFY(s.waitForConnected(3000));
    s.write("HEAD /readyz HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    QByteArray got;
    QTRY_VERIFY_WITH_TIMEOUT((got += s.readAll(), s.state() == QAbstractSocket::UnconnectedState), 5000);
    got += s.readAll();
    const qsizetype second = got.indexOf("\r\n\r\n");
    QVERIFY2(got.startsWith("HTTP/1.1 200") && second > 0, got.constData());
    QVERIFY2(got.mid(second + 4).startsWith("HTTP/1.1 200"), got.constData()); // no body after HEAD's headers
    QVERIFY2(got.left(second).contains("Content-Length: 6"), got.constData());   // the length GET would have
    QVERIFY(got.endsWith("ok\n"));
}

// Issue 19.11: 520 idle keep-alive connections from one address do not turn /readyz into 503.
void TestHostileTenant::idleConnectionsDoNotFailReadiness()
{
    const QUrl health(m_server->healthUrl());
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 520; ++i) {
        idle.push_back(std::make_unique<QTcpSocket>());
        idle.back()->connectToHost(QHostAddress(health.host()), quint16(health.port()));
    }
    for (auto &c : idle)
        c->waitForConnected(3000);
    QCoreApplication::processEvents();
    for (int i = 0; i < 5; ++i) {
        const auto r = m_server->health(QStringLiteral("/readyz"));
        QVERIFY2(r.first == 200, qPrintable(QStringLiteral("/readyz answered %1 %2").arg(r.first).arg(QString::fromUtf8(r.second))));
    }
}

QTEST_GUILESS_MAIN(TestHostileTenant)
#include "tst_hostile_tenant.moc"
