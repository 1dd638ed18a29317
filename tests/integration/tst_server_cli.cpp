// The cse-server command line: shared connection options against a real
// vcd-sim, the fingerprint helper, and entity validation.
#include "../support/serverprocess.h"
#include "../support/simprocess.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;

namespace {
struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run runBinary(const QString &binary, const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(binary, args);
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

Run runServer(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    return runBinary(QStringLiteral(CSE_SERVER_BIN), args, env);
}

#ifdef CSE_CONSOLE_BIN
// cse-console where a GUI could not start: no display of any kind.
Run runConsoleWithoutDisplay(const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(v));
    return runBinary(QStringLiteral(CSE_CONSOLE_BIN), args, env);
}
#endif

QString writeSecret(const QTemporaryDir &dir, const QString &name, const QByteArray &content, bool privateFile = true)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(content);
    f.close();
    f.setPermissions(privateFile ? (QFileDevice::ReadOwner | QFileDevice::WriteOwner)
                                 : (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
    return path;
}
} // namespace

class TestServerCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void checkConnectionWithToken();
    void checkConnectionWithPasswordFromEnvironment();
    void refusesSecretsOnTheCommandLine();
    void refusesCredentialsInTheUrl();
    void wrongFingerprintIsRefused();
    void fingerprintCommand();
    void validateCommand();
    void unknownCommandIsNamed();
    void installIsIdempotent();
    void replicaRefusesLooseTokenFile();
    void replicaTakesTokenFromSystemdCredentialAndConfigFile();
    void systemdUnitVerifies();
    void consoleRunsTheSameReplicaHeadless();
    void consoleDispatchesEveryServerCommand_data();
    void consoleDispatchesEveryServerCommand();
    void consoleAnswersHelpWithoutADisplay_data();
    void consoleAnswersHelpWithoutADisplay();

private:
    test::SimProcess m_sim{{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")}};
    QTemporaryDir m_dir;
    QString m_token;
};

void TestServerCli::initTestCase()
{
    QVERIFY2(m_sim.start(), qPrintable(m_sim.error()));
    vcd::Client admin(m_sim.provider());
    QVERIFY(test::connect(admin).ok());
    auto token = test::createApiToken(admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
    QVERIFY(token.ok());
    m_token = *token;
}

void TestServerCli::checkConnectionWithToken()
{
    const QString tokenFile = writeSecret(m_dir, QStringLiteral("token"), m_token.toUtf8() + '\n');
    const Run r = runServer({QStringLiteral("check-connection"), QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"),
                             QStringLiteral("acme"), QStringLiteral("--token-file"), tokenFile, QStringLiteral("--fingerprint"),
                             m_sim.fingerprint()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QLatin1String("with API version 38.0")));
    QVERIFY2(r.out.contains(QLatin1String("2 clusters visible")), qPrintable(r.out));
    QVERIFY(!r.out.contains(m_token) && !r.err.contains(m_token));
    // The same through `cse-console --server`-style dispatch is covered by the binary; a loose file is refused.
    const QString loose = writeSecret(m_dir, QStringLiteral("loose"), m_token.toUtf8(), false);
    const Run refused = runServer({QStringLiteral("check-connection"), QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"),
                                   QStringLiteral("acme"), QStringLiteral("--token-file"), loose});
    QCOMPARE(refused.code, 2);
    QVERIFY(refused.err.contains(QLatin1String("chmod 600")));
}

void TestServerCli::checkConnectionWithPasswordFromEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CSE_VCD_URL"), m_sim.url());
    env.insert(QStringLiteral("CSE_VCD_ORG"), QStringLiteral("System"));
    env.insert(QStringLiteral("CSE_VCD_USER"), QStringLiteral("administrator"));
    env.insert(QStringLiteral("CSE_VCD_PASSWORD"), m_sim.adminPassword());
    env.insert(QStringLiteral("CSE_VCD_FINGERPRINT"), m_sim.fingerprint());
    const Run r = runServer({QStringLiteral("check-connection")}, env);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QLatin1String("session: administrator in System")));
    QVERIFY(r.out.contains(QLatin1String("1 server configurations visible")));
    env.insert(QStringLiteral("CSE_VCD_PASSWORD"), QStringLiteral("not-the-password"));
    const Run bad = runServer({QStringLiteral("check-connection")}, env);
    QCOMPARE(bad.code, 1);
    QVERIFY(bad.err.contains(QLatin1String("HTTP 401")));
    QVERIFY(!bad.err.contains(QLatin1String("not-the-password")));
}

void TestServerCli::refusesSecretsOnTheCommandLine()
{
    const Run r = runServer({QStringLiteral("check-connection"), QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"),
                             QStringLiteral("acme"), QStringLiteral("--user"), QStringLiteral("acme-admin"),
                             QStringLiteral("--password"), QStringLiteral("demo-password")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("not accepted as command-line values")));
}

// --vcd https://user:SECRET@host, the same in CSE_VCD_URL and in a --config
// file: refused with where credentials go; the secret is printed nowhere.
void TestServerCli::refusesCredentialsInTheUrl()
{
    const QString withSecret = m_sim.url().replace(QLatin1String("://"), QLatin1String("://administrator:SECRET@"));
    const QString pw = writeSecret(m_dir, QStringLiteral("pw-url"), m_sim.adminPassword().toUtf8());
    const QString ini = m_dir.filePath(QStringLiteral("url.ini"));
    {
        QFile f(ini);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("vcd=" + withSecret.toUtf8() + "\norg=System\nname=r1\nhealth=127.0.0.1:0\n");
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CSE_VCD_URL"), withSecret);
    const QStringList creds{QStringLiteral("--org"), QStringLiteral("System"), QStringLiteral("--user"), QStringLiteral("administrator"),
                            QStringLiteral("--password-file"), pw};
    const QList<QPair<QStringList, QProcessEnvironment>> runs{
        {QStringList{QStringLiteral("check-connection"), QStringLiteral("--vcd"), withSecret} + creds,
         QProcessEnvironment::systemEnvironment()},
        {QStringList{QStringLiteral("check-connection")} + creds, env},
        {QStringList{QStringLiteral("backup"), m_dir.filePath(QStringLiteral("x.cseb")), QStringLiteral("--vcd"), withSecret} + creds,
         QProcessEnvironment::systemEnvironment()},
        {QStringList{QStringLiteral("fingerprint"), QStringLiteral("--vcd"), withSecret}, QProcessEnvironment::systemEnvironment()},
        {QStringList{QStringLiteral("--config"), ini, QStringLiteral("--user"), QStringLiteral("administrator"),
                     QStringLiteral("--password-file"), pw},
         QProcessEnvironment::systemEnvironment()},
    };
    for (const auto &[args, environment] : runs) {
        const Run r = runServer(args, environment);
        QVERIFY2(r.code == 2, qPrintable(args.first() + QLatin1String(": ") + r.err));
        QVERIFY2(r.err.contains(QLatin1String("--password-file")) && r.err.contains(QLatin1String("--token-file")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("SECRET")) && !r.out.contains(QLatin1String("SECRET")), qPrintable(r.err + r.out));
    }
}

void TestServerCli::wrongFingerprintIsRefused()
{
    const QString tokenFile = writeSecret(m_dir, QStringLiteral("token2"), m_token.toUtf8());
    const QString wrong = QString(64, QLatin1Char('A'));
    const Run r = runServer({QStringLiteral("check-connection"), QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"),
                             QStringLiteral("acme"), QStringLiteral("--token-file"), tokenFile, QStringLiteral("--fingerprint"), wrong});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(m_sim.fingerprint()), qPrintable(r.err));
}

void TestServerCli::fingerprintCommand()
{
    const Run r = runServer({QStringLiteral("fingerprint"), QStringLiteral("--vcd"), m_sim.url()});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out.trimmed(), m_sim.fingerprint());
}

void TestServerCli::validateCommand()
{
    const Run ok = runServer({QStringLiteral("validate"), QStringLiteral("--type"), QStringLiteral("urn:vcloud:type:vmware:capvcdCluster:1.2.0"),
                              QStringLiteral(CSE_TEST_DATA "/cluster-1.2.0-provisioned.json")});
    QCOMPARE(ok.code, 0);
    const QString bad = writeSecret(m_dir, QStringLiteral("bad.json"), R"({"apiVersion":"x","kind":"Pod","metadata":{},"spec":{}})");
    const Run r = runServer({QStringLiteral("validate"), QStringLiteral("--type"), QStringLiteral("urn:vcloud:type:vmware:capvcdCluster:1.2.0"), bad});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains(QLatin1String("/kind: expected one of [\"CAPVCDCluster\"]")));
    QVERIFY(r.err.contains(QLatin1String("/metadata/name: required property")));
    const Run none = runServer({QStringLiteral("validate")});
    QCOMPARE(none.code, 2);
    QVERIFY(none.err.contains(QLatin1String("urn:vcloud:type:cseconsole:serverInstance:1.0.0")));
}

void TestServerCli::unknownCommandIsNamed()
{
    const Run r = runServer({QStringLiteral("frobnicate")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("unknown command \"frobnicate\"")) && r.err.contains(QLatin1String("install")),
             qPrintable(r.err));
    const Run noName = runServer({QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"), QStringLiteral("System")});
    QCOMPARE(noName.code, 2);
    QVERIFY2(noName.err.contains(QLatin1String("--name is required")), qPrintable(noName.err));
}

void TestServerCli::installIsIdempotent()
{
    const QString pw = writeSecret(m_dir, QStringLiteral("admin-pw"), m_sim.adminPassword().toUtf8());
    const QStringList args{QStringLiteral("install"), QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"),
                           QStringLiteral("System"), QStringLiteral("--user"), QStringLiteral("administrator"),
                           QStringLiteral("--password-file"), pw, QStringLiteral("--fingerprint"), m_sim.fingerprint()};
    const Run first = runServer(args);
    QVERIFY2(first.code == 0, qPrintable(first.err));
    QVERIFY2(first.out.contains(QLatin1String("entity type urn:vcloud:type:cseconsole:serverInstance:1.0.0")), qPrintable(first.out));
    const Run second = runServer(args);
    QVERIFY2(second.code == 0, qPrintable(second.err));
    QVERIFY2(second.out.contains(QLatin1String("nothing to do")), qPrintable(second.out));
    // A tenant cannot install.
    const Run tenant = runServer({QStringLiteral("install"), QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"),
                                  QStringLiteral("acme"), QStringLiteral("--user"), QStringLiteral("acme-admin"),
                                  QStringLiteral("--password-file"), pw});
    QCOMPARE(tenant.code, 2);
    QVERIFY2(tenant.err.contains(QLatin1String("provider administrator")), qPrintable(tenant.err));
}

void TestServerCli::replicaRefusesLooseTokenFile()
{
    const QString loose = writeSecret(m_dir, QStringLiteral("loose-token"), m_token.toUtf8(), false);
    const Run r = runServer({QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"), QStringLiteral("System"),
                             QStringLiteral("--token-file"), loose, QStringLiteral("--name"), QStringLiteral("x"),
                             QStringLiteral("--health"), QStringLiteral("127.0.0.1:0")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("readable by others")) && r.err.contains(QLatin1String("chmod 600")), qPrintable(r.err));
    QVERIFY(!r.err.contains(m_token));
}

void TestServerCli::replicaTakesTokenFromSystemdCredentialAndConfigFile()
{
    vcd::Client admin(m_sim.provider());
    QVERIFY(test::connect(admin).ok());
    auto token = test::createApiToken(admin, QStringLiteral("System"), QStringLiteral("administrator"));
    QVERIFY(token.ok());
    QTemporaryDir creds;
    writeSecret(creds, QStringLiteral("vcd-api-token"), token->toUtf8() + '\n');
    QTemporaryDir conf;
    const QString ini = conf.filePath(QStringLiteral("cse-server.conf"));
    {
        QFile f(ini);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("; test configuration\nvcd = %1\norg = System\nfingerprint = %2\nname = from-config\n"
                               "health = 127.0.0.1:0\n")
                    .arg(m_sim.url(), m_sim.fingerprint()).toUtf8());
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), creds.path());
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("cse.*.debug=true;qt.network.*=true"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(CSE_SERVER_BIN), {QStringLiteral("--config"), ini});
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAll()).contains("replica from-config ready"), 30000);
    QVERIFY2(out.contains("API token from the systemd credential"), out.constData());
    p.terminate();
    QVERIFY(p.waitForFinished(15000));
    out += p.readAll();
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(!out.contains(token->toUtf8()), "the API token must never be logged");
    QVERIFY(!out.contains("Bearer "));
    QVERIFY(!out.contains("refresh_token="));
    // An unknown key in the configuration file is named.
    {
        QFile f(ini);
        QVERIFY(f.open(QIODevice::Append));
        f.write("colour = blue\n");
    }
    const Run bad = runServer({QStringLiteral("--config"), ini}, env);
    QCOMPARE(bad.code, 2);
    QVERIFY2(bad.err.contains(QLatin1String("unknown key \"colour\"")), qPrintable(bad.err));
}

void TestServerCli::systemdUnitVerifies()
{
    const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
    if (analyze.isEmpty())
        QSKIP("systemd-analyze is not installed (package systemd; `make deps` installs it)");
    QFile unit(QStringLiteral(CSE_TEST_DATA "/../../packaging/cse-server.service"));
    QVERIFY(unit.open(QIODevice::ReadOnly));
    QByteArray text = unit.readAll();
    for (const char *key : {"Type=notify", "Restart=on-failure", "RestartSec=", "StartLimitBurst=", "WatchdogSec=",
                            "LoadCredential=vcd-api-token", "DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict"})
        QVERIFY2(text.contains(key), key);
    // Verify it with the binary we built (systemd checks that ExecStart exists).
    text.replace("/usr/local/bin/cse-server", QByteArray(CSE_SERVER_BIN));
    QTemporaryDir dir;
    QFile copy(dir.filePath(QStringLiteral("cse-server.service")));
    QVERIFY(copy.open(QIODevice::WriteOnly));
    copy.write(text);
    copy.close();
    QProcess p;
    p.start(analyze, {QStringLiteral("verify"), copy.fileName()});
    QVERIFY(p.waitForFinished(60000));
    const QByteArray complaints = p.readAllStandardError() + p.readAllStandardOutput();
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(complaints.trimmed().isEmpty(), complaints.constData()); // unknown keys are only warnings
}

void TestServerCli::consoleRunsTheSameReplicaHeadless()
{
#ifndef CSE_CONSOLE_BIN
    QSKIP("cse-console is not built in this preset");
#else
    const QString pw = writeSecret(m_dir, QStringLiteral("admin-pw-console"), m_sim.adminPassword().toUtf8());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // no display at all: a GUI could not start
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(CSE_CONSOLE_BIN), {QStringLiteral("--server"), QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"),
                                              QStringLiteral("System"), QStringLiteral("--user"), QStringLiteral("administrator"),
                                              QStringLiteral("--password-file"), pw, QStringLiteral("--fingerprint"),
                                              m_sim.fingerprint(), QStringLiteral("--name"), QStringLiteral("console-replica"),
                                              QStringLiteral("--health"), QStringLiteral("127.0.0.1:0")});
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAll()).contains("replica console-replica ready"), 30000);
    p.terminate();
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 0);
#endif
}

void TestServerCli::consoleDispatchesEveryServerCommand_data()
{
    QTest::addColumn<QString>("command");
    for (const char *c : {"validate", "check-connection", "fingerprint", "install", "backup", "restore", "verify"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

// cse-console runs every command of cse-server headless (one list; verify was
// missing from the console's copy), without a display.
void TestServerCli::consoleDispatchesEveryServerCommand()
{
#ifndef CSE_CONSOLE_BIN
    QSKIP("cse-console is not built in this preset");
#else
    QFETCH(QString, command);
    const Run console = runConsoleWithoutDisplay({command, QStringLiteral("--help")});
    QCOMPARE(console.code, 0);
    const QString out = console.out;
    const Run server = runServer({command, QStringLiteral("--help")});
    QCOMPARE(server.code, 0);
    // The same command, the same help (the usage line names the binary).
    QCOMPARE(QString(out).replace(QStringLiteral(CSE_CONSOLE_BIN), QStringLiteral("BIN")),
             QString(server.out).replace(QStringLiteral(CSE_SERVER_BIN), QStringLiteral("BIN")));
#endif
}

void TestServerCli::consoleAnswersHelpWithoutADisplay_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("err");
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << 0 << QStringLiteral("--demo-replicas") << QString();
    QTest::newRow("-h") << QStringList{QStringLiteral("-h")} << 0 << QStringLiteral("--screenshots") << QString();
    QTest::newRow("--help-all") << QStringList{QStringLiteral("--help-all")} << 0 << QStringLiteral("--demo") << QString();
    QTest::newRow("--version") << QStringList{QStringLiteral("--version")} << 0 << QStringLiteral("cse-console " CSE_VERSION) << QString();
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--no-such-option")} << 2 << QString()
                                    << QStringLiteral("Unknown option 'no-such-option'");
    QTest::newRow("missing value") << QStringList{QStringLiteral("--screenshots")} << 2 << QString()
                                   << QStringLiteral("Missing value after '--screenshots'");
    QTest::newRow("server command") << QStringList{QStringLiteral("verify"), QStringLiteral("--help")} << 0
                                    << QStringLiteral("Exit codes") << QString();
}

// cse-console's own command line is answered before any GUI exists: on a
// server without a display --help, --version and a bad option neither abort
// nor need a platform plugin; headless commands (verify too) go to the server CLI.
void TestServerCli::consoleAnswersHelpWithoutADisplay()
{
#ifndef CSE_CONSOLE_BIN
    QSKIP("cse-console is not built in this preset");
#else
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, out);
    QFETCH(QString, err);
    const Run r = runConsoleWithoutDisplay(args);
    const QString &stdOut = r.out;
    const QString &stdErr = r.err;
    QVERIFY2(r.code == exitCode, qPrintable(QStringLiteral("rc %1: %2%3").arg(r.code).arg(stdOut, stdErr)));
    QVERIFY2(stdOut.contains(out), qPrintable(stdOut));
    QVERIFY2(stdErr.contains(err), qPrintable(stdErr));
    QVERIFY2(!stdErr.contains(QLatin1String("platform plugin")), qPrintable(stdErr));
#endif
}

QTEST_GUILESS_MAIN(TestServerCli)
#include "tst_server_cli.moc"
