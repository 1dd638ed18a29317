// The embedded demo site: vcd-sim (seeded) and cse-server replicas as child
// processes. Reports where the site listens through signals; stopping (or
// destroying) it stops the children.
#pragma once

#include "readiness.h"
#include "vcd/connectionoptions.h"

#include <QList>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <memory>

namespace cse::site {

class DemoSite : public QObject
{
    Q_OBJECT
public:
    explicit DemoSite(QObject *parent = nullptr);
    ~DemoSite() override;

    // Data directory: $CSE_DEMO_DIR, else the app's data location.
    // vcd-sim: $CSE_VCD_SIM, else next to the program; cse-server likewise ($CSE_SERVER).
    // Simulated request latency: $CSE_DEMO_LATENCY_MS (default 200).
    void start(int replicas = 3);
    void stop();
    QString dataDir() const { return m_dataDir; }
    QString url() const { return m_sim.simUrl(); }
    QString fingerprint() const { return m_sim.simFingerprint(); }
    // The administrator connection (the password is read from the data directory).
    vcd::ConnectionOptions adminOptions() const { return m_admin; }
    QStringList replicaNames() const;
    bool isReplicaRunning(const QString &name) const;
    void killReplica(const QString &name); // SIGKILL, as a crash would

    static QString program(const char *envVar, const QString &name);

Q_SIGNALS:
    void ready(const cse::vcd::ConnectionOptions &admin);
    void failed(const QString &message);
    void replicaReady(const QString &name, const QString &healthUrl);
    void replicaFailed(const QString &name, const QString &message);

private:
    struct Replica
    {
        QString name;
        std::unique_ptr<QProcess> process;
        ReadinessParser output;
        bool ready = false;
        bool reported = false;
    };
    void onSimOutput();
    void startReplicas();
    void fail(const QString &message);

    QProcess m_simProcess;
    ReadinessParser m_sim;
    QString m_dataDir;
    vcd::ConnectionOptions m_admin;
    int m_replicaCount = 0;
    std::vector<std::unique_ptr<Replica>> m_replicas;
    bool m_reported = false;
};

} // namespace cse::site
