#include "simprocess.h"

#include "site/readiness.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <csignal>
#include <sys/prctl.h>

namespace cse::test {

QStringList recommendedSiteArgs()
{
    return {QStringLiteral("--api-versions"), QStringLiteral("35.0,36.0,37.0")};
}

SimProcess::SimProcess(QStringList extraArgs, const QString &dataDir)
    : m_args(std::move(extraArgs)), m_dataDir(dataDir)
{
    if (m_dataDir.isEmpty()) {
        m_tmp = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tmp->path();
    }
}

SimProcess::~SimProcess()
{
    if (m_proc && m_proc->state() != QProcess::NotRunning)
        kill9();
}

bool SimProcess::start(int timeoutMs)
{
    m_proc = std::make_unique<QProcess>();
    m_proc->setProcessChannelMode(QProcess::MergedChannels);
    QStringList args{QStringLiteral("--data"), m_dataDir, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VCDSIM_ADMIN_PASSWORD"), adminPassword()); // never in argv
    m_proc->setProcessEnvironment(env);
    args += m_args;
    m_output.clear();
    m_url.clear();
    m_fingerprint.clear();
    dieWithTest(*m_proc);
    m_proc->start(QStringLiteral(CSE_VCD_SIM_BIN), args);
    if (!m_proc->waitForStarted(5000)) {
        m_error = QStringLiteral("vcd-sim did not start: %1").arg(m_proc->errorString());
        return false;
    }
    const bool plain = m_args.contains(QStringLiteral("--plain-http"));
    QDeadlineTimer deadline(timeoutMs);
    site::ReadinessParser readiness;
    while (!deadline.hasExpired()) {
        m_proc->waitForReadyRead(100);
        readiness.feed(m_proc->readAll());
        m_output = readiness.output();
        m_url = readiness.simUrl();
        m_fingerprint = readiness.simFingerprint();
        if (readiness.simReady(plain))
            return true;
        if (m_proc->state() == QProcess::NotRunning) {
            m_error = QStringLiteral("vcd-sim exited: %1").arg(QString::fromUtf8(m_output));
            return false;
        }
    }
    m_error = QStringLiteral("vcd-sim did not report readiness: %1").arg(QString::fromUtf8(m_output));
    return false;
}

void SimProcess::kill9()
{
    if (!m_proc)
        return;
    ::kill(pid_t(m_proc->processId()), SIGKILL);
    m_proc->waitForFinished(10000);
}

bool SimProcess::terminate(int timeoutMs)
{
    if (!m_proc)
        return false;
    m_proc->terminate();
    if (!m_proc->waitForFinished(timeoutMs))
        return false;
    m_output += m_proc->readAll();
    return m_proc->exitStatus() == QProcess::NormalExit && m_proc->exitCode() == 0;
}

vcd::ConnectionOptions SimProcess::provider() const
{
    vcd::ConnectionOptions o;
    o.url = QUrl(m_url);
    o.org = QStringLiteral("System");
    o.user = QStringLiteral("administrator");
    o.password = adminPassword();
    o.fingerprint = m_fingerprint;
    o.retryBaseMs = 20;
    return o;
}

vcd::ConnectionOptions SimProcess::tenant(const QString &org, const QString &user, const QString &password) const
{
    vcd::ConnectionOptions o = provider();
    o.org = org;
    o.user = user;
    o.password = password;
    return o;
}

Result<vcd::Reply> call(vcd::Client &c, const QByteArray &method, const QString &path, const QByteArray &body,
                        QList<QPair<QByteArray, QByteArray>> headers, QUrlQuery query)
{
    vcd::RequestSpec spec;
    spec.method = method;
    spec.path = path;
    spec.body = body;
    spec.headers = std::move(headers);
    spec.query = std::move(query);
    return vcd::await<vcd::Reply>([&](vcd::Callback<vcd::Reply> done) { c.send(spec, done); });
}

Result<void> connect(vcd::Client &c)
{
    return vcd::await<void>([&](vcd::Callback<void> done) { c.connectToSite(done); });
}

Result<void> editHaSettings(vcd::Client &provider, const std::function<void(rde::HaSettings &)> &edit)
{
    vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("VCDKEConfig"), QStringLiteral("1"));
    auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) { provider.listEntities(q, done); });
    if (!list)
        return list.error();
    if (list->isEmpty())
        return makeError(ErrorKind::NotFound, QStringLiteral("the site has no vcdKeConfig"));
    auto r = vcd::await<rde::DefinedEntity>([&](auto done) {
        provider.patch(list->first().id, [&edit](QJsonObject &e) -> Result<bool> {
            rde::VcdKeConfig cfg(e);
            rde::HaSettings ha = cfg.ha();
            edit(ha);
            cfg.setHa(ha);
            e = cfg.json();
            return true;
        }, done);
    });
    if (!r)
        return r.error();
    return {};
}

rde::HaSettings fastHaSettings()
{
    rde::HaSettings ha;
    ha.leaseSeconds = 4;
    ha.renewSeconds = 1;
    ha.pollSeconds = 1;
    ha.workersPerReplica = 4;
    ha.autoRepairMaxAttempts = 2;
    ha.autoRepairBackoffSeconds = 1;
    return ha;
}

Result<void> setHaSettings(vcd::Client &provider, const rde::HaSettings &ha)
{
    return editHaSettings(provider, [&ha](rde::HaSettings &current) { current = ha; });
}

Result<QString> createApiToken(vcd::Client &provider, const QString &org, const QString &user, const QString &given)
{
    QJsonObject body{{QStringLiteral("org"), org}, {QStringLiteral("user"), user}};
    if (!given.isEmpty())
        body.insert(QStringLiteral("token"), given);
    auto r = call(provider, "POST", QStringLiteral("/cloudapi/x-sim/1.0.0/tokens"), QJsonDocument(body).toJson());
    if (!r)
        return r.error();
    return r->json().value(QLatin1String("token")).toString();
}

void dieWithTest(QProcess &p)
{
    p.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

} // namespace cse::test
