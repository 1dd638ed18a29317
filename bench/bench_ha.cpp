// What the HA server exists for, each figure beside a baseline measured in
// the same run:
//   failover   kill -9 of the owner of an in-flight creation: time to the
//              successor's first write (p50/p95/max), with the default
//              settings, beside the same replicas running CSE 4.x's timings
//              (poll 60 s, stale heartbeat 1800 s) scaled down by --scale;
//   throughput clusters created per minute with 3 replicas vs 1 replica, at
//              0 ms and 100 ms simulated infrastructure latency, and VCD
//              requests per created cluster;
//   idle       VCD requests per minute of 3 replicas watching N provisioned
//              clusters, beside a poller that lists every cluster each
//              interval as CSE 4.x does.
// Prints a table and writes JSON (--json). Usage: bench_ha --help
#include "../tests/support/serverprocess.h"
#include "../tests/support/simprocess.h"
#include "benchutil.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"
#include "server/reconciler.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTextStream>
#include <QThread>
#include <algorithm>
#include <cmath>

using namespace cse;
using bench::percentile;
using bench::wait;
using bench::waitUntil;

namespace {

QTextStream out(stdout);

struct Site
{
    explicit Site(int latencyMs)
        : sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QString::number(latencyMs)})
    {
    }
    bool start(const rde::HaSettings &ha)
    {
        if (!sim.start()) {
            out << "vcd-sim: " << sim.error() << "\n";
            return false;
        }
        admin = std::make_unique<vcd::Client>(sim.provider());
        acme = std::make_unique<vcd::Client>(sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
        if (!test::connect(*admin) || !test::connect(*acme))
            return false;
        auto token = test::createApiToken(*admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
        if (!token)
            return false;
        ownerToken = *token; // the server builds each cluster as its owner
        return test::editHaSettings(*admin, [&ha](rde::HaSettings &current) { current = ha; }).ok();
    }
    QString yaml(const QString &name, int workers)
    {
        rde::ClusterSpec spec;
        spec.name = name;
        spec.org = QStringLiteral("acme");
        spec.vdc = QStringLiteral("acme-vdc");
        spec.network = QStringLiteral("acme-net");
        spec.site = sim.url();
        spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), workers)};
        return rde::renderCapiYaml(spec).value();
    }
    // Creates `n` clusters concurrently (the client queues at its own limit).
    QStringList create(const QString &prefix, int n, int workers, const QJsonObject &status = {})
    {
        QStringList ids;
        int pending = n;
        for (int i = 0; i < n; ++i) {
            const QString name = QStringLiteral("%1-%2").arg(prefix).arg(i);
            rde::Cluster c = rde::Cluster::create(name, QStringLiteral("acme"), QStringLiteral("acme-vdc"), sim.url(),
                                                  yaml(name, workers), ownerToken);
            if (!status.isEmpty())
                c.setValue({QStringLiteral("status")}, status);
            acme->createEntity(rde::types::cluster().id(), name, c.json(), [&](Result<QString> id) {
                --pending;
                if (id)
                    ids << *id;
            });
        }
        waitUntil([&] { return pending == 0; }, 600000, 5);
        return ids;
    }
    int countState(const QString &prefix, const QString &state)
    {
        vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1"));
        q.filter = QStringLiteral("name==%1-*;entity.status.vcdKe.state==%2").arg(prefix, state);
        auto count = vcd::await<int>([&](auto done) { acme->countEntities(q, done); });
        return count ? *count : -1;
    }
    rde::Cluster cluster(const QString &id)
    {
        auto e = vcd::await<rde::DefinedEntity>([&](auto done) { admin->getEntity(id, done); });
        return e ? rde::Cluster(e->entity) : rde::Cluster();
    }
    test::SimProcess sim;
    std::unique_ptr<vcd::Client> admin, acme;
    QString ownerToken;
};

// Sum of cse_vcd_requests_total over every route and status of one replica.
qint64 requestsOf(test::ServerProcess &r)
{
    static const QRegularExpression line(QStringLiteral("^cse_vcd_requests_total\\{[^}]*\\} (\\d+)$"),
                                         QRegularExpression::MultilineOption);
    qint64 sum = 0;
    const QString text = QString::fromUtf8(r.health(QStringLiteral("/metrics")).second);
    for (auto it = line.globalMatch(text); it.hasNext();)
        sum += it.next().captured(1).toLongLong();
    return sum;
}

struct FailoverResult
{
    QList<double> seconds;
    int failedTrials = 0;
};

FailoverResult failover(const rde::HaSettings &ha, int trials, const QString &tag)
{
    FailoverResult res;
    Site site(150);
    if (!site.start(ha))
        return res;
    std::vector<std::unique_ptr<test::ServerProcess>> replicas;
    for (int i = 0; i < 3; ++i) {
        replicas.push_back(std::make_unique<test::ServerProcess>(site.sim, QStringLiteral("%1-%2").arg(tag).arg(i + 1)));
        if (!replicas.back()->start(60000)) {
            out << replicas.back()->error() << "\n";
            return res;
        }
    }
    // Phases in which an owner is building the cluster with the bootstrap VM.
    const QStringList inFlight{server::phase::kBootstrapVm, server::phase::kApplyCapiYaml, server::phase::kControlPlane,
                               server::phase::kWorkers, server::phase::kPivot};
    int batches = 0;
    auto batch = [&] { return site.create(QStringLiteral("%1b%2").arg(tag).arg(batches++), 3, 2); };
    QStringList ids = batch();
    for (int trial = 0; trial < trials; ++trial) {
        QString victim, cluster;
        qint64 epoch = 0;
        // A creation in flight; a batch that finished unseen is followed by another.
        for (int attempt = 0; attempt < 3 && victim.isEmpty(); ++attempt) {
            if (attempt > 0)
                ids = batch();
            waitUntil([&] {
                for (const QString &id : ids) {
                    const rde::Cluster c = site.cluster(id);
                    if (inFlight.contains(c.phase()) && !c.ownerInstanceId().isEmpty()) {
                        victim = c.ownerInstanceId();
                        cluster = id;
                        epoch = c.ownerEpoch();
                        return true;
                    }
                }
                return false;
            }, 60000, 50);
        }
        int index = -1;
        for (int i = 0; i < 3; ++i)
            if (replicas[size_t(i)]->instanceId() == victim)
                index = i;
        if (index < 0) {
            ++res.failedTrials;
            out << QStringLiteral("  %1 trial %2: no creation in flight to interrupt (owner \"%3\")\n").arg(tag).arg(trial + 1).arg(victim);
            continue;
        }
        replicas[size_t(index)]->kill9();
        QElapsedTimer t;
        t.start();
        if (waitUntil([&] { return site.cluster(cluster).ownerEpoch() > epoch; }, (ha.leaseSeconds + 10 * ha.pollSeconds) * 1000, 50)) {
            res.seconds << t.elapsed() / 1000.0;
            out << QStringLiteral("  %1 trial %2: %3 s\n").arg(tag).arg(trial + 1).arg(res.seconds.last(), 0, 'f', 2);
        } else {
            ++res.failedTrials;
            const rde::Cluster c = site.cluster(cluster);
            out << QStringLiteral("  %1 trial %2: no takeover of %3 (owner %4, epoch %5, state %6/%7); replica logs:\n")
                       .arg(tag).arg(trial + 1).arg(c.name(), c.ownerInstanceId()).arg(c.ownerEpoch()).arg(c.state(), c.phase());
            for (const auto &r : replicas)
                out << "--- " << r->name() << "\n" << QString::fromUtf8(r->output().right(3000)) << "\n";
        }
        out.flush();
        // The next trial's creations start now and run while the victim
        // restarts (only after the takeover: with its old instance id it
        // would reclaim its own clusters at once).
        if (trial + 1 < trials)
            ids = batch();
        replicas[size_t(index)] = std::make_unique<test::ServerProcess>(site.sim, QStringLiteral("%1-%2").arg(tag).arg(index + 1));
        replicas[size_t(index)]->start(60000);
    }
    return res;
}

struct ThroughputResult
{
    double perMinute = 0;
    double requestsPerCluster = 0;
    bool ok = false;
};

ThroughputResult throughput(int replicasCount, int latencyMs, int clusters, const rde::HaSettings &ha)
{
    ThroughputResult res;
    Site site(latencyMs);
    if (!site.start(ha))
        return res;
    std::vector<std::unique_ptr<test::ServerProcess>> replicas;
    for (int i = 0; i < replicasCount; ++i) {
        replicas.push_back(std::make_unique<test::ServerProcess>(site.sim, QStringLiteral("tp-%1").arg(i + 1)));
        if (!replicas.back()->start(60000))
            return res;
    }
    qint64 before = 0;
    for (const auto &r : replicas)
        before += requestsOf(*r);
    QElapsedTimer t;
    t.start();
    const QStringList ids = site.create(QStringLiteral("tp"), clusters, 1);
    res.ok = waitUntil([&] { return site.countState(QStringLiteral("tp"), QStringLiteral("provisioned")) == clusters; },
                       1800000, 500);
    const double minutes = t.elapsed() / 60000.0;
    qint64 after = 0;
    for (const auto &r : replicas)
        after += requestsOf(*r);
    res.perMinute = clusters / minutes;
    res.requestsPerCluster = double(after - before) / clusters;
    return res;
}

struct IdleResult
{
    double oursPerMinute = 0;
    double baselinePerMinute = 0;
    bool ok = false;
};

IdleResult idle(int clusters, int seconds, const rde::HaSettings &ha)
{
    IdleResult res;
    Site site(100);
    if (!site.start(ha))
        return res;
    // Provisioned, resolved clusters, as a site has them after creation.
    const QJsonObject status{{QStringLiteral("vcdKe"), QJsonObject{{QStringLiteral("state"), rde::clusterstate::kProvisioned},
                                                                   {QStringLiteral("phase"), QStringLiteral("provisioned")}}}};
    QElapsedTimer seed;
    seed.start();
    const QStringList ids = site.create(QStringLiteral("idle"), clusters, 1, status);
    int pending = int(ids.size());
    for (const QString &id : ids)
        site.acme->resolveEntity(id, [&](Result<rde::DefinedEntity>) { --pending; });
    waitUntil([&] { return pending == 0; }, 1800000, 5);
    out << QStringLiteral("  idle: %1 provisioned clusters made in %2 s\n").arg(ids.size()).arg(seed.elapsed() / 1000.0, 0, 'f', 1);
    std::vector<std::unique_ptr<test::ServerProcess>> replicas;
    for (int i = 0; i < 3; ++i) {
        replicas.push_back(std::make_unique<test::ServerProcess>(site.sim, QStringLiteral("idle-%1").arg(i + 1)));
        if (!replicas.back()->start(60000))
            return res;
    }
    wait(ha.pollSeconds * 2000); // past registration
    qint64 before = 0;
    for (const auto &r : replicas)
        before += requestsOf(*r);
    // The baseline: list every cluster of the org, all pages, each interval.
    vcd::Client poller(site.sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    if (!test::connect(poller))
        return res;
    const int pollerBefore = poller.stats().total();
    bool listing = false;
    QElapsedTimer t;
    t.start();
    qint64 nextPoll = 0;
    while (t.elapsed() < qint64(seconds) * 1000) {
        if (!listing && t.elapsed() >= nextPoll) {
            listing = true;
            nextPoll += ha.pollSeconds * 1000;
            poller.listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")),
                                [&](Result<QList<rde::DefinedEntity>>) { listing = false; });
        }
        wait(20);
    }
    const double minutes = t.elapsed() / 60000.0;
    qint64 after = 0;
    for (const auto &r : replicas)
        after += requestsOf(*r);
    res.oursPerMinute = (after - before) / minutes;
    res.baselinePerMinute = (poller.stats().total() - pollerBefore) / minutes;
    res.ok = true;
    return res;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("cse.*.info=false"));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("HA server benchmarks: failover, throughput, idle load."));
    p.addHelpOption();
    p.addOption({QStringLiteral("only"), QStringLiteral("failover, throughput or idle (default: all)"), QStringLiteral("PART")});
    p.addOption({QStringLiteral("trials"), QStringLiteral("failover trials with the default settings (default 20)"), QStringLiteral("N"),
                 QStringLiteral("20")});
    p.addOption({QStringLiteral("baseline-trials"), QStringLiteral("failover trials with CSE 4.x timings (default 3)"),
                 QStringLiteral("N"), QStringLiteral("3")});
    p.addOption({QStringLiteral("scale"), QStringLiteral("CSE 4.x timings divided by this (default 60: poll 1 s, stale 30 s)"),
                 QStringLiteral("N"), QStringLiteral("60")});
    p.addOption({QStringLiteral("clusters"), QStringLiteral("clusters per throughput run (default 100)"), QStringLiteral("N"),
                 QStringLiteral("100")});
    p.addOption({QStringLiteral("idle-clusters"), QStringLiteral("provisioned clusters for the idle run (default 10000)"),
                 QStringLiteral("N"), QStringLiteral("10000")});
    p.addOption({QStringLiteral("idle-seconds"), QStringLiteral("length of the idle run (default 60)"), QStringLiteral("N"),
                 QStringLiteral("60")});
    p.addOption({QStringLiteral("json"), QStringLiteral("write results as JSON to FILE"), QStringLiteral("FILE")});
    p.process(app);
    const QString only = p.value(QStringLiteral("only"));
    auto wanted = [&](const char *part) { return only.isEmpty() || only == QLatin1String(part); };
    QJsonObject json{{QStringLiteral("benchmark"), QStringLiteral("HA server")},
                     {QStringLiteral("machine"), QStringLiteral("%1 cores").arg(QThread::idealThreadCount())}};
    bool ok = true;

    if (wanted("failover")) {
        const rde::HaSettings ours; // defaults: lease 10, renew 2, poll 2
        const int scale = qMax(1, p.value(QStringLiteral("scale")).toInt());
        rde::HaSettings cse;
        cse.pollSeconds = qMax(1, 60 / scale);
        cse.leaseSeconds = qMax(2, 1800 / scale);
        cse.renewSeconds = qMax(1, cse.pollSeconds);
        out << "failover: kill -9 of the owner of an in-flight creation, 3 replicas\n";
        out.flush();
        const FailoverResult a = failover(ours, p.value(QStringLiteral("trials")).toInt(), QStringLiteral("fo"));
        const FailoverResult b = failover(cse, p.value(QStringLiteral("baseline-trials")).toInt(), QStringLiteral("cse"));
        const double cseUnscaledP50 = percentile(b.seconds, 0.5) * scale;
        out << "\n| failover | trials | p50 s | p95 s | max s | configured |\n|---|---|---|---|---|---|\n";
        out << QStringLiteral("| ours (lease %1 s, poll %2 s) | %3 | %4 | %5 | %6 | ≤ lease + poll = %7 s |\n")
                   .arg(ours.leaseSeconds).arg(ours.pollSeconds).arg(a.seconds.size())
                   .arg(percentile(a.seconds, 0.5), 0, 'f', 2).arg(percentile(a.seconds, 0.95), 0, 'f', 2)
                   .arg(percentile(a.seconds, 1.0), 0, 'f', 2).arg(ours.leaseSeconds + ours.pollSeconds);
        out << QStringLiteral("| baseline: CSE 4.x timings / %1 (stale %2 s, poll %3 s) | %4 | %5 | %6 | %7 | ≈ %8 s unscaled |\n")
                   .arg(scale).arg(cse.leaseSeconds).arg(cse.pollSeconds).arg(b.seconds.size())
                   .arg(percentile(b.seconds, 0.5), 0, 'f', 2).arg(percentile(b.seconds, 0.95), 0, 'f', 2)
                   .arg(percentile(b.seconds, 1.0), 0, 'f', 2).arg(cseUnscaledP50, 0, 'f', 0);
        const double ratio = percentile(a.seconds, 0.5) > 0 ? cseUnscaledP50 / percentile(a.seconds, 0.5) : 0;
        out << QStringLiteral("| ratio (CSE 4.x unscaled p50 / ours p50) | | %1× | | | |\n\n").arg(ratio, 0, 'f', 0);
        out.flush();
        json.insert(QStringLiteral("failover"),
                    QJsonObject{{QStringLiteral("oursSeconds"), QJsonArray::fromVariantList(QVariantList(a.seconds.cbegin(), a.seconds.cend()))},
                                {QStringLiteral("oursLeaseSeconds"), ours.leaseSeconds}, {QStringLiteral("oursPollSeconds"), ours.pollSeconds},
                                {QStringLiteral("baselineScaledSeconds"), QJsonArray::fromVariantList(QVariantList(b.seconds.cbegin(), b.seconds.cend()))},
                                {QStringLiteral("baselineScale"), scale}, {QStringLiteral("ratioP50"), ratio},
                                {QStringLiteral("failedTrials"), a.failedTrials + b.failedTrials}});
        ok = ok && a.failedTrials == 0 && b.failedTrials == 0 && !a.seconds.isEmpty();
    }

    if (wanted("throughput")) {
        const int n = p.value(QStringLiteral("clusters")).toInt();
        rde::HaSettings ha;
        ha.pollSeconds = 1;
        out << "throughput: " << n << " clusters created at once\n\n"
            << "| latency | 3 replicas clusters/min | baseline: 1 replica clusters/min | ratio | VCD requests per cluster (3 / 1) |\n"
            << "|---|---|---|---|---|\n";
        out.flush();
        QJsonArray rows;
        for (int latency : {0, 100}) {
            const ThroughputResult three = throughput(3, latency, n, ha);
            const ThroughputResult one = throughput(1, latency, n, ha);
            const double ratio = one.perMinute > 0 ? three.perMinute / one.perMinute : 0;
            out << QStringLiteral("| %1 ms | %2 | %3 | %4 | %5 / %6 |\n").arg(latency).arg(three.perMinute, 0, 'f', 1)
                       .arg(one.perMinute, 0, 'f', 1).arg(ratio, 0, 'f', 2).arg(three.requestsPerCluster, 0, 'f', 1)
                       .arg(one.requestsPerCluster, 0, 'f', 1);
            out.flush();
            rows.append(QJsonObject{{QStringLiteral("latencyMs"), latency}, {QStringLiteral("threeReplicasPerMinute"), three.perMinute},
                                    {QStringLiteral("oneReplicaPerMinute"), one.perMinute}, {QStringLiteral("ratio"), ratio},
                                    {QStringLiteral("requestsPerClusterThree"), three.requestsPerCluster},
                                    {QStringLiteral("requestsPerClusterOne"), one.requestsPerCluster}});
            ok = ok && three.ok && one.ok;
        }
        out << "\n";
        json.insert(QStringLiteral("throughput"), QJsonObject{{QStringLiteral("clusters"), n}, {QStringLiteral("rows"), rows}});
    }

    if (wanted("idle")) {
        const int n = p.value(QStringLiteral("idle-clusters")).toInt();
        const int seconds = p.value(QStringLiteral("idle-seconds")).toInt();
        const rde::HaSettings ha;
        const IdleResult r = idle(n, seconds, ha);
        const double ratio = r.oursPerMinute > 0 ? r.baselinePerMinute / r.oursPerMinute : 0;
        out << "\nidle load: " << n << " provisioned clusters, " << seconds << " s, poll every " << ha.pollSeconds << " s\n\n"
            << "| watcher | VCD requests/min |\n|---|---|\n"
            << QStringLiteral("| ours: 3 replicas together | %1 |\n").arg(r.oursPerMinute, 0, 'f', 0)
            << QStringLiteral("| baseline: one poller listing every cluster each interval (CSE 4.x style) | %1 |\n").arg(r.baselinePerMinute, 0, 'f', 0)
            << QStringLiteral("| ratio (baseline / ours) | %1× |\n\n").arg(ratio, 0, 'f', 1);
        out.flush();
        json.insert(QStringLiteral("idle"), QJsonObject{{QStringLiteral("clusters"), n}, {QStringLiteral("seconds"), seconds},
                                                        {QStringLiteral("oursRequestsPerMinute"), r.oursPerMinute},
                                                        {QStringLiteral("baselineRequestsPerMinute"), r.baselinePerMinute},
                                                        {QStringLiteral("ratio"), ratio}});
        ok = ok && r.ok;
    }

    bench::writeJson(p.value(QStringLiteral("json")), json, out);
    return ok ? 0 : 1;
}
