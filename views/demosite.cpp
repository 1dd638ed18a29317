#include "demosite.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace cse::views {

DemoSite::DemoSite(QObject *parent)
    : QObject(parent)
{
    m_sim.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_sim, &QProcess::readyRead, this, &DemoSite::onOutput);
    connect(&m_sim, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) {
        if (!m_reported) {
            m_reported = true;
            Q_EMIT failed(tr("vcd-sim could not be started (%1): %2").arg(m_sim.program(), m_sim.errorString()));
        }
    });
    connect(&m_sim, &QProcess::finished, this, [this](int code) {
        if (!m_reported) {
            m_reported = true;
            Q_EMIT failed(tr("vcd-sim exited with code %1: %2").arg(code).arg(QString::fromUtf8(m_output).trimmed()));
        }
    });
}

DemoSite::~DemoSite()
{
    if (m_sim.state() != QProcess::NotRunning) {
        m_sim.terminate();
        if (!m_sim.waitForFinished(5000))
            m_sim.kill();
    }
}

void DemoSite::start()
{
    m_dataDir = qEnvironmentVariable("CSE_DEMO_DIR");
    if (m_dataDir.isEmpty())
        m_dataDir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/demo-site");
    QDir().mkpath(m_dataDir);
    QString program = qEnvironmentVariable("CSE_VCD_SIM");
    if (program.isEmpty())
        program = QCoreApplication::applicationDirPath() + QStringLiteral("/vcd-sim");
    if (!QFileInfo(program).isExecutable()) {
        m_reported = true;
        Q_EMIT failed(tr("vcd-sim was not found at %1 (set CSE_VCD_SIM)").arg(program));
        return;
    }
    m_sim.start(program, {QStringLiteral("--data"), m_dataDir, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("500")});
}

void DemoSite::onOutput()
{
    m_output += m_sim.readAll();
    if (m_reported)
        return;
    const QString text = QString::fromUtf8(m_output);
    static const QRegularExpression listening(QStringLiteral("vcd-sim listening on (\\S+)"));
    static const QRegularExpression fp(QStringLiteral("fingerprint: ([0-9A-F:]+)"));
    if (auto m = listening.match(text); m.hasMatch())
        m_url = m.captured(1);
    if (auto m = fp.match(text); m.hasMatch())
        m_fingerprint = m.captured(1);
    if (m_url.isEmpty() || m_fingerprint.isEmpty())
        return;
    QFile pw(QDir(m_dataDir).filePath(QStringLiteral("admin-password")));
    if (!pw.open(QIODevice::ReadOnly)) {
        m_reported = true;
        Q_EMIT failed(tr("cannot read the demo administrator password in %1").arg(m_dataDir));
        return;
    }
    m_reported = true;
    Q_EMIT ready(m_url, m_fingerprint, QString::fromUtf8(pw.readAll()).trimmed());
}

} // namespace cse::views
