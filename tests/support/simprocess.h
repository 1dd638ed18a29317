// Starts a real vcd-sim process on a free loopback port for a test, reads
// its URL and fingerprint, and can kill it for real (SIGKILL).
#pragma once

#include "rde/vcdkeconfig.h"
#include "vcd/client.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace cse::test {

class SimProcess
{
public:
    explicit SimProcess(QStringList extraArgs = {}, const QString &dataDir = {});
    ~SimProcess();

    bool start(int timeoutMs = 20000); // false: see error()
    void kill9();                      // SIGKILL, then wait
    bool terminate(int timeoutMs = 10000); // SIGTERM; true when it exited 0
    QString error() const { return m_error; }
    QString url() const { return m_url; }
    QString fingerprint() const { return m_fingerprint; }
    QString dataDir() const { return m_dataDir; }
    QString adminPassword() const { return QStringLiteral("admin-secret-pw"); }
    qint64 pid() const { return m_proc ? m_proc->processId() : 0; }
    QByteArray output() const { return m_output; }

    vcd::ConnectionOptions provider() const;
    vcd::ConnectionOptions tenant(const QString &org, const QString &user,
                                  const QString &password = QStringLiteral("demo-password")) const;

private:
    QStringList m_args;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dataDir;
    std::unique_ptr<QProcess> m_proc;
    QString m_url;
    QString m_fingerprint;
    QString m_error;
    QByteArray m_output;
};

// The deployment the README recommends, as vcd-sim arguments: the API versions
// of VCD 10.4.0 (35.0, 36.0, 37.0), the oldest VCD CSE 4.2 supports.
QStringList recommendedSiteArgs();

// Synchronous helpers for tests.
Result<vcd::Reply> call(vcd::Client &c, const QByteArray &method, const QString &path, const QByteArray &body = {},
                        QList<QPair<QByteArray, QByteArray>> headers = {}, QUrlQuery query = {});
Result<void> connect(vcd::Client &c);
// Changes the HA settings in the site's vcdKeConfig (If-Match, re-read on 412).
Result<void> editHaSettings(vcd::Client &provider, const std::function<void(rde::HaSettings &)> &edit);
// HA settings that keep integration tests short: lease 4 s, renew and poll
// 1 s, 4 workers per replica, 2 auto-repair attempts 1 s apart.
rde::HaSettings fastHaSettings();
// Replaces the site's HA settings with `ha`.
Result<void> setHaSettings(vcd::Client &provider, const rde::HaSettings &ha);
// A new API token of USER in ORG; with GIVEN, registers that value instead
// (a user's token brought back by a rebuilt site's own recovery).
Result<QString> createApiToken(vcd::Client &provider, const QString &org, const QString &user, const QString &given = {});
// A process started by a test dies with it (SIGKILL), even when the test itself is killed.
void dieWithTest(QProcess &p);

} // namespace cse::test
