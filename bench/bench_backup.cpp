// Backup and restore of N clusters (default 1,000) against vcd-sim, with
// same-run baselines: a plain-GET export (list + GET of every entity, one
// JSON file, no full entities, no checksums, no encryption) and a plain import
// (POST + resolve of every entity, no verification, no plan).
// Usage: bench_backup [--clusters N] [--json FILE]
#include "backup/archive.h"
#include "backup/backup.h"
#include "backup/restore.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"
#include "server/installer.h"
#include "vcd/client.h"
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
#include <memory>

using namespace cse;

namespace {

// A site as the benchmark needs it: the seeded tenants, no simulated infrastructure.
std::unique_ptr<test::SimProcess> makeSim()
{
    return std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("tenants"), QStringLiteral("--no-controllers")});
}

Result<std::unique_ptr<vcd::Client>> connectTo(const test::SimProcess &sim, bool install)
{
    auto c = std::make_unique<vcd::Client>(sim.provider());
    auto r = vcd::await<void>([&](auto done) { c->connectToSite(done); });
    if (!r)
        return r.error();
    if (install)
        if (auto i = server::install(*c); !i)
            return i.error();
    return c;
}

// Runs count jobs through the client's queue and waits for all.
void runAll(int count, const std::function<void(int, std::function<void()>)> &start)
{
    int remaining = count;
    QEventLoop loop;
    for (int i = 0; i < count; ++i)
        start(i, [&] {
            if (--remaining == 0)
                loop.quit();
        });
    if (remaining > 0)
        loop.exec();
}

// POST (in the org's tenant context) and resolve each entity; returns failures.
int createAll(vcd::Client &client, const QList<rde::DefinedEntity> &entities, const QMap<QString, QString> &orgIds)
{
    int failures = 0;
    runAll(int(entities.size()), [&](int i, std::function<void()> done) {
        const rde::DefinedEntity &e = entities[i];
        vcd::RequestSpec s;
        s.method = "POST";
        s.path = QStringLiteral("/cloudapi/1.0.0/entityTypes/") + e.entityType;
        s.body = json::canonical(QJsonObject{{QStringLiteral("name"), e.name}, {QStringLiteral("entity"), e.entity}});
        s.headers.append({"X-VMWARE-VCLOUD-TENANT-CONTEXT", orgIds.value(e.org.name).toLatin1()});
        s.idempotent = false;
        client.send(s, [&, done](Result<vcd::Reply> r) {
            if (!r) {
                ++failures;
                return done();
            }
            // The create task runs until the entity is resolved (as on VCD):
            // take the id from its owner, then resolve.
            client.createdEntityId(QString::fromLatin1(r->header("Location")), [&, done](Result<QString> id) {
                if (!id) {
                    ++failures;
                    return done();
                }
                client.resolveEntity(*id, [&, done](Result<rde::DefinedEntity> res) {
                    failures += res ? 0 : 1;
                    done();
                });
            });
        });
    });
    return failures;
}

struct Row
{
    QString what;
    double ms = 0;
    double baselineMs = 0;
    qint64 bytes = 0;
    qint64 baselineBytes = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("cse.vcd.info=false"));
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("clusters"), QStringLiteral("Clusters in the site (default 1000)."), QStringLiteral("N"), QStringLiteral("1000")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Write results as JSON to FILE."), QStringLiteral("FILE")});
    p.process(app);
    QTextStream out(stdout), err(stderr);
    const int n = p.value(QStringLiteral("clusters")).toInt();
    if (n < 1) {
        err << "bench: --clusters >= 1 is required\n";
        return 2;
    }
    auto fail = [&](const QString &what, const Error &e) {
        err << "bench: " << what << ": " << e.toString() << "\n";
        return 1;
    };

    // The source site: N provisioned clusters with a token and a kubeconfig, over two orgs.
    const auto sourceSim = makeSim(), targetSim = makeSim(), plainSim = makeSim();
    const test::SimProcess &source = *sourceSim, &target = *targetSim, &plain = *plainSim;
    for (test::SimProcess *s : {sourceSim.get(), targetSim.get(), plainSim.get()})
        if (!s->start())
            return fail(QStringLiteral("starting vcd-sim"), makeError(s->error()));
    auto src = connectTo(source, true);
    if (!src)
        return fail(QStringLiteral("source site"), src.error());
    vcd::Client &client = **src;
    auto orgList = backup::listOrgs(client);
    if (!orgList)
        return fail(QStringLiteral("orgs"), orgList.error());
    QMap<QString, QString> orgIds;
    for (const auto &[name, id] : *orgList)
        orgIds.insert(name, id);
    QList<rde::DefinedEntity> seed;
    for (int i = 0; i < n; ++i) {
        const QString org = i % 2 ? QStringLiteral("acme") : QStringLiteral("globex");
        rde::ClusterSpec spec;
        spec.name = QStringLiteral("bench-%1").arg(i);
        spec.org = org;
        spec.vdc = org + QStringLiteral("-vdc");
        spec.network = org + QStringLiteral("-net");
        spec.site = source.url();
        spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), 1 + i % 3)};
        rde::Cluster c = rde::Cluster::create(spec.name, org, spec.vdc, spec.site, rde::renderCapiYaml(spec).value(),
                                              QStringLiteral("bench-token-%1").arg(i), false);
        c.setState(rde::clusterstate::kProvisioned);
        c.setPhase(QStringLiteral("provisioned"));
        c.setValue({QStringLiteral("status"), QStringLiteral("capvcd"), QStringLiteral("private"), QStringLiteral("kubeConfig")},
                   QStringLiteral("apiVersion: v1\nkind: Config\nclusters:\n- name: %1\n").arg(spec.name));
        rde::DefinedEntity e;
        e.entityType = rde::types::cluster(QStringLiteral("1.3.0")).id();
        e.name = spec.name;
        e.org.name = org;
        e.entity = c.json();
        seed.append(e);
    }
    QElapsedTimer t;
    t.start();
    if (int f = createAll(client, seed, orgIds))
        return fail(QStringLiteral("seeding"), makeError(QStringLiteral("%1 creations failed").arg(f)));
    out << QStringLiteral("seeded %1 clusters in %2 s\n").arg(n).arg(t.elapsed() / 1000.0, 0, 'f', 1);

    QTemporaryDir work;
    QList<Row> rows;
    const QString passphrase = QStringLiteral("bench passphrase");

    // Baseline export: list per org, GET each entity, one JSON file.
    Row exportRow{QStringLiteral("backup (full entities, SHA-256, AES-256-GCM + scrypt)")};
    t.restart();
    {
        QList<rde::DefinedEntity> listed;
        for (auto it = orgIds.cbegin(); it != orgIds.cend(); ++it) {
            vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
            if (it.key() != QLatin1String("System"))
                q.tenantContext = it.value();
            auto l = vcd::await<QList<rde::DefinedEntity>>([&](auto done) { client.listEntities(q, done); });
            if (!l)
                return fail(QStringLiteral("baseline list"), l.error());
            listed += *l;
        }
        QJsonArray all;
        runAll(int(listed.size()), [&](int i, std::function<void()> done) {
            client.getEntity(listed[i].id, [&, done](Result<rde::DefinedEntity> r) {
                if (r)
                    all.append(r->toJson());
                done();
            });
        });
        const QByteArray bytes = QJsonDocument(all).toJson(QJsonDocument::Compact);
        QFile f(work.filePath(QStringLiteral("plain-export.json")));
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        exportRow.baselineBytes = bytes.size();
    }
    exportRow.baselineMs = double(t.elapsed());

    // The backup.
    t.restart();
    const QString archivePath = work.filePath(QStringLiteral("site.cseb"));
    {
        backup::BackupOptions bo;
        bo.includeSecrets = true;
        auto archive = backup::collect(client, bo);
        if (!archive)
            return fail(QStringLiteral("backup"), archive.error());
        auto bytes = backup::encode(*archive, passphrase);
        if (!bytes)
            return fail(QStringLiteral("encode"), bytes.error());
        if (auto w = backup::writeFile(archivePath, *bytes); !w)
            return fail(QStringLiteral("write"), w.error());
        exportRow.bytes = bytes->size();
        if (archive->manifest.counts.value(backup::kind::kCluster) != n)
            return fail(QStringLiteral("backup"), makeError(QStringLiteral("%1 clusters in the archive, expected %2")
                                                                .arg(archive->manifest.counts.value(backup::kind::kCluster)).arg(n)));
    }
    exportRow.ms = double(t.elapsed());
    rows.append(exportRow);

    // Restore into a rebuilt site, against a plain import into another.
    Row restoreRow{QStringLiteral("restore (verify, decrypt, plan, create + resolve)")};
    auto tgt = connectTo(target, true);
    auto pln = connectTo(plain, true);
    if (!tgt || !pln)
        return fail(QStringLiteral("target sites"), !tgt ? tgt.error() : pln.error());
    t.restart();
    {
        QFile f(work.filePath(QStringLiteral("plain-export.json")));
        f.open(QIODevice::ReadOnly);
        QList<rde::DefinedEntity> entities;
        for (const QJsonValue &v : QJsonDocument::fromJson(f.readAll()).array())
            entities.append(rde::DefinedEntity::fromJson(v.toObject()));
        auto plainOrgs = backup::listOrgs(**pln);
        if (!plainOrgs)
            return fail(QStringLiteral("orgs"), plainOrgs.error());
        QMap<QString, QString> ids;
        for (const auto &[name, id] : *plainOrgs)
            ids.insert(name, id);
        if (int failed = createAll(**pln, entities, ids))
            return fail(QStringLiteral("plain import"), makeError(QStringLiteral("%1 failed").arg(failed)));
    }
    restoreRow.baselineMs = double(t.elapsed());
    t.restart();
    {
        auto bytes = backup::readFile(archivePath);
        if (!bytes)
            return fail(QStringLiteral("read"), bytes.error());
        auto archive = backup::decode(*bytes, [&]() -> Result<QString> { return passphrase; });
        if (!archive)
            return fail(QStringLiteral("decode"), archive.error());
        auto state = backup::readTarget(**tgt);
        if (!state)
            return fail(QStringLiteral("target"), state.error());
        const backup::Plan plan = backup::makePlan(*archive, *state, {});
        const backup::ApplyReport report = backup::apply(**tgt, plan, {});
        if (!report.failures.isEmpty() || report.created != n)
            return fail(QStringLiteral("restore"), makeError(QStringLiteral("%1 created, %2 failed: %3").arg(report.created)
                                                                 .arg(report.failures.size()).arg(report.failures.value(0))));
    }
    restoreRow.ms = double(t.elapsed());
    restoreRow.bytes = exportRow.bytes;
    restoreRow.baselineBytes = exportRow.baselineBytes;
    rows.append(restoreRow);

    // Verification alone (no site): what a damaged archive costs to reject.
    Row verifyRow{QStringLiteral("verify only (SHA-256 + scrypt + GCM), no site")};
    t.restart();
    {
        auto bytes = backup::readFile(archivePath);
        auto archive = backup::decode(*bytes, [&]() -> Result<QString> { return passphrase; });
        if (!archive)
            return fail(QStringLiteral("verify"), archive.error());
    }
    verifyRow.ms = double(t.elapsed());
    verifyRow.bytes = exportRow.bytes;
    rows.append(verifyRow);

    out << QStringLiteral("\nbackup and restore of %1 clusters (vcd-sim, SQLite WAL, TLS; baseline: plain GET export / plain POST import)\n\n").arg(n);
    out << "| operation                                              | time s | baseline s | ratio | archive bytes | baseline bytes |\n";
    out << "|--------------------------------------------------------|--------|------------|-------|---------------|----------------|\n";
    QJsonArray results;
    for (const Row &r : rows) {
        const double ratio = r.baselineMs > 0 ? r.ms / r.baselineMs : 0;
        out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n").arg(r.what, -54).arg(r.ms / 1000, 6, 'f', 2)
                   .arg(r.baselineMs > 0 ? QString::number(r.baselineMs / 1000, 'f', 2) : QStringLiteral("-"), 10)
                   .arg(r.baselineMs > 0 ? QString::number(ratio, 'f', 2) : QStringLiteral("-"), 5).arg(r.bytes, 13)
                   .arg(r.baselineBytes, 14);
        results.append(QJsonObject{{QStringLiteral("operation"), r.what}, {QStringLiteral("clusters"), n},
                                   {QStringLiteral("seconds"), r.ms / 1000}, {QStringLiteral("baselineSeconds"), r.baselineMs / 1000},
                                   {QStringLiteral("ratio"), ratio}, {QStringLiteral("archiveBytes"), r.bytes},
                                   {QStringLiteral("baselineBytes"), r.baselineBytes}});
    }
    out << "\n";
    bench::writeJson(p.value(QStringLiteral("json")),
                     QJsonObject{{QStringLiteral("benchmark"), QStringLiteral("backup and restore")},
                                 {QStringLiteral("clusters"), n}, {QStringLiteral("results"), results}},
                     out);
    return 0;
}
