// Replica liveness on the observer's clock, the tolerance banner's numbers,
// and the replica item model (in-place row updates).
#include "items/replicamodel.h"
#include "rde/serverinstance.h"
#include "site/replicatracker.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace cse;
using site::ReplicaStatus;

static rde::DefinedEntity instance(const QString &name, qint64 heartbeat, const QString &state = QStringLiteral("running"),
                                   bool suspect = false)
{
    rde::ServerInstance si = rde::ServerInstance::create(QStringLiteral("id-") + name, name, QStringLiteral("0.1.0"),
                                                         QStringLiteral("host-") + name,
                                                         QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
    si.setValue({QStringLiteral("heartbeat")}, heartbeat);
    si.setState(state);
    si.setSuspect(suspect);
    // A wall clock far in the past must not matter: only the counter does.
    si.setValue({QStringLiteral("lastRenewTime")}, QStringLiteral("1999-01-01T00:00:00.000Z"));
    rde::DefinedEntity e;
    e.id = QStringLiteral("urn:vcloud:entity:cseconsole:serverInstance:") + name;
    e.name = name;
    e.entity = si.json();
    e.etag = QStringLiteral("\"%1\"").arg(heartbeat);
    return e;
}

class TestReplicas : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void livenessOnObserverClock();
    void health_data();
    void health();
    void tolerance();
    void modelUpdatesOneRow();
};

void TestReplicas::livenessOnObserverClock()
{
    site::ReplicaTracker t(10);
    auto list = t.observe({instance(QStringLiteral("a"), 1), instance(QStringLiteral("b"), 1)}, 1000);
    QCOMPARE(list.size(), 2);
    QCOMPARE(int(list.at(0).health), int(ReplicaStatus::Health::Live));
    // a keeps renewing, b stops; 9 s later both are still within the lease.
    list = t.observe({instance(QStringLiteral("a"), 5), instance(QStringLiteral("b"), 1)}, 10000);
    QCOMPARE(int(list.at(1).health), int(ReplicaStatus::Health::Live));
    QCOMPARE(list.at(1).ageMs, 9000);
    QCOMPARE(list.at(0).ageMs, 0);
    // 11 s without a change of b's counter: lost. a's age counts from 10 s.
    list = t.evaluate(12001);
    QCOMPARE(int(list.at(1).health), int(ReplicaStatus::Health::Lost));
    QCOMPARE(int(list.at(0).health), int(ReplicaStatus::Health::Live));
    QCOMPARE(list.at(0).ageMs, 2001);
    // b comes back.
    list = t.observe({instance(QStringLiteral("a"), 6), instance(QStringLiteral("b"), 2)}, 13000);
    QCOMPARE(int(list.at(1).health), int(ReplicaStatus::Health::Live));
    // A vanished entity is forgotten.
    list = t.observe({instance(QStringLiteral("a"), 6)}, 14000);
    QCOMPARE(list.size(), 1);
}

void TestReplicas::health_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<bool>("suspect");
    QTest::addColumn<int>("health");
    QTest::newRow("running") << "running" << false << int(ReplicaStatus::Health::Live);
    QTest::newRow("fenced") << "running" << true << int(ReplicaStatus::Health::Fenced);
    QTest::newRow("draining") << "draining" << false << int(ReplicaStatus::Health::Draining);
    QTest::newRow("stopped") << "stopped" << false << int(ReplicaStatus::Health::Stopped);
}

void TestReplicas::health()
{
    QFETCH(QString, state);
    QFETCH(bool, suspect);
    QFETCH(int, health);
    site::ReplicaTracker t(10);
    const auto list = t.observe({instance(QStringLiteral("a"), 3, state, suspect)}, 0);
    QCOMPARE(int(list.at(0).health), health);
}

void TestReplicas::tolerance()
{
    site::ReplicaTracker t(10);
    auto list = t.observe({instance(QStringLiteral("a"), 1), instance(QStringLiteral("b"), 1), instance(QStringLiteral("c"), 1)}, 0);
    QCOMPARE(site::ReplicaTracker::tolerance(list).tolerates(), 2);
    QVERIFY(!site::ReplicaTracker::tolerance(list).singlePointOfFailure());
    list = t.observe({instance(QStringLiteral("a"), 2), instance(QStringLiteral("b"), 1), instance(QStringLiteral("c"), 1, QStringLiteral("running"), true)}, 20000);
    const site::Tolerance tol = site::ReplicaTracker::tolerance(list);
    QCOMPARE(tol.live, 1);
    QCOMPARE(tol.lost, 2); // c is fenced but also silent: lost wins
    QVERIFY(tol.singlePointOfFailure());
    QCOMPARE(tol.tolerates(), 0);
}

void TestReplicas::modelUpdatesOneRow()
{
    items::ReplicaModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    site::ReplicaTracker t(10);
    model.update(t.observe({instance(QStringLiteral("a"), 1), instance(QStringLiteral("b"), 1), instance(QStringLiteral("c"), 1)}, 0));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(changed.count(), 0);
    // Only b renews (same clock reading): only b's row changes.
    model.update(t.observe({instance(QStringLiteral("a"), 1), instance(QStringLiteral("b"), 2), instance(QStringLiteral("c"), 1)}, 0));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), model.rowOf(instance(QStringLiteral("b"), 0).id));
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), changed.at(0).at(0).toModelIndex().row());
    // c is lost: its state text says so.
    model.update(t.observe({instance(QStringLiteral("a"), 3), instance(QStringLiteral("b"), 3), instance(QStringLiteral("c"), 1)}, 11000));
    const int c = model.rowOf(instance(QStringLiteral("c"), 0).id);
    QCOMPARE(model.index(c, items::ReplicaModel::State).data().toString(), QStringLiteral("lost (no heartbeat)"));
    QCOMPARE(model.index(c, items::ReplicaModel::Heartbeat).data().toString(), QStringLiteral("11 s (#1)"));
    QCOMPARE(model.index(0, items::ReplicaModel::Host).data().toString(), QStringLiteral("host-a"));
    // One vanishes.
    model.update(t.observe({instance(QStringLiteral("a"), 3), instance(QStringLiteral("c"), 1)}, 11000));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(instance(QStringLiteral("c"), 0).id), 1);
    QCOMPARE(resets.count(), 0);
}

QTEST_APPLESS_MAIN(TestReplicas)
#include "tst_replicas.moc"
