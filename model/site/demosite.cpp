#include "demosite.h"

#include "core/logging.h"
#include "vcd/connectionoptions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <csignal>

namespace cse::site {

DemoSite::DemoSite(QObject *parent)
    : QObject(parent)
{
    m_simProcess.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_simProcess, &QProcess::readyRead, this, &DemoSite::onSimOutput);
    connect(&m_simProcess, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) {
        fail(tr("vcd-sim could not be started (%1): %2").arg(m_simProcess.program(), m_simProcess.errorString()));
    });
    connect(&m_simProcess, &QProcess::finished, this, [this](int code) {
        fail(tr("vcd-sim exited with code %1: %2").arg(code).arg(QString::fromUtf8(m_sim.output()).trimmed()));
    });
}

DemoSite::~DemoSite()
{
    stop();
}

QString DemoSite::program(const char *envVar, const QString &name)
{
    const QString fromEnv = qEnvironmentVariable(envVar);
    return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() + QLatin1Char('/') + name : fromEnv;
}

void DemoSite::stop()
{
    // Replicas first (they drain on SIGTERM), then the site they talk to.
    for (auto &r : m_replicas)
        if (r->process && r->process->state() != QProcess::NotRunning) {
            r->process->disconnect(this);
            r->process->terminate();
        }
    for (auto &r : m_replicas)
        if (r->process && r->process->state() != QProcess::NotRunning && !r->process->waitForFinished(12000))
            r->process->kill();
    m_replicas.clear();
    if (m_simProcess.state() != QProcess::NotRunning) {
        m_simProcess.disconnect(this);
        m_simProcess.terminate();
        if (!m_simProcess.waitForFinished(5000))
            m_simProcess.kill();
    }
}

void DemoSite::fail(const QString &message)
{
    if (m_reported)
        return;
    m_reported = true;
    Q_EMIT failed(message);
}

void DemoSite::start(int replicas)
{
    m_replicaCount = replicas;
    m_dataDir = qEnvironmentVariable("CSE_DEMO_DIR");
    if (m_dataDir.isEmpty())
        m_dataDir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/demo-site");
    QDir().mkpath(m_dataDir);
    const QString sim = program("CSE_VCD_SIM", QStringLiteral("vcd-sim"));
    if (!QFileInfo(sim).isExecutable())
        return fail(tr("vcd-sim was not found at %1 (set CSE_VCD_SIM)").arg(sim));
    // A little latency makes the demo look like a real site; tests set CSE_DEMO_LATENCY_MS=0.
    const QString latency = qEnvironmentVariableIsSet("CSE_DEMO_LATENCY_MS") ? qEnvironmentVariable("CSE_DEMO_LATENCY_MS")
                                                                               : QStringLiteral("200");
    m_simProcess.start(sim, {QStringLiteral("--data"), m_dataDir, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), latency});
}

void DemoSite::onSimOutput()
{
    m_sim.feed(m_simProcess.readAll());
    if (m_reported || !m_sim.simReady())
        return;
    const QString passwordFile = QDir(m_dataDir).filePath(QStringLiteral("admin-password"));
    auto password = vcd::ConnectionOptions::readSecretFile(passwordFile);
    if (!password)
        return fail(tr("cannot read the demo administrator password: %1").arg(password.error().message));
    m_admin = vcd::ConnectionOptions{};
    m_admin.url = QUrl(m_sim.simUrl());
    m_admin.org = QStringLiteral("System");
    m_admin.user = QStringLiteral("administrator");
    m_admin.password = *password;
    m_admin.fingerprint = m_sim.simFingerprint();
    m_admin.clientId = QStringLiteral("cse-console");
    m_reported = true;
    Q_EMIT ready(m_admin);
    startReplicas();
}

void DemoSite::startReplicas()
{
    const QString server = program("CSE_SERVER", QStringLiteral("cse-server"));
    for (int i = 1; i <= m_replicaCount; ++i) {
        const QString name = QStringLiteral("replica-%1").arg(i);
        if (!QFileInfo(server).isExecutable()) {
            Q_EMIT replicaFailed(name, tr("cse-server was not found at %1 (set CSE_SERVER)").arg(server));
            continue;
        }
        auto r = std::make_unique<Replica>();
        r->name = name;
        r->process = std::make_unique<QProcess>();
        r->process->setProcessChannelMode(QProcess::MergedChannels);
        Replica *raw = r.get();
        connect(raw->process.get(), &QProcess::readyRead, this, [this, raw] {
            raw->output.feed(raw->process->readAll());
            if (!raw->ready && raw->output.replicas().contains(raw->name)) {
                raw->ready = true;
                Q_EMIT replicaReady(raw->name, raw->output.replicas().value(raw->name));
            }
        });
        connect(raw->process.get(), &QProcess::finished, this, [this, raw](int code) {
            if (raw->reported)
                return;
            raw->reported = true;
            const QString tail = QString::fromUtf8(raw->output.output()).trimmed().right(400);
            Q_EMIT replicaFailed(raw->name, raw->ready ? tr("exited with code %1").arg(code)
                                                       : tr("did not start a replica (exit code %1): %2").arg(code).arg(tail));
        });
        r->process->start(server, {QStringLiteral("--vcd"), m_sim.simUrl(), QStringLiteral("--org"), QStringLiteral("System"),
                                   QStringLiteral("--user"), QStringLiteral("administrator"), QStringLiteral("--password-file"),
                                   QDir(m_dataDir).filePath(QStringLiteral("admin-password")), QStringLiteral("--fingerprint"),
                                   m_sim.simFingerprint(), QStringLiteral("--name"), name, QStringLiteral("--health"),
                                   QStringLiteral("127.0.0.1:0")});
        m_replicas.push_back(std::move(r));
    }
}

QStringList DemoSite::replicaNames() const
{
    QStringList out;
    for (const auto &r : m_replicas)
        out.append(r->name);
    return out;
}

bool DemoSite::isReplicaRunning(const QString &name) const
{
    for (const auto &r : m_replicas)
        if (r->name == name)
            return r->process->state() == QProcess::Running;
    return false;
}

void DemoSite::killReplica(const QString &name)
{
    for (const auto &r : m_replicas)
        if (r->name == name && r->process->state() == QProcess::Running) {
            r->reported = true;
            ::kill(pid_t(r->process->processId()), SIGKILL);
            r->process->waitForFinished(5000);
        }
}

} // namespace cse::site
