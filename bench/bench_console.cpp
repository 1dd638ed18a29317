// The console at scale: N clusters (default 10,000) in a real vcd-sim, the
// real main window offscreen, connected as the provider (per-org fan-out):
//   load       time from connectTo() to a full clusters table (every row in
//              the cluster model and in the view's sort/filter proxy);
//   keystroke  typing into the real search line edit: per key, the time the
//              key press blocks the GUI thread and the time until the proxy
//              shows the new filter's rows (p50/p95 over --keystrokes keys);
//   poll       one more full refresh after the load, as every poll does: its
//              wall time and the console's CPU (also the CPU of the load);
//   memory     VmRSS of the console process before connecting and after load.
// The same run measures the baseline at --baseline-clusters (default 1,000)
// in the same vcd-sim (seeded first), so the ratios show how each figure
// scales. Each console runs in a fresh child process (this program with
// --child), so RSS is the console's own; the password reaches it on stdin.
// Clusters are created through the API (POST + task, 8 in flight per org), as
// a site gets them; their status says provisioned or creating.
// Prints a table and writes JSON (--json). Usage: bench_console --help
#include "../tests/support/simprocess.h"
#include "benchutil.h"
#include "clustersview.h"
#include "items/clusterfilter.h"
#include "items/clustermodel.h"
#include "mainwindow.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/types.h"
#include "secrets/credentialstore.h"
#include "site/site.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QProcess>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <sys/resource.h>

using namespace cse;

namespace {

QTextStream out(stdout);

// User + system CPU of this process, all threads, in seconds.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The child: one console, measured. Prints one JSON line on stdout.
int runChild(const QCommandLineParser &p)
{
    QTextStream err(stderr);
    vcd::ConnectionOptions o;
    o.url = QUrl(p.value(QStringLiteral("url")));
    o.org = QStringLiteral("System");
    o.user = QStringLiteral("administrator");
    o.fingerprint = p.value(QStringLiteral("fingerprint"));
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return 2;
    o.password = QString::fromUtf8(in.readLine()).trimmed(); // never on the command line
    const int expected = p.value(QStringLiteral("clusters")).toInt();
    const QString typed = p.value(QStringLiteral("type"));

    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    secrets::MemoryStore secrets;
    site::Site site;
    views::MainWindow window(&site, &secrets, &settings);
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 3;
    bench::wait(300);
    const qint64 rssBefore = bench::rssKib();

    QJsonObject result{{QStringLiteral("clusters"), expected}, {QStringLiteral("rssBeforeKib"), rssBefore}};
    auto *table = window.clustersView()->table();
    auto *proxy = qobject_cast<items::ClusterFilterModel *>(table->model());
    auto *model = window.clusterModel();
    if (!proxy || !model) {
        err << "the clusters table is not a ClusterFilterModel over the ClusterModel\n";
        return 4;
    }
    QElapsedTimer t;
    t.start();
    const double loadCpu0 = cpuSeconds();
    site.connectTo(o);
    if (!bench::waitFor([&] { return model->rowCount() >= expected && proxy->rowCount() >= expected; }, 170000, 5)) {
        err << "the table reached " << proxy->rowCount() << " of " << expected << " rows\n";
        return 5;
    }
    result.insert(QStringLiteral("loadMs"), double(t.elapsed()));
    result.insert(QStringLiteral("loadCpuSeconds"), cpuSeconds() - loadCpu0);
    bench::wait(1000); // let the view settle and the next poll come and go
    result.insert(QStringLiteral("rssAfterKib"), bench::rssKib());

    // The expected row count after each key, from the real filter class on
    // the same model, computed before any key is timed.
    QStringList texts;
    for (int i = 1; i <= typed.size(); ++i)
        texts << typed.left(i);
    for (int i = typed.size() - 1; i >= 0; --i)
        texts << typed.left(i);
    QList<int> counts;
    {
        items::ClusterFilterModel reference;
        reference.setSourceModel(model);
        for (const QString &text : std::as_const(texts)) {
            reference.setSearchText(text);
            counts << reference.rowCount();
        }
    }
    auto *search = window.findChild<QLineEdit *>(QStringLiteral("clusterSearch"));
    if (!search)
        return 6;
    search->setFocus();
    QJsonArray blocked, filtered;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const bool erase = i >= typed.size();
        t.restart();
        if (erase)
            QTest::keyClick(search, Qt::Key_Backspace);
        else
            QTest::keyClick(search, typed.at(i).toLatin1());
        const double blockMs = t.nsecsElapsed() / 1e6;
        if (search->text() != texts.at(i)) {
            err << "the search field shows \"" << search->text() << "\", expected \"" << texts.at(i) << "\"\n";
            return 7;
        }
        const bool ok = bench::waitFor(
            [&] { return proxy->searchText() == texts.at(i).trimmed() && proxy->rowCount() == counts.at(i); }, 20000, 1);
        const double filterMs = t.nsecsElapsed() / 1e6;
        if (!ok) {
            err << "after \"" << texts.at(i) << "\" the table shows " << proxy->rowCount() << " rows, expected " << counts.at(i) << "\n";
            return 8;
        }
        blocked.append(blockMs);
        filtered.append(filterMs);
        bench::wait(40); // a fast typist: about 25 keys per second
    }
    // What watching N clusters costs the console: one more full refresh (as
    // each poll does), its CPU (all threads) and wall time.
    {
        search->clear();
        bench::waitFor([&] { return !site.isRefreshing(); }, 170000, 5);
        bool refreshed = false;
        QObject::connect(&site, &site::Site::refreshed, &site, [&] { refreshed = true; });
        const double cpu0 = cpuSeconds();
        t.restart();
        site.refresh();
        if (!bench::waitFor([&] { return refreshed; }, 170000, 5))
            return 9;
        result.insert(QStringLiteral("pollMs"), double(t.elapsed()));
        result.insert(QStringLiteral("pollCpuSeconds"), cpuSeconds() - cpu0);
    }
    result.insert(QStringLiteral("keyBlockMs"), blocked);
    result.insert(QStringLiteral("keyFilterMs"), filtered);
    result.insert(QStringLiteral("rowsPerKey"), QJsonArray::fromVariantList(QVariantList(counts.cbegin(), counts.cend())));
    out << QJsonDocument(result).toJson(QJsonDocument::Compact) << "\n";
    out.flush();
    return 0;
}

// The parent: seeds clusters through the API, over two orgs.
struct Seeder
{
    test::SimProcess &sim;
    std::unique_ptr<vcd::Client> acme, globex;
    QString yamlTemplate; // rendered once; the name is substituted
    QHash<QString, QString> tokens; // owner API token by org
    int made = 0;

    explicit Seeder(test::SimProcess &s) : sim(s) {}

    bool start()
    {
        acme = std::make_unique<vcd::Client>(sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
        globex = std::make_unique<vcd::Client>(sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
        vcd::Client admin(sim.provider());
        if (!test::connect(admin) || !test::connect(*acme) || !test::connect(*globex))
            return false;
        // Real owner tokens, as clusters carry them (a server would build each as its owner).
        for (const char *org : {"acme", "globex"}) {
            auto token = test::createApiToken(admin, QLatin1String(org), QLatin1String(org) + QStringLiteral("-admin"));
            if (!token)
                return false;
            tokens.insert(QLatin1String(org), *token);
        }
        rde::ClusterSpec spec;
        spec.name = QStringLiteral("xxxxxxxxxxxx");
        spec.org = QStringLiteral("acme");
        spec.vdc = QStringLiteral("acme-vdc");
        spec.network = QStringLiteral("acme-net");
        spec.site = sim.url();
        spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), 2)};
        yamlTemplate = rde::renderCapiYaml(spec).value();
        return true;
    }

    // The floor for a full table: listing every cluster of both orgs at once,
    // as the console's provider fan-out does, with no console around it.
    double listMs(int expected)
    {
        int pending = 2, listed = 0;
        QElapsedTimer t;
        t.start();
        for (vcd::Client *c : {acme.get(), globex.get()})
            c->listEntities(vcd::ListQuery::ofInterface(QStringLiteral("vmware"), QStringLiteral("k8s"), QStringLiteral("1.0.0")),
                            [&](Result<QList<rde::DefinedEntity>> r) {
                                --pending;
                                listed += r ? int(r->size()) : 0;
                            });
        bench::waitFor([&] { return pending == 0; }, 170000, 2);
        return listed == expected ? double(t.elapsed()) : -1;
    }

    // Adds clusters until there are `total`; returns the failures.
    int seedTo(int total)
    {
        int failures = 0, pending = 0;
        for (; made < total; ++made) {
            const int i = made;
            const bool inAcme = i % 2 == 0;
            const QString org = inAcme ? QStringLiteral("acme") : QStringLiteral("globex");
            const QString name = QStringLiteral("bench-%1").arg(i, 5, 10, QLatin1Char('0'));
            QString yaml = yamlTemplate;
            yaml.replace(QStringLiteral("xxxxxxxxxxxx"), name).replace(QStringLiteral("acme"), org);
            rde::Cluster c = rde::Cluster::create(name, org, org + QStringLiteral("-vdc"), sim.url(), yaml,
                                                  tokens.value(org), false);
            if (i % 20 == 7) { // some in flight, with an owner
                c.setState(QStringLiteral("creating"));
                c.setPhase(QStringLiteral("controlPlane"));
            } else {
                c.setState(rde::clusterstate::kProvisioned);
                c.setPhase(QStringLiteral("provisioned"));
            }
            ++pending;
            (inAcme ? acme : globex)->createEntity(rde::types::cluster(QStringLiteral("1.3.0")).id(), name, c.json(),
                                                   [&](Result<QString> id) {
                                                       --pending;
                                                       failures += id ? 0 : 1;
                                                   });
            // Keep the queue short: the clients limit what is in flight anyway.
            bench::waitFor([&] { return pending < 64; }, 600000, 1);
        }
        bench::waitFor([&] { return pending == 0; }, 600000, 5);
        return failures;
    }
};

struct ChildResult
{
    bool ok = false;
    QJsonObject json;
    QString error;
};

ChildResult runConsole(const QString &self, test::SimProcess &sim, int clusters, const QString &typed)
{
    ChildResult r;
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(env);
    child.start(self, {QStringLiteral("--child"), QStringLiteral("--url"), sim.url(), QStringLiteral("--fingerprint"),
                       sim.fingerprint(), QStringLiteral("--clusters"), QString::number(clusters), QStringLiteral("--type"), typed});
    if (!child.waitForStarted(10000)) {
        r.error = child.errorString();
        return r;
    }
    child.write(sim.adminPassword().toUtf8() + "\n");
    child.closeWriteChannel();
    if (!child.waitForFinished(180000)) {
        child.kill();
        child.waitForFinished(5000);
        r.error = QStringLiteral("the console did not finish within 180 s");
        return r;
    }
    const QByteArray stdoutBytes = child.readAllStandardOutput();
    const QByteArray stderrBytes = child.readAllStandardError();
    for (const QByteArray &line : stdoutBytes.split('\n'))
        if (line.startsWith('{'))
            r.json = QJsonDocument::fromJson(line).object();
    r.ok = child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0 && !r.json.isEmpty();
    if (!r.ok)
        r.error = QStringLiteral("exit %1: %2").arg(child.exitCode()).arg(QString::fromUtf8(stderrBytes.right(2000)));
    return r;
}

QList<double> numbers(const QJsonValue &v)
{
    QList<double> out;
    for (const QJsonValue &x : v.toArray())
        out << x.toDouble();
    return out;
}

QString ratio(double a, double b)
{
    return b > 0 ? QStringLiteral("%1×").arg(a / b, 0, 'f', 2) : QStringLiteral("–");
}

} // namespace

int main(int argc, char **argv)
{
    // The child is a GUI process; offscreen unless a platform was chosen.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("cse.*.info=false\ncse.*.warning=false"));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Console at scale: load time, filter keystroke latency and RSS, N clusters vs a baseline."));
    p.addHelpOption();
    p.addOption({QStringLiteral("clusters"), QStringLiteral("clusters in the site (default 10000)"), QStringLiteral("N"), QStringLiteral("10000")});
    p.addOption({QStringLiteral("baseline-clusters"), QStringLiteral("clusters for the same-run baseline (default 1000)"),
                 QStringLiteral("N"), QStringLiteral("1000")});
    p.addOption({QStringLiteral("type"), QStringLiteral("text typed into the search field, then erased key by key "
                                                        "(default bench-01234: 20 keys)"),
                 QStringLiteral("TEXT"), QStringLiteral("bench-01234")});
    p.addOption({QStringLiteral("json"), QStringLiteral("write results as JSON to FILE"), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("child"), QStringLiteral("(internal) run one measured console")});
    p.addOption({QStringLiteral("url"), QStringLiteral("(internal) site URL"), QStringLiteral("URL")});
    p.addOption({QStringLiteral("fingerprint"), QStringLiteral("(internal) pinned certificate"), QStringLiteral("SHA256")});
    p.process(app);
    if (p.isSet(QStringLiteral("child")))
        return runChild(p);

    const int n = p.value(QStringLiteral("clusters")).toInt();
    const int base = p.value(QStringLiteral("baseline-clusters")).toInt();
    const QString typed = p.value(QStringLiteral("type"));
    if (base < 1 || n < base || typed.isEmpty()) {
        out << "bench_console: need 1 <= --baseline-clusters <= --clusters and a --type text\n";
        return 2;
    }
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")});
    if (!sim.start()) {
        out << "vcd-sim: " << sim.error() << "\n";
        return 1;
    }
    Seeder seeder(sim);
    if (!seeder.start()) {
        out << "cannot log in to vcd-sim as the tenants\n";
        return 1;
    }
    const int demo = 5; // --seed demo makes five clusters of its own
    QJsonObject json{{QStringLiteral("benchmark"), QStringLiteral("console scale")},
                     {QStringLiteral("machine"), QStringLiteral("%1 cores").arg(QThread::idealThreadCount())},
                     {QStringLiteral("typed"), typed}};
    QList<ChildResult> results;
    for (int size : {base, n}) {
        QElapsedTimer t;
        t.start();
        if (int f = seeder.seedTo(size - demo)) {
            out << f << " cluster creations failed\n";
            return 1;
        }
        out << QStringLiteral("seeded %1 clusters through the API in %2 s\n").arg(size).arg(t.elapsed() / 1000.0, 0, 'f', 1);
        out.flush();
        const double listMs = seeder.listMs(size);
        ChildResult r = runConsole(QCoreApplication::applicationFilePath(), sim, size, typed);
        if (!r.ok || listMs < 0) {
            out << "console with " << size << " clusters failed: " << (listMs < 0 ? QStringLiteral("the bare list missed clusters") : r.error) << "\n";
            return 1;
        }
        r.json.insert(QStringLiteral("bareListMs"), listMs);
        out << QStringLiteral("console with %1 clusters: loaded in %2 s\n").arg(size).arg(r.json.value(QStringLiteral("loadMs")).toDouble() / 1000, 0, 'f', 2);
        out.flush();
        json.insert(size == base ? QStringLiteral("baseline") : QStringLiteral("scale"), r.json);
        results << r;
    }

    const QJsonObject a = results.at(1).json, b = results.at(0).json;
    auto ms = [](double v) { return QString::number(v, 'f', v < 10 ? 2 : 0); };
    auto mib = [](double kib) { return QString::number(kib / 1024, 'f', 1); };
    const double loadA = a.value(QStringLiteral("loadMs")).toDouble(), loadB = b.value(QStringLiteral("loadMs")).toDouble();
    const double listA = a.value(QStringLiteral("bareListMs")).toDouble(), listB = b.value(QStringLiteral("bareListMs")).toDouble();
    const QList<double> blockA = numbers(a.value(QStringLiteral("keyBlockMs"))), blockB = numbers(b.value(QStringLiteral("keyBlockMs")));
    const QList<double> filtA = numbers(a.value(QStringLiteral("keyFilterMs"))), filtB = numbers(b.value(QStringLiteral("keyFilterMs")));
    const double rssA = a.value(QStringLiteral("rssAfterKib")).toDouble(), rssB = b.value(QStringLiteral("rssAfterKib")).toDouble();
    const double rss0A = a.value(QStringLiteral("rssBeforeKib")).toDouble(), rss0B = b.value(QStringLiteral("rssBeforeKib")).toDouble();

    out << "\nconsole scale: " << n << " clusters (baseline " << base << " in the same vcd-sim), offscreen, "
        << blockA.size() << " keys typed (\"" << typed << "\" and back)\n\n";
    bench::Table table({QStringLiteral("figure"), QString::number(n), QStringLiteral("baseline: %1").arg(base),
                        QStringLiteral("ratio %1/%2").arg(n).arg(base)});
    table.add({QStringLiteral("connect → full table, s"), ms(loadA / 1000), ms(loadB / 1000), ratio(loadA, loadB)});
    table.add({QStringLiteral("floor: the same lists without a console, s"), ms(listA / 1000), ms(listB / 1000), ratio(listA, listB)});
    for (double q : {0.5, 0.95}) {
        const QString tag = q == 0.5 ? QStringLiteral("p50") : QStringLiteral("p95");
        table.add({QStringLiteral("key → filtered rows, %1 ms").arg(tag), ms(bench::percentile(filtA, q)), ms(bench::percentile(filtB, q)),
                   ratio(bench::percentile(filtA, q), bench::percentile(filtB, q))});
        table.add({QStringLiteral("key blocks the GUI thread, %1 ms").arg(tag), ms(bench::percentile(blockA, q)),
                   ms(bench::percentile(blockB, q)), ratio(bench::percentile(blockA, q), bench::percentile(blockB, q))});
    }
    auto num = [](const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toDouble(); };
    table.add({QStringLiteral("console CPU for that load, s"), ms(num(a, "loadCpuSeconds")), ms(num(b, "loadCpuSeconds")),
               ratio(num(a, "loadCpuSeconds"), num(b, "loadCpuSeconds"))});
    table.add({QStringLiteral("one more poll (full refresh), s"), ms(num(a, "pollMs") / 1000), ms(num(b, "pollMs") / 1000),
               ratio(num(a, "pollMs"), num(b, "pollMs"))});
    table.add({QStringLiteral("console CPU per poll, s"), ms(num(a, "pollCpuSeconds")), ms(num(b, "pollCpuSeconds")),
               ratio(num(a, "pollCpuSeconds"), num(b, "pollCpuSeconds"))});
    table.add({QStringLiteral("RSS after load, MiB"), mib(rssA), mib(rssB), ratio(rssA, rssB)});
    table.add({QStringLiteral("RSS before connecting, MiB"), mib(rss0A), mib(rss0B), ratio(rss0A, rss0B)});
    table.add({QStringLiteral("RSS growth per cluster, KiB"), QString::number((rssA - rss0A) / n, 'f', 1),
               QString::number((rssB - rss0B) / base, 'f', 1), ratio((rssA - rss0A) / n, (rssB - rss0B) / base)});
    table.print(out);
    out << "\n";
    json.insert(QStringLiteral("ratios"), QJsonObject{{QStringLiteral("load"), loadB > 0 ? loadA / loadB : 0},
                                                      {QStringLiteral("keyFilterP95"), bench::percentile(filtB, 0.95) > 0
                                                                                          ? bench::percentile(filtA, 0.95) / bench::percentile(filtB, 0.95) : 0},
                                                      {QStringLiteral("rssAfter"), rssB > 0 ? rssA / rssB : 0}});
    bench::writeJson(p.value(QStringLiteral("json")), json, out);
    return 0;
}
