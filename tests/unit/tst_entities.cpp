#include "rde/cluster.h"
#include "rde/definedentity.h"
#include "rde/json.h"
#include "rde/serverinstance.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"

#include <QFile>
#include <QJsonDocument>
#include <QtTest>

using namespace cse;
using namespace cse::rde;

static QJsonObject loadData(const QString &name)
{
    QFile f(QStringLiteral(CSE_TEST_DATA "/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(name));
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Every top-level subtree except `path` must be byte-identical.
static void verifyOnlyChanged(const QJsonObject &before, const QJsonObject &after, const QStringList &path)
{
    const QJsonObject stripped1 = json::remove(before, path);
    const QJsonObject stripped2 = json::remove(after, path);
    QCOMPARE(json::canonical(stripped2), json::canonical(stripped1));
}

class TestEntities : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void definedEntityEnvelope();
    void readsClusterFields();
    void statusPatchTouchesOnlyVcdKe();
    void specPatchTouchesOnlySpecVcdKe();
    void carrySubtreeMergesIntoFreshEntity();
    void claimBumpsEpoch();
    void rollingWindow();
    void resourceSet();
    void lastErrorPicksNewest();
    void configHaKnobs();
    void configRegisterInstance();
    void serverInstanceRenew();
    void jsonSetCreatesAndKeeps();
    void typeIdParsing_data();
    void typeIdParsing();
};

void TestEntities::roundTrip_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("vcdkeconfig-1.1.0 (installer defaults)") << QString();
    for (const char *f : {"cluster-1.2.0-provisioned.json", "cluster-1.2.0-creating.json", "cluster-1.1.0-error.json",
                          "cluster-1.3.0-projector.json", "vcdkeconfig-1.0.0.json", "serverinstance-1.0.0.json"})
        QTest::newRow(f) << QString::fromLatin1(f);
}

void TestEntities::roundTrip()
{
    QFETCH(QString, file);
    const QJsonObject original = file.isEmpty() ? VcdKeConfig::defaults42().json() : loadData(file);
    QVERIFY(!original.isEmpty());
    QCOMPARE(json::canonical(VcdKeConfig(original).json()), json::canonical(original));
    // Each view reads and writes back without losing unknown fields.
    Cluster c(original);
    QCOMPARE(json::canonical(Cluster(c.json()).json()), json::canonical(original));
    // Writing back values read through the typed accessors keeps the bytes.
    if (file.startsWith(QLatin1String("cluster"))) {
        c.setCapiYaml(c.capiYaml());
        c.setMarkForDelete(c.markForDelete(), c.forceDelete());
        QCOMPARE(json::canonical(c.json()), json::canonical(original));
    }
    ServerInstance s(original);
    QCOMPARE(json::canonical(s.json()), json::canonical(original));
    // The envelope round-trips the entity exactly, too.
    DefinedEntity e;
    e.id = QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:1");
    e.entity = original;
    const DefinedEntity back = DefinedEntity::fromJson(QJsonDocument::fromJson(
        QJsonDocument(e.toJson()).toJson()).object());
    QCOMPARE(json::canonical(back.entity), json::canonical(original));
}

void TestEntities::definedEntityEnvelope()
{
    const QJsonObject wire{{QStringLiteral("id"), QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:abc")},
                           {QStringLiteral("entityType"), types::cluster().id()},
                           {QStringLiteral("name"), QStringLiteral("c1")},
                           {QStringLiteral("externalId"), QJsonValue::Null},
                           {QStringLiteral("entity"), QJsonObject{{QStringLiteral("k"), 1}}},
                           {QStringLiteral("state"), QStringLiteral("RESOLVED")},
                           {QStringLiteral("entityState"), QStringLiteral("RESOLVED")},
                           {QStringLiteral("owner"), QJsonObject{{QStringLiteral("name"), QStringLiteral("u")}, {QStringLiteral("id"), QStringLiteral("urn:vcloud:user:1")}}},
                           {QStringLiteral("org"), QJsonObject{{QStringLiteral("name"), QStringLiteral("acme")}, {QStringLiteral("id"), QStringLiteral("urn:vcloud:org:1")}}},
                           {QStringLiteral("creationDate"), QStringLiteral("2026-01-01T00:00:00.000Z")},
                           {QStringLiteral("lastModificationDate"), QStringLiteral("2026-01-02T00:00:00.000Z")},
                           {QStringLiteral("message"), QJsonValue::Null}};
    const DefinedEntity e = DefinedEntity::fromJson(wire, QStringLiteral("\"etag-1\""));
    QCOMPARE(e.org.name, QStringLiteral("acme"));
    QCOMPARE(e.etag, QStringLiteral("\"etag-1\""));
    QVERIFY(e.externalId.isNull());
    QCOMPARE(json::canonical(e.toJson()), json::canonical(wire));
    const QJsonObject put = e.toUpdateJson();
    QCOMPARE(put.keys(), (QStringList{QStringLiteral("entity"), QStringLiteral("name")}));
    QVERIFY(isoTimestamp(QDateTime(QDate(2006, 1, 2), QTime(15, 4, 5, 7), Qt::UTC)) == QStringLiteral("2006-01-02T15:04:05.007Z"));
}

void TestEntities::readsClusterFields()
{
    const Cluster c(loadData(QStringLiteral("cluster-1.2.0-provisioned.json")));
    QCOMPARE(c.name(), QStringLiteral("prod-a"));
    QCOMPARE(c.orgName(), QStringLiteral("acme"));
    QCOMPARE(c.vdcName(), QStringLiteral("acme-vdc"));
    QCOMPARE(c.state(), clusterstate::kProvisioned);
    QCOMPARE(c.ownerEpoch(), 3);
    QCOMPARE(c.ownerInstanceId(), QStringLiteral("urn:vcloud:entity:cseconsole:serverInstance:a1"));
    QCOMPARE(c.kubernetesVersion(), QStringLiteral("v1.29.6+vmware.1"));
    QCOMPARE(c.nodePools().size(), 2);
    QCOMPARE(c.nodePools().at(1).diskSizeMb, 40960);
    QCOMPARE(c.desiredNodes(), 5);
    QCOMPARE(c.availableNodes(), 5);
    QVERIFY(!c.autoRepairOnErrors());
    QVERIFY(c.isVcdKeCluster());
    QVERIFY(!c.hasApiToken());
    QCOMPARE(c.capvcdLog(Cluster::Log::Event).size(), 2);
    QCOMPARE(c.capvcdLog(Cluster::Log::Event).at(1).detail, QStringLiteral("cp ready"));
    QCOMPARE(c.vcdKeLog(Cluster::Log::Event).first().name, QStringLiteral("CapiYamlProcessed"));

    const Cluster fresh(loadData(QStringLiteral("cluster-1.2.0-creating.json")));
    QVERIFY(fresh.state().isEmpty());
    QVERIFY(fresh.autoRepairOnErrors());
    QCOMPARE(fresh.apiToken(), QStringLiteral("SECRET-TOKEN-123"));
    QCOMPARE(fresh.ownerEpoch(), 0);
}

void TestEntities::statusPatchTouchesOnlyVcdKe()
{
    const QJsonObject before = loadData(QStringLiteral("cluster-1.2.0-provisioned.json"));
    Cluster c(before);
    c.setState(clusterstate::kDeleting);
    c.setPhase(QStringLiteral("deleting"));
    c.appendVcdKe(Cluster::Log::Event, QStringLiteral("DeleteRequested"), QStringLiteral("by user"));
    c.setRepairAttempts(2);
    verifyOnlyChanged(before, c.json(), paths::kStatusVcdKe);
    QCOMPARE(c.state(), clusterstate::kDeleting);
    // Unknown fields inside the patched subtree survive too.
    QCOMPARE(c.value({QStringLiteral("status"), QStringLiteral("vcdKe"), QStringLiteral("defaultStorageClass")}),
             json::get(before, {QStringLiteral("status"), QStringLiteral("vcdKe"), QStringLiteral("defaultStorageClass")}));
}

void TestEntities::specPatchTouchesOnlySpecVcdKe()
{
    const QJsonObject before = loadData(QStringLiteral("cluster-1.2.0-provisioned.json"));
    Cluster c(before);
    c.setMarkForDelete(true, true);
    verifyOnlyChanged(before, c.json(), paths::kSpecVcdKe);
    QVERIFY(c.markForDelete());
    QVERIFY(c.forceDelete());
    QCOMPARE(c.value({QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("futureSpecKnob")}),
             json::get(before, {QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("futureSpecKnob")}));
    c.setMarkForDelete(false, true);
    QVERIFY(!c.forceDelete()); // force without delete makes no sense
}

void TestEntities::carrySubtreeMergesIntoFreshEntity()
{
    // The server changed status.vcdKe on an old copy; meanwhile the
    // infrastructure wrote status.capvcd. Carrying the server's subtree into
    // the fresh copy keeps both writers' work.
    const QJsonObject base = loadData(QStringLiteral("cluster-1.2.0-provisioned.json"));
    Cluster mine(base);
    mine.setState(clusterstate::kError);
    Cluster fresh(base);
    fresh.setValue({QStringLiteral("status"), QStringLiteral("capvcd"), QStringLiteral("phase")}, QStringLiteral("Deleting"));
    const Cluster merged(carrySubtree(fresh.json(), mine.json(), paths::kStatusVcdKe));
    QCOMPARE(merged.state(), clusterstate::kError);
    QCOMPARE(merged.capvcdPhase(), QStringLiteral("Deleting"));
    // A subtree missing on my side is removed from the fresh copy.
    const QJsonObject removed = carrySubtree(fresh.json(), json::remove(mine.json(), paths::kStatusVcdKe), paths::kStatusVcdKe);
    QVERIFY(json::get(removed, paths::kStatusVcdKe).isUndefined());
    QCOMPARE(Cluster(removed).capvcdPhase(), QStringLiteral("Deleting"));
}

void TestEntities::claimBumpsEpoch()
{
    Cluster c(loadData(QStringLiteral("cluster-1.2.0-creating.json")));
    const QDateTime t(QDate(2026, 11, 25), QTime(8, 0), Qt::UTC);
    c.claim(QStringLiteral("r1"), QStringLiteral("w0"), t);
    QCOMPARE(c.ownerEpoch(), 1);
    QCOMPARE(c.ownerInstanceId(), QStringLiteral("r1"));
    QCOMPARE(c.workerId(), QStringLiteral("w0"));
    QCOMPARE(c.value({QStringLiteral("status"), QStringLiteral("vcdKe"), QStringLiteral("heartbeatTimestamp")}).toString(),
             QStringLiteral("2026-11-25T08:00:00.000Z"));
    c.claim(QStringLiteral("r2"), QStringLiteral("w3"), t);
    QCOMPARE(c.ownerEpoch(), 2);
    c.releaseOwner();
    QCOMPARE(c.ownerEpoch(), 3);
    QVERIFY(c.ownerInstanceId().isEmpty());
}

void TestEntities::rollingWindow()
{
    Cluster c(loadData(QStringLiteral("cluster-1.2.0-provisioned.json")));
    const QDateTime t0(QDate(2026, 11, 25), QTime(8, 0), Qt::UTC);
    for (int i = 0; i < 25; ++i)
        c.appendVcdKe(Cluster::Log::Error, QStringLiteral("E%1").arg(i), QStringLiteral("detail %1").arg(i), {}, {}, t0.addSecs(i));
    const auto errors = c.vcdKeLog(Cluster::Log::Error);
    QCOMPARE(errors.size(), Cluster::kEventWindow);
    QCOMPARE(errors.first().name, QStringLiteral("E5"));
    QCOMPARE(errors.last().name, QStringLiteral("E24"));
    QCOMPARE(errors.last().detail, QStringLiteral("detail 24"));
    QCOMPARE(errors.last().occurredAt, t0.addSecs(24));
    // The event log (1 entry) is a separate window.
    QCOMPARE(c.vcdKeLog(Cluster::Log::Event).size(), 1);

    QJsonArray a;
    for (int i = 0; i < 3; ++i)
        a = appendRolling(a, i, 2);
    QCOMPARE(a, (QJsonArray{1, 2}));
}

void TestEntities::resourceSet()
{
    Cluster c(loadData(QStringLiteral("cluster-1.2.0-creating.json")));
    c.addVcdResource(QStringLiteral("vm-1"), QStringLiteral("EPHEMERAL-TEMP-VM"), QStringLiteral("VM"));
    c.addVcdResource(QStringLiteral("vm-1"), QStringLiteral("EPHEMERAL-TEMP-VM"), QStringLiteral("VM"));
    c.addVcdResource(QStringLiteral("vapp-1"), QStringLiteral("new-b"), QStringLiteral("vApp"));
    QCOMPARE(c.vcdResourceSet().size(), 2);
    c.removeVcdResource(QStringLiteral("vm-1"));
    QCOMPARE(c.vcdResourceSet().size(), 1);
    QCOMPARE(c.vcdResourceSet().at(0).toObject().value(QLatin1String("id")).toString(), QStringLiteral("vapp-1"));
}

void TestEntities::lastErrorPicksNewest()
{
    Cluster c(loadData(QStringLiteral("cluster-1.2.0-provisioned.json")));
    QCOMPARE(c.lastError(), QStringLiteral("VcdMachineScriptExecutionError: script exited 1"));
    c.appendVcdKe(Cluster::Log::Error, QStringLiteral("BootstrapVmError"), QStringLiteral("no IP"), {}, {},
                  QDateTime(QDate(2026, 11, 2), QTime(0, 0), Qt::UTC));
    QCOMPARE(c.lastError(), QStringLiteral("BootstrapVmError: no IP"));
    QVERIFY(Cluster(loadData(QStringLiteral("cluster-1.2.0-creating.json"))).lastError().isEmpty());
}

void TestEntities::configHaKnobs()
{
    VcdKeConfig cfg = VcdKeConfig::defaults42();
    QCOMPARE(cfg.profileName(), QStringLiteral("production"));
    QCOMPARE(cfg.ha().leaseSeconds, 10);
    QCOMPARE(cfg.ha().autoRepairMaxAttempts, 3);
    HaSettings h = cfg.ha();
    h.leaseSeconds = 6;
    h.pollSeconds = 1;
    const QJsonObject before = cfg.json();
    cfg.setHa(h);
    QCOMPARE(cfg.ha().leaseSeconds, 6);
    QCOMPARE(cfg.ha().pollSeconds, 1);
    // Only profiles[0].serverConfig changed, and its CSE knobs stayed.
    verifyOnlyChanged(before, cfg.json(), {QStringLiteral("profiles"), QStringLiteral("0"), QStringLiteral("serverConfig")});
    QCOMPARE(cfg.value({QStringLiteral("profiles"), QStringLiteral("0"), QStringLiteral("serverConfig"),
                        QStringLiteral("staleHeartbeatIntervalInMin")}).toInt(), 30);
    QCOMPARE(cfg.mhc().nodeStartupTimeout, QStringLiteral("900s"));

    // A 1.0.0 config has none of our knobs: defaults apply.
    const VcdKeConfig old(loadData(QStringLiteral("vcdkeconfig-1.0.0.json")));
    QCOMPARE(old.ha().leaseSeconds, HaSettings().leaseSeconds);
    QCOMPARE(old.containerRegistryUrl(), QStringLiteral("projects.registry.vmware.com"));
    QCOMPARE(old.mhc().maxUnhealthyNodes, 100.0);
}

void TestEntities::configRegisterInstance()
{
    VcdKeConfig cfg(loadData(QStringLiteral("vcdkeconfig-1.0.0.json")));
    QCOMPARE(cfg.instances().size(), 1);
    QVERIFY(cfg.registerInstance({QStringLiteral("replica-1"), QStringLiteral("0.1.0"), QStringLiteral("r1")}));
    QVERIFY(!cfg.registerInstance({QStringLiteral("replica-1"), QStringLiteral("0.1.0"), QStringLiteral("r1")}));
    QVERIFY(cfg.registerInstance({QStringLiteral("replica-1"), QStringLiteral("0.2.0"), QStringLiteral("r1")}));
    QCOMPARE(cfg.instances().size(), 2);
    QCOMPARE(cfg.instances().at(1).version, QStringLiteral("0.2.0"));
    QCOMPARE(cfg.instances().at(0).instanceId, QStringLiteral("abc"));
    VcdKeConfig empty;
    QVERIFY(!empty.registerInstance({QStringLiteral("x"), QStringLiteral("1"), QStringLiteral("x")}));
}

void TestEntities::serverInstanceRenew()
{
    const QDateTime t0(QDate(2026, 11, 25), QTime(8, 0), Qt::UTC);
    ServerInstance s = ServerInstance::create(QStringLiteral("r1"), QStringLiteral("replica-1"), QStringLiteral("0.1.0"),
                                              QStringLiteral("host-a"), t0);
    QCOMPARE(s.heartbeat(), 0);
    QCOMPARE(s.state(), replicastate::kRunning);
    s.renew(t0.addSecs(2));
    s.renew(t0.addSecs(4));
    QCOMPARE(s.heartbeat(), 2);
    QCOMPARE(s.lastRenewTime(), t0.addSecs(4));
    QCOMPARE(s.startTime(), t0);
    s.setClustersOwned({QStringLiteral("c1"), QStringLiteral("c2")});
    s.setState(replicastate::kDraining);
    QCOMPARE(s.clustersOwned().size(), 2);
    QCOMPARE(s.state(), replicastate::kDraining);
}

void TestEntities::jsonSetCreatesAndKeeps()
{
    QJsonObject o{{QStringLiteral("a"), QJsonObject{{QStringLiteral("keep"), 1}}},
                  {QStringLiteral("list"), QJsonArray{QJsonObject{{QStringLiteral("x"), 1}}}}};
    o = json::set(o, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, 2);
    QCOMPARE(json::get(o, QStringView(u"a.b.c")).toInt(), 2);
    QCOMPARE(json::get(o, QStringView(u"a.keep")).toInt(), 1);
    o = json::set(o, {QStringLiteral("list"), QStringLiteral("0"), QStringLiteral("y")}, 3);
    QCOMPARE(json::canonical(o.value(QLatin1String("list"))), QByteArray(R"([{"x":1,"y":3}])"));
    QVERIFY(json::get(o, QStringView(u"nope.deeper")).isUndefined());
    QVERIFY(json::equal(QJsonValue(1), QJsonValue(1.0)));
    QVERIFY(!json::equal(QJsonValue(1), QJsonValue(true)));
    QCOMPARE(json::resolvePointer(QJsonObject{{QStringLiteral("a/b"), 5}}, QStringLiteral("/a~1b")).value().toInt(), 5);
    QVERIFY(!json::resolvePointer(QJsonObject{}, QStringLiteral("/missing")).ok());
    auto bad = json::parseObject("{\"a\": ", QStringLiteral("request body"));
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message.startsWith(QStringLiteral("request body is not valid JSON at offset")));
}

void TestEntities::typeIdParsing_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("ok");
    QTest::newRow("cluster") << types::cluster().id() << true;
    QTest::newRow("server") << QStringLiteral("urn:vcloud:type:cseconsole:serverInstance:1.0.0") << true;
    QTest::newRow("no version") << QStringLiteral("urn:vcloud:type:vmware:capvcdCluster") << false;
    QTest::newRow("bad vendor") << QStringLiteral("urn:vcloud:type:vm ware:x:1.0.0") << false;
    QTest::newRow("entity id") << QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:1") << false;
}

void TestEntities::typeIdParsing()
{
    QFETCH(QString, id);
    QFETCH(bool, ok);
    const auto r = TypeRef::parse(id);
    QCOMPARE(r.ok(), ok);
    if (ok)
        QCOMPARE(r->id(), id);
}

QTEST_GUILESS_MAIN(TestEntities)
#include "tst_entities.moc"
