#pragma once

#include <QMainWindow>
#include <QMap>
#include <memory>

class QLabel;
class QTableView;
class QTimer;

namespace cse::items {
class ClusterModel;
}
namespace cse::vcd {
class Client;
struct ConnectionOptions;
}

namespace cse::site {
class DemoSite;
}

namespace cse::views {

using site::DemoSite;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts the embedded site (vcd-sim, seeded) and shows its clusters.
    void startDemo();
    items::ClusterModel *clusterModel() const { return m_clusters; }

private:
    void connectTo(const vcd::ConnectionOptions &options);
    void refresh();
    void setStatus(const QString &text);

    QLabel *m_status = nullptr;
    QLabel *m_banner = nullptr;
    QTableView *m_table = nullptr;
    items::ClusterModel *m_clusters = nullptr;
    QTimer *m_refresh = nullptr;
    DemoSite *m_demo = nullptr;
    std::unique_ptr<vcd::Client> m_provider;
    QMap<QString, std::shared_ptr<vcd::Client>> m_perOrg; // tenant-context clients
    bool m_refreshing = false;
};

} // namespace cse::views
