// `cse-console --demo`: the embedded site (vcd-sim seeded, cse-server
// replicas as children) with the console connected, offscreen.
#include "items/clustermodel.h"
#include "items/replicamodel.h"
#include "mainwindow.h"
#include "replicasview.h"
#include "site/demosite.h"
#include "site/site.h"

#include <QApplication>
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
    }
    QApplication::removeTranslator(&de);
    cse::site::Site site;
    cse::views::MainWindow w(&site, nullptr, &settings);
    QCOMPARE(w.clusterModel()->headerData(cse::items::ClusterModel::Org, Qt::Horizontal).toString(), QStringLiteral("Organization"));
}

QTEST_MAIN(TestDemoWindow)
#include "tst_demo_window.moc"
