// Provider scale (issue 21), each figure beside a same-run baseline:
//   idle       VCD requests per minute of 3 idle replicas at N orgs, in the
//              provider-wide mode, in the budgeted per-org mode, and the
//              baseline: one work list per org every poll (the per-org mode
//              with an unlimited budget, as the server did before);
//   discovery  delay from a new cluster in the last org to its claim, p50/p95.
// Prints a table and writes JSON (--json). Usage: bench_scale --help
#include "../tests/support/serverprocess.h"
#include "../tests/support/simprocess.h"
#include "benchutil.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTextStream>
#include <algorithm>

using namespace cse;
using bench::percentile;
using bench::wait;
using bench::waitUntil;

namespace {

QTextStream out(stdout);

struct Mode
{
    QString name;
    QString visibility;   // vcd-sim --provider-visibility
    QString discovery;    // HA discoveryMode
    int budget;           // HA discoveryRequestsPerSecond
};

struct Row
{
    int orgs = 0;
    QString mode;
    double requestsPerMinute = 0;
    double listsPerMinute = 0;
    QList<double> delays; // seconds
    bool ok = false;
};

double total(std::vector<std::unique_ptr<test::ServerProcess>> &replicas, const QString &labels = {})
{
    double sum = 0;
    for (const auto &r : replicas)
        sum += qMax(0.0, r->metric(QStringLiteral("cse_vcd_requests_total"), labels));
    return sum;
}

Row measure(int orgs, const Mode &m, int seconds, int trials)
{
    Row row;
    row.orgs = orgs;
    row.mode = m.name;
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("50"),
                          QStringLiteral("--tenants"), QString::number(qMax(0, orgs - 2)), QStringLiteral("--provider-visibility"),
                          m.visibility});
    if (!sim.start(120000)) {
        out << "vcd-sim: " << sim.error() << "\n";
        return row;
    }
    vcd::Client admin(sim.provider());
    if (!test::connect(admin))
        return row;
    rde::HaSettings ha; // the defaults, but for the mode
    ha.discoveryMode = m.discovery;
    ha.discoveryRequestsPerSecond = m.budget;
    if (!test::setHaSettings(admin, ha))
        return row;
    std::vector<std::unique_ptr<test::ServerProcess>> replicas;
    for (int i = 0; i < 3; ++i) {
        replicas.push_back(std::make_unique<test::ServerProcess>(sim, QStringLiteral("scale-%1").arg(i + 1)));
        if (!replicas.back()->start(60000))
            return row;
    }
    waitUntil([&] {
        return std::all_of(replicas.begin(), replicas.end(), [](const auto &r) { return r->sharingReplicas() == 3; });
    }, 60000, 200);
    // The seeded demo clusters settle first (one waits for a server).
    wait(ha.pollSeconds * 3000);
    const QString lists = QStringLiteral("route=\"GET /cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1\"");
    const double before = total(replicas), listsBefore = total(replicas, lists);
    QElapsedTimer t;
    t.start();
    wait(seconds * 1000);
    const double minutes = t.elapsed() / 60000.0;
    row.requestsPerMinute = (total(replicas) - before) / minutes;
    row.listsPerMinute = (total(replicas, lists) - listsBefore) / minutes;
    // Discovery delay: a new cluster in the last org, created as its admin.
    const QString org = orgs <= 2 ? QStringLiteral("globex") : QStringLiteral("tenant-%1").arg(orgs - 2, 4, 10, QLatin1Char('0'));
    auto token = test::createApiToken(admin, org, org + QStringLiteral("-admin"));
    vcd::Client tenant(sim.tenant(org, org + QStringLiteral("-admin")));
    if (!token || !test::connect(tenant))
        return row;
    for (int trial = 0; trial < trials; ++trial) {
        rde::ClusterSpec spec;
        spec.name = QStringLiteral("probe-%1").arg(trial);
        spec.org = org;
        spec.vdc = org + QStringLiteral("-vdc");
        spec.network = org + QStringLiteral("-net");
        spec.site = sim.url();
        spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), 1)};
        const rde::Cluster c = rde::Cluster::create(spec.name, org, spec.vdc, spec.site, rde::renderCapiYaml(spec).value(), *token, false);
        QElapsedTimer since;
        since.start();
        auto id = vcd::await<QString>([&](auto done) { tenant.createEntity(rde::types::cluster().id(), spec.name, c.json(), done); });
        if (!id)
            return row;
        const bool claimed = waitUntil([&] {
            auto e = vcd::await<rde::DefinedEntity>([&](auto done) { admin.getEntity(*id, done); });
            return e && !rde::Cluster(e->entity).ownerInstanceId().isEmpty();
        }, 600000, 100);
        if (!claimed)
            return row;
        row.delays << since.elapsed() / 1000.0;
        // Back to idle before the next trial: wait for the probe to finish.
        waitUntil([&] {
            auto e = vcd::await<rde::DefinedEntity>([&](auto done) { admin.getEntity(*id, done); });
            return e && e->state == QLatin1String("RESOLVED");
        }, 300000, 500);
    }
    row.ok = true;
    return row;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("cse.*.info=false"));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Provider scale: idle VCD requests and discovery delay at N orgs, by discovery mode."));
    p.addHelpOption();
    p.addOption({QStringLiteral("orgs"), QStringLiteral("org counts (default 3,300,1000)"), QStringLiteral("LIST"),
                 QStringLiteral("3,300,1000")});
    p.addOption({QStringLiteral("seconds"), QStringLiteral("idle measurement per row (default 60)"), QStringLiteral("N"),
                 QStringLiteral("60")});
    p.addOption({QStringLiteral("trials"), QStringLiteral("discovery-delay trials per row (default 3)"), QStringLiteral("N"),
                 QStringLiteral("3")});
    p.addOption({QStringLiteral("json"), QStringLiteral("write the results here"), QStringLiteral("FILE")});
    p.process(app);
    const rde::HaSettings defaults;
    const QList<Mode> modes{{QStringLiteral("provider-wide"), QStringLiteral("all"), QStringLiteral("auto"), defaults.discoveryRequestsPerSecond},
                            {QStringLiteral("per-org, budget %1/s").arg(defaults.discoveryRequestsPerSecond), QStringLiteral("system"),
                             QStringLiteral("auto"), defaults.discoveryRequestsPerSecond},
                            {QStringLiteral("baseline: every org every poll"), QStringLiteral("system"), QStringLiteral("perOrg"), 1000000}};
    const int seconds = p.value(QStringLiteral("seconds")).toInt();
    const int trials = p.value(QStringLiteral("trials")).toInt();
    out << "provider scale: 3 replicas, poll " << defaults.pollSeconds << " s, " << seconds << " s idle per row, " << trials
        << " discovery trials\n\n";
    bench::Table table({QStringLiteral("orgs"), QStringLiteral("mode"), QStringLiteral("VCD requests/min (3 replicas)"),
                        QStringLiteral("work lists/min"), QStringLiteral("vs baseline"), QStringLiteral("discovery p50 / p95 (s)")});
    QJsonArray rows;
    bool ok = true;
    for (const QString &n : p.value(QStringLiteral("orgs")).split(QLatin1Char(','))) {
        const int orgs = n.toInt();
        QList<Row> measured;
        for (const Mode &m : modes)
            measured << measure(orgs, m, seconds, trials);
        const double baseline = measured.last().requestsPerMinute;
        for (const Row &r : std::as_const(measured)) {
            const double ratio = baseline > 0 ? r.requestsPerMinute / baseline : 0;
            table.add({QString::number(r.orgs), r.mode, QString::number(r.requestsPerMinute, 'f', 0), QString::number(r.listsPerMinute, 'f', 0),
                       QStringLiteral("%1×").arg(ratio, 0, 'f', 2),
                       QStringLiteral("%1 / %2").arg(percentile(r.delays, 0.5), 0, 'f', 1).arg(percentile(r.delays, 0.95), 0, 'f', 1)});
            QJsonArray delays;
            for (double d : r.delays)
                delays.append(d);
            rows.append(QJsonObject{{QStringLiteral("orgs"), r.orgs}, {QStringLiteral("mode"), r.mode},
                                    {QStringLiteral("requestsPerMinute"), r.requestsPerMinute},
                                    {QStringLiteral("workListsPerMinute"), r.listsPerMinute}, {QStringLiteral("ratioToBaseline"), ratio},
                                    {QStringLiteral("discoverySeconds"), delays}, {QStringLiteral("ok"), r.ok}});
            ok = ok && r.ok;
        }
        out << "orgs " << orgs << " done\n";
        out.flush();
    }
    out << "\n";
    table.print(out);
    bench::writeJson(p.value(QStringLiteral("json")),
                     QJsonObject{{QStringLiteral("seconds"), seconds}, {QStringLiteral("trials"), trials}, {QStringLiteral("rows"), rows}}, out);
    return ok ? 0 : 1;
}
