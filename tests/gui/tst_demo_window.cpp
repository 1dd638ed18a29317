// `cse-console --demo`: the embedded site (vcd-sim seeded, cse-server
// replicas as children) with the console connected, offscreen.
#include "clustersview.h"
#include "items/clustermodel.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "items/replicamodel.h"
#include "mainwindow.h"
#include "replicasview.h"
#include "site/demosite.h"
#include "site/site.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QWizard>
#include <QLabel>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

class TestDemoWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsSeededClustersAndReplicas();
    void replicasDriveOperations();
    void reportsMissingSimulator();
    void germanTranslationShips();
};

void TestDemoWindow::showsSeededClustersAndReplicas()
{
    QTemporaryDir dir;
    qputenv("CSE_DEMO_DIR", dir.path().toUtf8());
    qputenv("CSE_VCD_SIM", CSE_VCD_SIM_BIN);
    qputenv("CSE_SERVER", CSE_SERVER_BIN);
    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    cse::site::Site site;
    cse::views::MainWindow w(&site, nullptr, &settings);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.startDemo(3);
    auto *table = w.findChild<QTableView *>(QStringLiteral("clusterTable"));
    QVERIFY(table);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 5, 30000);
    QStringList names;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        names << table->model()->index(r, cse::items::ClusterModel::Name).data().toString();
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("acme-dev"), QStringLiteral("acme-prod"), QStringLiteral("globex-broken"),
                                 QStringLiteral("globex-new"), QStringLiteral("globex-web")}));
    // Click a row: the selection follows.
    const QRect cell = table->visualRect(table->model()->index(2, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(table->selectionModel()->selectedRows().first().row(), 2);
    // Replicas: three running, or the console says what is missing.
    auto *banner = w.findChild<QLabel *>(QStringLiteral("haBanner"));
    auto *demoStatus = w.findChild<QLabel *>(QStringLiteral("demoStatus"));
    QTRY_VERIFY_WITH_TIMEOUT(w.replicasView()->model()->rowCount() == 3
                                 || demoStatus->text().contains(QLatin1String("did not start a replica")),
                             30000);
    if (w.replicasView()->model()->rowCount() == 3)
        QTRY_VERIFY_WITH_TIMEOUT(banner->text().contains(QLatin1String("tolerates 2")), 20000);
    else
        QVERIFY2(banner->text().contains(QLatin1String("No cse-server replica")), qPrintable(banner->text()));
}

namespace {
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
        if (m->index(r, cse::items::ClusterModel::Name).data().toString() == name)
            return r;
    return -1;
}

int liveReplicas(cse::site::Site &site)
{
    return cse::site::ReplicaTracker::tolerance(site.replicas()).live;
}
} // namespace

// The whole loop with real replicas: create through the wizard until
// provisioned, resize, delete, and a killed replica changes state.
void TestDemoWindow::replicasDriveOperations()
{
    QTemporaryDir dir;
    qputenv("CSE_DEMO_DIR", dir.path().toUtf8());
    qputenv("CSE_VCD_SIM", CSE_VCD_SIM_BIN);
    qputenv("CSE_SERVER", CSE_SERVER_BIN);
    qputenv("CSE_DEMO_LATENCY_MS", "0");
    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    cse::site::Site site;
    site.setPollInterval(500);
    cse::views::MainWindow w(&site, nullptr, &settings);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.startDemo(3);
    QTRY_VERIFY_WITH_TIMEOUT(w.clusterModel()->rowCount() == 5 && liveReplicas(site) == 3, 30000);

    // Create through the wizard; the demo issues the owner's token.
    auto *view = w.clustersView();
    view->findChild<QAction *>(QStringLiteral("createAction"))->trigger();
    QWizard *wiz = nullptr;
    QTRY_VERIFY((wiz = dialog<QWizard>("createWizard")));
    QTest::keyClicks(wiz->findChild<QLineEdit *>(QStringLiteral("wizName")), QStringLiteral("demo-e2e"));
    auto *org = wiz->findChild<QComboBox *>(QStringLiteral("wizOrg"));
    org->setCurrentIndex(org->findText(QStringLiteral("acme")));
    QTRY_VERIFY_WITH_TIMEOUT(wiz->findChild<QComboBox *>(QStringLiteral("wizNetwork"))->count() > 0, 10000);
    wiz->next();
    wiz->next();
    QTRY_VERIFY_WITH_TIMEOUT(!wiz->findChild<QLineEdit *>(QStringLiteral("wizToken"))->text().isEmpty(), 10000);
    wiz->next();
    QTRY_VERIFY(wiz->button(QWizard::FinishButton)->isEnabled());
    QTest::mouseClick(wiz->button(QWizard::FinishButton), Qt::LeftButton);
    auto *status = w.findChild<QLabel *>(QStringLiteral("operationStatus"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("Create demo-e2e: done")), 60000);
    auto *model = view->table()->model();
    QCOMPARE(model->index(rowOfName(model, QStringLiteral("demo-e2e")), cse::items::ClusterModel::State).data().toString(),
             QStringLiteral("provisioned"));

    // The kubeconfig comes through getFullEntity into a private file.
    view->table()->selectRow(rowOfName(model, QStringLiteral("demo-e2e")));
    view->findChild<QAction *>(QStringLiteral("kubeconfigAction"))->trigger();
    QFileDialog *save = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((save = dialog<QFileDialog>("kubeconfigSaveDialog")), 20000);
    const QString kubeconfig = dir.filePath(QStringLiteral("demo-e2e.kubeconfig"));
    save->selectFile(kubeconfig);
    static_cast<QDialog *>(save)->accept(); // QFileDialog::accept, through the public base
    QTRY_VERIFY(QFile::exists(kubeconfig));
    QFile kc(kubeconfig);
    QVERIFY(kc.open(QIODevice::ReadOnly));
    QVERIFY(kc.readAll().contains("apiVersion"));
    QCOMPARE(kc.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());

    // Resize the workers to 2; the operation ends when the nodes are there.
    view->table()->selectRow(rowOfName(model, QStringLiteral("demo-e2e")));
    QTRY_VERIFY(view->findChild<QAction *>(QStringLiteral("resizeAction"))->isEnabled());
    view->findChild<QAction *>(QStringLiteral("resizeAction"))->trigger();
    QDialog *resize = nullptr;
    QTRY_VERIFY((resize = dialog<QDialog>("resizeDialog")));
    resize->findChild<QSpinBox *>(QStringLiteral("resizeReplicas"))->setValue(2);
    QTest::mouseClick(resize->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("Resize demo-e2e")) && status->text().contains(QLatin1String("done")),
                             60000);
    QCOMPARE(model->index(rowOfName(model, QStringLiteral("demo-e2e")), cse::items::ClusterModel::Nodes).data().toString(),
             QStringLiteral("3/3"));

    // Delete: the row goes once the server removed it.
    view->table()->selectRow(rowOfName(model, QStringLiteral("demo-e2e")));
    view->findChild<QAction *>(QStringLiteral("deleteAction"))->trigger();
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY((confirm = dialog<QMessageBox>("deleteConfirm")));
    QTest::mouseClick(confirm->findChild<QAbstractButton *>(QStringLiteral("deleteConfirmButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfName(model, QStringLiteral("demo-e2e")) < 0, 60000);
    QTRY_VERIFY(status->text().contains(QLatin1String("Delete demo-e2e: done")));

    // A replica dies: the console sees its heartbeat stop and says so.
    w.findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentWidget(w.replicasView());
    w.demoSite()->killReplica(QStringLiteral("replica-2"));
    auto *replicas = w.replicasView()->model();
    auto stateOf = [replicas](const QString &name) {
        for (int r = 0; r < replicas->rowCount(); ++r)
            if (replicas->index(r, cse::items::ReplicaModel::Name).data().toString() == name)
                return replicas->index(r, cse::items::ReplicaModel::State).data().toString();
        return QString();
    };
    QCOMPARE(stateOf(QStringLiteral("replica-2")), QStringLiteral("running"));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("replica-2")), QStringLiteral("lost (no heartbeat)"), 20000);
    QCOMPARE(stateOf(QStringLiteral("replica-1")), QStringLiteral("running"));
    auto *banner = w.findChild<QLabel *>(QStringLiteral("haBanner"));
    QTRY_VERIFY(banner->text().contains(QLatin1String("tolerates 1")));
    QVERIFY(banner->text().contains(QLatin1String("1 replica(s) lost")));
    qunsetenv("CSE_DEMO_LATENCY_MS");
}

void TestDemoWindow::reportsMissingSimulator()
{
    QTemporaryDir dir;
    qputenv("CSE_DEMO_DIR", dir.path().toUtf8());
    qputenv("CSE_VCD_SIM", "/nonexistent/vcd-sim");
    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    cse::site::Site site;
    cse::views::MainWindow w(&site, nullptr, &settings);
    w.startDemo();
    QTRY_VERIFY(w.statusText().contains(QLatin1String("vcd-sim was not found at /nonexistent/vcd-sim")));
}

void TestDemoWindow::germanTranslationShips()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    QTranslator de;
    QVERIFY(de.load(QLocale(QLocale::German), QStringLiteral("cse-console"), QStringLiteral("_"), QStringLiteral(":/i18n")));
    QApplication::installTranslator(&de);
    {
        cse::site::Site site;
        cse::views::MainWindow w(&site, nullptr, &settings);
        QCOMPARE(w.statusText(), QStringLiteral("Nicht verbunden."));
        QCOMPARE(w.clusterModel()->headerData(cse::items::ClusterModel::Org, Qt::Horizontal).toString(), QStringLiteral("Organisation"));
        QCOMPARE(w.replicasView()->model()->headerData(cse::items::ReplicaModel::State, Qt::Horizontal).toString(),
                 QStringLiteral("Zustand"));
        QCOMPARE(w.replicasView()->bannerText(), QStringLiteral("Nicht verbunden."));
        QCOMPARE(w.findChild<QTabWidget *>(QStringLiteral("tabs"))->tabText(1), QStringLiteral("&Repliken"));
        // Plural forms come from the translation too.
        QCOMPARE(QCoreApplication::translate("cse::views::ReplicasView", "%n replica(s) lost (no heartbeat within the lease).",
                                             nullptr, 2),
                 QStringLiteral("2 Repliken verloren (kein Heartbeat innerhalb der Lease)."));
    }
    QApplication::removeTranslator(&de);
    cse::site::Site site;
    cse::views::MainWindow w(&site, nullptr, &settings);
    QCOMPARE(w.clusterModel()->headerData(cse::items::ClusterModel::Org, Qt::Horizontal).toString(), QStringLiteral("Organization"));
}

QTEST_MAIN(TestDemoWindow)
#include "tst_demo_window.moc"
