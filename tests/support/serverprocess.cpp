#include "serverprocess.h"

#include "server/replica.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <csignal>

namespace cse::test {

ServerProcess::ServerProcess(const SimProcess &sim, const QString &name, QStringList extraArgs)
    : m_sim(sim), m_name(name), m_extra(std::move(extraArgs))
{
}

ServerProcess::~ServerProcess()
{
    if (running())
        kill9();
}

QString ServerProcess::instanceId() const
{
    return server::Replica::instanceIdFor(m_name);
}

bool ServerProcess::start(int timeoutMs)
{
    const QString passwordFile = m_dir.filePath(QStringLiteral("admin-password"));
    QFile f(passwordFile);
    if (!f.open(QIODevice::WriteOnly) || f.write(m_sim.adminPassword().toUtf8()) < 0) {
        m_error = QStringLiteral("cannot write %1").arg(passwordFile);
        return false;
    }
    f.close();
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // As the README recommends: the server's own user cse-admin@System (the
    // CSE Admin Role) with its API token, where the site has one (--seed
    // demo writes it); else, or with CSE_TEST_SERVER_AS=administrator, the
    // System administrator.
    QString serverToken;
    if (qEnvironmentVariable("CSE_TEST_SERVER_AS") != QLatin1String("administrator")) {
        QFile tokens(m_sim.dataDir() + QStringLiteral("/demo-api-tokens.json"));
        if (tokens.open(QIODevice::ReadOnly))
            serverToken = QJsonDocument::fromJson(tokens.readAll()).object().value(QLatin1String("System/cse-admin")).toString();
    }
    QStringList login{QStringLiteral("--user"), QStringLiteral("administrator"), QStringLiteral("--password-file"), passwordFile};
    if (!serverToken.isEmpty()) {
        const QString tokenFile = m_dir.filePath(QStringLiteral("cse-admin-token"));
        QFile t(tokenFile);
        if (!t.open(QIODevice::WriteOnly) || t.write(serverToken.toUtf8()) < 0) {
            m_error = QStringLiteral("cannot write %1").arg(tokenFile);
            return false;
        }
        t.close();
        t.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        login = {QStringLiteral("--user"), QStringLiteral("cse-admin"), QStringLiteral("--token-file"), tokenFile};
    }
    QStringList args{QStringLiteral("--vcd"), m_sim.url(), QStringLiteral("--org"), QStringLiteral("System")};
    args += login;
    args += QStringList{QStringLiteral("--fingerprint"), m_sim.fingerprint(), QStringLiteral("--name"), m_name,
                        QStringLiteral("--health"), QStringLiteral("127.0.0.1:0")};
    args += m_extra;
    m_proc = std::make_unique<QProcess>();
    m_proc->setProcessChannelMode(QProcess::MergedChannels);
    m_proc->setProcessEnvironment(m_env);
    dieWithTest(*m_proc);
    m_output.clear();
    m_health.clear();
    m_proc->start(QStringLiteral(CSE_SERVER_BIN), args);
    if (!m_proc->waitForStarted(5000)) {
        m_error = QStringLiteral("cse-server did not start: %1").arg(m_proc->errorString());
        return false;
    }
    static const QRegularExpression ready(QStringLiteral("replica \\S+ ready; health on (\\S+)"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        m_proc->waitForReadyRead(100);
        m_output += m_proc->readAll();
        if (auto m = ready.match(QString::fromUtf8(m_output)); m.hasMatch()) {
            m_health = m.captured(1);
            return true;
        }
        if (m_proc->state() == QProcess::NotRunning) {
            m_error = QStringLiteral("cse-server %1 exited: %2").arg(m_name, QString::fromUtf8(m_output));
            return false;
        }
    }
    m_error = QStringLiteral("cse-server %1 did not report readiness: %2").arg(m_name, QString::fromUtf8(m_output));
    return false;
}

QByteArray ServerProcess::output()
{
    if (m_proc)
        m_output += m_proc->readAll();
    return m_output;
}

void ServerProcess::kill9()
{
    if (!m_proc)
        return;
    ::kill(pid_t(m_proc->processId()), SIGKILL);
    m_proc->waitForFinished(10000);
    m_output += m_proc->readAll();
}

bool ServerProcess::terminate(int timeoutMs)
{
    if (!m_proc)
        return false;
    m_proc->terminate();
    if (!m_proc->waitForFinished(timeoutMs))
        return false;
    m_output += m_proc->readAll();
    return m_proc->exitStatus() == QProcess::NormalExit && m_proc->exitCode() == 0;
}

QString ServerProcess::healthUrl()
{
    // Printed as soon as the endpoint listens, before the replica is ready.
    static const QRegularExpression listening(QStringLiteral("replica \\S+ health endpoint on (\\S+)"));
    if (m_health.isEmpty())
        if (auto m = listening.match(QString::fromUtf8(output())); m.hasMatch())
            m_health = m.captured(1);
    return m_health;
}

int ServerProcess::sharingReplicas()
{
    return int(metric(QStringLiteral("cse_replica_sharing_replicas")));
}

double ServerProcess::metric(const QString &name, const QString &labels)
{
    const QRegularExpression line(QStringLiteral("^%1\\{([^\\n]*)\\} ([-0-9.e+]+)$").arg(QRegularExpression::escape(name)),
                                  QRegularExpression::MultilineOption);
    const auto reply = health(QStringLiteral("/metrics"));
    if (reply.first != 200)
        return -1;
    double sum = 0;
    bool found = false;
    for (auto it = line.globalMatch(QString::fromUtf8(reply.second)); it.hasNext();) {
        const auto m = it.next();
        if (!labels.isEmpty() && !m.captured(1).contains(labels))
            continue;
        sum += m.captured(2).toDouble();
        found = true;
    }
    return found ? sum : -1;
}

QPair<int, QByteArray> ServerProcess::health(const QString &path, int timeoutMs)
{
    if (healthUrl().isEmpty())
        return {-1, {}}; // not listening yet
    QNetworkAccessManager nam;
    QNetworkRequest req(QUrl(m_health + path));
    req.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = nam.get(req);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return {status, body};
}

} // namespace cse::test
