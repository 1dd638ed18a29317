// The console's main window, offscreen, against the real embedded site.
#include "items/clustermodel.h"
#include "mainwindow.h"

#include <QApplication>
#include <QLabel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

class TestDemoWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsSeededClusters();
    void reportsMissingSimulator();
    void germanTranslationShips();
};

void TestDemoWindow::showsSeededClusters()
{
    QTemporaryDir dir;
    qputenv("CSE_DEMO_DIR", dir.path().toUtf8());
    qputenv("CSE_VCD_SIM", CSE_VCD_SIM_BIN);
    cse::views::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.startDemo();
    auto *table = w.findChild<QTableView *>(QStringLiteral("clusterTable"));
    auto *status = w.findChild<QLabel *>(QStringLiteral("siteStatus"));
    QVERIFY(table && status);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 5, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("5 clusters in 3 organizations")), 10000);
    QStringList names;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        names << table->model()->index(r, cse::items::ClusterModel::Name).data().toString();
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("acme-dev"), QStringLiteral("acme-prod"), QStringLiteral("globex-broken"),
                                 QStringLiteral("globex-new"), QStringLiteral("globex-web")}));
    // Click a row: the selection follows.
    const int row = w.clusterModel()->rowOf(w.clusterModel()->entityAt(2).id);
    const QRect cell = table->visualRect(table->model()->index(row, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(table->selectionModel()->selectedRows().first().row(), row);
    auto *banner = w.findChild<QLabel *>(QStringLiteral("haBanner"));
    QVERIFY(banner && banner->text().contains(QLatin1String("not part of this build")));
}

void TestDemoWindow::reportsMissingSimulator()
{
    QTemporaryDir dir;
    qputenv("CSE_DEMO_DIR", dir.path().toUtf8());
    qputenv("CSE_VCD_SIM", "/nonexistent/vcd-sim");
    cse::views::MainWindow w;
    w.startDemo();
    auto *status = w.findChild<QLabel *>(QStringLiteral("siteStatus"));
    QTRY_VERIFY(status->text().contains(QLatin1String("vcd-sim was not found at /nonexistent/vcd-sim")));
}

void TestDemoWindow::germanTranslationShips()
{
    QTranslator de;
    QVERIFY(de.load(QLocale(QLocale::German), QStringLiteral("cse-console"), QStringLiteral("_"), QStringLiteral(":/i18n")));
    QApplication::installTranslator(&de);
    cse::views::MainWindow w;
    auto *banner = w.findChild<QLabel *>(QStringLiteral("haBanner"));
    QVERIFY(banner->text().startsWith(QLatin1String("Server-Repliken")));
    QCOMPARE(w.clusterModel()->headerData(cse::items::ClusterModel::Org, Qt::Horizontal).toString(), QStringLiteral("Organisation"));
    QApplication::removeTranslator(&de);
    QCOMPARE(w.clusterModel()->headerData(cse::items::ClusterModel::Org, Qt::Horizontal).toString(), QStringLiteral("Organization"));
}

QTEST_MAIN(TestDemoWindow)
#include "tst_demo_window.moc"
