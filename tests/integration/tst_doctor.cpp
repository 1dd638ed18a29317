// cse-server doctor against real vcd-sim (and cse-server) processes: a
// healthy demo site has no findings; each broken state the site is put into
// is reported with its id, and the exit status follows the worst severity.
#include "rde/cluster.h"
#include "rde/definedentity.h"
#include "server/doctor.h"
#include "../support/serverprocess.h"
#include "../support/simprocess.h"
#include "rde/vcdkeconfig.h"
#include "vcd/client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;

namespace {

struct Doctor
{
    int code = -1;
    QJsonArray findings;
    QString err;

    QStringList ids() const
    {
        QStringList out;
        for (const QJsonValue &f : findings)
            out << f.toObject().value(QLatin1String("id")).toString();
        return out;
    }
    QString dump() const { return QString::fromUtf8(QJsonDocument(findings).toJson()) + err; }
};

Doctor runDoctor(const QStringList &connection)
{
    QProcess p;
    p.start(QStringLiteral(CSE_SERVER_BIN), QStringList{QStringLiteral("doctor"), QStringLiteral("--json")} + connection);
    p.waitForFinished(60000);
    Doctor d;
    d.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    d.findings = QJsonDocument::fromJson(p.readAllStandardOutput()).object().value(QLatin1String("findings")).toArray();
    d.err = QString::fromUtf8(p.readAllStandardError());
    return d;
}

} // namespace

class TestDoctor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void healthyDemoSiteHasNoFindings();
    void noReplicaIsAWarning();
    void missingTypesAndConfigAreErrors();
    void leaseNotAboveTwiceRenewIsAnError();
    void clusterWithRepairExhaustedIsReported();
    void unreachableSiteIsAnError();
    void killedReplicaIsLost();
    void deleteWithoutProgressIsReported();
    void systemTokenInATenantClusterIsReported();

private:
    // Sets a cluster of org globex as its admin would.
    bool patchCluster(const test::SimProcess &sim, const QString &name, const std::function<void(rde::Cluster &)> &edit)
    {
        vcd::Client globex(sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
        if (!test::connect(globex))
            return false;
        auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
            globex.listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
        });
        if (!list)
            return false;
        for (const rde::DefinedEntity &e : *list) {
            if (rde::Cluster(e.entity).name() != name)
                continue;
            auto patched = vcd::await<rde::DefinedEntity>([&](auto done) {
                globex.patch(e.id, [&edit](QJsonObject &json) -> Result<bool> {
                    rde::Cluster c(json);
                    edit(c);
                    json = c.json();
                    return true;
                }, done);
            });
            return bool(patched);
        }
        return false;
    }
    QStringList connection(const test::SimProcess &sim)
    {
        return {QStringLiteral("--vcd"), sim.url(), QStringLiteral("--org"), QStringLiteral("System"), QStringLiteral("--user"),
                QStringLiteral("administrator"), QStringLiteral("--password-file"), passwordFile(sim),
                QStringLiteral("--fingerprint"), sim.fingerprint()};
    }
    QString passwordFile(const test::SimProcess &sim)
    {
        const QString path = m_dir.filePath(QStringLiteral("admin-password"));
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(sim.adminPassword().toUtf8());
        f.close();
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return path;
    }
    QTemporaryDir m_dir;
};

void TestDoctor::healthyDemoSiteHasNoFindings()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("10")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    test::ServerProcess a(sim, QStringLiteral("doctor-a"));
    test::ServerProcess b(sim, QStringLiteral("doctor-b"));
    QVERIFY2(a.start(), qPrintable(a.error()));
    QVERIFY2(b.start(), qPrintable(b.error()));
    const Doctor d = runDoctor(connection(sim));
    QVERIFY2(d.findings.isEmpty(), qPrintable(d.dump()));
    QCOMPARE(d.code, 0);
    a.terminate();
    b.terminate();
}

void TestDoctor::noReplicaIsAWarning()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    const Doctor d = runDoctor(connection(sim));
    QCOMPARE(d.ids(), QStringList{QStringLiteral("replicas.none")});
    QCOMPARE(d.code, 1);
    const QJsonObject f = d.findings.first().toObject();
    QCOMPARE(f.value(QLatin1String("severity")).toString(), QStringLiteral("warning"));
    for (const char *key : {"title", "detail", "fix"})
        QVERIFY2(!f.value(QLatin1String(key)).toString().isEmpty(), key);
}

void TestDoctor::missingTypesAndConfigAreErrors()
{
    // --seed tenants: orgs, users and VDCs only, as before `cse-server install`.
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("tenants")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    const Doctor d = runDoctor(connection(sim));
    QVERIFY2(d.ids().contains(QStringLiteral("rde.type-missing")), qPrintable(d.dump()));
    QVERIFY2(d.ids().contains(QStringLiteral("config.missing")), qPrintable(d.dump()));
    QCOMPARE(d.code, 2);
    bool namesInstall = false;
    for (const QJsonValue &f : d.findings)
        namesInstall |= f.toObject().value(QLatin1String("fix")).toString().contains(QLatin1String("cse-server install"));
    QVERIFY(namesInstall);
}

void TestDoctor::leaseNotAboveTwiceRenewIsAnError()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin));
    QVERIFY(test::editHaSettings(admin, [](rde::HaSettings &ha) {
        ha.leaseSeconds = 4;
        ha.renewSeconds = 2;
    }));
    const Doctor d = runDoctor(connection(sim));
    QVERIFY2(d.ids().contains(QStringLiteral("config.ha-lease")), qPrintable(d.dump()));
    QCOMPARE(d.code, 2);
}

void TestDoctor::clusterWithRepairExhaustedIsReported()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    QVERIFY(patchCluster(sim, QStringLiteral("globex-broken"), [](rde::Cluster &c) {
        c.setAutoRepairOnErrors(true);
        c.setRepairAttempts(rde::HaSettings().autoRepairMaxAttempts);
    }));
    const Doctor d = runDoctor(connection(sim));
    QVERIFY2(d.ids().contains(QStringLiteral("cluster.repair-exhausted")), qPrintable(d.dump()));
    QVERIFY(d.dump().contains(QLatin1String("globex-broken")));
}

void TestDoctor::unreachableSiteIsAnError()
{
    // A port that nothing listens on: bind one, then close it.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("tenants")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    QStringList c = connection(sim);
    c[1] = QStringLiteral("https://127.0.0.1:%1").arg(port);
    const Doctor d = runDoctor(c);
    QCOMPARE(d.ids(), QStringList{QStringLiteral("vcd.unreachable")});
    QCOMPARE(d.code, 2);
}

void TestDoctor::killedReplicaIsLost()
{
    // kill -9 leaves the serverInstance saying "running"; its heartbeat stops.
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("10")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    test::ServerProcess a(sim, QStringLiteral("doctor-alive"));
    test::ServerProcess b(sim, QStringLiteral("doctor-killed"));
    QVERIFY2(a.start(), qPrintable(a.error()));
    QVERIFY2(b.start(), qPrintable(b.error()));
    b.kill9();
    const Doctor d = runDoctor(connection(sim));
    QVERIFY2(d.ids().contains(QStringLiteral("replicas.lost")), qPrintable(d.dump()));
    QVERIFY2(d.dump().contains(QLatin1String("doctor-killed")), qPrintable(d.dump()));
    QVERIFY2(!d.dump().contains(QLatin1String("doctor-alive")), qPrintable(d.dump()));
    QVERIFY2(d.ids().contains(QStringLiteral("replicas.single")), qPrintable(d.dump()));
    QCOMPARE(d.code, 1);
    a.terminate();
}

namespace {
// The wall clock two hours on: every seeded event is older than phaseTimeoutSeconds.
class LaterClock : public server::Clock
{
public:
    qint64 monotonicMs() const override { return server::Clock::system()->monotonicMs(); }
    QDateTime utcNow() const override { return server::Clock::system()->utcNow().addSecs(7200); }
};
} // namespace

void TestDoctor::deleteWithoutProgressIsReported()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    QVERIFY(patchCluster(sim, QStringLiteral("globex-web"), [](rde::Cluster &c) { c.setMarkForDelete(true); }));
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin));
    LaterClock later;
    server::DoctorOptions options;
    options.clock = &later;
    // Now: the delete was asked for a moment ago, nothing is stuck yet.
    const server::DoctorReport now = server::diagnose(admin, QStringLiteral("System"));
    for (const server::Finding &f : now.findings)
        QVERIFY2(f.id != QLatin1String("cluster.delete-stuck"), qPrintable(now.toText()));
    const server::DoctorReport report = server::diagnose(admin, QStringLiteral("System"), options);
    bool found = false;
    for (const server::Finding &f : report.findings)
        found |= f.id == QLatin1String("cluster.delete-stuck") && f.title.contains(QLatin1String("globex-web"));
    QVERIFY2(found, qPrintable(report.toText()));
}

QTEST_GUILESS_MAIN(TestDoctor)
// Issue 19.1: a tenant cluster that holds a System user's API token is
// listed (its org's authors can read the token through getFullEntity);
// tenant tokens are not, and the token itself is never printed.
void TestDoctor::systemTokenInATenantClusterIsReported()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::Client provider(sim.provider());
    QVERIFY(test::connect(provider));
    auto systemToken = test::createApiToken(provider, QStringLiteral("System"), QStringLiteral("administrator"));
    QVERIFY(systemToken.ok() && !systemToken->isEmpty());
    const Doctor before = runDoctor(connection(sim));
    QVERIFY2(!before.ids().contains(QStringLiteral("cluster.system-token")), qPrintable(before.dump()));
    vcd::Client globex(sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
    QVERIFY(test::connect(globex));
    auto clusters = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        globex.listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
    });
    QVERIFY(clusters.ok());
    QString id;
    for (const rde::DefinedEntity &e : *clusters)
        if (rde::Cluster(e.entity).name() == QLatin1String("globex-broken"))
            id = e.id;
    QVERIFY(!id.isEmpty());
    const QString token = *systemToken;
    auto patched = vcd::await<rde::DefinedEntity>([&](auto done) {
        globex.patch(id, [token](QJsonObject &json) -> Result<bool> {
            QJsonObject spec = json.value(QLatin1String("spec")).toObject();
            QJsonObject vcdKe = spec.value(QLatin1String("vcdKe")).toObject();
            QJsonObject secure = vcdKe.value(QLatin1String("secure")).toObject();
            secure.insert(QStringLiteral("apiToken"), token);
            vcdKe.insert(QStringLiteral("secure"), secure);
            spec.insert(QStringLiteral("vcdKe"), vcdKe);
            json.insert(QStringLiteral("spec"), spec);
            return true;
        }, done);
    });
    QVERIFY2(patched.ok(), qPrintable(patched.ok() ? QString() : patched.error().toString()));
    const Doctor d = runDoctor(connection(sim));
    QVERIFY2(d.ids().contains(QStringLiteral("cluster.system-token")), qPrintable(d.dump()));
    QCOMPARE(d.ids().count(QStringLiteral("cluster.system-token")), 1);
    QVERIFY(d.dump().contains(QLatin1String("globex-broken")));
    QVERIFY(!d.dump().contains(token));
    QCOMPARE(d.code, 2);
}

#include "tst_doctor.moc"
