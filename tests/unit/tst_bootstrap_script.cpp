// The bootstrap VM's script and its cloud-config: shellcheck passes on the
// script as the server renders it, each guest phase is reported, failures
// carry a status and a reason, and the owner's token only ever lands in its
// own 0600 file (never in the env file, a guestinfo key or the script).
#include "rde/vcdkeconfig.h"
#include "server/bootstrapscript.h"

#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;

class TestBootstrapScript : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shellcheckPasses();
    void reportsEveryPhaseAndFailures();
    void renderingCarriesNoSecret();
    void envValuesAreQuoted();

private:
    server::BootstrapInputs inputs() const
    {
        server::BootstrapInputs in;
        in.clusterId = QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:1");
        in.clusterName = QStringLiteral("demo");
        in.clusterNamespace = QStringLiteral("demo-ns");
        in.capiYaml = QStringLiteral("apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\n");
        in.username = QStringLiteral("acme-admin");
        in.bootstrapClusterConfig = rde::VcdKeConfig::defaults42().json().value(QLatin1String("profiles")).toArray().first()
                                        .toObject().value(QLatin1String("bootstrapClusterConfig")).toObject();
        in.bootstrapClusterConfig.insert(QStringLiteral("certificateAuthorities"),
                                         QJsonArray{QStringLiteral("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")});
        return in;
    }
};

void TestBootstrapScript::shellcheckPasses()
{
    const QString shellcheck = QStandardPaths::findExecutable(QStringLiteral("shellcheck"));
    if (shellcheck.isEmpty())
        QSKIP("shellcheck is not installed (Debian package shellcheck)");
    auto rendered = server::renderBootstrapCloudConfig(inputs());
    QVERIFY(rendered.ok());
    const QByteArray script = server::cloudConfigFiles(*rendered).value(server::bootstrapfile::kScript);
    QCOMPARE(script, server::bootstrapScript());
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("bootstrap.sh")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(script);
    f.close();
    QProcess p;
    p.start(shellcheck, {QStringLiteral("--severity=style"), QStringLiteral("--shell=bash"), f.fileName()});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardOutput().constData());
}

void TestBootstrapScript::reportsEveryPhaseAndFailures()
{
    const QString script = QString::fromUtf8(server::bootstrapScript());
    QVERIFY(script.startsWith(QLatin1String("#!/usr/bin/env bash")));
    for (const QString &phase : server::guestinfo::phases()) {
        QVERIFY2(script.contains(QStringLiteral("set_phase %1 in_progress").arg(phase)), qPrintable(phase));
        QVERIFY2(script.contains(QStringLiteral("set_phase %1 successful").arg(phase)), qPrintable(phase));
    }
    QVERIFY(script.contains(QLatin1String("vmtoolsd --cmd \"info-set guestinfo.")));
    QVERIFY(script.contains(QLatin1String("trap 'on_error")));
    QVERIFY(script.contains(QLatin1String("post_customization_script_execution_status")));
    QVERIFY(script.contains(QLatin1String("post_customization_script_execution_failure_reason")));
    QVERIFY(script.contains(QLatin1String("clusterctl move")));
    QVERIFY(script.contains(QLatin1String("clusterctl init")));
    QVERIFY(script.contains(QLatin1String("kind create cluster")));
    // The guest keys the server reads are the ones the script writes.
    QCOMPARE(server::guestinfo::phaseKey(QStringLiteral("kind")), QStringLiteral("guestinfo.cse.bootstrap.kind.status"));
    QVERIFY(script.contains(QLatin1String("\"cse.bootstrap.$1.status\"")));
}

void TestBootstrapScript::renderingCarriesNoSecret()
{
    // The cloud-config (guestinfo.userdata) carries no token at all (issue
    // 19.2: a viewer could read it): BootstrapInputs has no token field, and
    // the script takes the token from its own ExtraConfig key, once, into a
    // 0600 file, and clears the key.
    auto rendered = server::renderBootstrapCloudConfig(inputs());
    QVERIFY(rendered.ok());
    QVERIFY(rendered->startsWith("#cloud-config\n"));
    const QHash<QString, QByteArray> files = server::cloudConfigFiles(*rendered);
    QVERIFY(!files.contains(server::bootstrapfile::kToken));
    const QString script = QString::fromUtf8(server::bootstrapScript());
    QCOMPARE(server::guestinfo::kCredential, QStringLiteral("guestinfo.cse.bootstrap.credential"));
    QVERIFY(script.contains(QLatin1String("umask 077\nvmtoolsd --cmd \"info-get guestinfo.cse.bootstrap.credential\" >\"${CSE_DIR}/refresh-token\"")));
    QVERIFY(script.contains(QLatin1String("vmtoolsd --cmd \"info-set guestinfo.cse.bootstrap.credential \"")));
    QVERIFY(script.contains(QLatin1String("rm -f \"${CSE_DIR}/refresh-token\"")));
    QCOMPARE(files.value(server::bootstrapfile::kCapiYaml), inputs().capiYaml.toUtf8());
    QVERIFY(files.contains(QStringLiteral("/usr/local/share/ca-certificates/cse-1.crt")));
    const QByteArray env = files.value(server::bootstrapfile::kEnv);
    QVERIFY(env.contains("CSE_KIND_VERSION=\"v0.19.0\""));
    QVERIFY(env.contains("CSE_CAPVCD_VERSION=\"v1.3.0\""));
    QVERIFY(env.contains("CSE_CERT_MANAGER_VERSION=\"v1.11.1\""));
    QVERIFY(env.contains("CSE_CLUSTER_NAMESPACE=\"demo-ns\""));
    // No capiYaml, no cloud-config.
    server::BootstrapInputs empty = inputs();
    empty.capiYaml.clear();
    QVERIFY(!server::renderBootstrapCloudConfig(empty).ok());
}

void TestBootstrapScript::envValuesAreQuoted()
{
    server::BootstrapInputs in = inputs();
    in.clusterName = QStringLiteral("a\"b$(reboot)`x`");
    auto rendered = server::renderBootstrapCloudConfig(in);
    QVERIFY(rendered.ok());
    const QByteArray env = server::cloudConfigFiles(*rendered).value(server::bootstrapfile::kEnv);
    QVERIFY2(env.contains("CSE_CLUSTER_NAME=\"a\\\"b\\$(reboot)\\`x\\`\""), env.constData());
}

QTEST_GUILESS_MAIN(TestBootstrapScript)
#include "tst_bootstrap_script.moc"
