// The console, offscreen, with real windows against a real vcd-sim: widgets
// are found by objectName and driven like a user would.
#include "../support/simprocess.h"
#include "clustersview.h"
#include "configeditor.h"
#include "items/clustermodel.h"
#include "items/eventmodel.h"
#include "items/replicamodel.h"
#include "mainwindow.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/serverinstance.h"
#include "rde/types.h"
#include "replicasview.h"
#include "secrets/credentialstore.h"
#include "site/operations.h"
#include "site/site.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QHeaderView>
#include <QTableView>
#include <QTemporaryDir>
#include <QWizard>
#include <QtTest>

using namespace cse;

namespace {
template<typename T>
T *find(QObject *root, const char *name)
{
    return root->findChild<T *>(QLatin1String(name));
}

// The one visible top-level dialog of this type and name (dialogs are opened, not exec'd).
template<typename T>
T *dialog(const char *name)
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *d = qobject_cast<T *>(w); d && d->objectName() == QLatin1String(name) && d->isVisible())
            return d;
    return nullptr;
}

int rowOfName(QAbstractItemModel *m, const QString &name)
{
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, items::ClusterModel::Name).data().toString() == name)
            return r;
    return -1;
}

// A valid spec in acme at the newest supported release.
rde::ClusterSpec acmeSpec(const QString &name, const QString &site)
{
    rde::ClusterSpec spec;
    spec.name = name;
    spec.org = QStringLiteral("acme");
    spec.vdc = QStringLiteral("acme-vdc");
    spec.network = QStringLiteral("acme-net");
    spec.site = site;
    spec.kubernetesVersion = rde::supportedReleases().first().kubernetesVersion;
    spec.workerPools = {rde::MachinePool::named(QStringLiteral("worker-node-pool-1"), 1)};
    return spec;
}

QString cell(QAbstractItemModel *m, const QString &name, int column)
{
    const int r = rowOfName(m, name);
    return r < 0 ? QString() : m->index(r, column).data().toString();
}
} // namespace

class TestConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void connectWithProfileAndAcceptFingerprint();
    void credentialsInTheProfileUrlAreRefused();
    void refuseChangedCertificate();
    void filtersAndDetails();
    void onlyAllowedOperationsEnabled();
    void createClusterThroughWizard();
    void createNeverStoresTheConnectionToken();
    void wizardValidatesFieldsAsTyped();
    void wizardKeepsAClearedToken();
    void resizeThenDelete();
    void resizeValidatesInTheDialog();
    void upgradeAtNewestDisabledAndResourcesShown();
    void retryAfterError();
    void upgradeOffersValidReleasesOnly();
    void bulkAndForceDelete();
    void configSchemaErrorAndConflict();
    void configFormAndJsonAgree();
    void replicaStateChangesWhenHeartbeatStops();
    void closeDuringRefresh();

private:
    void connectDirect();
    // Opens the create wizard, names the cluster in acme and goes to the credentials page.
    QWizard *openWizardAtCredentials(const QString &name);
    std::unique_ptr<test::SimProcess> m_sim;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    qint64 m_now = 0;
    std::unique_ptr<site::Site> m_site;
    std::unique_ptr<secrets::MemoryStore> m_secrets;
    std::unique_ptr<views::MainWindow> m_window;
};

void TestConsole::initTestCase()
{
    m_sim = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(m_sim->start(), qPrintable(m_sim->error()));
}

void TestConsole::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    m_now = 1000000;
    m_site = std::make_unique<site::Site>(nullptr, [this] { return m_now; });
    m_site->setPollInterval(300);
    m_secrets = std::make_unique<secrets::MemoryStore>();
    m_window = std::make_unique<views::MainWindow>(m_site.get(), m_secrets.get(), m_settings.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestConsole::cleanup()
{
    m_window.reset();
    m_site.reset();
    m_secrets.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestConsole::connectDirect()
{
    m_site->connectTo(m_sim->provider());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->clusterModel()->rowCount() >= 5, true, 20000);
    // The view shows exactly the model's rows (no phantom rows from a proxy chain).
    auto *table = m_window->clustersView()->table();
    QTRY_COMPARE(table->verticalHeader()->count(), table->model()->rowCount());
}

QWizard *TestConsole::openWizardAtCredentials(const QString &name)
{
    find<QAction>(m_window->clustersView(), "createAction")->trigger();
    QWizard *w = nullptr;
    if (!QTest::qWaitFor([&] { return (w = dialog<QWizard>("createWizard")) != nullptr; }, 5000))
        return nullptr;
    QTest::keyClicks(find<QLineEdit>(w, "wizName"), name);
    auto *org = find<QComboBox>(w, "wizOrg");
    org->setCurrentIndex(org->findText(QStringLiteral("acme")));
    if (!QTest::qWaitFor([&] { return w->button(QWizard::NextButton)->isEnabled(); }, 10000))
        return nullptr;
    w->next();
    w->next();
    return w;
}

void TestConsole::connectWithProfileAndAcceptFingerprint()
{
    find<QAction>(m_window.get(), "connectAction")->trigger();
    QDialog *d = nullptr;
    QTRY_VERIFY((d = dialog<QDialog>("connectDialog")));
    QTest::keyClicks(find<QLineEdit>(d, "profileName"), QStringLiteral("lab"));
    QTest::keyClicks(find<QLineEdit>(d, "profileUrl"), m_sim->url());
    find<QLineEdit>(d, "profileOrg")->setText(QStringLiteral("System"));
    QTest::keyClicks(find<QLineEdit>(d, "profileUser"), QStringLiteral("administrator"));
    QTest::keyClicks(find<QLineEdit>(d, "profileSecret"), m_sim->adminPassword());
    QTest::mouseClick(find<QPushButton>(d, "connectButton"), Qt::LeftButton);

    // First contact: the fingerprint is shown and must be accepted.
    QMessageBox *trust = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((trust = dialog<QMessageBox>("trustDialog")), 10000);
    QVERIFY2(trust->informativeText().contains(m_sim->fingerprint()), qPrintable(trust->informativeText()));
    QTest::mouseClick(find<QAbstractButton>(trust, "trustButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->clusterModel()->rowCount() >= 5, true, 20000);
    QVERIFY(m_window->statusText().startsWith(QLatin1String("Connected to")));

    // The pin is remembered with the profile; the password is not in the settings file.
    m_settings->sync();
    QCOMPARE(m_settings->value(QStringLiteral("profiles/lab/fingerprint")).toString(), m_sim->fingerprint());
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(m_sim->adminPassword().toUtf8()));
    // ... it went to the credential store.
    std::optional<Result<QString>> stored;
    m_secrets->read(QStringLiteral("profile/lab"), [&](Result<QString> r) { stored = r; });
    QVERIFY(stored && stored->ok());
    QCOMPARE(stored->value(), m_sim->adminPassword());
}

// A profile URL with user:password@ is refused in the dialog, says where the
// secret goes, never repeats it and saves no profile.
void TestConsole::credentialsInTheProfileUrlAreRefused()
{
    find<QAction>(m_window.get(), "connectAction")->trigger();
    QDialog *d = nullptr;
    QTRY_VERIFY((d = dialog<QDialog>("connectDialog")));
    QTest::keyClicks(find<QLineEdit>(d, "profileName"), QStringLiteral("userinfo"));
    QTest::keyClicks(find<QLineEdit>(d, "profileUrl"), QString(m_sim->url()).replace(QLatin1String("://"), QLatin1String("://administrator:SECRET@")));
    find<QLineEdit>(d, "profileOrg")->setText(QStringLiteral("System"));
    QTest::keyClicks(find<QLineEdit>(d, "profileUser"), QStringLiteral("administrator"));
    QTest::mouseClick(find<QPushButton>(d, "connectButton"), Qt::LeftButton);
    QVERIFY(d->isVisible());
    const QString message = find<QLabel>(d, "connectMessage")->text();
    QVERIFY2(message.contains(QLatin1String("no user name or password in the URL")) && message.contains(QLatin1String("\"Secret\"")),
             qPrintable(message));
    QVERIFY(!message.contains(QLatin1String("SECRET")));
    QVERIFY(!m_window->statusText().contains(QLatin1String("SECRET")));
    d->reject();
    m_settings->sync();
    QVERIFY(!m_settings->contains(QStringLiteral("profiles/userinfo/url")));
}

void TestConsole::refuseChangedCertificate()
{
    views::Profile p;
    p.name = QStringLiteral("pinned");
    p.url = QUrl(m_sim->url());
    p.user = QStringLiteral("administrator");
    p.fingerprint = QStringLiteral("AB:").repeated(31) + QStringLiteral("CD"); // what we trusted before
    m_window->connectProfile(p, m_sim->adminPassword(), false);
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = dialog<QMessageBox>("certificateChanged")), 10000);
    QVERIFY(box->text().contains(m_sim->fingerprint()));
    QVERIFY(m_window->statusText().contains(QLatin1String("changed")));
    QVERIFY(!m_site->isConnected());
    box->close();
    QTest::qWait(300);
    QVERIFY(!m_site->isConnected());
    QCOMPARE(m_window->clusterModel()->rowCount(), 0);
}

void TestConsole::filtersAndDetails()
{
    connectDirect();
    auto *table = find<QTableView>(m_window.get(), "clusterTable");
    auto *search = find<QLineEdit>(m_window.get(), "clusterSearch");
    const int all = table->model()->rowCount();
    QTest::keyClicks(search, QStringLiteral("globex"));
    QTRY_VERIFY(table->model()->rowCount() < all);
    for (int r = 0; r < table->model()->rowCount(); ++r)
        QVERIFY(table->model()->index(r, items::ClusterModel::Org).data().toString() == QLatin1String("globex")
                || table->model()->index(r, items::ClusterModel::Name).data().toString().contains(QLatin1String("globex")));
    search->clear();
    auto *state = find<QComboBox>(m_window.get(), "stateFilter");
    state->setCurrentIndex(state->findData(QStringLiteral("error")));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, items::ClusterModel::Name).data().toString(), QStringLiteral("globex-broken"));
    // Details: the timeline shows the real error.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(0, 0)).center());
    auto *events = find<QTableView>(m_window.get(), "eventTable");
    QTRY_VERIFY(events->model()->rowCount() > 0);
    bool sawError = false;
    for (int r = 0; r < events->model()->rowCount(); ++r)
        sawError |= events->model()->index(r, 1).data().toString() == QLatin1String("error");
    QVERIFY(sawError);
    QVERIFY(find<QPlainTextEdit>(m_window.get(), "specText")->toPlainText().contains(QLatin1String("capiYaml")));
    state->setCurrentIndex(0);
    auto *org = find<QComboBox>(m_window.get(), "orgFilter");
    QTRY_VERIFY(org->findData(QStringLiteral("acme")) > 0);
    org->setCurrentIndex(org->findData(QStringLiteral("acme")));
    QTRY_COMPARE(table->model()->rowCount(), 2);
}

void TestConsole::onlyAllowedOperationsEnabled()
{
    connectDirect();
    auto *view = m_window->clustersView();
    auto *table = view->table();
    auto action = [&](const char *name) { return find<QAction>(view, name); };
    QVERIFY(!action("resizeAction")->isEnabled()); // nothing selected
    table->selectRow(rowOfName(table->model(), QStringLiteral("globex-broken")));
    QTRY_VERIFY(action("retryAction")->isEnabled());
    QVERIFY(!action("kubeconfigAction")->isEnabled()); // issue 22.13: nothing to download from an error cluster
    QVERIFY(!action("resizeAction")->isEnabled());
    QVERIFY(!action("upgradeAction")->isEnabled());
    QVERIFY(action("deleteAction")->isEnabled());
    table->selectRow(rowOfName(table->model(), QStringLiteral("globex-web")));
    QTRY_VERIFY(action("resizeAction")->isEnabled());
    QVERIFY(action("kubeconfigAction")->isEnabled());
    QVERIFY(!action("retryAction")->isEnabled());
    table->selectRow(rowOfName(table->model(), QStringLiteral("globex-new")));
    QTRY_VERIFY(!action("resizeAction")->isEnabled());
    QVERIFY(action("deleteAction")->isEnabled());
}

void TestConsole::createClusterThroughWizard()
{
    connectDirect();
    vcd::Client admin(m_sim->provider());
    QVERIFY(test::connect(admin));
    auto token = test::createApiToken(admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
    QVERIFY2(token, qPrintable(token ? QString() : token.error().toString()));

    find<QAction>(m_window->clustersView(), "createAction")->trigger();
    QWizard *w = nullptr;
    QTRY_VERIFY((w = dialog<QWizard>("createWizard")));
    QTest::keyClicks(find<QLineEdit>(w, "wizName"), QStringLiteral("acme-gui"));
    auto *org = find<QComboBox>(w, "wizOrg");
    org->setCurrentIndex(org->findText(QStringLiteral("acme")));
    QTRY_VERIFY_WITH_TIMEOUT(find<QComboBox>(w, "wizVdc")->count() > 0 && find<QComboBox>(w, "wizNetwork")->count() > 0, 10000);
    QCOMPARE(find<QComboBox>(w, "wizVdc")->currentText(), QStringLiteral("acme-vdc"));
    w->next();
    find<QSpinBox>(w, "wizControlPlane")->setValue(1);
    QTest::mouseClick(find<QPushButton>(w, "wizAddPool"), Qt::LeftButton);
    w->next();
    QTest::keyClicks(find<QLineEdit>(w, "wizToken"), *token);
    w->next();
    auto *yaml = find<QPlainTextEdit>(w, "wizYaml");
    QVERIFY2(yaml->toPlainText().contains(QLatin1String("name: acme-gui")), qPrintable(find<QLabel>(w, "wizError")->text()));
    QVERIFY(yaml->toPlainText().contains(QLatin1String("worker-node-pool-2")));
    QVERIFY(!yaml->toPlainText().contains(*token)); // the token goes into the entity's secure field, not the YAML
    QVERIFY(w->button(QWizard::FinishButton)->isEnabled());
    QTest::mouseClick(w->button(QWizard::FinishButton), Qt::LeftButton);

    // The cluster appears; without a server it waits, and the progress says so.
    auto *model = m_window->clusterModel();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfName(model, QStringLiteral("acme-gui")) >= 0, 20000);
    auto *status = find<QLabel>(m_window.get(), "operationStatus");
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("Create acme-gui")), 10000);
    QVERIFY(find<QProgressBar>(m_window.get(), "operationProgress")->isVisible());
    const auto e = m_site->cluster(model->index(rowOfName(model, QStringLiteral("acme-gui")), 0).data(items::ClusterModel::IdRole).toString());
    QVERIFY(e);
    QCOMPARE(e->org.name, QStringLiteral("acme"));
    QCOMPARE(rde::parseCapiYaml(rde::Cluster(e->entity).capiYaml())->workerPools.size(), 2);
}

void TestConsole::createNeverStoresTheConnectionToken()
{
    // Issue 19.1: the console stored its own token in a cluster when the
    // owner's was left empty; the org's admins could read it.
    connectDirect();
    const rde::ClusterSpec spec = acmeSpec(QStringLiteral("acme-notoken"), m_sim->url());
    QVERIFY2(spec.validate(), qPrintable(spec.validate() ? QString() : spec.validate().error().message));
    std::optional<Result<QString>> created;
    m_site->createCluster(spec, QString(), true, this, [&](Result<QString> r) { created = r; });
    QTRY_VERIFY_WITH_TIMEOUT(created.has_value(), 10000);
    QVERIFY(!created->ok());
    QVERIFY(created->error().is(ErrorKind::Invalid));
    QVERIFY2(created->error().message.contains(QLatin1String("owner's API token")), qPrintable(created->error().message));
    m_site->refresh();
    QTest::qWait(500);
    QCOMPARE(rowOfName(m_window->clusterModel(), spec.name), -1);

    // The wizard says why the token is needed and who can read it; Next is blocked without one.
    QWizard *w = openWizardAtCredentials(QStringLiteral("acme-tokenless"));
    QVERIFY(w);
    QCOMPARE(w->currentPage()->title(), QStringLiteral("Storage, health and credentials"));
    QVERIFY(find<QLineEdit>(w, "wizToken")->text().isEmpty());
    QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
    auto *tokenError = find<QLabel>(w, "wizTokenError");
    QVERIFY(tokenError->isVisible());
    QVERIFY2(tokenError->text().contains(QLatin1String("API token")), qPrintable(tokenError->text()));
    const QString note = find<QLabel>(w, "wizTokenNote")->text();
    QVERIFY2(note.contains(QLatin1String("administrators of acme")) && note.contains(QLatin1String("never a provider")), qPrintable(note));
    w->reject();
}

void TestConsole::wizardValidatesFieldsAsTyped()
{
    connectDirect();
    find<QAction>(m_window->clustersView(), "createAction")->trigger();
    QWizard *w = nullptr;
    QTRY_VERIFY((w = dialog<QWizard>("createWizard")));
    const int width = w->width();
    auto *org = find<QComboBox>(w, "wizOrg");
    org->setCurrentIndex(org->findText(QStringLiteral("acme")));
    QTRY_VERIFY_WITH_TIMEOUT(find<QComboBox>(w, "wizVdc")->count() > 0 && find<QComboBox>(w, "wizNetwork")->count() > 0, 10000);
    auto *name = find<QLineEdit>(w, "wizName");
    auto *nameError = find<QLabel>(w, "wizNameError");
    auto *next = w->button(QWizard::NextButton);
    // Each bad name is refused at the field, in words, before Next.
    const QList<QPair<QString, QString>> bad{
        {QStringLiteral("My Cluster 1"), QStringLiteral("lower-case")},
        {QStringLiteral("a").repeated(100), QStringLiteral("63")},
        {QStringLiteral("-abc"), QStringLiteral("start and end with a letter or a digit")},
        {QStringLiteral("abc-"), QStringLiteral("start and end with a letter or a digit")},
        {QStringLiteral("acme-dev"), QStringLiteral("already has a cluster named acme-dev")}, // one exists in acme
    };
    for (const auto &[value, reason] : bad) {
        name->clear();
        QTest::keyClicks(name, value);
        QVERIFY2(nameError->isVisible(), qPrintable(value));
        QVERIFY2(nameError->text().contains(reason), qPrintable(value + QStringLiteral(": ") + nameError->text()));
        QVERIFY2(!next->isEnabled(), qPrintable(value));
        QVERIFY(name->property("invalid").toBool());
        QVERIFY2(w->width() <= width, qPrintable(QStringLiteral("%1 > %2").arg(w->width()).arg(width))); // not widened
    }
    name->clear();
    QTest::keyClicks(name, QStringLiteral("acme-valid"));
    QVERIFY(!nameError->isVisible());
    QVERIFY(next->isEnabled());
    w->next();

    // Control plane: an odd count; workers: at least one or "control plane only".
    auto *cp = find<QSpinBox>(w, "wizControlPlane");
    cp->setValue(2);
    QVERIFY(!next->isEnabled());
    auto *cpError = find<QLabel>(w, "wizControlPlaneError");
    QVERIFY(cpError->isVisible());
    QVERIFY2(cpError->text().contains(QLatin1String("odd number")) && !cpError->text().contains(QLatin1String("controlPlane.")),
             qPrintable(cpError->text()));
    cp->setValue(3);
    QVERIFY(!cpError->isVisible());
    QVERIFY(next->isEnabled());
    auto *pools = find<QTableWidget>(w, "wizWorkerPools");
    static_cast<QSpinBox *>(pools->cellWidget(0, 1))->setValue(0);
    QVERIFY(!next->isEnabled());
    auto *workersError = find<QLabel>(w, "wizWorkersError");
    QVERIFY(workersError->isVisible());
    QVERIFY2(workersError->text().contains(QLatin1String("Control plane only")), qPrintable(workersError->text()));
    find<QCheckBox>(w, "wizControlPlaneOnly")->setChecked(true);
    QVERIFY(next->isEnabled());
    QVERIFY(!workersError->isVisible());
    QCOMPARE(w->width(), width);
    w->reject();
}

void TestConsole::wizardKeepsAClearedToken()
{
    // The demo fills the owner's token; one the user cleared stays cleared.
    connectDirect();
    m_window->clustersView()->setDemoTokens(true);
    QWizard *w = openWizardAtCredentials(QStringLiteral("acme-refill"));
    QVERIFY(w);
    auto *token = find<QLineEdit>(w, "wizToken");
    QTRY_VERIFY_WITH_TIMEOUT(!token->text().isEmpty(), 10000);
    token->selectAll();
    QTest::keyClick(token, Qt::Key_Delete);
    QVERIFY(token->text().isEmpty());
    QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
    w->back();
    w->next();
    QTest::qWait(500); // a refill would be one request away
    QVERIFY(token->text().isEmpty());
    QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
    w->reject();
}

void TestConsole::resizeThenDelete()
{
    connectDirect();
    auto *view = m_window->clustersView();
    auto *model = view->table()->model();
    const QString name = QStringLiteral("acme-prod");
    view->table()->selectRow(rowOfName(model, name));
    QTRY_VERIFY(find<QAction>(view, "resizeAction")->isEnabled());
    find<QAction>(view, "resizeAction")->trigger();
    QDialog *d = nullptr;
    QTRY_VERIFY((d = dialog<QDialog>("resizeDialog")));
    find<QSpinBox>(d, "resizeReplicas")->setValue(3);
    QTest::mouseClick(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    const QString id = model->index(rowOfName(model, name), 0).data(items::ClusterModel::IdRole).toString();
    QTRY_VERIFY_WITH_TIMEOUT(rde::parseCapiYaml(rde::Cluster(m_site->cluster(id)->entity).capiYaml())->workerPools.first().replicas == 3,
                             20000);
    QTRY_VERIFY(find<QLabel>(m_window.get(), "operationStatus")->text().contains(QLatin1String("Resize acme-prod")));

    // Delete: the confirmation says what it does; the cluster is marked for deletion.
    view->table()->selectRow(rowOfName(model, name));
    find<QAction>(view, "deleteAction")->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = dialog<QMessageBox>("deleteConfirm")));
    QVERIFY(box->informativeText().contains(QLatin1String("VMs")));
    QTest::mouseClick(find<QAbstractButton>(box, "deleteConfirmButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(rde::Cluster(m_site->cluster(id)->entity).markForDelete(), 20000);
    QTRY_VERIFY(cell(model, name, items::ClusterModel::State).contains(QLatin1String("delete requested")));
    QVERIFY(!rde::Cluster(m_site->cluster(id)->entity).forceDelete());
    // Once marked, another delete is not offered; force delete still is.
    view->table()->selectRow(rowOfName(model, name));
    QTRY_VERIFY(!find<QAction>(view, "deleteAction")->isEnabled());
    QVERIFY(find<QAction>(view, "forceDeleteAction")->isEnabled());
}

void TestConsole::resizeValidatesInTheDialog()
{
    connectDirect();
    auto *view = m_window->clustersView();
    auto *model = view->table()->model();
    view->table()->selectRow(rowOfName(model, QStringLiteral("globex-web")));
    QTRY_VERIFY(find<QAction>(view, "resizeAction")->isEnabled());
    find<QAction>(view, "resizeAction")->trigger();
    QDialog *d = nullptr;
    QTRY_VERIFY((d = dialog<QDialog>("resizeDialog")));
    auto *pool = find<QComboBox>(d, "resizePool");
    auto *count = find<QSpinBox>(d, "resizeReplicas");
    auto *reason = find<QLabel>(d, "resizeError");
    auto *ok = d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    // The current count is no change; an even control plane is refused: the dialog stays open.
    QVERIFY(!ok->isEnabled());
    QVERIFY2(reason->text().contains(QLatin1String("already has")), qPrintable(reason->text()));
    pool->setCurrentIndex(0);
    count->setValue(2);
    QVERIFY(!ok->isEnabled());
    QVERIFY2(reason->text().contains(QLatin1String("odd number")), qPrintable(reason->text()));
    QTest::keyClick(d, Qt::Key_Return);
    QVERIFY(d->isVisible());
    count->setValue(5);
    QVERIFY(ok->isEnabled());
    QVERIFY(!reason->isVisible());
    d->reject();

    // A failed operation names its entity in Activity and says so where it was started.
    const QString id = model->index(rowOfName(model, QStringLiteral("globex-broken")), 0).data(items::ClusterModel::IdRole).toString();
    std::optional<Result<rde::DefinedEntity>> r;
    m_site->resizeCluster(id, QStringLiteral("worker-node-pool-1"), 4, this, [&](Result<rde::DefinedEntity> x) { r = x; });
    QTRY_VERIFY_WITH_TIMEOUT(r.has_value(), 10000);
    QVERIFY(!r->ok());
    auto *activity = find<QTableView>(m_window.get(), "activityTable");
    QTRY_VERIFY(activity->model()->rowCount() > 0);
    bool named = false;
    for (int row = 0; row < activity->model()->rowCount(); ++row)
        named |= activity->model()->index(row, items::ActivityModel::Operation).data().toString().contains(id);
    QVERIFY(named);
}

void TestConsole::upgradeAtNewestDisabledAndResourcesShown()
{
    // A provisioned cluster at the newest release, with what CAPVCD records.
    vcd::Client acme(m_sim->tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    QVERIFY(test::connect(acme));
    const rde::ClusterSpec spec = acmeSpec(QStringLiteral("acme-newest"), m_sim->url());
    QVERIFY(site::upgradeTargets(spec.kubernetesVersion).isEmpty());
    auto yaml = rde::renderCapiYaml(spec);
    QVERIFY(yaml);
    rde::Cluster c = rde::Cluster::create(spec.name, spec.org, spec.vdc, spec.site, *yaml, QStringLiteral("tok"), true);
    c.setState(rde::clusterstate::kProvisioned);
    c.setValue(rde::paths::kStatusCapvcd + QStringList{QStringLiteral("vcdResourceSet")},
               QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("VApp")}, {QStringLiteral("name"), spec.name},
                                      {QStringLiteral("id"), QStringLiteral("urn:vcloud:vapp:1111")}}});
    c.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("VM created"), QStringLiteral("control plane VM"),
               QStringLiteral("urn:vcloud:vm:2222"), spec.name + QStringLiteral("-control-plane-abc"));
    auto id = vcd::await<QString>([&](auto done) {
        acme.createEntity(rde::types::cluster(QStringLiteral("1.3.0")).id(), spec.name, c.json(), done);
    });
    QVERIFY2(id, qPrintable(id ? QString() : id.error().toString()));
    connectDirect();
    auto *view = m_window->clustersView();
    auto *model = view->table()->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfName(model, spec.name) >= 0, 10000);
    view->table()->selectRow(rowOfName(model, spec.name));
    QAction *upgrade = find<QAction>(view, "upgradeAction");
    QTRY_VERIFY(find<QAction>(view, "deleteAction")->isEnabled());
    QVERIFY(!upgrade->isEnabled());
    QVERIFY2(upgrade->toolTip().contains(QLatin1String("newest supported release")), qPrintable(upgrade->toolTip()));
    const QString resources = find<QPlainTextEdit>(m_window.get(), "resourcesText")->toPlainText();
    QVERIFY2(resources.contains(QLatin1String("urn:vcloud:vapp:1111")) && resources.contains(QLatin1String("urn:vcloud:vm:2222")),
             qPrintable(resources));
    QVERIFY(resources.contains(QLatin1String("acme-newest-control-plane-abc")));
    // Leave the site as it was.
    vcd::Client admin(m_sim->provider());
    QVERIFY(test::connect(admin));
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { acme.resolveEntity(*id, done); }));
    auto deleted = vcd::await<void>([&](auto done) { acme.deleteEntity(*id, QString(), done); });
    QVERIFY2(deleted, qPrintable(deleted ? QString() : deleted.error().toString()));
}

void TestConsole::retryAfterError()
{
    connectDirect();
    auto *view = m_window->clustersView();
    auto *model = view->table()->model();
    view->table()->selectRow(rowOfName(model, QStringLiteral("globex-broken")));
    QTRY_VERIFY(find<QAction>(view, "retryAction")->isEnabled());
    // Why it is in error, and that no server can act for it (issue 22.2).
    auto *reason = find<QLabel>(m_window.get(), "clusterReason");
    QTRY_VERIFY_WITH_TIMEOUT(reason->text().contains(QLatin1String("no owner API token")), 10000);
    QVERIFY(reason->text().startsWith(QLatin1String("In error")));
    find<QAction>(view, "retryAction")->trigger();
    // It has no owner API token: Retry asks for one before it retries.
    QDialog *ask = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((ask = dialog<QDialog>("retryTokenDialog")), 10000);
    QVERIFY(find<QLabel>(ask, "retryTokenWhy")->text().contains(QLatin1String("globex")));
    auto *ok = ask->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    vcd::Client admin(m_sim->provider());
    QVERIFY(test::connect(admin));
    auto token = test::createApiToken(admin, QStringLiteral("globex"), QStringLiteral("globex-admin"));
    QVERIFY2(token, qPrintable(token ? QString() : token.error().toString()));
    QTest::keyClicks(find<QLineEdit>(ask, "retryToken"), *token);
    QTest::mouseClick(ok, Qt::LeftButton);
    // The server would start over: state cleared, repair attempts reset.
    QTRY_COMPARE_WITH_TIMEOUT(cell(model, QStringLiteral("globex-broken"), items::ClusterModel::State),
                              QStringLiteral("waiting for a server"), 20000);
    const QString id = model->index(rowOfName(model, QStringLiteral("globex-broken")), 0).data(items::ClusterModel::IdRole).toString();
    QCOMPARE(rde::Cluster(m_site->cluster(id)->entity).repairAttempts(), 0);
    // ... with the owner's token stored.
    auto full = vcd::await<rde::DefinedEntity>([&](auto done) { admin.getFullEntity(id, done); });
    QVERIFY(full);
    QCOMPARE(rde::Cluster(full->entity).apiToken(), *token);
}

void TestConsole::upgradeOffersValidReleasesOnly()
{
    connectDirect();
    auto *view = m_window->clustersView();
    auto *model = view->table()->model();
    const QString name = QStringLiteral("globex-web");
    view->table()->selectRow(rowOfName(model, name));
    const QString id = model->index(rowOfName(model, name), 0).data(items::ClusterModel::IdRole).toString();
    const QString from = rde::parseCapiYaml(rde::Cluster(m_site->cluster(id)->entity).capiYaml())->kubernetesVersion;
    if (site::upgradeTargets(from).isEmpty()) {
        // The newest release has nothing to upgrade to: disabled, the tooltip says why.
        QTRY_VERIFY(find<QAction>(view, "deleteAction")->isEnabled());
        QVERIFY(!find<QAction>(view, "upgradeAction")->isEnabled());
        QVERIFY(find<QAction>(view, "upgradeAction")->toolTip().contains(from));
        return;
    }
    QTRY_VERIFY(find<QAction>(view, "upgradeAction")->isEnabled());
    find<QAction>(view, "upgradeAction")->trigger();
    QDialog *d = nullptr;
    QTRY_VERIFY((d = dialog<QDialog>("upgradeDialog")));
    auto *version = find<QComboBox>(d, "upgradeVersion");
    QStringList offered;
    for (int i = 0; i < version->count(); ++i)
        offered << version->itemText(i);
    QCOMPARE(offered, site::upgradeTargets(from));
    QVERIFY(!offered.contains(from));
    const QString target = offered.last();
    version->setCurrentIndex(version->count() - 1);
    QTest::mouseClick(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(rde::parseCapiYaml(rde::Cluster(m_site->cluster(id)->entity).capiYaml())->kubernetesVersion, target, 20000);
}

void TestConsole::bulkAndForceDelete()
{
    connectDirect();
    auto *view = m_window->clustersView();
    auto *table = view->table();
    auto *model = table->model();
    // globex-new and acme-dev together: one confirmation, both marked.
    table->clearSelection();
    for (const QString &name : {QStringLiteral("globex-new"), QStringLiteral("acme-dev")})
        table->selectionModel()->select(model->index(rowOfName(model, name), 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(view->selectedIds().size(), 2);
    QTRY_VERIFY(find<QAction>(view, "forceDeleteAction")->isEnabled());
    find<QAction>(view, "forceDeleteAction")->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = dialog<QMessageBox>("deleteConfirm")));
    QVERIFY(box->text().contains(QLatin1String("globex-new")) && box->text().contains(QLatin1String("acme-dev")));
    QVERIFY(box->informativeText().contains(QLatin1String("cleaned up by hand")));
    QTest::mouseClick(find<QAbstractButton>(box, "deleteConfirmButton"), Qt::LeftButton);
    for (const QString &name : {QStringLiteral("globex-new"), QStringLiteral("acme-dev")}) {
        const QString id = model->index(rowOfName(model, name), 0).data(items::ClusterModel::IdRole).toString();
        QTRY_VERIFY_WITH_TIMEOUT(rde::Cluster(m_site->cluster(id)->entity).forceDelete(), 20000);
        QVERIFY(rde::Cluster(m_site->cluster(id)->entity).markForDelete());
    }
}

void TestConsole::configSchemaErrorAndConflict()
{
    connectDirect();
    QTRY_VERIFY(m_site->config().has_value());
    auto *tabs = find<QTabWidget>(m_window.get(), "tabs");
    auto *editor = find<views::ConfigEditor>(m_window.get(), "configEditor");
    tabs->setCurrentWidget(editor);
    auto *configTabs = find<QTabWidget>(editor, "configTabs");
    auto *json = find<QPlainTextEdit>(editor, "configJson");
    auto *error = find<QLabel>(editor, "configError");
    QTRY_VERIFY(json->toPlainText().contains(QLatin1String("\"leaseSeconds\"")));
    // A value the schema forbids: not saved, the failing path is named.
    configTabs->setCurrentWidget(json);
    QString text = json->toPlainText();
    text.replace(QRegularExpression(QStringLiteral("\"leaseSeconds\": \\d+")), QStringLiteral("\"leaseSeconds\": 1"));
    json->setPlainText(text);
    QTest::mouseClick(find<QPushButton>(editor, "configSave"), Qt::LeftButton);
    QVERIFY2(error->text().contains(QLatin1String("/profiles/0/serverConfig/leaseSeconds")), qPrintable(error->text()));
    QCOMPARE(m_site->ha().leaseSeconds, 10);

    // Through the form: saved with If-Match.
    find<QPushButton>(editor, "configReload")->click();
    configTabs->setCurrentIndex(0);
    find<QSpinBox>(editor, "cfg_leaseSeconds")->setValue(12);
    QTest::mouseClick(find<QPushButton>(editor, "configSave"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(error->text(), QStringLiteral("Saved."), 10000);
    QCOMPARE(m_site->ha().leaseSeconds, 12);

    // Someone else writes meanwhile: a conflict, then reload-and-merge keeps both changes.
    find<QSpinBox>(editor, "cfg_workersPerReplica")->setValue(7);
    vcd::Client other(m_sim->provider());
    QVERIFY(test::connect(other));
    auto changed = vcd::await<rde::DefinedEntity>([&](auto done) {
        other.patch(m_site->config()->id, [](QJsonObject &e) -> Result<bool> {
            rde::VcdKeConfig c(e);
            rde::HaSettings ha = c.ha();
            ha.autoRepairMaxAttempts = 9;
            c.setHa(ha);
            e = c.json();
            return true;
        }, done);
    });
    QVERIFY(changed);
    QTest::mouseClick(find<QPushButton>(editor, "configSave"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(find<QPushButton>(editor, "configMerge")->isVisible(), 10000);
    QVERIFY(error->text().contains(QLatin1String("someone changed")));
    QTest::mouseClick(find<QPushButton>(editor, "configMerge"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(error->text().startsWith(QLatin1String("Merged")), 10000);
    QTest::mouseClick(find<QPushButton>(editor, "configSave"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(error->text(), QStringLiteral("Saved."), 10000);
    QCOMPARE(m_site->ha().workersPerReplica, 7);
    QCOMPARE(m_site->ha().autoRepairMaxAttempts, 9);
    // Leave the site as we found it for the other tests.
    find<QSpinBox>(editor, "cfg_leaseSeconds")->setValue(10);
    QTest::mouseClick(find<QPushButton>(editor, "configSave"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_site->ha().leaseSeconds, 10, 10000);
}

void TestConsole::configFormAndJsonAgree()
{
    connectDirect(); // the window exists before the connection: the config arrives later
    QTRY_VERIFY(m_site->config().has_value());
    auto *editor = find<views::ConfigEditor>(m_window.get(), "configEditor");
    auto *configTabs = find<QTabWidget>(editor, "configTabs");
    auto *json = find<QPlainTextEdit>(editor, "configJson");
    auto *error = find<QLabel>(editor, "configError");
    QTRY_VERIFY(json->toPlainText().contains(QLatin1String("\"leaseSeconds\"")));
    // Issue 22.3: it shows the config, so it must not say it cannot see it.
    QVERIFY2(!error->text().contains(QLatin1String("not visible")), qPrintable(error->text()));
    // Issue 22.11: a value the form cannot show is flagged at its field.
    find<QTabWidget>(m_window.get(), "tabs")->setCurrentWidget(editor);
    configTabs->setCurrentWidget(json);
    QString text = json->toPlainText();
    text.replace(QRegularExpression(QStringLiteral("\"leaseSeconds\": \\d+")), QStringLiteral("\"leaseSeconds\": \"abc\""));
    json->setPlainText(text);
    configTabs->setCurrentIndex(0);
    auto *lease = find<QSpinBox>(editor, "cfg_leaseSeconds");
    QVERIFY(lease->property("invalid").toBool());
    QVERIFY2(error->text().contains(QLatin1String("leaseSeconds")) && error->text().contains(QLatin1String("\"abc\"")),
             qPrintable(error->text()));
    // A syntax error names its line and column.
    configTabs->setCurrentWidget(json);
    json->setPlainText(QStringLiteral("{\n  \"a\": 1,\n  oops\n}"));
    QTest::mouseClick(find<QPushButton>(editor, "configSave"), Qt::LeftButton);
    QVERIFY2(error->text().contains(QLatin1String("line 3, column ")), qPrintable(error->text()));
    find<QPushButton>(editor, "configReload")->click();
    configTabs->setCurrentIndex(0);
    QVERIFY(!lease->property("invalid").toBool());
    QCOMPARE(lease->value(), m_site->ha().leaseSeconds);
}

void TestConsole::replicaStateChangesWhenHeartbeatStops()
{
    // A replica as the server publishes it; the test renews it (or stops).
    vcd::Client admin(m_sim->provider());
    QVERIFY(test::connect(admin));
    rde::ServerInstance si = rde::ServerInstance::create(QStringLiteral("gui-replica-id"), QStringLiteral("gui-replica"),
                                                         QStringLiteral("0.1.0"), QStringLiteral("host-a"));
    auto id = vcd::await<QString>([&](auto done) {
        admin.createEntity(rde::types::serverInstance().id(), QStringLiteral("gui-replica"), si.json(), done);
    });
    QVERIFY2(id, qPrintable(id ? QString() : id.error().toString()));
    connectDirect();
    auto *tabs = find<QTabWidget>(m_window.get(), "tabs");
    tabs->setCurrentWidget(m_window->replicasView());
    auto *table = find<QTableView>(m_window.get(), "replicaTable");
    auto *banner = find<QLabel>(m_window.get(), "haBanner");
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, 10000);
    QCOMPARE(table->model()->index(0, items::ReplicaModel::State).data().toString(), QStringLiteral("running"));
    QVERIFY2(banner->text().contains(QLatin1String("Single point of failure")), qPrintable(banner->text()));
    // The heartbeat stops: after the lease on the console's own clock, the replica is lost.
    m_now += 11000;
    m_site->tick();
    QTRY_COMPARE(table->model()->index(0, items::ReplicaModel::State).data().toString(), QStringLiteral("lost (no heartbeat)"));
    QTRY_VERIFY(banner->text().contains(QLatin1String("No live replica")));
    QCOMPARE(table->model()->index(0, items::ReplicaModel::Heartbeat).data().toString(), QStringLiteral("11 s (#0)"));
    // It renews again: back to running.
    auto renewed = vcd::await<rde::DefinedEntity>([&](auto done) {
        admin.patch(*id, [](QJsonObject &e) -> Result<bool> {
            rde::ServerInstance s(e);
            s.renew();
            e = s.json();
            return true;
        }, done);
    });
    QVERIFY(renewed);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->index(0, items::ReplicaModel::State).data().toString(), QStringLiteral("running"), 10000);
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { admin.resolveEntity(*id, done); }));
    auto deleted = vcd::await<void>([&](auto done) { admin.deleteEntity(*id, QString(), done); });
    QVERIFY2(deleted, qPrintable(deleted ? QString() : deleted.error().toString()));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 0, 10000);
}

void TestConsole::closeDuringRefresh()
{
    m_site->setPollInterval(20);
    m_site->connectTo(m_sim->provider());
    QTRY_VERIFY_WITH_TIMEOUT(m_site->isRefreshing(), 10000);
    m_window->close();
    m_window.reset(); // the window goes while requests are in flight
    QTest::qWait(200);
    // Reconnecting drops the old in-flight refresh without stranding the new one.
    m_site->connectTo(m_sim->provider());
    QSignalSpy refreshed(m_site.get(), &site::Site::refreshed);
    QVERIFY(refreshed.wait(10000));
    m_site.reset(); // and the site goes mid-refresh too
    QTest::qWait(300);
}

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
