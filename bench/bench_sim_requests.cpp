// Request rate of vcd-sim: GET entity, PUT If-Match, filtered list, with 16
// concurrent clients, compared with one client in the same run.
// Usage: bench_sim_requests [--seconds N] [--clients N] [--json FILE]
#include "vcd/client.h"
#include "rde/types.h"
#include "site/readiness.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
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
    while (t.elapsed() < seconds * 1000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    stop = true;
    const double elapsed = t.elapsed() / 1000.0;
    while (running > 0)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return completed / elapsed;
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
    p.addOption({QStringLiteral("sim"), QStringLiteral("Path of vcd-sim."), QStringLiteral("PATH"), QStringLiteral(CSE_VCD_SIM_BIN)});
    p.process(app);
    QTextStream out(stdout);
    const double seconds = p.value(QStringLiteral("seconds")).toDouble();
    const int clients = p.value(QStringLiteral("clients")).toInt();
    const int entities = p.value(QStringLiteral("entities")).toInt();
    if (seconds <= 0 || clients < 1 || entities < clients) {
        QTextStream(stderr) << "bench: --seconds > 0, --clients >= 1 and --entities >= --clients are required\n";
        return 2;
    }

    QTemporaryDir dir;
    QProcess sim;
    sim.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VCDSIM_ADMIN_PASSWORD"), QStringLiteral("bench-pw")); // secrets never in argv
    sim.setProcessEnvironment(env);
    sim.start(p.value(QStringLiteral("sim")), {QStringLiteral("--data"), dir.path(), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                               QStringLiteral("--seed"),
                                               QStringLiteral("demo"), QStringLiteral("--no-controllers")});
    site::ReadinessParser readiness;
    QElapsedTimer wait;
    wait.start();
    while (wait.elapsed() < 20000 && !readiness.simReady()) {
        sim.waitForReadyRead(100);
        readiness.feed(sim.readAll());
    }
    const QString url = readiness.simUrl();
    const QString fingerprint = readiness.simFingerprint();
    const QByteArray output = readiness.output();
    if (url.isEmpty()) {
        QTextStream(stderr) << "bench: vcd-sim did not start: " << output << "\n";
        return 1;
    }
    vcd::ConnectionOptions o;
    o.url = QUrl(url);
    o.org = QStringLiteral("System");
    o.user = QStringLiteral("administrator");
    o.password = QStringLiteral("bench-pw");
    o.fingerprint = fingerprint;
    o.maxConcurrent = 1; // one request at a time per client: N clients = N concurrent requests
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
    const QString jsonPath = p.value(QStringLiteral("json"));
    if (!jsonPath.isEmpty()) {
        QFile f(jsonPath);
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(QJsonDocument(QJsonObject{{QStringLiteral("benchmark"), QStringLiteral("vcd-sim request rate")},
                                              {QStringLiteral("secondsPerFigure"), seconds}, {QStringLiteral("results"), results}})
                        .toJson());
        out << "\nJSON written to " << jsonPath << "\n";
    }
    sim.terminate();
    sim.waitForFinished(10000);
    return totalErrors ? 1 : 0;
}
