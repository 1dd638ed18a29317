// Simulated infrastructure: a creation driven through the server's own
// infrastructure driver (VCD's vApp API as the cluster owner; vcd-sim's guest
// simulator plays the bootstrap VM), injected failures, and resize/upgrade
// through the in-cluster controller with no server process at all.
#include "../support/simprocess.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"
#include "server/infrastructure.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace cse;
using cse::test::call;


class TestSimInfra : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void createLikeAServer();
    void injectedControlPlaneFailure();
    void resizeAndUpgradeWithoutServer();
    void auditCountsVms();

private:
    rde::Cluster cluster(const QString &id);
    QString findCluster(const QString &name);
    QString createCluster(const QString &name, int cp, int workers);
    QString bootstrapAndApply(const QString &id);
    // Rewrites spec.capiYaml of a cluster the way a user (or the console) does.
    Result<rde::DefinedEntity> editCapiYaml(const QString &id, const std::function<Result<QString>(const QString &)> &edit);
    test::SimProcess m_sim{{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("30")}};
    std::unique_ptr<vcd::Client> m_admin;
    std::unique_ptr<vcd::Client> m_acme;
    std::unique_ptr<server::VappInfrastructure> m_infra;
    QString m_token; // acme-admin's API token: clusters are built as their owner
    server::InfraState state(const QString &id);
    QJsonArray liveVms(const QString &id);
};

void TestSimInfra::initTestCase()
{
    QVERIFY2(m_sim.start(), qPrintable(m_sim.error()));
    m_admin = std::make_unique<vcd::Client>(m_sim.provider());
    m_acme = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    QVERIFY(test::connect(*m_admin).ok());
    QVERIFY(test::connect(*m_acme).ok());
    auto token = test::createApiToken(*m_admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
    QVERIFY(token.ok());
    m_token = *token;
    m_infra = std::make_unique<server::VappInfrastructure>(m_admin.get(), 100);
}

server::InfraState TestSimInfra::state(const QString &id)
{
    auto s = vcd::await<server::InfraState>([&](auto done) { m_infra->state(id, done); });
    return s ? *s : server::InfraState();
}

QJsonArray TestSimInfra::liveVms(const QString &id)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("clusterId"), id);
    auto r = call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/vms"), {}, {}, q);
    QJsonArray live;
    for (const QJsonValue &v : QJsonDocument::fromJson(r ? r->body : QByteArray()).array())
        if (v.toObject().value(QLatin1String("deletedAt")).toString().isEmpty())
            live.append(v);
    return live;
}

rde::Cluster TestSimInfra::cluster(const QString &id)
{
    auto e = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(id, done); });
    return e ? rde::Cluster(e->entity) : rde::Cluster();
}

QString TestSimInfra::findCluster(const QString &name)
{
    auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1"));
        q.filter = QStringLiteral("name==") + name;
        m_acme->listEntities(q, done);
    });
    return list && list->size() == 1 ? list->first().id : QString();
}

QString TestSimInfra::createCluster(const QString &name, int cp, int workers)
{
    rde::ClusterSpec spec;
    spec.name = name;
    spec.org = QStringLiteral("acme");
    spec.vdc = QStringLiteral("acme-vdc");
    spec.network = QStringLiteral("acme-net");
    spec.site = m_sim.url();
    spec.controlPlane.replicas = cp;
    spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), workers)};
    const QString yaml = rde::renderCapiYaml(spec).value();
    auto id = vcd::await<QString>([&](auto done) {
        m_acme->createEntity(rde::types::cluster().id(), name,
                             rde::Cluster::create(name, spec.org, spec.vdc, spec.site, yaml, m_token).json(), done);
    });
    return id ? *id : QString();
}

QString TestSimInfra::bootstrapAndApply(const QString &id)
{
    auto vm = vcd::await<server::VmInfo>([&](auto done) { m_infra->createBootstrapVm(id, QString(), done); });
    if (!vm)
        return QStringLiteral("create VM: ") + vm.error().toString();
    // A powered-off bootstrap VM does nothing.
    QTest::qWait(100);
    if (!state(id).phasesDone.isEmpty())
        return QStringLiteral("the bootstrap VM worked before it was powered on");
    if (auto on = vcd::await<void>([&](auto done) { m_infra->powerOn(id, vm->id, done); }); !on)
        return QStringLiteral("power on: ") + on.error().toString();
    return vm->id;
}

Result<rde::DefinedEntity> TestSimInfra::editCapiYaml(const QString &id, const std::function<Result<QString>(const QString &)> &edit)
{
    return vcd::await<rde::DefinedEntity>([&](auto done) {
        m_acme->patch(id, [&edit](QJsonObject &e) -> Result<bool> {
            rde::Cluster c(e);
            auto yaml = edit(c.capiYaml());
            if (!yaml)
                return yaml.error();
            c.setCapiYaml(*yaml);
            e = c.json();
            return true;
        }, done);
    });
}

void TestSimInfra::createLikeAServer()
{
    const QString id = createCluster(QStringLiteral("built"), 3, 2);
    QVERIFY(!id.isEmpty());
    const QString vmId = bootstrapAndApply(id);
    QVERIFY2(vmId.startsWith(QLatin1String("urn:vcloud:vapp:")), qPrintable(vmId));
    // The guest applies the capiYaml; it moves only once the cluster is provisioned.
    QTRY_VERIFY_WITH_TIMEOUT(state(id).applied, 20000);
    QVERIFY(!state(id).pivoted || cluster(id).capvcdPhase() == QLatin1String("Provisioned"));
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).capvcdPhase(), QStringLiteral("Provisioned"), 20000);
    const rde::Cluster c = cluster(id);
    QCOMPARE(c.nodePools().size(), 2);
    QCOMPARE(c.desiredNodes(), 5);
    QCOMPARE(c.availableNodes(), 5);
    QCOMPARE(c.kubernetesVersion(), QStringLiteral("v1.30.2+vmware.1"));
    QStringList names;
    for (const rde::ClusterEvent &e : c.capvcdLog(rde::Cluster::Log::Event))
        names << e.name;
    QVERIFY(names.contains(QStringLiteral("InfraVappAvailable")));
    QVERIFY(names.contains(QStringLiteral("ControlplaneReady")));
    QVERIFY(names.contains(QStringLiteral("VcdMachineInfraVMPoweredOn")));
    // The kubeconfig is a secure field: only getFullEntity shows it.
    QVERIFY(json::get(c.json(), QStringView(u"status.capvcd.private.kubeConfig")).isUndefined());
    auto full = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getFullEntity(id, done); });
    QVERIFY(json::get(full->entity, QStringView(u"status.capvcd.private.kubeConfig")).toString().contains(QLatin1String("kind: Config")));
    // The guest moves Cluster API into the cluster; then the bootstrap vApp goes, as the server removes it.
    QTRY_VERIFY_WITH_TIMEOUT(state(id).pivoted, 20000);
    QCOMPARE(state(id).phasesDone, (QStringList{QStringLiteral("kind"), QStringLiteral("capi"), QStringLiteral("capiyaml"),
                                                QStringLiteral("move")}));
    QVERIFY(vcd::await<void>([&](auto done) { m_infra->deleteVm(id, vmId, done); }).ok());
    QCOMPARE(liveVms(id).size(), 5);
    // Deleting everything removes every vApp of the cluster.
    QVERIFY(vcd::await<void>([&](auto done) { m_infra->deleteEverything(id, done); }).ok());
    QCOMPARE(liveVms(id).size(), 0);
    QVERIFY(!state(id).exists);
}

void TestSimInfra::injectedControlPlaneFailure()
{
    const QJsonArray rules{QJsonObject{{QStringLiteral("route"), QStringLiteral("infra:controlPlane")}, {QStringLiteral("errorRate"), 1.0}}};
    QVERIFY(call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"), QJsonDocument(rules).toJson()).ok());
    const QString id = createCluster(QStringLiteral("doomed"), 1, 1);
    QVERIFY(bootstrapAndApply(id).startsWith(QLatin1String("urn:")));
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).capvcdPhase(), QStringLiteral("Failed"), 20000);
    // The bootstrap script's wait for the cluster fails with CAPVCD's reason.
    QTRY_VERIFY_WITH_TIMEOUT(!state(id).failedStep.isEmpty(), 20000);
    QCOMPARE(state(id).failedStep, QStringLiteral("move"));
    QVERIFY2(state(id).failureReason.contains(QLatin1String("VcdMachineCreationError")), qPrintable(state(id).failureReason));
    const auto errors = cluster(id).capvcdLog(rde::Cluster::Log::Error);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().name, QStringLiteral("VcdMachineCreationError"));
    QVERIFY(errors.first().detail.contains(QLatin1String("injected")));
    QCOMPARE(cluster(id).availableNodes(), 0);
    // Other routes are unaffected by an infra-only rule.
    QVERIFY(call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/orgs")).ok());
    QVERIFY(call(*m_admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).ok());
}

void TestSimInfra::resizeAndUpgradeWithoutServer()
{
    // A seeded, provisioned cluster; no cse-server process exists in this test.
    const QString id = findCluster(QStringLiteral("acme-dev"));
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).capvcdPhase(), QStringLiteral("Provisioned"), 20000);
    QCOMPARE(cluster(id).availableNodes(), 2);
    QCOMPARE(cluster(id).kubernetesVersion(), QStringLiteral("v1.28.11+vmware.2"));

    // Resize: the user edits spec.capiYaml only.
    auto resized = editCapiYaml(id, [](const QString &yaml) { return rde::resizeCapiYaml(yaml, QStringLiteral("worker-node-pool-1"), 3); });
    QVERIFY2(resized.ok(), qPrintable(resized.ok() ? QString() : resized.error().toString()));
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).availableNodes(), 4, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).capvcdPhase(), QStringLiteral("Provisioned"), 20000);
    QCOMPARE(cluster(id).nodePools().at(1).desiredReplicas, 3);

    // Upgrade one minor version.
    auto upgraded = editCapiYaml(id, [](const QString &yaml) { return rde::upgradeCapiYaml(yaml, QStringLiteral("v1.29.6+vmware.1")); });
    QVERIFY(upgraded.ok());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).kubernetesVersion(), QStringLiteral("v1.29.6+vmware.1"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).capvcdPhase(), QStringLiteral("Provisioned"), 20000);
    const QJsonObject upgrade = json::get(cluster(id).json(), QStringView(u"status.capvcd.upgrade")).toObject();
    QCOMPARE(upgrade.value(QLatin1String("ready")).toBool(), true);
    QCOMPARE(upgrade.value(QLatin1String("previous")).toObject().value(QLatin1String("kubernetesVersion")).toString(),
             QStringLiteral("v1.28.11+vmware.2"));
    // Scale back down: VMs are deleted.
    auto down = editCapiYaml(id, [](const QString &yaml) { return rde::resizeCapiYaml(yaml, QStringLiteral("worker-node-pool-1"), 1); });
    QVERIFY(down.ok());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).availableNodes(), 2, 20000);
    // A broken capiYaml is reported in errorSet, not silently ignored.
    QVERIFY(editCapiYaml(id, [](const QString &) { return Result<QString>(QStringLiteral("kind: [broken")); }).ok());
    QTRY_VERIFY_WITH_TIMEOUT(cluster(id).lastError().contains(QLatin1String("CapiYamlApplyError")), 20000);
}

void TestSimInfra::auditCountsVms()
{
    auto vms = call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/vms"));
    QVERIFY(vms.ok());
    const QJsonArray all = QJsonDocument::fromJson(vms->body).array();
    QVERIFY(all.size() > 10);
    QSet<QString> names;
    for (const QJsonValue &v : all)
        names.insert(v.toObject().value(QLatin1String("clusterId")).toString() + QLatin1Char('/')
                     + v.toObject().value(QLatin1String("name")).toString());
    QCOMPARE(names.size(), all.size()); // no cluster ever got two VMs of one name
    auto writes = call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/writes"));
    QVERIFY(writes.ok());
    const QJsonArray w = QJsonDocument::fromJson(writes->body).array();
    QVERIFY(std::any_of(w.begin(), w.end(), [](const QJsonValue &v) {
        return v.toObject().value(QLatin1String("clientId")).toString() == QLatin1String("vcd-sim/capvcd");
    }));
    // A write carrying an owner and epoch is recorded with them.
    const QString id = createCluster(QStringLiteral("audited"), 1, 1);
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) {
        m_acme->patch(id, [](QJsonObject &e) -> Result<bool> {
            rde::Cluster c(e);
            c.claim(QStringLiteral("replica-7"), QStringLiteral("w1"));
            c.claim(QStringLiteral("replica-7"), QStringLiteral("w1"));
            e = c.json();
            return true;
        }, done);
    }).ok());
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("entityId"), id);
    auto mine = call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/writes"), {}, {}, q);
    const QJsonArray entries = QJsonDocument::fromJson(mine->body).array();
    QCOMPARE(entries.size(), 2); // create + patch
    const QJsonObject last = entries.last().toObject();
    QCOMPARE(last.value(QLatin1String("ownerInstance")).toString(), QStringLiteral("replica-7"));
    QCOMPARE(last.value(QLatin1String("ownerEpoch")).toInt(), 2);
    QCOMPARE(last.value(QLatin1String("clientId")).toString(), QStringLiteral("cse-console"));
    QVERIFY(last.value(QLatin1String("etag")).toInt() > entries.first().toObject().value(QLatin1String("etag")).toInt());
    // Tenants may not read the audit log.
    QCOMPARE(call(*m_acme, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/vms")).error().httpStatus, 403);
}

QTEST_GUILESS_MAIN(TestSimInfra)
#include "tst_sim_infra.moc"
