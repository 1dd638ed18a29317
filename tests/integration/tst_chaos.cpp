// Chaos: 4 replicas against one vcd-sim while clusters are created, resized,
// upgraded and deleted; replicas are killed with SIGKILL and restarted at
// random (at least one always alive), vcd-sim itself is killed and restarted
// once, 5xx and 412 storms are injected, and one replica is partitioned and
// healed. Afterwards every invariant is checked from vcd-sim's audit and the
// entities. CSE_CHAOS_SECONDS sets the length of the chaos phase (default 90;
// `make chaos` runs 1800); CSE_CHAOS_SEED repeats a run.
#include "../support/serverprocess.h"
#include "../support/simprocess.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtTest>

using namespace cse;
using cse::test::call;

namespace {

struct Target
{
    QString id;
    QString name;
    QString org;
    bool deleted = false;  // a delete request was accepted
    int workers = 1;       // last accepted resize
    QString version;       // last accepted upgrade (empty: as created)
};

QByteArray json(const QJsonValue &v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

} // namespace

class TestChaos : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void chaos();
    void cleanupTestCase();

private:
    bool connectClients();
    bool setKnobs();
    void startReplica(int i);
    void healthRound();
    QJsonArray audit(const QString &what, const QString &key, const QString &id);
    rde::DefinedEntity entity(const QString &id, bool *gone = nullptr);
    void act();

    QTemporaryDir m_data;
    std::unique_ptr<test::SimProcess> m_sim;
    quint16 m_port = 0;
    std::unique_ptr<vcd::Client> m_admin, m_acme, m_globex;
    QHash<QString, QString> m_tokens; // per org
    std::vector<std::unique_ptr<test::ServerProcess>> m_replicas{4};
    std::vector<qint64> m_restartAt = std::vector<qint64>(4, -1);
    QList<Target> m_targets;
    QRandomGenerator m_rng;
    QElapsedTimer m_clock;
    qint64 m_faultUntil = -1;
    qint64 m_partitionUntil = -1;
    int m_partitioned = -1;
    bool m_simRestarted = false;
    int m_healthChecks = 0;
    qint64 m_slowestHealthMs = 0;
    int m_unansweredChecks = 0;
    QHash<QString, int> m_healthMisses;
    QStringList m_healthFailures;
    QMap<QString, int> m_counts;
};

void TestChaos::initTestCase()
{
    const quint32 seed = qEnvironmentVariableIsSet("CSE_CHAOS_SEED") ? quint32(qEnvironmentVariableIntValue("CSE_CHAOS_SEED"))
                                                                     : QRandomGenerator::global()->generate();
    m_rng.seed(seed);
    qInfo("chaos seed %u (set CSE_CHAOS_SEED to repeat)", seed);
    m_sim = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("demo"),
                                                           QStringLiteral("--latency-ms"), QStringLiteral("60")}
                                                   + test::recommendedSiteArgs(),
                                               m_data.path());
    QVERIFY2(m_sim->start(), qPrintable(m_sim->error()));
    m_port = quint16(QUrl(m_sim->url()).port());
    QVERIFY(connectClients());
    QVERIFY(setKnobs());
    for (int i = 0; i < 4; ++i) {
        startReplica(i);
        QVERIFY2(m_replicas[i] && m_replicas[i]->running(), "replica did not start");
    }
}

bool TestChaos::connectClients()
{
    m_admin = std::make_unique<vcd::Client>(m_sim->provider());
    m_acme = std::make_unique<vcd::Client>(m_sim->tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    m_globex = std::make_unique<vcd::Client>(m_sim->tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
    if (!test::connect(*m_admin).ok() || !test::connect(*m_acme).ok() || !test::connect(*m_globex).ok())
        return false;
    // The server builds each cluster as its owner, with the owner's API token.
    for (const QString &org : {QStringLiteral("acme"), QStringLiteral("globex")}) {
        auto token = test::createApiToken(*m_admin, org, org + QStringLiteral("-admin"));
        if (!token)
            return false;
        m_tokens.insert(org, *token);
    }
    return true;
}

bool TestChaos::setKnobs()
{
    rde::HaSettings ha = test::fastHaSettings();
    ha.autoRepairMaxAttempts = 5; // faults fail steps often: repairs must not run out
    return test::setHaSettings(*m_admin, ha).ok();
}

void TestChaos::startReplica(int i)
{
    auto r = std::make_unique<test::ServerProcess>(*m_sim, QStringLiteral("chaos-%1").arg(i + 1));
    if (!r->start(30000))
        qWarning("replica %d did not start: %s", i + 1, qPrintable(r->error()));
    m_replicas[i] = std::move(r);
    m_restartAt[i] = -1;
}

void TestChaos::healthRound()
{
    // /healthz is local to a replica: it answers whatever VCD does.
    for (const auto &r : m_replicas)
        if (r && r->running()) {
            ++m_healthChecks;
            // A 2-core machine under full load can starve a process for seconds, so one
            // check may go unanswered; a replica that misses two checks in a row (at
            // least 20 s without an answer) fails the invariant.
            QElapsedTimer t;
            t.start();
            const int status = r->health(QStringLiteral("/healthz"), 10000).first;
            if (status < 0) { // still starting: its endpoint has not said where it listens
                --m_healthChecks;
                continue;
            }
            m_slowestHealthMs = qMax(m_slowestHealthMs, t.elapsed());
            int &misses = m_healthMisses[r->name()];
            misses = status == 200 || !r->running() ? 0 : misses + 1;
            if (status != 200 && r->running())
                ++m_unansweredChecks;
            if (misses >= 2)
                m_healthFailures << QStringLiteral("%1 answered %2 twice in a row at %3 ms").arg(r->name()).arg(status).arg(m_clock.elapsed());
        }
}

QJsonArray TestChaos::audit(const QString &what, const QString &key, const QString &id)
{
    QUrlQuery q;
    q.addQueryItem(key, id);
    auto r = call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/") + what, {}, {}, q);
    return r ? QJsonDocument::fromJson(r->body).array() : QJsonArray();
}

rde::DefinedEntity TestChaos::entity(const QString &id, bool *gone)
{
    auto e = vcd::await<rde::DefinedEntity>([&](auto done) { m_admin->getEntity(id, done); });
    if (gone)
        *gone = !e && e.error().is(ErrorKind::Forbidden);
    return e ? *e : rde::DefinedEntity();
}

void TestChaos::act()
{
    const qint64 now = m_clock.elapsed();
    // Restart replicas whose downtime is over; a partitioned one only after
    // the partition heals: it could not report ready before, and starting it
    // blocks this loop (health checks, fault clean-up) for the whole wait.
    for (int i = 0; i < 4; ++i)
        if (m_restartAt[i] >= 0 && now >= m_restartAt[i] && m_partitioned != i) {
            startReplica(i);
            ++m_counts[QStringLiteral("replica restarts")];
        }
    if (m_faultUntil >= 0 && now >= m_faultUntil) {
        if (!call(*m_admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")))
            return; // tried again next round
        m_faultUntil = -1;
        m_partitionUntil = -1;
        m_partitioned = -1;
    }
    const int roll = int(m_rng.bounded(100));
    if (roll < 22 && m_targets.size() < 16) {
        const QString org = m_rng.bounded(2) ? QStringLiteral("acme") : QStringLiteral("globex");
        rde::ClusterSpec spec;
        spec.name = QStringLiteral("chaos-%1").arg(m_targets.size());
        spec.org = org;
        spec.vdc = org + QStringLiteral("-vdc");
        spec.network = org + QStringLiteral("-net");
        spec.site = m_sim->url();
        spec.kubernetesVersion = QStringLiteral("v1.29.6+vmware.1");
        spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), 1)};
        vcd::Client &c = org == QLatin1String("acme") ? *m_acme : *m_globex;
        auto id = vcd::await<QString>([&](auto done) {
            c.createEntity(rde::types::cluster().id(), spec.name,
                           rde::Cluster::create(spec.name, org, spec.vdc, spec.site, rde::renderCapiYaml(spec).value(),
                                                m_tokens.value(org)).json(),
                           done);
        });
        if (id) {
            Target t;
            t.id = *id;
            t.name = spec.name;
            t.org = org;
            m_targets.append(t);
            ++m_counts[QStringLiteral("creates")];
        }
    } else if (roll < 50 && !m_targets.isEmpty()) {
        // Resize, upgrade or delete one cluster (users only change provisioned ones, except delete).
        Target &t = m_targets[int(m_rng.bounded(qint64(m_targets.size())))];
        if (t.deleted)
            return;
        const rde::Cluster c(entity(t.id).entity);
        const int what = int(m_rng.bounded(3));
        if (what == 2 && std::count_if(m_targets.cbegin(), m_targets.cend(), [](const Target &x) { return x.deleted; }) < 5) {
            const bool force = m_rng.bounded(2) == 1;
            auto r = vcd::await<rde::DefinedEntity>([&](auto done) {
                (t.org == QLatin1String("acme") ? *m_acme : *m_globex).patch(t.id, [force](QJsonObject &e) -> Result<bool> {
                    rde::Cluster cl(e);
                    cl.setMarkForDelete(true, force);
                    e = cl.json();
                    return true;
                }, done);
            });
            if (r) {
                t.deleted = true;
                ++m_counts[force ? QStringLiteral("force deletes") : QStringLiteral("deletes")];
            }
            return;
        }
        if (c.state() != rde::clusterstate::kProvisioned)
            return;
        const int workers = 1 + int(m_rng.bounded(3));
        const QString next = QStringLiteral("v1.30.2+vmware.1");
        const bool upgrade = what == 1 && t.version.isEmpty();
        auto r = vcd::await<rde::DefinedEntity>([&](auto done) {
            (t.org == QLatin1String("acme") ? *m_acme : *m_globex).patch(t.id, [&](QJsonObject &e) -> Result<bool> {
                rde::Cluster cl(e);
                auto yaml = upgrade ? rde::upgradeCapiYaml(cl.capiYaml(), next)
                                    : rde::resizeCapiYaml(cl.capiYaml(), QStringLiteral("workers"), workers);
                if (!yaml)
                    return yaml.error();
                cl.setCapiYaml(*yaml);
                e = cl.json();
                return true;
            }, done);
        });
        if (r) {
            if (upgrade)
                t.version = next;
            else
                t.workers = workers;
            ++m_counts[upgrade ? QStringLiteral("upgrades") : QStringLiteral("resizes")];
        }
    } else if (roll < 62) {
        // kill -9 a replica, keeping at least one alive.
        QList<int> alive;
        for (int i = 0; i < 4; ++i)
            if (m_replicas[i] && m_replicas[i]->running())
                alive << i;
        if (alive.size() < 2)
            return;
        const int i = alive[int(m_rng.bounded(qint64(alive.size())))];
        m_replicas[i]->kill9();
        m_restartAt[i] = now + 2000 + qint64(m_rng.bounded(4000));
        ++m_counts[QStringLiteral("replica kills")];
    } else if (roll < 72 && m_faultUntil < 0) {
        QJsonObject rule = m_rng.bounded(2) ? QJsonObject{{QStringLiteral("route"), QStringLiteral(".*")},
                                                          {QStringLiteral("errorRate"), 0.05}, {QStringLiteral("errorStatus"), 503}}
                                            : QJsonObject{{QStringLiteral("route"), QStringLiteral(".*")},
                                                          {QStringLiteral("preconditionRate"), 0.3}};
        if (call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"), json(QJsonArray{rule}))) {
            m_faultUntil = now + 4000;
            ++m_counts[rule.contains(QLatin1String("errorRate")) ? QStringLiteral("5xx storms") : QStringLiteral("412 storms")];
        }
    } else if (roll < 78 && m_faultUntil < 0) {
        const int i = int(m_rng.bounded(4));
        const QJsonObject block{{QStringLiteral("blockHeader"), QStringLiteral("x-cse-client-id")},
                                {QStringLiteral("blockValue"), QStringLiteral("cse-server/chaos-%1").arg(i + 1)}};
        if (call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"), json(QJsonArray{block}))) {
            m_faultUntil = now + 7000;
            m_partitioned = i;
            ++m_counts[QStringLiteral("partitions")];
        }
    }
}

void TestChaos::chaos()
{
    const int seconds = qEnvironmentVariableIsSet("CSE_CHAOS_SECONDS") ? qEnvironmentVariableIntValue("CSE_CHAOS_SECONDS") : 90;
    m_clock.start();
    while (m_clock.elapsed() < qint64(seconds) * 1000) {
        if (!m_simRestarted && m_clock.elapsed() > qint64(seconds) * 500) {
            // vcd-sim itself dies and comes back on the same port with the same data.
            m_sim->kill9();
            QTest::qWait(1000);
            m_sim = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("demo"),
                                                                   QStringLiteral("--latency-ms"), QStringLiteral("60"),
                                                                   QStringLiteral("--listen"),
                                                                   QStringLiteral("127.0.0.1:%1").arg(m_port)}
                                                           + test::recommendedSiteArgs(),
                                                       m_data.path());
            QVERIFY2(m_sim->start(), qPrintable(m_sim->error()));
            QVERIFY(connectClients());
            m_faultUntil = -1;
            m_simRestarted = true;
            ++m_counts[QStringLiteral("vcd-sim restarts")];
        }
        act();
        healthRound();
        QTest::qWait(int(300 + m_rng.bounded(700)));
    }
    // Settle: no more faults, every replica up.
    QTRY_VERIFY_WITH_TIMEOUT(call(*m_admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).ok(), 20000);
    for (int i = 0; i < 4; ++i)
        if (!m_replicas[i] || !m_replicas[i]->running())
            startReplica(i);
    QString (*describe)(const Target &, const rde::DefinedEntity &, bool) = [](const Target &t, const rde::DefinedEntity &e,
                                                                                   bool gone) -> QString {
        if (t.deleted)
            return gone ? QString() : QStringLiteral("%1 still exists after its delete").arg(t.name);
        const rde::Cluster c(e.entity);
        if (c.state() != rde::clusterstate::kProvisioned)
            return QStringLiteral("%1 is %2/%3").arg(t.name, c.state(), c.phase());
        if (c.availableNodes() != 1 + t.workers || c.desiredNodes() != 1 + t.workers)
            return QStringLiteral("%1 has %2/%3 nodes, want %4").arg(t.name).arg(c.availableNodes()).arg(c.desiredNodes()).arg(1 + t.workers);
        if (!t.version.isEmpty() && c.kubernetesVersion() != t.version)
            return QStringLiteral("%1 runs %2, want %3").arg(t.name, c.kubernetesVersion(), t.version);
        return QString();
    };
    QStringList pending;
    QElapsedTimer settle;
    settle.start();
    do {
        pending.clear();
        for (const Target &t : std::as_const(m_targets)) {
            bool gone = false;
            const rde::DefinedEntity e = entity(t.id, &gone);
            if (const QString why = describe(t, e, gone); !why.isEmpty())
                pending << why;
        }
        if (!pending.isEmpty())
            QTest::qWait(1000);
    } while (!pending.isEmpty() && settle.elapsed() < 300000);
    QString summary;
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
        summary += QStringLiteral("%1 %2, ").arg(it.value()).arg(it.key());
    qInfo("chaos: %d s, %s%d health checks (%d unanswered within 10 s, slowest answer %lld ms); settled in %lld ms", seconds,
          qPrintable(summary), m_healthChecks, m_unansweredChecks, m_slowestHealthMs, settle.elapsed());
    QVERIFY2(pending.isEmpty(), qPrintable(pending.join(QStringLiteral("; "))));
    QVERIFY2(!m_targets.isEmpty(), "chaos created no cluster");

    for (const Target &t : std::as_const(m_targets)) {
        const QJsonArray vms = audit(QStringLiteral("vms"), QStringLiteral("clusterId"), t.id);
        // Never two bootstrap VMs at once (one per creation attempt, one after the other).
        QList<QPair<QString, QString>> boots;
        int live = 0;
        for (const QJsonValue &v : vms) {
            const QJsonObject o = v.toObject();
            const QString deleted = o.value(QLatin1String("deletedAt")).toString();
            if (o.value(QLatin1String("role")).toString() == QLatin1String("bootstrap"))
                boots.append({o.value(QLatin1String("createdAt")).toString(), deleted});
            live += deleted.isEmpty() ? 1 : 0;
        }
        std::sort(boots.begin(), boots.end());
        for (int i = 1; i < boots.size(); ++i)
            QVERIFY2(!boots[i - 1].second.isEmpty() && boots[i - 1].second <= boots[i].first,
                     qPrintable(QStringLiteral("%1 had two bootstrap VMs at once").arg(t.name)));
        QVERIFY2(boots.isEmpty() || !boots.last().second.isEmpty(), qPrintable(t.name + QStringLiteral(": bootstrap VM left")));
        // No VM leaked: a deleted cluster has none, a provisioned one exactly its nodes.
        QCOMPARE(live, t.deleted ? 0 : 1 + t.workers);
        // No write from a superseded owner was accepted.
        qint64 highest = 0;
        for (const QJsonValue &v : audit(QStringLiteral("writes"), QStringLiteral("entityId"), t.id)) {
            const QJsonObject w = v.toObject();
            if (!w.value(QLatin1String("clientId")).toString().startsWith(QLatin1String("cse-server/")))
                continue;
            const qint64 epoch = w.value(QLatin1String("ownerEpoch")).toInteger();
            QVERIFY2(epoch >= highest, qPrintable(QStringLiteral("%1: write %2 carried epoch %3 after %4").arg(t.name)
                                                      .arg(w.value(QLatin1String("seq")).toInteger()).arg(epoch).arg(highest)));
            highest = epoch;
        }
    }
    QVERIFY2(m_healthFailures.isEmpty(), qPrintable(m_healthFailures.join(QStringLiteral("; "))));
    QVERIFY(m_healthChecks > 0);
}

void TestChaos::cleanupTestCase()
{
    for (auto &r : m_replicas)
        if (r && r->running())
            r->terminate(15000);
}

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_chaos.moc"
