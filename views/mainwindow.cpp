#include "mainwindow.h"

#include "site/demosite.h"
#include "items/clustermodel.h"
#include "vcd/client.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace cse::views {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("CSE Console"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("haBanner"));
    m_banner->setWordWrap(true);
    m_banner->setText(tr("Server replicas: the highly available cse-server is not part of this build yet, so clusters "
                         "waiting for a server keep their state. Resize and upgrade of provisioned clusters need no server."));
    m_status = new QLabel(tr("Not connected."), central);
    m_status->setObjectName(QStringLiteral("siteStatus"));
    m_status->setWordWrap(true);
    m_clusters = new items::ClusterModel(this);
    m_table = new QTableView(central);
    m_table->setObjectName(QStringLiteral("clusterTable"));
    m_table->setModel(m_clusters);
    m_table->setSortingEnabled(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    // Short status columns follow their content; names fit when rows arrive.
    for (int column : {items::ClusterModel::State, items::ClusterModel::Phase, items::ClusterModel::Kubernetes,
                       items::ClusterModel::Nodes})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    connect(m_clusters, &QAbstractItemModel::rowsInserted, m_table, &QTableView::resizeColumnsToContents);
    layout->addWidget(m_banner);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    setCentralWidget(central);
    m_refresh = new QTimer(this);
    m_refresh->setInterval(2000);
    connect(m_refresh, &QTimer::timeout, this, &MainWindow::refresh);
    resize(1100, 600);
}

MainWindow::~MainWindow() = default;

void MainWindow::setStatus(const QString &text)
{
    m_status->setText(text);
    statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0));
}

void MainWindow::startDemo()
{
    m_demo = new DemoSite(this);
    connect(m_demo, &DemoSite::failed, this, [this](const QString &message) { setStatus(tr("Demo site failed: %1").arg(message)); });
    connect(m_demo, &DemoSite::ready, this, [this](const vcd::ConnectionOptions &o) {
        setStatus(tr("Demo site: vcd-sim at %1 (certificate SHA-256 %2), data in %3. Connecting…")
                      .arg(o.url.toString(), o.fingerprint, m_demo->dataDir()));
        connectTo(o);
    });
    setStatus(tr("Starting the demo site…"));
    m_demo->start(0);
}

void MainWindow::connectTo(const vcd::ConnectionOptions &options)
{
    m_provider = std::make_unique<vcd::Client>(options); // owned by the unique_ptr only
    m_provider->connectToSite([this](Result<void> r) {
        if (!r) {
            setStatus(tr("Cannot connect: %1").arg(r.error().toString()));
            return;
        }
        refresh();
        m_refresh->start();
    });
}

void MainWindow::refresh()
{
    if (!m_provider || m_refreshing)
        return;
    m_refreshing = true;
    // A provider sees tenant entities through the tenant context: one client per org.
    vcd::RequestSpec orgs = vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs"));
    orgs.query.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("128"));
    m_provider->send(orgs, [this](Result<vcd::Reply> r) {
        if (!r) {
            m_refreshing = false;
            setStatus(tr("Refresh failed: %1").arg(r.error().toString()));
            return;
        }
        const QJsonArray values = r->json().value(QLatin1String("values")).toArray();
        auto all = std::make_shared<QList<rde::DefinedEntity>>();
        auto pending = std::make_shared<int>(int(values.size()));
        auto firstError = std::make_shared<QString>();
        for (const QJsonValue &v : values) {
            const QString orgId = v.toObject().value(QLatin1String("id")).toString();
            auto &client = m_perOrg[orgId];
            if (!client) {
                client = std::make_shared<vcd::Client>(m_provider->options());
                client->setTenantContext(orgId);
            }
            client->listEntities(vcd::ListQuery::ofInterface(QStringLiteral("vmware"), QStringLiteral("k8s"), QStringLiteral("1.0.0")),
                                 [this, all, pending, firstError, orgCount = values.size()](Result<QList<rde::DefinedEntity>> list) {
                                     if (list)
                                         *all += *list;
                                     else if (firstError->isEmpty())
                                         *firstError = list.error().toString();
                                     if (--*pending > 0)
                                         return;
                                     m_clusters->update(*all);
                                     m_refreshing = false;
                                     setStatus(firstError->isEmpty()
                                                   ? tr("%1 clusters in %2 organizations; refreshed %3")
                                                         .arg(all->size()).arg(orgCount)
                                                         .arg(QTime::currentTime().toString(Qt::ISODate))
                                                   : tr("Refresh incomplete: %1").arg(*firstError));
                                 });
        }
        if (values.isEmpty())
            m_refreshing = false;
    });
}

} // namespace cse::views
