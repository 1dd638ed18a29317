// The asynchronous backup and restore jobs against a real vcd-sim: results
// arrive through finished() exactly once and never from inside start(),
// progress counts to the end, cancel() finishes at once with
// ErrorKind::Canceled and nothing arrives after it, and a job destroyed
// while it runs reports nothing.
#include "../support/simprocess.h"
#include "backup/jobs.h"
#include "server/installer.h"

#include <QSignalSpy>
#include <QtTest>

using namespace cse;

namespace {
// Records every finished() of a job.
template<typename T, typename J>
struct Finished
{
    explicit Finished(J *job)
    {
        QObject::connect(job, &J::finished, job, [this](const Result<T> &r) { results.append(r); });
    }
    QList<Result<T>> results;
};
} // namespace

class TestBackupJobs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void backupThenRestore();
    void cancelBeforeAndDuring();
    void destroyedWhileRunning();
    void refusesATenant();

private:
    std::unique_ptr<test::SimProcess> m_source;
    std::unique_ptr<test::SimProcess> m_target;
};

void TestBackupJobs::initTestCase()
{
    m_source = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(m_source->start(), qPrintable(m_source->error()));
    m_target = std::make_unique<test::SimProcess>(
        QStringList{QStringLiteral("--seed"), QStringLiteral("tenants"), QStringLiteral("--latency-ms"), QStringLiteral("20")});
    QVERIFY2(m_target->start(), qPrintable(m_target->error()));
    vcd::Client admin(m_target->provider());
    QVERIFY(test::connect(admin).ok());
    QVERIFY(server::install(admin).ok());
}

void TestBackupJobs::backupThenRestore()
{
    // Backup on a connection of its own.
    backup::BackupJob job(m_source->provider(), {});
    Finished<backup::Archive, backup::BackupJob> done(&job);
    QSignalSpy progress(&job, &backup::Job::progress);
    job.start();
    QVERIFY(job.isRunning());
    QCOMPARE(done.results.size(), 0); // never from inside start()
    QTRY_COMPARE_WITH_TIMEOUT(done.results.size(), 1, 20000);
    QVERIFY(job.isFinished());
    QVERIFY2(done.results.first().ok(), qPrintable(done.results.first() ? QString() : done.results.first().error().toString()));
    const backup::Archive archive = *done.results.first();
    const int clusters = int(archive.ofKind(backup::kind::kCluster).size());
    QVERIFY(clusters > 0);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), clusters);
    QCOMPARE(progress.last().at(1).toInt(), clusters);

    // Plan against the rebuilt site, then restore with progress to the end.
    backup::TargetJob read(m_target->provider());
    Finished<backup::TargetState, backup::TargetJob> target(&read);
    read.start();
    QTRY_COMPARE_WITH_TIMEOUT(target.results.size(), 1, 20000);
    QVERIFY(target.results.first().ok());
    const backup::Plan plan = backup::makePlan(archive, *target.results.first(), {});
    QCOMPARE(plan.count(backup::Action::Create), clusters);
    const int work = plan.count(backup::Action::Create) + plan.count(backup::Action::Update);

    backup::RestoreJob restore(m_target->provider(), plan, {});
    Finished<backup::ApplyReport, backup::RestoreJob> restored(&restore);
    QSignalSpy restoreProgress(&restore, &backup::Job::progress);
    restore.start();
    QTRY_COMPARE_WITH_TIMEOUT(restored.results.size(), 1, 60000);
    QVERIFY(restored.results.first().ok());
    QCOMPARE(restored.results.first()->created, clusters);
    QVERIFY(restored.results.first()->failures.isEmpty());
    QCOMPARE(restoreProgress.first().at(0).toInt(), 0);
    QCOMPARE(restoreProgress.last().at(0).toInt(), work);
    QCOMPARE(restoreProgress.last().at(1).toInt(), work);
    for (int i = 1; i < restoreProgress.size(); ++i) // one step at a time, never backwards
        QCOMPARE(restoreProgress.at(i).at(0).toInt(), restoreProgress.at(i - 1).at(0).toInt() + 1);
}

void TestBackupJobs::cancelBeforeAndDuring()
{
    // Before it ran: finished at once, with Canceled, once.
    {
        backup::BackupJob job(m_source->provider(), {});
        Finished<backup::Archive, backup::BackupJob> done(&job);
        job.start();
        job.cancel();
        QCOMPARE(done.results.size(), 1);
        QVERIFY(done.results.first().error().is(ErrorKind::Canceled));
        job.cancel(); // again: nothing
        QTest::qWait(300);
        QCOMPARE(done.results.size(), 1);
    }
    // While it runs (clusters being fetched): the same, and nothing arrives later.
    {
        backup::BackupJob job(m_source->provider(), {});
        Finished<backup::Archive, backup::BackupJob> done(&job);
        QSignalSpy progress(&job, &backup::Job::progress);
        job.start();
        QVERIFY(progress.wait(20000));
        job.cancel();
        QCOMPARE(done.results.size(), 1);
        QVERIFY(done.results.first().error().is(ErrorKind::Canceled));
        const auto seen = progress.size();
        QTest::qWait(500);
        QCOMPARE(done.results.size(), 1);
        QCOMPARE(progress.size(), seen);
    }
}

void TestBackupJobs::destroyedWhileRunning()
{
    int reported = 0;
    {
        auto *job = new backup::BackupJob(m_source->provider(), {});
        QObject::connect(job, &backup::BackupJob::finished, [&reported] { ++reported; });
        job->start();
        QSignalSpy progress(job, &backup::Job::progress);
        QVERIFY(progress.wait(20000));
        delete job;
    }
    QTest::qWait(500);
    QCOMPARE(reported, 0);
}

void TestBackupJobs::refusesATenant()
{
    backup::BackupJob job(m_source->tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")), {});
    Finished<backup::Archive, backup::BackupJob> done(&job);
    job.start();
    QTRY_COMPARE_WITH_TIMEOUT(done.results.size(), 1, 20000);
    QVERIFY(done.results.first().error().is(ErrorKind::Invalid));
}

QTEST_GUILESS_MAIN(TestBackupJobs)
#include "tst_backup_jobs.moc"
