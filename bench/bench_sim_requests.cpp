// Request rate of vcd-sim: GET entity, PUT If-Match, filtered list, with 16
// concurrent clients, compared with one client in the same run. Then the
// filtered list as the table grows (default 500 and 10,000 entities, 10 of
// them matching): lists/s with the filter in SQL, beside the in-memory
// evaluator (vcd-sim --list-in-memory) on the same data as the baseline.
// Usage: bench_sim_requests [--seconds N] [--clients N] [--scale-sizes 500,10000] [--json FILE]
#include "vcd/client.h"
#include "rde/types.h"
#include "store.h"
#include "../tests/support/simprocess.h"
#include "benchutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTextStream>
#include <QUuid>
#include <memory>
#include <vector>

using namespace cse;

namespace {

struct Op
{
    const char *name;
    std::function<void(vcd::Client &, int worker, vcd::Callback<void>)> run;
};

// Runs `op` on `clients` clients for `seconds`; returns requests per second.
double measure(const Op &op, std::vector<std::unique_ptr<vcd::Client>> &pool, int clients, double seconds, int *errors)
{
    int completed = 0, running = 0;
    bool stop = false;
    QElapsedTimer t;
    std::function<void(int)> loop = [&](int w) {
        if (stop)
            return;
        ++running;
        op.run(*pool.at(w), w, [&, w](Result<void> r) {
            --running;
            if (r)
                ++completed;
            else
                ++*errors;
            loop(w);
        });
    };
    t.start();
    for (int w = 0; w < clients; ++w)
        loop(w);
    bench::wait(seconds * 1000);
    stop = true;
    const double elapsed = t.elapsed() / 1000.0;
    bench::waitFor([&] { return running == 0; }, 60000, 5);
    return completed / elapsed;
}

// The provider's options for a benchmark client: one request in flight, so
// N clients are N concurrent requests.
vcd::ConnectionOptions oneAtATime(const test::SimProcess &sim)
{
    vcd::ConnectionOptions o = sim.provider();
    o.maxConcurrent = 1;
    return o;
}

// `count` serverInstance entities in the System org, `matches` of them
// "stopped", written in one transaction through the store (10,000 HTTP
// creations would take minutes).
Result<void> bulkSeed(const QString &dir, int count, int matches)
{
    auto opened = sim::Store::open(dir, QString(), QStringLiteral("bench-seed"));
    if (!opened)
        return opened.error();
    std::unique_ptr<sim::Store> store(*opened);
    auto system = store->orgByName(QStringLiteral("System"));
    if (!system || !system->has_value())
        return makeError(QStringLiteral("bench: the System org is missing"));
    auto admin = store->user((*system)->id, QStringLiteral("administrator"));
    if (!admin || !admin->has_value())
        return makeError(QStringLiteral("bench: the administrator is missing"));
    QList<sim::EntityRow> rows;
    const QString now = rde::isoTimestamp();
    for (int i = 0; i < count; ++i) {
        sim::EntityRow r;
        r.e.id = QStringLiteral("urn:vcloud:entity:cseconsole:serverInstance:") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        r.e.entityType = rde::types::serverInstance().id();
        r.e.name = QStringLiteral("scale-%1").arg(i);
        r.e.entity = {{QStringLiteral("instanceId"), QStringLiteral("scale-%1").arg(i)}, {QStringLiteral("name"), QStringLiteral("b")},
                      {QStringLiteral("state"), i % (count / matches) == 0 && i / (count / matches) < matches ? QStringLiteral("stopped")
                                                                                                              : QStringLiteral("running")},
                      {QStringLiteral("heartbeat"), 0}};
        r.e.state = r.e.entityState = QStringLiteral("RESOLVED");
        r.e.owner = {(*admin)->name, (*admin)->id};
        r.e.org = {(*system)->name, (*system)->id};
        r.e.creationDate = r.e.lastModificationDate = now;
        r.etag = 1;
        rows << r;
    }
    return store->insertEntities(rows, QStringLiteral("bench"));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("cse.vcd.info=false"));
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("seconds"), QStringLiteral("Seconds per measurement (default 3)."), QStringLiteral("N"), QStringLiteral("3")});
    p.addOption({QStringLiteral("clients"), QStringLiteral("Concurrent clients (default 16)."), QStringLiteral("N"), QStringLiteral("16")});
    p.addOption({QStringLiteral("entities"), QStringLiteral("Cluster entities in the site (default 500)."), QStringLiteral("N"), QStringLiteral("500")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Write results as JSON to FILE."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("scale-sizes"), QStringLiteral("Table sizes for the filtered-list scaling (default 500,10000)."),
                 QStringLiteral("N,M"), QStringLiteral("500,10000")});
    p.addOption({QStringLiteral("scale-matches"), QStringLiteral("Entities the scaling filter matches (default 10)."),
                 QStringLiteral("N"), QStringLiteral("10")});
    p.process(app);
    QTextStream out(stdout);
    const double seconds = p.value(QStringLiteral("seconds")).toDouble();
    const int clients = p.value(QStringLiteral("clients")).toInt();
    const int entities = p.value(QStringLiteral("entities")).toInt();
    if (seconds <= 0 || clients < 1 || entities < clients) {
        QTextStream(stderr) << "bench: --seconds > 0, --clients >= 1 and --entities >= --clients are required\n";
        return 2;
    }

    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")});
    if (!sim.start()) {
        QTextStream(stderr) << "bench: " << sim.error() << "\n";
        return 1;
    }
    const vcd::ConnectionOptions o = oneAtATime(sim);
    std::vector<std::unique_ptr<vcd::Client>> pool;
    for (int i = 0; i < clients; ++i) {
        pool.push_back(std::make_unique<vcd::Client>(o));
        auto r = vcd::await<void>([&](auto done) { pool.back()->connectToSite(done); });
        if (!r) {
            QTextStream(stderr) << "bench: " << r.error().toString() << "\n";
            return 1;
        }
    }
    // One serverInstance entity per client for PUTs, and `entities` to list over.
    QStringList ids;
    const QString type = rde::types::serverInstance().id();
    for (int i = 0; i < entities; ++i) {
        auto id = vcd::await<QString>([&](auto done) {
            pool.front()->createEntity(type, QStringLiteral("bench-%1").arg(i),
                                       {{QStringLiteral("instanceId"), QString::number(i)}, {QStringLiteral("name"), QStringLiteral("b")},
                                        {QStringLiteral("state"), i % 10 ? QStringLiteral("running") : QStringLiteral("draining")},
                                        {QStringLiteral("heartbeat"), 0}}, done);
        });
        if (!id) {
            QTextStream(stderr) << "bench: " << id.error().toString() << "\n";
            return 1;
        }
        ids << *id;
    }
    std::vector<QString> etags(static_cast<size_t>(clients));
    const QList<Op> ops = {
        {"GET entity", [&](vcd::Client &c, int w, vcd::Callback<void> done) {
             c.getEntity(ids.at(w), [done](Result<rde::DefinedEntity> r) { done(r ? Result<void>() : Result<void>(r.error())); });
         }},
        {"PUT If-Match", [&](vcd::Client &c, int w, vcd::Callback<void> done) {
             rde::DefinedEntity e;
             e.id = ids.at(w);
             e.entityType = type;
             e.name = QStringLiteral("bench-%1").arg(w);
             e.entity = {{QStringLiteral("instanceId"), QString::number(w)}, {QStringLiteral("name"), QStringLiteral("b")},
                         {QStringLiteral("state"), QStringLiteral("running")}, {QStringLiteral("heartbeat"), 1}};
             e.etag = etags[size_t(w)];
             c.updateEntity(e, [&, w, done](Result<rde::DefinedEntity> r) {
                 if (r)
                     etags[size_t(w)] = r->etag;
                 done(r ? Result<void>() : Result<void>(r.error()));
             });
         }},
        {"filtered list", [&](vcd::Client &c, int, vcd::Callback<void> done) {
             vcd::RequestSpec s = vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/entities/types/cseconsole/serverInstance/1.0.0"));
             s.query.addQueryItem(QStringLiteral("filter"), QStringLiteral("entity.state==draining"));
             s.query.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("128"));
             c.send(s, [done](Result<vcd::Reply> r) { done(r ? Result<void>() : Result<void>(r.error())); });
         }},
    };
    // Prime ETags.
    for (int w = 0; w < clients; ++w)
        etags[size_t(w)] = vcd::await<rde::DefinedEntity>([&](auto done) { pool.at(w)->getEntity(ids.at(w), done); })->etag;

    out << QStringLiteral("vcd-sim request rate (%1 s per figure, %2 entities in the list, SQLite WAL, TLS)\n\n").arg(seconds).arg(entities);
    out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n").arg(QStringLiteral("operation"), -14)
               .arg(QStringLiteral("%1 clients req/s").arg(clients), 16).arg(QStringLiteral("baseline: 1 client req/s"), 24)
               .arg(QStringLiteral("ratio"), 6).arg(QStringLiteral("errors"), 6);
    out << "|----------------|------------------|--------------------------|--------|--------|\n";
    QJsonArray results;
    int totalErrors = 0;
    for (const Op &op : ops) {
        int errors = 0;
        const double base = measure(op, pool, 1, seconds, &errors);
        const double many = measure(op, pool, clients, seconds, &errors);
        totalErrors += errors;
        out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n").arg(QString::fromLatin1(op.name), -14).arg(many, 16, 'f', 0)
                   .arg(base, 24, 'f', 0).arg(base > 0 ? many / base : 0, 6, 'f', 2).arg(errors, 6);
        out.flush();
        results.append(QJsonObject{{QStringLiteral("operation"), QString::fromLatin1(op.name)}, {QStringLiteral("clients"), clients},
                                   {QStringLiteral("requestsPerSecond"), many}, {QStringLiteral("baselineClients"), 1},
                                   {QStringLiteral("baselineRequestsPerSecond"), base},
                                   {QStringLiteral("ratio"), base > 0 ? many / base : 0}, {QStringLiteral("errors"), errors}});
    }
    sim.terminate();

    // The filtered list as the table grows: SQL, and the in-memory evaluator
    // on the same data as the baseline.
    const int matches = p.value(QStringLiteral("scale-matches")).toInt();
    QList<int> sizes;
    for (const QString &n : p.value(QStringLiteral("scale-sizes")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        sizes << n.toInt();
    out << QStringLiteral("\nfiltered list (entity.state==stopped, %1 matches, 1 client, %2 s per figure) as the table grows\n\n")
               .arg(matches).arg(seconds);
    out << "| entities | SQL lists/s | baseline: in-memory lists/s | ratio SQL / in-memory | seed s |\n";
    out << "|----------|-------------|-----------------------------|-----------------------|--------|\n";
    QJsonArray scaling;
    QList<double> sqlRates, memoryRates;
    for (const int size : sizes) {
        if (size < matches || matches < 1) {
            QTextStream(stderr) << "bench: each --scale-sizes value must be >= --scale-matches >= 1\n";
            return 2;
        }
        QTemporaryDir scaleDir;
        double rate[2] = {0, 0};
        double seedSeconds = 0;
        for (int mode = 0; mode < 2; ++mode) {
            test::SimProcess s(QStringList{QStringLiteral("--no-controllers")}
                                   + (mode == 0 ? QStringList{QStringLiteral("--seed"), QStringLiteral("demo")}
                                                : QStringList{QStringLiteral("--list-in-memory")}),
                               scaleDir.path());
            if (!s.start()) {
                QTextStream(stderr) << "bench: " << s.error() << "\n";
                return 1;
            }
            if (mode == 0) {
                QElapsedTimer seedTimer;
                seedTimer.start();
                if (auto r = bulkSeed(scaleDir.path(), size, matches); !r) {
                    QTextStream(stderr) << "bench: seeding failed: " << r.error().toString() << "\n";
                    return 1;
                }
                seedSeconds = seedTimer.elapsed() / 1000.0;
            }
            std::vector<std::unique_ptr<vcd::Client>> one;
            one.push_back(std::make_unique<vcd::Client>(oneAtATime(s)));
            if (auto r = vcd::await<void>([&](auto done) { one.back()->connectToSite(done); }); !r) {
                QTextStream(stderr) << "bench: " << r.error().toString() << "\n";
                return 1;
            }
            int wrongTotals = 0;
            const Op list{"scaled list", [&](vcd::Client &c, int, vcd::Callback<void> done) {
                              vcd::RequestSpec spec = vcd::RequestSpec::get(
                                  QStringLiteral("/cloudapi/1.0.0/entities/types/cseconsole/serverInstance/1.0.0"));
                              spec.query.addQueryItem(QStringLiteral("filter"), QStringLiteral("entity.state==stopped"));
                              spec.query.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("128"));
                              c.send(spec, [&, done](Result<vcd::Reply> r) {
                                  if (r && QJsonDocument::fromJson(r->body).object().value(QLatin1String("resultTotal")).toInt() != matches)
                                      ++wrongTotals;
                                  done(r ? Result<void>() : Result<void>(r.error()));
                              });
                          }};
            int errors = 0;
            rate[mode] = measure(list, one, 1, seconds, &errors);
            totalErrors += errors + wrongTotals;
            if (wrongTotals)
                QTextStream(stderr) << "bench: " << wrongTotals << " lists did not find exactly " << matches << " matches\n";
            s.terminate();
        }
        sqlRates << rate[0];
        memoryRates << rate[1];
        out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n").arg(size, 8).arg(rate[0], 11, 'f', 0).arg(rate[1], 27, 'f', 0)
                   .arg(rate[1] > 0 ? rate[0] / rate[1] : 0, 21, 'f', 1).arg(seedSeconds, 6, 'f', 1);
        out.flush();
        scaling.append(QJsonObject{{QStringLiteral("entities"), size}, {QStringLiteral("matches"), matches},
                                   {QStringLiteral("sqlListsPerSecond"), rate[0]},
                                   {QStringLiteral("baselineInMemoryListsPerSecond"), rate[1]},
                                   {QStringLiteral("ratio"), rate[1] > 0 ? rate[0] / rate[1] : 0},
                                   {QStringLiteral("seedSeconds"), seedSeconds}});
    }
    QJsonObject costs;
    if (sizes.size() >= 2 && sqlRates.last() > 0 && memoryRates.last() > 0) {
        // Cost of one list at the largest size relative to the smallest (time per list).
        const double sqlCost = sqlRates.first() / sqlRates.last();
        const double memoryCost = memoryRates.first() / memoryRates.last();
        out << QStringLiteral("\ncost of a list at %1 entities relative to %2: SQL %3x (goal: within 2x), in-memory %4x\n")
                   .arg(sizes.last()).arg(sizes.first()).arg(sqlCost, 0, 'f', 2).arg(memoryCost, 0, 'f', 2);
        costs = {{QStringLiteral("smallEntities"), sizes.first()}, {QStringLiteral("largeEntities"), sizes.last()},
                 {QStringLiteral("sqlCostRatio"), sqlCost}, {QStringLiteral("baselineInMemoryCostRatio"), memoryCost},
                 {QStringLiteral("sqlWithin2x"), sqlCost <= 2.0}};
    }

    bench::writeJson(p.value(QStringLiteral("json")),
                     QJsonObject{{QStringLiteral("benchmark"), QStringLiteral("vcd-sim request rate")},
                                 {QStringLiteral("secondsPerFigure"), seconds}, {QStringLiteral("results"), results},
                                 {QStringLiteral("filteredListScaling"), scaling}, {QStringLiteral("filteredListCost"), costs}},
                     out);
    return totalErrors ? 1 : 0;
}
