// The embedded demo site: starts vcd-sim (seeded) as a child process and
// reports where it listens. Server replicas join when the server exists.
#pragma once

#include <QObject>
#include <QProcess>

namespace cse::views {

class DemoSite : public QObject
{
    Q_OBJECT
public:
    explicit DemoSite(QObject *parent = nullptr);
    ~DemoSite() override;

    void start();
    QString dataDir() const { return m_dataDir; }

Q_SIGNALS:
    void ready(const QString &url, const QString &fingerprint, const QString &adminPassword);
    void failed(const QString &message);

private:
    void onOutput();
    QProcess m_sim;
    QString m_dataDir;
    QByteArray m_output;
    QString m_url;
    QString m_fingerprint;
    bool m_reported = false;
};

} // namespace cse::views
