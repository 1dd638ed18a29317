// The console's Backup page, offscreen, in the real main window against real
// vcd-sim processes: back up a demo site, verify the archive, see a flipped
// byte, a truncated file and a wrong passphrase each named, plan a restore
// into a rebuilt site (`vcd-sim --seed tenants` after install) as a table with
// an org mapping edited, cancel a restore, then restore with progress and
// find the clusters there. Widgets are found by objectName.
#include "../support/simprocess.h"
#include "backup/archive.h"
#include "backup/restore.h"
#include "backupview.h"
#include "items/clustermodel.h"
#include "items/planmodel.h"
#include "mainwindow.h"
#include "rde/types.h"
#include "secrets/credentialstore.h"
#include "server/installer.h"
#include "site/site.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;

namespace {
template<typename T>
T *find(QObject *root, const char *name)
{
    auto *w = root->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no widget named %s", name);
    return w;
}

int rowOf(const QAbstractItemModel *m, const QString &name)
{
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, items::PlanModel::Entity).data().toString() == name)
            return r;
    return -1;
}

QString cell(const QAbstractItemModel *m, const QString &name, int column)
{
    const int r = rowOf(m, name);
    return r < 0 ? QString() : m->index(r, column).data().toString();
}

bool copyWith(const QString &from, const QString &to, const std::function<void(QByteArray &)> &change)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        return false;
    QByteArray bytes = in.readAll();
    change(bytes);
    QFile out(to);
    return out.open(QIODevice::WriteOnly | QIODevice::Truncate) && out.write(bytes) == bytes.size();
}
} // namespace

class TestBackupView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void backupVerifyPlanRestore();

private:
    void verify(const QString &file, const QString &passphrase = {});

    std::unique_ptr<test::SimProcess> m_source;
    std::unique_ptr<test::SimProcess> m_target;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<site::Site> m_site;
    std::unique_ptr<secrets::MemoryStore> m_secrets;
    std::unique_ptr<views::MainWindow> m_window;
    views::BackupView *m_view = nullptr;
};

void TestBackupView::initTestCase()
{
    m_source = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(m_source->start(), qPrintable(m_source->error()));
    m_target = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("tenants")});
    QVERIFY2(m_target->start(), qPrintable(m_target->error()));
    // The rebuilt site gets CSE installed (types, interfaces, vcdKeConfig), as `cse-server install` does.
    vcd::Client admin(m_target->provider());
    QVERIFY(test::connect(admin).ok());
    auto installed = server::install(admin);
    QVERIFY2(installed.ok(), qPrintable(installed ? QString() : installed.error().toString()));

    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    m_site = std::make_unique<site::Site>();
    m_site->setPollInterval(60000);
    m_secrets = std::make_unique<secrets::MemoryStore>();
    m_window = std::make_unique<views::MainWindow>(m_site.get(), m_secrets.get(), m_settings.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_view = m_window->backupView();
    QVERIFY(m_view);
    auto *tabs = find<QTabWidget>(m_window.get(), "tabs");
    tabs->setCurrentWidget(m_view);
    QCOMPARE(tabs->currentWidget(), m_view);
}

void TestBackupView::cleanupTestCase()
{
    m_window.reset();
    m_site.reset();
}

void TestBackupView::verify(const QString &file, const QString &passphrase)
{
    find<QLineEdit>(m_view, "archiveFile")->setText(file);
    find<QLineEdit>(m_view, "archivePassphrase")->setText(passphrase);
    auto *button = find<QPushButton>(m_view, "verifyButton");
    QTRY_VERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 20000); // verification finished (a worker thread)
}

void TestBackupView::backupVerifyPlanRestore()
{
    auto *create = find<QPushButton>(m_view, "createBackupButton");
    auto *status = find<QLabel>(m_view, "backupStatus");
    auto *file = find<QLineEdit>(m_view, "backupFile");
    const QString plain = m_dir->filePath(QStringLiteral("site.cse-backup"));
    const QString encrypted = m_dir->filePath(QStringLiteral("secrets.cse-backup"));
    const QString passphrase = QStringLiteral("correct horse battery");

    // Not connected: nothing to back up.
    file->setText(plain);
    QVERIFY(!create->isEnabled());
    m_site->connectTo(m_source->provider());
    QTRY_VERIFY_WITH_TIMEOUT(create->isEnabled(), 20000);

    // ---- A backup canceled at once writes nothing.
    QTest::mouseClick(create, Qt::LeftButton);
    auto *cancelBackup = find<QPushButton>(m_view, "cancelBackupButton");
    QVERIFY(cancelBackup->isEnabled());
    QTest::mouseClick(cancelBackup, Qt::LeftButton);
    QCOMPARE(status->text(), QStringLiteral("Backup canceled; no file was written."));
    QVERIFY(!cancelBackup->isEnabled());
    QVERIFY(create->isEnabled());
    QTest::qWait(200); // any late answer of the canceled job would land here
    QVERIFY(!QFile::exists(plain));
    QCOMPARE(status->text(), QStringLiteral("Backup canceled; no file was written."));

    // ---- A plain backup, with progress to the end.
    QTest::mouseClick(create, Qt::LeftButton);
    QVERIFY(!create->isEnabled()); // running
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Wrote")), 30000);
    QVERIFY2(status->text().contains(QLatin1String("cluster(s)")), qPrintable(status->text()));
    auto *progress = find<QProgressBar>(m_view, "backupProgress");
    QCOMPARE(progress->value(), progress->maximum());
    QVERIFY(QFile::exists(plain));
    QVERIFY(create->isEnabled());

    // ---- With secure fields: a passphrase that is never shown.
    auto *secrets = find<QCheckBox>(m_view, "includeSecrets");
    auto *pass = find<QLineEdit>(m_view, "backupPassphrase");
    auto *confirm = find<QLineEdit>(m_view, "backupPassphraseConfirm");
    QVERIFY(!pass->isEnabled());
    secrets->setChecked(true);
    QVERIFY(pass->isEnabled() && confirm->isEnabled());
    QCOMPARE(pass->echoMode(), QLineEdit::Password);
    QCOMPARE(confirm->echoMode(), QLineEdit::Password);
    file->setText(encrypted);
    QTest::keyClicks(pass, passphrase);
    QTest::keyClicks(confirm, QStringLiteral("something else"));
    QTest::mouseClick(create, Qt::LeftButton);
    QVERIFY2(status->text().contains(QLatin1String("differ")), qPrintable(status->text()));
    QVERIFY(!QFile::exists(encrypted));
    confirm->clear();
    QTest::keyClicks(confirm, passphrase);
    QTest::mouseClick(create, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Wrote")), 30000);
    QVERIFY(QFile::exists(encrypted));
    QVERIFY(pass->text().isEmpty() && confirm->text().isEmpty()); // not kept once used
    secrets->setChecked(false);

    // ---- Verify: the manifest.
    verify(plain);
    auto *error = find<QLabel>(m_view, "archiveError");
    QVERIFY2(error->isHidden(), qPrintable(error->text()));
    QCOMPARE(find<QLabel>(m_view, "manifestFormat")->text(), QStringLiteral("version %1").arg(backup::kFormatVersion));
    QCOMPARE(find<QLabel>(m_view, "manifestSite")->text(), m_source->url());
    QVERIFY(!find<QLabel>(m_view, "manifestCreated")->text().isEmpty());
    const QString counts = find<QLabel>(m_view, "manifestCounts")->text();
    QVERIFY2(counts.contains(QLatin1String("1 configuration(s)")), qPrintable(counts));
    QCOMPARE(find<QLabel>(m_view, "manifestSecrets")->text(), QStringLiteral("not included"));

    // ---- Each problem is named: a flipped byte, a truncated file, a wrong or missing passphrase.
    const QString flipped = m_dir->filePath(QStringLiteral("flipped.cse-backup"));
    QVERIFY(copyWith(plain, flipped, [](QByteArray &b) { b[b.size() / 2] = char(b[b.size() / 2] ^ 0x01); }));
    verify(flipped);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().startsWith(QLatin1String("The archive is corrupt")), qPrintable(error->text()));
    QVERIFY(find<QLabel>(m_view, "manifestCounts")->text().isEmpty());
    QVERIFY(!find<QPushButton>(m_view, "dryRunButton")->isEnabled());

    const QString truncated = m_dir->filePath(QStringLiteral("truncated.cse-backup"));
    QVERIFY(copyWith(plain, truncated, [](QByteArray &b) { b.chop(b.size() / 3); }));
    verify(truncated);
    QVERIFY2(error->text().startsWith(QLatin1String("The archive is truncated")), qPrintable(error->text()));

    verify(encrypted);
    QVERIFY2(error->text().startsWith(QLatin1String("The archive is encrypted: enter its passphrase")), qPrintable(error->text()));
    // Said once, in the page's own words (no doubled "the archive is encrypted: ...").
    QVERIFY2(error->text().count(QLatin1String("encrypted"), Qt::CaseInsensitive) == 1, qPrintable(error->text()));
    QVERIFY2(error->text().contains(QLatin1String("\"Archive passphrase\"")), qPrintable(error->text()));
    verify(encrypted, QStringLiteral("not the passphrase"));
    QVERIFY2(error->text().startsWith(QLatin1String("Wrong passphrase")), qPrintable(error->text()));
    QVERIFY2(error->text().count(QLatin1String("wrong passphrase"), Qt::CaseInsensitive) == 1, qPrintable(error->text()));
    QVERIFY2(!error->text().contains(QLatin1String("intact")), qPrintable(error->text()));
    verify(encrypted, passphrase);
    QVERIFY2(error->isHidden(), qPrintable(error->text()));
    QCOMPARE(find<QLabel>(m_view, "manifestSecrets")->text(), QStringLiteral("included (encrypted)"));
    // The passphrase is in no label or log.
    const QString logText = find<QPlainTextEdit>(m_view, "backupLog")->toPlainText();
    QVERIFY(!logText.contains(passphrase));
    for (QLabel *l : m_view->findChildren<QLabel *>())
        QVERIFY(!l->text().contains(passphrase));

    // ---- Dry run into the rebuilt site: a table of what would happen, nothing written.
    verify(plain);
    QVERIFY(error->isHidden());
    m_site->connectTo(m_target->provider());
    auto *dryRun = find<QPushButton>(m_view, "dryRunButton");
    QTRY_VERIFY_WITH_TIMEOUT(m_site->isConnected() && dryRun->isEnabled(), 20000);
    QTest::mouseClick(dryRun, Qt::LeftButton);
    auto *table = find<QTableView>(m_view, "planTable");
    const QAbstractItemModel *plan = table->model();
    QCOMPARE(plan, static_cast<QAbstractItemModel *>(m_view->planModel()));
    QTRY_VERIFY_WITH_TIMEOUT(plan->rowCount() > 0, 20000);
    QTRY_COMPARE(table->verticalHeader()->count(), plan->rowCount());
    // The archive's clusters, as the file holds them.
    auto bytes = backup::readFile(plain);
    QVERIFY(bytes.ok());
    auto archive = backup::decode(*bytes, {});
    QVERIFY(archive.ok());
    QList<rde::DefinedEntity> clusters;
    for (const backup::Entry *e : archive->ofKind(backup::kind::kCluster))
        clusters.append(e->entity);
    const QList<rde::DefinedEntity> *sourceClusters = &clusters;
    QVERIFY(!clusters.isEmpty());
    QCOMPARE(plan->rowCount(), int(clusters.size()) + 1); // + the configuration
    for (const rde::DefinedEntity &c : *sourceClusters) {
        QCOMPARE(cell(plan, c.name, items::PlanModel::Type), QStringLiteral("cluster"));
        QCOMPARE(cell(plan, c.name, items::PlanModel::Org), c.org.name);
        QCOMPARE(cell(plan, c.name, items::PlanModel::Action), QStringLiteral("create"));
    }
    QCOMPARE(cell(plan, rde::types::kConfigEntityName, items::PlanModel::Org), QStringLiteral("System"));
    QVERIFY(!cell(plan, rde::types::kConfigEntityName, items::PlanModel::Action).isEmpty());
    QVERIFY2(find<QLabel>(m_view, "planSummary")->text().contains(QLatin1String("0 conflict")),
             qPrintable(find<QLabel>(m_view, "planSummary")->text()));
    // Every row says why, creates too.
    for (int r = 0; r < plan->rowCount(); ++r)
        QVERIFY2(!plan->index(r, items::PlanModel::Reason).data().toString().isEmpty(),
                 qPrintable(plan->index(r, items::PlanModel::Entity).data().toString()));
    QVERIFY2(cell(plan, sourceClusters->first().name, items::PlanModel::Reason).contains(sourceClusters->first().org.name),
             qPrintable(cell(plan, sourceClusters->first().name, items::PlanModel::Reason)));

    // An org mapping edited in the table re-plans at once: to a missing org, the clusters become conflicts.
    auto *orgMap = find<QTableWidget>(m_view, "orgMapTable");
    QVERIFY(orgMap->rowCount() >= 1);
    const QString org = orgMap->item(0, 0)->text();
    const QString someCluster = [&] {
        for (const rde::DefinedEntity &c : *sourceClusters)
            if (c.org.name == org)
                return c.name;
        return QString();
    }();
    QVERIFY(!someCluster.isEmpty());
    orgMap->item(0, 1)->setText(QStringLiteral("nosuchorg"));
    QCOMPARE(cell(plan, someCluster, items::PlanModel::Action), QStringLiteral("conflict"));
    QCOMPARE(cell(plan, someCluster, items::PlanModel::Org), QStringLiteral("nosuchorg (from %1)").arg(org));
    QCOMPARE(m_view->orgMap().value(org), QStringLiteral("nosuchorg"));
    // The reason says what to do in this page, about the right orgs, without a command-line hint.
    const QString why = cell(plan, someCluster, items::PlanModel::Reason);
    QVERIFY2(why.contains(QLatin1String("nosuchorg")) && why.contains(QStringLiteral("for %1").arg(org))
                 && why.contains(QLatin1String("\"Restore into org\"")),
             qPrintable(why));
    QVERIFY2(!why.contains(QLatin1String("--")) && !why.contains(QLatin1String("cse-server")), qPrintable(why));
    QVERIFY2(!orgMap->toolTip().contains(QLatin1String("--")), qPrintable(orgMap->toolTip()));
    orgMap->item(0, 1)->setText(org);
    QCOMPARE(cell(plan, someCluster, items::PlanModel::Action), QStringLiteral("create"));
    QVERIFY(m_view->orgMap().isEmpty());

    // Nothing was written by the dry run.
    vcd::Client target(m_target->provider());
    QVERIFY(test::connect(target).ok());
    auto listTarget = [&] { // every org's clusters
        auto state = backup::readTarget(target);
        return state ? state->clusters : QList<rde::DefinedEntity>();
    };
    QCOMPARE(int(listTarget().size()), 0);

    // ---- A restore canceled before its first write writes nothing.
    auto *restore = find<QPushButton>(m_view, "restoreButton");
    auto *cancel = find<QPushButton>(m_view, "cancelRestoreButton");
    auto *restoreStatus = find<QLabel>(m_view, "restoreStatus");
    QVERIFY(restore->isEnabled());
    QVERIFY(!cancel->isEnabled());
    QTest::mouseClick(restore, Qt::LeftButton);
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY2(restoreStatus->text().startsWith(QLatin1String("Restore canceled")), qPrintable(restoreStatus->text()));
    QTRY_VERIFY_WITH_TIMEOUT(restore->isEnabled(), 20000); // the plan was read again
    QCOMPARE(int(listTarget().size()), 0);
    QCOMPARE(cell(plan, someCluster, items::PlanModel::Action), QStringLiteral("create"));

    // ---- Restore, with progress to the end; the table then shows everything in place.
    QTest::mouseClick(restore, Qt::LeftButton);
    auto *restoreProgress = find<QProgressBar>(m_view, "restoreProgress");
    QCOMPARE(restoreProgress->maximum(), plan->rowCount() - m_view->planModel()->count(backup::Action::Unchanged));
    QTRY_VERIFY_WITH_TIMEOUT(restoreStatus->text().startsWith(QLatin1String("Restored:")), 60000);
    QVERIFY2(restoreStatus->text().contains(QLatin1String("0 failed")), qPrintable(restoreStatus->text()));
    QCOMPARE(restoreProgress->value(), restoreProgress->maximum());
    QTRY_COMPARE_WITH_TIMEOUT(m_view->planModel()->count(backup::Action::Unchanged), plan->rowCount(), 20000);
    QVERIFY(!restore->isEnabled()); // nothing left to do
    // After a real restore the summary does not speak of a dry run; unchanged rows say why.
    const QString summary = find<QLabel>(m_view, "planSummary")->text();
    QVERIFY2(!summary.contains(QLatin1String("dry run"), Qt::CaseInsensitive) && !summary.contains(QLatin1String("writes nothing")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("After the restore")), qPrintable(summary));
    for (int r = 0; r < plan->rowCount(); ++r)
        QVERIFY(!plan->index(r, items::PlanModel::Reason).data().toString().isEmpty());

    const QList<rde::DefinedEntity> after = listTarget();
    QCOMPARE(after.size(), sourceClusters->size());
    for (const rde::DefinedEntity &c : *sourceClusters) {
        const auto it = std::find_if(after.begin(), after.end(), [&](const rde::DefinedEntity &t) { return t.externalId == c.id; });
        QVERIFY2(it != after.end(), qPrintable(c.name));
        QCOMPARE(it->name, c.name);
        QCOMPARE(it->org.name, c.org.name);
    }
    // The clusters page sees them too.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->clusterModel()->rowCount(), int(sourceClusters->size()), 20000);
}

QTEST_MAIN(TestBackupView)
#include "tst_backup_view.moc"
