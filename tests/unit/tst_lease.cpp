// The lease protocol's pure logic on a hand-driven clock: liveness judged on
// the observer's clock, self-fencing before anyone may take over, and
// rendezvous hashing that moves only a dead replica's clusters.
#include "server/lease.h"

#include <QtTest>

using namespace cse::server;

class TestLease : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void livenessFollowsCounterChanges_data();
    void livenessFollowsCounterChanges();
    void unknownOwnerNeedsAWholeLeaseOfWatching();
    void stoppedReplicaIsReplaceableAtOnce();
    void retainForgetsVanished();
    void fenceComesBeforeTakeover();
    void fenceLiftsOnRenew();
    void rendezvousIsStableAndMovesOnlyTheDead();
    void expiryTimerFiresAtTheLease();
};

void TestLease::livenessFollowsCounterChanges_data()
{
    QTest::addColumn<qint64>("silenceMs");
    QTest::addColumn<bool>("changed");
    QTest::addColumn<bool>("alive");
    QTest::newRow("fresh sighting") << qint64(0) << false << true;
    QTest::newRow("silent just under the lease") << qint64(9999) << false << true;
    QTest::newRow("silent for the lease") << qint64(10000) << false << false;
    QTest::newRow("counter moved late") << qint64(15000) << true << true;
}

void TestLease::livenessFollowsCounterChanges()
{
    QFETCH(qint64, silenceMs);
    QFETCH(bool, changed);
    QFETCH(bool, alive);
    ManualClock clock;
    Liveness l(&clock, 10000);
    l.observe(QStringLiteral("a"), 5, QStringLiteral("running"));
    clock.advance(silenceMs);
    l.observe(QStringLiteral("a"), changed ? 6 : 5, QStringLiteral("running"));
    QCOMPARE(l.isAlive(QStringLiteral("a")), alive);
    QCOMPARE(l.mayReplace(QStringLiteral("a")), !alive);
    QCOMPARE(l.alive().contains(QStringLiteral("a")), alive);
}

void TestLease::unknownOwnerNeedsAWholeLeaseOfWatching()
{
    ManualClock clock;
    Liveness l(&clock, 10000);
    QVERIFY(l.mayReplace(QString())); // no owner at all
    QVERIFY(!l.mayReplace(QStringLiteral("ghost")));
    clock.advance(9999);
    QVERIFY(!l.mayReplace(QStringLiteral("ghost")));
    clock.advance(1);
    QVERIFY(l.mayReplace(QStringLiteral("ghost")));
}

void TestLease::stoppedReplicaIsReplaceableAtOnce()
{
    ManualClock clock;
    Liveness l(&clock, 10000);
    l.observe(QStringLiteral("a"), 1, QStringLiteral("running"));
    QVERIFY(l.isAlive(QStringLiteral("a")));
    l.observe(QStringLiteral("a"), 2, QStringLiteral("stopped"));
    QVERIFY(!l.isAlive(QStringLiteral("a")));
    QVERIFY(l.mayReplace(QStringLiteral("a")));
}

void TestLease::retainForgetsVanished()
{
    ManualClock clock;
    Liveness l(&clock, 10000);
    l.observe(QStringLiteral("a"), 1, QStringLiteral("running"));
    l.observe(QStringLiteral("b"), 1, QStringLiteral("running"));
    l.retain({QStringLiteral("b")});
    QCOMPARE(l.alive(), QStringList{QStringLiteral("b")});
    QCOMPARE(l.silenceMs(QStringLiteral("a")), qint64(-1));
}

void TestLease::fenceComesBeforeTakeover()
{
    // The owner renews, then loses VCD. An observer saw the last renew at
    // the same moment (the best case for the observer).
    ManualClock clock;
    const qint64 lease = 10000;
    SelfFence fence(&clock, lease);
    Liveness observer(&clock, lease);
    QVERIFY(fence.fenced()); // never renewed: no writes yet
    fence.renewed();
    observer.observe(QStringLiteral("owner"), 7, QStringLiteral("running"));
    QVERIFY(!fence.fenced());
    qint64 fencedAt = -1, replaceableAt = -1;
    for (qint64 t = 0; t <= 2 * lease; t += 100) {
        if (fencedAt < 0 && fence.fenced())
            fencedAt = t;
        if (replaceableAt < 0 && observer.mayReplace(QStringLiteral("owner")))
            replaceableAt = t;
        clock.advance(100);
    }
    QCOMPARE(fencedAt, lease * 8 / 10);
    QCOMPARE(replaceableAt, lease);
    QVERIFY(fencedAt < replaceableAt);
}

void TestLease::fenceLiftsOnRenew()
{
    ManualClock clock;
    SelfFence fence(&clock, 5000);
    fence.renewed();
    clock.advance(4000);
    QVERIFY(fence.fenced());
    QCOMPARE(fence.sinceRenewMs(), qint64(4000));
    fence.renewed();
    QVERIFY(!fence.fenced());
    fence.setLeaseMs(20000); // a new lease from the configuration applies at once
    clock.advance(15000);
    QVERIFY(!fence.fenced());
}

// The observer's timer is armed for the moment a peer's lease runs out on
// its own clock (last heartbeat change + lease): at that moment, not at the
// next poll, the peer is replaceable; the peer fenced itself 0.2 x lease
// earlier on its own clock.
void TestLease::expiryTimerFiresAtTheLease()
{
    ManualClock clock;
    const qint64 lease = 10000;
    Liveness observer(&clock, lease);
    SelfFence peer(&clock, lease);
    clock.advance(lease); // watched for a whole lease already
    QCOMPARE(observer.msUntilNextExpiry(QStringLiteral("me")), -1); // nobody to watch
    observer.observe(QStringLiteral("me"), 1, QStringLiteral("running"));
    observer.observe(QStringLiteral("peer"), 1, QStringLiteral("running"));
    peer.renewed();
    QCOMPARE(observer.msUntilNextExpiry(QStringLiteral("me")), lease); // first sighting: a whole lease
    clock.advance(1500);
    observer.observe(QStringLiteral("peer"), 2, QStringLiteral("running")); // its last heartbeat
    peer.renewed();
    QCOMPARE(observer.msUntilNextExpiry(QStringLiteral("me")), lease);
    clock.advance(3000);
    QCOMPARE(observer.msUntilNextExpiry(QStringLiteral("me")), lease - 3000);
    // The peer fences first...
    clock.advance(lease * 8 / 10 - 3000);
    QVERIFY(peer.fenced());
    QVERIFY(!observer.mayReplace(QStringLiteral("peer")));
    // ...and the observer may replace it exactly when the armed timer fires.
    const qint64 left = observer.msUntilNextExpiry(QStringLiteral("me"));
    QCOMPARE(left, lease - lease * 8 / 10);
    clock.advance(left - 1);
    QVERIFY(!observer.mayReplace(QStringLiteral("peer")));
    clock.advance(1);
    QVERIFY(observer.mayReplace(QStringLiteral("peer")));
    QCOMPARE(observer.msUntilNextExpiry(QStringLiteral("me")), -1);
    // A stopped peer needs no timer: it is replaceable at once.
    observer.observe(QStringLiteral("other"), 1, QStringLiteral("stopped"));
    QCOMPARE(observer.msUntilNextExpiry(QStringLiteral("me")), -1);
}

void TestLease::rendezvousIsStableAndMovesOnlyTheDead()
{
    const QStringList three{QStringLiteral("r1"), QStringLiteral("r2"), QStringLiteral("r3")};
    QStringList clusters;
    for (int i = 0; i < 300; ++i)
        clusters << QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:%1").arg(i);
    QHash<QString, int> share;
    QHash<QString, QString> before;
    for (const QString &c : clusters) {
        const QString pick = rendezvousPick(three, c);
        QCOMPARE(rendezvousPick({three[2], three[0], three[1]}, c), pick); // order does not matter
        before.insert(c, pick);
        ++share[pick];
    }
    for (const QString &r : three)
        QVERIFY2(share.value(r) > 60, qPrintable(QStringLiteral("%1 got %2 of 300").arg(r).arg(share.value(r))));
    // r2 dies: its clusters move, nobody else's do.
    const QStringList two{QStringLiteral("r1"), QStringLiteral("r3")};
    for (const QString &c : clusters) {
        const QString after = rendezvousPick(two, c);
        if (before.value(c) != QLatin1String("r2"))
            QCOMPARE(after, before.value(c));
        else
            QVERIFY(two.contains(after));
    }
    QCOMPARE(rendezvousPick({}, QStringLiteral("x")), QString());
}

QTEST_GUILESS_MAIN(TestLease)
#include "tst_lease.moc"
