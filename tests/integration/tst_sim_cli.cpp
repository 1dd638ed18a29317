// vcd-sim's command line, which other tools depend on: readiness lines,
// admin password sources, persistence of the certificate, idempotent seed,
// --fault, --plain-http, and clear errors for bad arguments.
#include "../support/simprocess.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QProcess>
#include <QtTest>

using namespace cse;

namespace {
struct Exit
{
    int code = -1;
    QString output;
};

Exit runSim(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(CSE_VCD_SIM_BIN), args);
    p.waitForFinished(20000);
    return {p.exitCode(), QString::fromUtf8(p.readAll())};
}

// Reads the process output until `marker` shows up; false after the timeout.
bool waitFor(QProcess &p, QByteArray &out, const QByteArray &marker, int timeoutMs = 20000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!out.contains(marker) && !deadline.hasExpired() && p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(100);
        out += p.readAll();
    }
    out += p.readAll();
    return out.contains(marker);
}

int clusterCount(const test::SimProcess &sim)
{
    vcd::Client c(sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    if (!test::connect(c))
        return -1;
    auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        c.listEntities(vcd::ListQuery::ofInterface(QStringLiteral("vmware"), QStringLiteral("k8s"), QStringLiteral("1")), done);
    });
    return list ? int(list->size()) : -1;
}
} // namespace

class TestSimCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badArguments_data();
    void badArguments();
    void generatedAdminPassword();
    void restartKeepsCertificateAndSeedIsIdempotent();
    void faultFromCommandLine();
    void plainHttp();
};

void TestSimCli::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no data") << QStringList{} << "--data DIR is required";
    QTest::newRow("bad listen") << QStringList{"--data", "/tmp/x", "--listen", "localhost"} << "--listen expects ADDRESS:PORT";
    QTest::newRow("bad port") << QStringList{"--data", "/tmp/x", "--listen", "127.0.0.1:99999"} << "--listen expects ADDRESS:PORT";
    QTest::newRow("bad seed") << QStringList{"--data", "/tmp/x", "--seed", "big"} << "--seed knows only \"demo\"";
    QTest::newRow("bad fault") << QStringList{"--data", "/tmp/x", "--fault", "error=7"} << "between 0 and 1";
    QTest::newRow("bad latency") << QStringList{"--data", "/tmp/x", "--latency-ms", "-1"} << "--latency-ms";
    QTest::newRow("bad db") << QStringList{"--data", "/tmp/x", "--db", "mysql://x@y/z"} << "--db must look like postgres://";
}

void TestSimCli::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Exit e = runSim(args);
    QVERIFY2(e.code != 0, qPrintable(e.output));
    QVERIFY2(e.output.contains(message), qPrintable(e.output));
}

void TestSimCli::generatedAdminPassword()
{
    QTemporaryDir dir;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("VCDSIM_ADMIN_PASSWORD"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CSE_VCD_SIM_BIN), {QStringLiteral("--data"), dir.path(), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QByteArray first;
    QVERIFY2(waitFor(p, first, "fingerprint: "), first.constData());
    const QFileInfo file(dir.filePath(QStringLiteral("admin-password")));
    QVERIFY(file.exists());
    QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("tls-key.pem"))).permissions() == (QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                                                     | QFileDevice::ReadUser | QFileDevice::WriteUser));
    p.terminate();
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    // The environment variable wins over the generated file.
    env.insert(QStringLiteral("VCDSIM_ADMIN_PASSWORD"), QStringLiteral("from-env-pw"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CSE_VCD_SIM_BIN), {QStringLiteral("--data"), dir.path(), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QByteArray out;
    QVERIFY2(waitFor(p, out, "fingerprint: "), out.constData());
    const QString url = QString::fromUtf8(out).section(QStringLiteral("listening on "), 1).section(QLatin1Char('\n'), 0, 0).trimmed();
    vcd::ConnectionOptions o;
    o.url = QUrl(url);
    o.org = QStringLiteral("System");
    o.user = QStringLiteral("administrator");
    o.password = QStringLiteral("from-env-pw");
    o.fingerprint = QString::fromUtf8(out).section(QStringLiteral("fingerprint: "), 1).section(QLatin1Char('\n'), 0, 0).trimmed();
    vcd::Client c(o);
    QVERIFY(test::connect(c).ok());
    p.terminate();
    QVERIFY(p.waitForFinished(10000));
}

void TestSimCli::restartKeepsCertificateAndSeedIsIdempotent()
{
    QTemporaryDir dir;
    const QStringList args{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")};
    test::SimProcess first(args, dir.path());
    QVERIFY2(first.start(), qPrintable(first.error()));
    QCOMPARE(clusterCount(first), 2);
    const QString fingerprint = first.fingerprint();
    QVERIFY(first.terminate());
    test::SimProcess second(args, dir.path());
    QVERIFY2(second.start(), qPrintable(second.error()));
    QCOMPARE(second.fingerprint(), fingerprint);
    QCOMPARE(clusterCount(second), 2); // seeding again added nothing
    QVERIFY(second.terminate());
}

void TestSimCli::faultFromCommandLine()
{
    test::SimProcess sim({QStringLiteral("--fault"), QStringLiteral("route=^GET /cloudapi/1.0.0/orgs$;error=1;status=500")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::ConnectionOptions o = sim.provider();
    o.maxRetries = 0;
    vcd::Client c(o);
    QVERIFY(test::connect(c).ok());
    QCOMPARE(test::call(c, "GET", QStringLiteral("/cloudapi/1.0.0/orgs")).error().httpStatus, 500);
    QVERIFY(test::call(c, "GET", QStringLiteral("/cloudapi/1.0.0/sessions/current")).ok());
    auto listed = test::call(c, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"));
    QVERIFY(listed->body.contains("^GET /cloudapi/1.0.0/orgs$"));
}

void TestSimCli::plainHttp()
{
    test::SimProcess sim({QStringLiteral("--plain-http")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    QVERIFY(sim.url().startsWith(QLatin1String("http://127.0.0.1:")));
    QVERIFY(!sim.output().contains("fingerprint"));
    vcd::ConnectionOptions o = sim.provider();
    o.fingerprint.clear();
    vcd::Client c(o);
    QVERIFY(test::connect(c).ok());
}

QTEST_GUILESS_MAIN(TestSimCli)
#include "tst_sim_cli.moc"
