#include "mainwindow.h"

#include "backupview.h"
#include "clustersview.h"
#include "configeditor.h"
#include "connectdialog.h"
#include "items/clustermodel.h"
#include "items/eventmodel.h"
#include "replicasview.h"
#include "secrets/credentialstore.h"
#include "site/demosite.h"
#include "site/site.h"
#include "vcd/client.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>

namespace cse::views {

namespace {
QString normalizedFingerprint(QString fp)
{
    return fp.remove(QLatin1Char(':')).toUpper();
}
} // namespace

MainWindow::MainWindow(site::Site *site, secrets::CredentialStore *secrets, QSettings *settings, QWidget *parent)
    : QMainWindow(parent),
      m_site(site),
      m_ownSecrets(secrets ? nullptr : std::make_unique<secrets::MemoryStore>()),
      m_secrets(secrets ? secrets : m_ownSecrets.get()),
      m_ownSettings(settings ? nullptr : std::make_unique<QSettings>()),
      m_settings(settings ? settings : m_ownSettings.get()),
      m_profiles(m_settings)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("CSE Console"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_status = new QLabel(tr("Not connected."), central);
    m_status->setObjectName(QStringLiteral("siteStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_demoStatus = new QLabel(central);
    m_demoStatus->setObjectName(QStringLiteral("demoStatus"));
    m_demoStatus->setWordWrap(true);
    m_demoStatus->setVisible(false);
    layout->addWidget(m_demoStatus);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_clustersView = new ClustersView(site, m_tabs);
    m_replicasView = new ReplicasView(site, m_tabs);
    m_config = new ConfigEditor(site, m_tabs);
    m_backupView = new BackupView(site, m_tabs);
    m_activityModel = new items::ActivityModel(this);
    m_activity = new QTableView(m_tabs);
    m_activity->setObjectName(QStringLiteral("activityTable"));
    m_activity->setAccessibleName(tr("Failed requests"));
    m_activity->setModel(m_activityModel);
    m_activity->horizontalHeader()->setStretchLastSection(true);
    m_activity->verticalHeader()->setVisible(false);
    m_tabs->addTab(m_clustersView, tr("&Clusters"));
    m_tabs->addTab(m_replicasView, tr("&Replicas"));
    m_tabs->addTab(m_config, tr("Server &configuration"));
    m_tabs->addTab(m_backupView, tr("Bac&kup"));
    m_tabs->addTab(m_activity, tr("&Activity"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    // Menus: every action has a shortcut and is reachable by keyboard.
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectAction = file->addAction(tr("&Connect…"), this, [this] { openConnectDialog(); });
    connectAction->setObjectName(QStringLiteral("connectAction"));
    connectAction->setShortcut(QKeySequence::Open);
    QAction *refresh = file->addAction(tr("&Refresh"), m_site, &site::Site::refresh);
    refresh->setObjectName(QStringLiteral("refreshAction"));
    refresh->setShortcut(QKeySequence::Refresh);
    QAction *forget = file->addAction(tr("&Forget the pinned certificate"), this, &MainWindow::forgetPinnedCertificate);
    forget->setObjectName(QStringLiteral("forgetPinAction"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *clusters = menuBar()->addMenu(tr("C&luster"));
    clusters->addActions(m_clustersView->operationActions());

    connect(m_clustersView, &ClustersView::message, this, [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(m_backupView, &BackupView::message, this, [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(site, &site::Site::connected, this, [this] {
        setStatus(tr("Connected to %1 as %2@%3.").arg(m_site->options().url.toString(),
                                                        m_site->options().usesApiToken() ? tr("(API token)") : m_site->options().user,
                                                        m_site->options().org));
    });
    connect(site, &site::Site::failed, this, [this](const Error &e) {
        setStatus(m_site->isConnected() ? tr("Refresh failed: %1").arg(e.toString()) : tr("Cannot connect: %1").arg(e.toString()));
        m_activityModel->add(e);
    });
    connect(site, &site::Site::requestFailed, this, [this](const Error &e) { m_activityModel->add(e); });
    connect(site, &site::Site::refreshed, this, [this] {
        statusBar()->showMessage(tr("%1 clusters in %2 organizations, %3 replicas; refreshed %4")
                                     .arg(m_site->clusters().size())
                                     .arg(m_site->orgs().size())
                                     .arg(m_site->replicas().size())
                                     .arg(QTime::currentTime().toString(Qt::ISODate)));
    });

    resize(1200, 760);
    restoreGeometry(m_settings->value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(m_settings->value(QStringLiteral("window/state")).toByteArray());
    m_tabs->setCurrentIndex(m_settings->value(QStringLiteral("window/tab"), 0).toInt());
}

MainWindow::~MainWindow() = default;

items::ClusterModel *MainWindow::clusterModel() const
{
    return m_clustersView->model();
}

QString MainWindow::statusText() const
{
    return m_status->text();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    m_settings->setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    m_settings->sync();
    QMainWindow::closeEvent(event);
}

void MainWindow::setStatus(const QString &text)
{
    m_status->setText(text);
    statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0));
}

void MainWindow::startDemo(int replicas)
{
    m_demo = new site::DemoSite(this);
    connect(m_demo, &site::DemoSite::failed, this, [this](const QString &message) { setStatus(tr("Demo site failed: %1").arg(message)); });
    connect(m_demo, &site::DemoSite::ready, this, [this](const vcd::ConnectionOptions &o) {
        setStatus(tr("Demo site: vcd-sim at %1 (certificate SHA-256 %2), data in %3. Connecting…")
                      .arg(o.url.toString(), o.fingerprint, m_demo->dataDir()));
        m_clustersView->setDemoTokens(true);
        m_site->connectTo(o);
    });
    connect(m_demo, &site::DemoSite::replicaFailed, this, [this](const QString &name, const QString &message) {
        const QString text = tr("Demo replica %1: %2").arg(name, message);
        statusBar()->showMessage(text, 15000);
        m_demoStatus->setText(m_demoStatus->text().isEmpty() ? text : m_demoStatus->text() + QLatin1Char('\n') + text);
        m_demoStatus->setVisible(true);
    });
    setStatus(tr("Starting the demo site…"));
    m_demo->start(replicas);
}

void MainWindow::openConnectDialog(const QString &message)
{
    auto *dialog = new ConnectDialog(&m_profiles, m_profileName.isEmpty() ? m_profiles.last() : m_profileName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!message.isEmpty())
        dialog->setMessage(message);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        connectProfile(dialog->profile(), dialog->secret(), dialog->rememberSecret());
    });
    dialog->open();
}

void MainWindow::connectProfile(const Profile &profile, const QString &secret, bool rememberSecret)
{
    m_profiles.save(profile);
    m_profiles.setLast(profile.name);
    m_profileName = profile.name;
    QPointer<MainWindow> self(this);
    if (secret.isEmpty()) {
        setStatus(tr("Reading the secret of %1 from %2…").arg(profile.name, m_secrets->describe()));
        m_secrets->read(profile.secretKey(), [self, profile](Result<QString> r) {
            if (!self)
                return;
            if (!r) {
                self->openConnectDialog(r.error().is(ErrorKind::NotFound)
                                            ? tr("No secret is stored for %1; enter it.").arg(profile.name)
                                            : tr("The keychain did not answer (%1); enter the secret.").arg(r.error().message));
                return;
            }
            self->trustThenConnect(profile, *r);
        });
        return;
    }
    if (rememberSecret) {
        m_secrets->write(profile.secretKey(), secret, [self](Result<void> r) {
            if (self && !r)
                self->statusBar()->showMessage(
                    tr("The secret was not stored (%1): you will be asked for it each time.").arg(r.error().message), 15000);
        });
    }
    trustThenConnect(profile, secret);
}

void MainWindow::trustThenConnect(Profile profile, const QString &secret)
{
    if (profile.url.scheme() != QLatin1String("https")) {
        setStatus(tr("Connecting to %1 without TLS…").arg(profile.url.toString()));
        m_site->connectTo(profile.options(secret));
        return;
    }
    setStatus(tr("Checking the certificate of %1…").arg(profile.url.host()));
    QPointer<MainWindow> self(this);
    vcd::Client::fetchFingerprint(profile.url, [self, profile, secret](Result<QString> r) mutable {
        if (!self)
            return;
        if (!r) {
            self->setStatus(tr("Cannot reach %1: %2").arg(profile.url.toString(), r.error().message));
            return;
        }
        const QString presented = *r;
        if (profile.fingerprint.isEmpty()) {
            auto *box = new QMessageBox(QMessageBox::Question, tr("Trust this certificate?"),
                                        tr("First contact with %1.").arg(profile.url.host()), QMessageBox::Yes | QMessageBox::No, self);
            box->setObjectName(QStringLiteral("trustDialog"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->setInformativeText(tr("Its certificate's SHA-256 fingerprint is:\n%1\n\nCompare it with the fingerprint your "
                                       "administrator gives you. If you trust it, it is remembered for profile %2 and any "
                                       "other certificate will be refused.")
                                        .arg(presented, profile.name));
            box->setDefaultButton(QMessageBox::No);
            box->button(QMessageBox::Yes)->setText(tr("&Trust and connect"));
            box->button(QMessageBox::Yes)->setObjectName(QStringLiteral("trustButton"));
            QObject::connect(box, &QMessageBox::finished, self, [self, box, profile, secret, presented](int) mutable {
                if (box->clickedButton() != box->button(QMessageBox::Yes)) {
                    self->setStatus(tr("Not connected: the certificate of %1 was not trusted.").arg(profile.url.host()));
                    return;
                }
                profile.fingerprint = presented;
                self->m_profiles.save(profile);
                self->setStatus(tr("Connecting to %1…").arg(profile.url.toString()));
                self->m_site->connectTo(profile.options(secret));
            });
            box->open();
            return;
        }
        if (normalizedFingerprint(presented) != normalizedFingerprint(profile.fingerprint)) {
            const QString text = tr("Refused: the certificate of %1 changed.\nPinned:    %2\nPresented: %3\nThis happens when the "
                                    "site renewed its certificate, or when someone intercepts the connection. Ask the site's "
                                    "administrator; if the new certificate is genuine, use File > Forget the pinned certificate "
                                    "and connect again.")
                                     .arg(profile.url.host(), profile.fingerprint, presented);
            self->setStatus(text);
            auto *box = new QMessageBox(QMessageBox::Critical, tr("Certificate changed"), text, QMessageBox::Close, self);
            box->setObjectName(QStringLiteral("certificateChanged"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
            return;
        }
        self->setStatus(tr("Connecting to %1…").arg(profile.url.toString()));
        self->m_site->connectTo(profile.options(secret));
    });
}

void MainWindow::forgetPinnedCertificate()
{
    auto p = m_profiles.load(m_profileName);
    if (!p) {
        setStatus(tr("No profile is in use."));
        return;
    }
    p->fingerprint.clear();
    m_profiles.save(*p);
    setStatus(tr("The pinned certificate of %1 is forgotten; the next connection asks again.").arg(p->name));
}

} // namespace cse::views
