// Starts a real cse-server replica process against a SimProcess, reads its
// readiness line (health URL), and kills it for real (SIGKILL) or stops it
// gracefully (SIGTERM).
#pragma once

#include "simprocess.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace cse::test {

class ServerProcess
{
public:
    ServerProcess(const SimProcess &sim, const QString &name, QStringList extraArgs = {});
    ~ServerProcess();

    bool start(int timeoutMs = 30000); // waits for "ready"; false: see error()
    void kill9();
    bool terminate(int timeoutMs = 15000); // SIGTERM; true when it exited 0 in time
    bool running() const { return m_proc && m_proc->state() != QProcess::NotRunning; }
    QString name() const { return m_name; }
    QString instanceId() const; // derived from the name, as the replica does
    QString healthUrl(); // empty until the endpoint listens
    QString error() const { return m_error; }
    QByteArray output(); // everything it printed so far
    void setEnvironment(const QProcessEnvironment &env) { m_env = env; }

    // GET on the health endpoint: status code (0: no answer within timeoutMs,
    // -1: the endpoint is not listening yet) and body.
    QPair<int, QByteArray> health(const QString &path, int timeoutMs = 3000);
    // cse_replica_sharing_replicas from /metrics: how many running replicas
    // it spreads new clusters over (-1: no answer).
    int sharingReplicas();
    // The sum of the samples of metric NAME from /metrics whose labels
    // contain LABELS (-1: no answer or no such metric).
    double metric(const QString &name, const QString &labels = {});

private:
    const SimProcess &m_sim;
    QString m_name;
    QStringList m_extra;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_proc;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();
    QString m_health;
    QString m_error;
    QByteArray m_output;
};

} // namespace cse::test
