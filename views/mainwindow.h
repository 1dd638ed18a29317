// The console's main window: clusters, replicas, server configuration,
// backup and restore, and activity of one site. It receives the site
// through its constructor, so tests can pass a fake or a real one.
#pragma once

#include "profiles.h"

#include <QMainWindow>
#include <QPointer>
#include <memory>

class QLabel;
class QSettings;
class QTabWidget;
class QTableView;

namespace cse::items {
class ActivityModel;
class ClusterModel;
}
namespace cse::secrets {
class CredentialStore;
}
namespace cse::site {
class DemoSite;
class Site;
}

namespace cse::views {

class BackupView;
class ClustersView;
class ConfigEditor;
class ConnectDialog;
class ReplicasView;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // settings: where profiles and the layout live (default: QSettings()).
    // secrets: where secrets live (default: this session only).
    explicit MainWindow(site::Site *site, secrets::CredentialStore *secrets = nullptr, QSettings *settings = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts the embedded site (vcd-sim seeded, `replicas` cse-server
    // children) and connects to it as the administrator.
    void startDemo(int replicas = 3);
    site::DemoSite *demoSite() const { return m_demo; }

    void openConnectDialog(const QString &message = {});
    // After the dialog: store the secret (if asked), check the certificate, connect.
    void connectProfile(const Profile &profile, const QString &secret, bool rememberSecret);
    void forgetPinnedCertificate();

    site::Site *site() const { return m_site; }
    ClustersView *clustersView() const { return m_clustersView; }
    ReplicasView *replicasView() const { return m_replicasView; }
    BackupView *backupView() const { return m_backupView; }
    items::ClusterModel *clusterModel() const;
    QString statusText() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setStatus(const QString &text);
    void trustThenConnect(Profile profile, const QString &secret);

    site::Site *m_site;
    std::unique_ptr<secrets::CredentialStore> m_ownSecrets;
    secrets::CredentialStore *m_secrets;
    std::unique_ptr<QSettings> m_ownSettings;
    QSettings *m_settings;
    ProfileStore m_profiles;
    QString m_profileName;
    QLabel *m_status = nullptr;
    QLabel *m_demoStatus = nullptr;
    QTabWidget *m_tabs = nullptr;
    ClustersView *m_clustersView = nullptr;
    ReplicasView *m_replicasView = nullptr;
    ConfigEditor *m_config = nullptr;
    BackupView *m_backupView = nullptr;
    QTableView *m_activity = nullptr;
    items::ActivityModel *m_activityModel = nullptr;
    site::DemoSite *m_demo = nullptr;
};

} // namespace cse::views
