// cse-server doctor against real vcd-sim (and cse-server) processes: a
// healthy demo site has no findings; each broken state the site is put into
// is reported with its id, and the exit status follows the worst severity.
#include "rde/cluster.h"
#include "rde/definedentity.h"
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

private:
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
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin));
    vcd::Client globex(sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
    QVERIFY(test::connect(globex));
    auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        globex.listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
    });
    QVERIFY(list);
    QString id;
    for (const rde::DefinedEntity &e : *list)
        if (rde::Cluster(e.entity).name() == QLatin1String("globex-broken"))
            id = e.id;
    QVERIFY(!id.isEmpty());
    auto patched = vcd::await<rde::DefinedEntity>([&](auto done) {
        globex.patch(id, [](QJsonObject &e) -> Result<bool> {
            rde::Cluster c(e);
            c.setAutoRepairOnErrors(true);
            c.setRepairAttempts(rde::HaSettings().autoRepairMaxAttempts);
            e = c.json();
            return true;
        }, done);
    });
    QVERIFY(patched);
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

QTEST_GUILESS_MAIN(TestDoctor)
#include "tst_doctor.moc"
