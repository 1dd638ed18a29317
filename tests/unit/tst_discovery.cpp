// Work discovery at provider scale and the fair ready queue, with fakes
// only: which orgs each replica lists per poll, what that costs, how long an
// idle org waits, and how a burst in one org delays another org's step.
#include "server/discovery.h"
#include "server/fairqueue.h"
#include "server/lease.h"

#include <QtTest>

using namespace cse::server;

namespace {
QStringList orgIds(int n)
{
    QStringList out;
    for (int i = 1; i <= n; ++i)
        out << QStringLiteral("urn:vcloud:org:%1").arg(i, 8, 10, QLatin1Char('0'));
    return out;
}
} // namespace

class TestDiscovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shardsCoverEveryOrgOnce_data();
    void shardsCoverEveryOrgOnce();
    void busyOrgsEveryPollIdleWithinBudget();
    void fairQueueRoundRobin();
    void burstDelaysOtherOrgByOneStepPerWorker_data();
    void burstDelaysOtherOrgByOneStepPerWorker();
};

void TestDiscovery::shardsCoverEveryOrgOnce_data()
{
    QTest::addColumn<int>("orgs");
    QTest::addColumn<int>("replicas");
    QTest::addColumn<int>("budget"); // site-wide requests per second
    QTest::addColumn<int>("pollSeconds");
    QTest::newRow("3 orgs, 1 replica") << 3 << 1 << 10 << 2;
    QTest::newRow("300 orgs, 3 replicas") << 300 << 3 << 10 << 2;
    QTest::newRow("1000 orgs, 3 replicas") << 1000 << 3 << 10 << 2;
    QTest::newRow("1000 orgs, 3 replicas, budget 2") << 1000 << 3 << 2 << 1;
}

// Each org is in one replica's shard; over orgs / budget seconds every org
// is listed, and the site never spends more than its budget on idle orgs.
void TestDiscovery::shardsCoverEveryOrgOnce()
{
    QFETCH(int, orgs);
    QFETCH(int, replicas);
    QFETCH(int, budget);
    QFETCH(int, pollSeconds);
    const QStringList all = orgIds(orgs);
    QStringList sharers;
    for (int r = 0; r < replicas; ++r)
        sharers << QStringLiteral("replica-%1").arg(r);
    QList<DiscoveryPlanner> planners(replicas);
    const double perPoll = double(budget) * pollSeconds / replicas;
    // The worst-case delay the README states: orgs / budget seconds (plus
    // the uneven split of the shards and one poll of rounding).
    const int polls = int(std::ceil(double(orgs) / budget / pollSeconds * 1.25)) + 2;
    QHash<QString, int> listedBy;
    QHash<QString, int> firstPoll;
    int requests = 0;
    for (int poll = 0; poll < polls; ++poll)
        for (int r = 0; r < replicas; ++r) {
            const DiscoveryPlanner::Plan p = planners[r].plan(all, sharers, sharers[r], {}, perPoll);
            QVERIFY(p.busy.isEmpty());
            requests += int(p.idle.size());
            for (const QString &org : p.idle) {
                QVERIFY2(!listedBy.contains(org) || listedBy.value(org) == r, "an org was listed by two replicas");
                listedBy.insert(org, r);
                if (!firstPoll.contains(org))
                    firstPoll.insert(org, poll);
            }
        }
    QVERIFY2(listedBy.size() == orgs, qPrintable(QStringLiteral("%1 of %2 orgs listed in %3 polls").arg(listedBy.size()).arg(orgs).arg(polls)));
    // Never above the budget (the bucket holds at most one poll's worth).
    QVERIFY2(requests <= budget * pollSeconds * polls + replicas,
             qPrintable(QStringLiteral("%1 requests in %2 polls").arg(requests).arg(polls)));
    if (orgs > budget * pollSeconds) // more orgs than one poll's budget: the budget is the limit
        QVERIFY(requests >= budget * pollSeconds * (polls - 1) * 9 / 10);
}

void TestDiscovery::busyOrgsEveryPollIdleWithinBudget()
{
    const QStringList all = orgIds(100);
    const QStringList sharers{QStringLiteral("a"), QStringLiteral("b")};
    DiscoveryPlanner planner;
    const QSet<QString> busy{all.at(3), all.at(77)};
    int idle = 0;
    for (int poll = 0; poll < 50; ++poll) {
        const DiscoveryPlanner::Plan p = planner.plan(all, sharers, QStringLiteral("a"), busy, 4.0);
        // Busy orgs every poll, whichever replica's shard they are in.
        QCOMPARE(QSet<QString>(p.busy.cbegin(), p.busy.cend()), busy);
        for (const QString &org : p.idle)
            QVERIFY(!busy.contains(org) && rendezvousPick(sharers, org) == QLatin1String("a"));
        idle += int(p.idle.size());
    }
    // 4 a poll, 2 of them spent on the busy orgs: about 2 idle orgs a poll.
    QVERIFY2(idle >= 95 && idle <= 104, qPrintable(QString::number(idle)));
}

void TestDiscovery::fairQueueRoundRobin()
{
    FairQueue q;
    for (int i = 0; i < 3; ++i)
        q.push(QStringLiteral("acme"), QStringLiteral("a%1").arg(i));
    q.push(QStringLiteral("globex"), QStringLiteral("g0"));
    q.push(QStringLiteral("initech"), QStringLiteral("i0"));
    q.push(QStringLiteral("globex"), QStringLiteral("g1"));
    QCOMPARE(q.size(), 6);
    QStringList order;
    while (!q.isEmpty())
        order << q.pop();
    // FIFO within an org; orgs take turns.
    QCOMPARE(order, QStringList({"a0", "g0", "i0", "a1", "g1", "a2"}));
    QVERIFY(q.pop().isEmpty());
}

void TestDiscovery::burstDelaysOtherOrgByOneStepPerWorker_data()
{
    QTest::addColumn<int>("workers");
    QTest::newRow("1 worker") << 1;
    QTest::newRow("4 workers") << 4;
}

// A simulated worker pool, steps of one time unit: 40 acme clusters queued
// (each needing 10 steps and re-queued after each), then one globex
// cluster. Globex's first step starts within one step of each worker; a
// single FIFO started it after every acme cluster's first step.
void TestDiscovery::burstDelaysOtherOrgByOneStepPerWorker()
{
    QFETCH(int, workers);
    FairQueue q;
    QHash<QString, int> stepsLeft;
    for (int i = 0; i < 40; ++i) {
        const QString id = QStringLiteral("acme-%1").arg(i);
        stepsLeft.insert(id, 10);
        q.push(QStringLiteral("acme"), id);
    }
    // Every worker is busy with an acme step when globex's cluster arrives.
    QList<QString> running;
    for (int w = 0; w < workers; ++w)
        running << q.pop();
    stepsLeft.insert(QStringLiteral("globex-0"), 10);
    q.push(QStringLiteral("globex"), QStringLiteral("globex-0"));
    int time = 0, globexFirst = -1, globexDone = -1;
    while (globexDone < 0 && time < 10000) {
        ++time; // every running step ends
        for (const QString &id : std::as_const(running)) {
            if (--stepsLeft[id] > 0)
                q.push(id.section(QLatin1Char('-'), 0, 0), id);
            else if (id == QLatin1String("globex-0"))
                globexDone = time;
        }
        running.clear();
        for (int w = 0; w < workers && !q.isEmpty(); ++w) {
            const QString id = q.pop();
            if (id == QLatin1String("globex-0") && globexFirst < 0)
                globexFirst = time;
            running << id;
        }
    }
    // Its first step waited for the steps running when it came (one unit)
    // and then for at most one step of the other org: with two workers or
    // more it starts as soon as the running steps end (one FIFO: after
    // every queued acme cluster's step, 40 / workers units).
    const int bound = workers >= 2 ? 1 : 2;
    QVERIFY2(globexFirst >= 0 && globexFirst <= bound, qPrintable(QString::number(globexFirst)));
    // And each later step waits one round of two orgs: about 2x, not 40x.
    QVERIFY2(globexDone <= 2 * 10 + 1, qPrintable(QString::number(globexDone)));
}

QTEST_GUILESS_MAIN(TestDiscovery)
#include "tst_discovery.moc"
