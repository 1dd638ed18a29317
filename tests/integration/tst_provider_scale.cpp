// A provider-sized site with real processes: more orgs, VDCs and networks
// than one page holds (VCD pages hold at most 128), and a replica that must
// still see and build the last of each.
#include "../support/serverprocess.h"
#include "../support/simprocess.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/types.h"
#include "vcd/orgdirectory.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace cse;

namespace {

QString createCluster(test::SimProcess &sim, vcd::Client &admin, const QString &org, const QString &name, const QString &vdc,
                      const QString &network)
{
    rde::ClusterSpec spec;
    spec.name = name;
    spec.org = org;
    spec.vdc = vdc;
    spec.network = network;
    spec.site = sim.url();
    spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), 1)};
    const QString yaml = rde::renderCapiYaml(spec).value();
    auto token = test::createApiToken(admin, org, org + QStringLiteral("-admin"));
    if (!token)
        return {};
    vcd::Client tenant(sim.tenant(org, org + QStringLiteral("-admin")));
    if (!test::connect(tenant))
        return {};
    auto id = vcd::await<QString>([&](auto done) {
        tenant.createEntity(rde::types::cluster().id(), name,
                            rde::Cluster::create(name, org, vdc, spec.site, yaml, *token, true).json(), done);
    });
    return id ? *id : QString();
}

// vcd-sim seeded with the demo site and EXTRA, its admin, and one replica.
struct SiteWithReplica
{
    explicit SiteWithReplica(const QStringList &extra)
        : sim(QStringList{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("20")} + extra)
    {
    }
    bool start(const rde::HaSettings &ha = test::fastHaSettings())
    {
        if (!sim.start()) {
            qWarning("%s", qPrintable(sim.error()));
            return false;
        }
        admin = std::make_unique<vcd::Client>(sim.provider());
        if (!test::connect(*admin) || !test::setHaSettings(*admin, ha).ok())
            return false;
        replica = std::make_unique<test::ServerProcess>(sim, QStringLiteral("r1"));
        if (!replica->start()) {
            qWarning("%s", qPrintable(replica->error()));
            return false;
        }
        return true;
    }
    test::SimProcess sim;
    std::unique_ptr<vcd::Client> admin;
    std::unique_ptr<test::ServerProcess> replica;
};

rde::Cluster clusterOf(vcd::Client &admin, const QString &id)
{
    auto e = vcd::await<rde::DefinedEntity>([&](auto done) { admin.getEntity(id, done); });
    return e ? rde::Cluster(e->entity) : rde::Cluster();
}

} // namespace

class TestProviderScale : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedsManyTenantsQuickly();
    void createOrgAsVcd();
    void clusterInTheLastOfManyOrgs();
    void lastVdcAndNetworkOfAnOrg();
    void laterPagesCarryTheTenantContext();
    void discoveryModes_data();
    void discoveryModes();
    void unreadableOrgIsLoggedAndCounted();
    void failoverAtTheLease();
};

// --tenants 1000 seeds in seconds: one transaction, one password hash.
void TestProviderScale::seedsManyTenantsQuickly()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--tenants"), QStringLiteral("1000")});
    QElapsedTimer t;
    t.start();
    QVERIFY2(sim.start(60000), qPrintable(sim.error()));
    const qint64 startMs = t.elapsed();
    QVERIFY2(startMs < 20000, qPrintable(QStringLiteral("seeding 1,000 orgs took %1 ms").arg(startMs)));
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin));
    vcd::OrgDirectory orgs(&admin);
    auto listed = vcd::await<void>([&](auto done) { orgs.refreshNow(done); });
    QVERIFY(listed.ok());
    QCOMPARE(orgs.orgs().size(), 1003); // System, acme, globex and the tenants
    QVERIFY(!orgs.idOf(QStringLiteral("tenant-1000")).isEmpty());
    // Every tenant admin's token is in the token file, keyed by org; it logs in.
    QFile f(sim.dataDir() + QStringLiteral("/demo-api-tokens.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject tokens = QJsonDocument::fromJson(f.readAll()).object();
    QVERIFY(tokens.contains(QStringLiteral("tenant-0001")));
    QVERIFY(tokens.contains(QStringLiteral("tenant-1000")));
    vcd::ConnectionOptions o = sim.tenant(QStringLiteral("tenant-1000"), QStringLiteral("tenant-1000-admin"));
    o.password.clear();
    o.apiToken = tokens.value(QStringLiteral("tenant-1000")).toString();
    vcd::Client last(o);
    QVERIFY(test::connect(last));
    vcd::Client viewer(sim.tenant(QStringLiteral("tenant-0500"), QStringLiteral("tenant-0500-viewer")));
    QVERIFY(test::connect(viewer));
    auto vdcs = vcd::await<QList<QJsonObject>>([&](auto done) {
        last.listValues(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/vdcs")), done);
    });
    QVERIFY(vdcs.ok());
    QCOMPARE(vdcs->size(), 1);
    QCOMPARE(vdcs->first().value(QLatin1String("name")).toString(), QStringLiteral("tenant-1000-vdc"));
}

void TestProviderScale::createOrgAsVcd()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin));
    const QByteArray body = R"({"name":"initech","displayName":"Initech","description":"new","isEnabled":true})";
    auto created = test::call(admin, "POST", QStringLiteral("/cloudapi/1.0.0/orgs"), body);
    QVERIFY2(created.ok(), created ? "" : qPrintable(created.error().toString()));
    QCOMPARE(created->status, 201);
    const QString id = created->json().value(QLatin1String("id")).toString();
    QVERIFY(id.startsWith(QLatin1String("urn:vcloud:org:")));
    auto again = test::call(admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgs/") + id);
    QVERIFY(again.ok());
    QCOMPARE(again->json().value(QLatin1String("name")).toString(), QStringLiteral("initech"));
    // A second org of that name (any case) is refused; a tenant may not create one.
    auto duplicate = test::call(admin, "POST", QStringLiteral("/cloudapi/1.0.0/orgs"), R"({"name":"INITECH"})");
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().httpStatus, 400);
    vcd::Client acme(sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    QVERIFY(test::connect(acme));
    auto tenant = test::call(acme, "POST", QStringLiteral("/cloudapi/1.0.0/orgs"), R"({"name":"mine"})");
    QVERIFY(!tenant.ok());
    QCOMPARE(tenant.error().httpStatus, 403);
}

// 130 tenant orgs (two pages of orgs): the replica builds a cluster made in
// the last one (it read only the first page of orgs before).
void TestProviderScale::clusterInTheLastOfManyOrgs()
{
    SiteWithReplica site({QStringLiteral("--tenants"), QStringLiteral("130")});
    QVERIFY(site.start());
    test::SimProcess &sim = site.sim;
    vcd::Client &admin = *site.admin;
    test::ServerProcess &replica = *site.replica;
    const QString id = createCluster(sim, admin, QStringLiteral("tenant-0130"), QStringLiteral("last-org"),
                                     QStringLiteral("tenant-0130-vdc"), QStringLiteral("tenant-0130-net"));
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(clusterOf(admin, id).state(), rde::clusterstate::kProvisioned, 90000);
    QCOMPARE(clusterOf(admin, id).ownerInstanceId(), replica.instanceId());
}

// An org with 131 VDCs and 131 networks: a cluster on the last VDC and
// network passes validation (the reconciler read one page of each before).
void TestProviderScale::lastVdcAndNetworkOfAnOrg()
{
    SiteWithReplica site({QStringLiteral("--many-vdcs"), QStringLiteral("acme=130")});
    QVERIFY(site.start());
    test::SimProcess &sim = site.sim;
    vcd::Client &admin = *site.admin;
    const QString id = createCluster(sim, admin, QStringLiteral("acme"), QStringLiteral("last-vdc"), QStringLiteral("acme-vdc-0130"),
                                     QStringLiteral("acme-net-0130"));
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(clusterOf(admin, id).state() == rde::clusterstate::kProvisioned
                                 || clusterOf(admin, id).state() == rde::clusterstate::kError,
                             90000);
    const rde::Cluster c = clusterOf(admin, id);
    QVERIFY2(c.state() == rde::clusterstate::kProvisioned, qPrintable(QJsonDocument(c.json()).toJson()));
}

// A provider lists an org's networks through the tenant context: the second
// page, too, holds only that org's networks (a page sent without the context
// lists every org's).
void TestProviderScale::laterPagesCarryTheTenantContext()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--many-vdcs"), QStringLiteral("acme=130")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin));
    vcd::OrgDirectory orgs(&admin);
    QVERIFY(vcd::await<void>([&](auto done) { orgs.refreshNow(done); }).ok());
    vcd::RequestSpec spec = vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks"));
    spec.tenantContext = orgs.idOf(QStringLiteral("acme"));
    auto nets = vcd::await<QList<QJsonObject>>([&](auto done) { admin.listValues(spec, done); });
    QVERIFY(nets.ok());
    QCOMPARE(nets->size(), 131);
    for (const QJsonObject &n : std::as_const(*nets))
        QCOMPARE(n.value(QLatin1String("orgRef")).toObject().value(QLatin1String("name")).toString(), QStringLiteral("acme"));
    // Without the context the provider sees every org's networks.
    auto all = vcd::await<QList<QJsonObject>>([&](auto done) {
        admin.listValues(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks")), done);
    });
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 132);
}

void TestProviderScale::discoveryModes_data()
{
    QTest::addColumn<QString>("visibility"); // vcd-sim --provider-visibility
    QTest::addColumn<QString>("mode");       // HA discoveryMode
    QTest::addColumn<int>("wide");           // cse_discovery_provider_wide expected
    QTest::addColumn<double>("maxListsPerSecond");
    // One list a poll (poll 1 s), whatever the number of orgs (plus the
    // start-up probe and the short window: the per-org baseline is 60 a poll).
    QTest::newRow("all, auto") << QStringLiteral("all") << QStringLiteral("auto") << 1 << 2.0;
    // Per-org lists within the budget (4/s for the site).
    QTest::newRow("system, auto") << QStringLiteral("system") << QStringLiteral("auto") << 0 << 4.0 * 1.25 + 0.5;
    QTest::newRow("all, forced perOrg") << QStringLiteral("all") << QStringLiteral("perOrg") << 0 << 4.0 * 1.25 + 0.5;
}

// 60 tenant orgs: the replica finds a new cluster in the last org under
// both readings of the provider's list, and its work lists stay within one
// a poll (provider-wide) or the budget (per org; 60 orgs a poll before).
void TestProviderScale::discoveryModes()
{
    QFETCH(QString, visibility);
    QFETCH(QString, mode);
    QFETCH(int, wide);
    QFETCH(double, maxListsPerSecond);
    rde::HaSettings ha = test::fastHaSettings();
    ha.discoveryRequestsPerSecond = 4;
    ha.discoveryMode = mode;
    SiteWithReplica site({QStringLiteral("--tenants"), QStringLiteral("60"), QStringLiteral("--provider-visibility"), visibility});
    // The replica logs in as the administrator, as this test was written:
    // per-org lists need the org directory, which CSE's own role cannot list
    // before VCD 10.5.1 (no Organization: Traversal). Known gap: logged in as
    // cse-admin, the "all, auto" row's probe did not switch to the
    // provider-wide list (not diagnosed yet; see the closing note).
    qputenv("CSE_TEST_SERVER_AS", "administrator");
    const bool started = site.start(ha);
    qunsetenv("CSE_TEST_SERVER_AS");
    QVERIFY(started);
    test::SimProcess &sim = site.sim;
    vcd::Client &admin = *site.admin;
    test::ServerProcess &replica = *site.replica;
    QElapsedTimer since;
    since.start();
    const QString route = QStringLiteral("route=\"GET /cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1\"");
    const double before = qMax(0.0, replica.metric(QStringLiteral("cse_vcd_requests_total"), route));
    QTRY_COMPARE_WITH_TIMEOUT(int(replica.metric(QStringLiteral("cse_discovery_provider_wide"))), wide, 20000);
    const QString id = createCluster(sim, admin, QStringLiteral("tenant-0060"), QStringLiteral("last-org"),
                                     QStringLiteral("tenant-0060-vdc"), QStringLiteral("tenant-0060-net"));
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(clusterOf(admin, id).state(), rde::clusterstate::kProvisioned, 90000);
    // The work lists' rate over the whole run (at least 10 of them).
    QTRY_VERIFY_WITH_TIMEOUT(replica.metric(QStringLiteral("cse_vcd_requests_total"), route) - before >= 10, 30000);
    const double lists = replica.metric(QStringLiteral("cse_vcd_requests_total"), route) - before;
    const double perSecond = lists / (double(since.elapsed()) / 1000.0);
    qInfo("%s: %.0f work lists in %.1f s = %.2f/s", qPrintable(QTest::currentDataTag()), lists, since.elapsed() / 1000.0, perSecond);
    QVERIFY2(perSecond <= maxListsPerSecond, qPrintable(QStringLiteral("%1 lists/s").arg(perSecond)));
    QCOMPARE(replica.metric(QStringLiteral("cse_discovery_unreadable_orgs")), 0.0);
}

// Issue 19 point 5: an org whose work list fails is logged (once, not every
// poll), counted, and shown in /metrics until it can be read again; the
// other orgs are served meanwhile.
void TestProviderScale::unreadableOrgIsLoggedAndCounted()
{
    rde::HaSettings ha = test::fastHaSettings();
    ha.discoveryMode = QStringLiteral("perOrg");
    SiteWithReplica site({QStringLiteral("--tenants"), QStringLiteral("6")});
    QVERIFY(site.start(ha));
    vcd::Client &admin = *site.admin;
    test::ServerProcess &replica = *site.replica;
    vcd::OrgDirectory orgs(&admin);
    QVERIFY(vcd::await<void>([&](auto done) { orgs.refreshNow(done); }).ok());
    // The tenant context goes out as the org's bare UUID (as govcd sends it).
    const QString blocked = orgs.idOf(QStringLiteral("tenant-0005")).section(QLatin1Char(':'), -1);
    // Every work list of tenant-0005 gets no answer.
    const QJsonObject rule{{QStringLiteral("route"), QStringLiteral("^GET /cloudapi/1.0.0/entities/types/vmware/capvcdCluster/")},
                           {QStringLiteral("blockHeader"), QStringLiteral("x-vmware-vcloud-tenant-context")},
                           {QStringLiteral("blockValue"), blocked}};
    QVERIFY(test::call(admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"),
                       QJsonDocument(QJsonArray{rule}).toJson(QJsonDocument::Compact)).ok());
    QTRY_COMPARE_WITH_TIMEOUT(replica.metric(QStringLiteral("cse_discovery_unreadable_orgs")), 1.0, 60000);
    QVERIFY(replica.metric(QStringLiteral("cse_discovery_list_failures_total")) >= 1);
    const QString id = createCluster(site.sim, admin, QStringLiteral("tenant-0006"), QStringLiteral("next-door"),
                                     QStringLiteral("tenant-0006-vdc"), QStringLiteral("tenant-0006-net"));
    QTRY_COMPARE_WITH_TIMEOUT(clusterOf(admin, id).state(), rde::clusterstate::kProvisioned, 90000);
    const QByteArray out = replica.output();
    // One line when it first failed, at most one more a minute (a poll a second would have printed dozens).
    const auto lines = out.count("cannot list the clusters of org \"tenant-0005\"");
    QVERIFY2(lines >= 1 && lines <= 2, out.right(4000).constData());
    QVERIFY(test::call(admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).ok());
    QTRY_COMPARE_WITH_TIMEOUT(replica.metric(QStringLiteral("cse_discovery_unreadable_orgs")), 0.0, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(replica.output().contains("org \"tenant-0005\" can be read again"), 10000);
}

// kill -9 of an owner mid-creation: the survivor looks when the owner's
// lease runs out on its clock, not at its next poll. Measured with a poll
// (3 s) near the lease (4 s), where the poll's wait would show.
void TestProviderScale::failoverAtTheLease()
{
    rde::HaSettings ha = test::fastHaSettings();
    ha.leaseSeconds = 4;
    ha.renewSeconds = 1;
    ha.pollSeconds = 3;
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("300"),
                          QStringLiteral("--provider-visibility"), QStringLiteral("all")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin));
    QVERIFY(test::setHaSettings(admin, ha).ok());
    test::ServerProcess a(sim, QStringLiteral("f1")), b(sim, QStringLiteral("f2"));
    QVERIFY2(a.start(), qPrintable(a.error()));
    QVERIFY2(b.start(), qPrintable(b.error()));
    QTRY_COMPARE_WITH_TIMEOUT(a.sharingReplicas(), 2, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(b.sharingReplicas(), 2, 30000);
    const QString id = createCluster(sim, admin, QStringLiteral("acme"), QStringLiteral("failover"), QStringLiteral("acme-vdc"),
                                     QStringLiteral("acme-net"));
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!clusterOf(admin, id).ownerInstanceId().isEmpty(), 30000);
    const rde::Cluster before = clusterOf(admin, id);
    test::ServerProcess &owner = before.ownerInstanceId() == a.instanceId() ? a : b;
    test::ServerProcess &survivor = &owner == &a ? b : a;
    QElapsedTimer sinceKill;
    owner.kill9();
    sinceKill.start();
    QTRY_VERIFY_WITH_TIMEOUT(clusterOf(admin, id).ownerEpoch() > before.ownerEpoch(), 30000);
    const qint64 ms = sinceKill.elapsed();
    QCOMPARE(clusterOf(admin, id).ownerInstanceId(), survivor.instanceId());
    qInfo("failover %lld ms after kill -9 (lease %d s, poll %d s; at the next poll it was up to lease + 2 polls)", ms,
          ha.leaseSeconds, ha.pollSeconds);
    // The floor is the lease plus the age of the last heartbeat the survivor
    // saw (up to a poll); the margin is for a loaded 2-core machine.
    QVERIFY2(ms < (ha.leaseSeconds + ha.pollSeconds) * 1000 + 2000, qPrintable(QString::number(ms)));
}

QTEST_GUILESS_MAIN(TestProviderScale)
#include "tst_provider_scale.moc"
