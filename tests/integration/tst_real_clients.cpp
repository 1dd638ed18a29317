// Clusters as other real clients make them, and tenants who try to abuse the
// server's vApp driver, against real vcd-sim and cse-server processes:
// - a cluster created as go-vcloud-director creates it (govcd's CSE 4.2
//   templates rendered in tests/data/govcd-cse42) is provisioned, resized and
//   deleted, and reads back as govcd reads it;
// - a viewer of the org finds no usable token on the bootstrap VM, during
//   creation and after a failed creation (issue 19.2);
// - a tenant cluster named "*" marked for deletion removes no other
//   cluster's bootstrap VM (issue 19.4);
// - a tenant cluster carrying the System administrator's token ends in error
//   and the token is never used for the org's vApps (issue 19.1).
#include "../support/serverprocess.h"
#include "../support/simprocess.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/types.h"
#include "server/bootstrapscript.h"
#include "vcd/vappxml.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace cse;
namespace xml = cse::vcd::xml;

namespace {

QByteArray dataFile(const QString &name)
{
    QFile f(QStringLiteral(CSE_TEST_DATA "/govcd-cse42/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Result<vcd::Reply> xget(vcd::Client &c, const QString &hrefOrPath, QUrlQuery query = {})
{
    vcd::RequestSpec s;
    s.method = "GET";
    const QUrl url(hrefOrPath);
    s.path = url.isRelative() ? hrefOrPath : url.path();
    s.query = url.hasQuery() ? QUrlQuery(url) : query;
    s.accept = QByteArray(xml::mime::kAnyXml) + ";version=37.2";
    return vcd::await<vcd::Reply>([&](vcd::Callback<vcd::Reply> done) { c.send(s, done); });
}

} // namespace

class TestRealClients : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void clusterMadeAsGovcdDoes();
    void viewerFindsNoTokenOnTheBootstrapVm();
    void clusterNamedStarDeletesOnlyItsOwn();
    void systemTokenInATenantClusterIsRefused();

private:
    bool faults(const QJsonArray &rules)
    {
        return rules.isEmpty()
                   ? test::call(*m_admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).ok()
                   : test::call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"),
                                QJsonDocument(rules).toJson(QJsonDocument::Compact)).ok();
    }
    QString createAs(vcd::Client &tenant, const QString &name, const QJsonObject &entity)
    {
        auto id = vcd::await<QString>([&](auto done) { tenant.createEntity(rde::types::cluster().id(), name, entity, done); });
        if (!id)
            qWarning("create %s: %s", qPrintable(name), qPrintable(id.error().toString()));
        return id ? *id : QString();
    }
    // An acme cluster as our console makes it, with TOKEN as its owner's.
    QString createAcme(const QString &name, const QString &token, bool markForDelete = false, const QString &capiName = {})
    {
        rde::ClusterSpec spec;
        spec.name = capiName.isEmpty() ? name : capiName;
        spec.org = QStringLiteral("acme");
        spec.vdc = QStringLiteral("acme-vdc");
        spec.network = QStringLiteral("acme-net");
        spec.site = m_sim->url();
        spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), 1)};
        rde::Cluster c = rde::Cluster::create(name, spec.org, spec.vdc, spec.site, rde::renderCapiYaml(spec).value(), token, false);
        QJsonObject e = c.json();
        if (markForDelete) {
            QJsonObject s = e.value(QLatin1String("spec")).toObject();
            QJsonObject vcdKe = s.value(QLatin1String("vcdKe")).toObject();
            vcdKe.insert(QStringLiteral("markForDelete"), true);
            s.insert(QStringLiteral("vcdKe"), vcdKe);
            e.insert(QStringLiteral("spec"), s);
        }
        return createAs(*m_acme, name, e);
    }
    rde::Cluster cluster(const QString &id)
    {
        auto e = vcd::await<rde::DefinedEntity>([&](auto done) { m_admin->getEntity(id, done); });
        return e ? rde::Cluster(e->entity) : rde::Cluster();
    }
    bool gone(const QString &id)
    {
        auto e = vcd::await<rde::DefinedEntity>([&](auto done) { m_admin->getEntity(id, done); });
        return !e && e.error().is(ErrorKind::Forbidden);
    }
    QJsonArray vms(const QString &clusterId)
    {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("clusterId"), clusterId);
        auto r = test::call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/vms"), {}, {}, q);
        return r ? QJsonDocument::fromJson(r->body).array() : QJsonArray();
    }
    int live(const QJsonArray &vms, const QString &role)
    {
        int n = 0;
        for (const QJsonValue &v : vms)
            n += v.toObject().value(QLatin1String("role")).toString() == role
                         && v.toObject().value(QLatin1String("deletedAt")).toString().isEmpty() ? 1 : 0;
        return n;
    }
    // The bootstrap vApp and VM of cluster NAME as C reads them (vApp query, vApp, VM href).
    struct Seen
    {
        QByteArray vapp, vm;
        bool contains(const QByteArray &what) const { return vapp.contains(what) || vm.contains(what); }
    };
    std::optional<Seen> bootstrapVmAs(vcd::Client &c, const QString &name)
    {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("type"), QStringLiteral("vApp"));
        q.addQueryItem(QStringLiteral("filter"), QStringLiteral("name==EPHEMERAL-TEMP-VM-") + name);
        auto r = xget(c, QStringLiteral("/api/query"), q);
        if (!r)
            return std::nullopt;
        auto records = xml::readQueryRecords(r->body);
        if (!records || records->records.isEmpty())
            return std::nullopt;
        auto vapp = xget(c, records->records.first().value(QStringLiteral("href")).toString());
        if (!vapp)
            return std::nullopt;
        auto v = xml::readVApp(vapp->body);
        if (!v || v->vms.isEmpty())
            return std::nullopt;
        auto vm = xget(c, v->vms.first().href);
        if (!vm)
            return std::nullopt;
        return Seen{vapp->body, vm->body};
    }

    std::unique_ptr<test::SimProcess> m_sim;
    std::unique_ptr<vcd::Client> m_admin, m_acme, m_viewer;
    QString m_acmeToken;
};

void TestRealClients::init()
{
    m_sim = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"),
                                                           QStringLiteral("20")});
    QVERIFY2(m_sim->start(), qPrintable(m_sim->error()));
    m_admin = std::make_unique<vcd::Client>(m_sim->provider());
    m_acme = std::make_unique<vcd::Client>(m_sim->tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    m_viewer = std::make_unique<vcd::Client>(m_sim->tenant(QStringLiteral("acme"), QStringLiteral("acme-viewer")));
    for (auto *c : {m_admin.get(), m_acme.get(), m_viewer.get()})
        QVERIFY(test::connect(*c).ok());
    QVERIFY(test::setHaSettings(*m_admin, test::fastHaSettings()).ok());
    auto token = test::createApiToken(*m_admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
    QVERIFY(token.ok());
    m_acmeToken = *token;
}

void TestRealClients::cleanup()
{
    m_admin.reset();
    m_acme.reset();
    m_viewer.reset();
    m_sim.reset();
}

void TestRealClients::clusterMadeAsGovcdDoes()
{
    test::ServerProcess r(*m_sim, QStringLiteral("g1"));
    QVERIFY2(r.start(), qPrintable(r.error()));
    const QString yaml = QString::fromUtf8(dataFile(QStringLiteral("capiyaml.yaml"))).replace(QLatin1String("@SITE@"), m_sim->url());
    QVERIFY(!yaml.isEmpty());
    QByteArray rde = dataFile(QStringLiteral("rde.json"));
    rde.replace("@SITE@", m_sim->url().toUtf8()).replace("@TOKEN@", m_acmeToken.toUtf8());
    rde.replace("@CAPIYAML@", QJsonDocument(QJsonArray{yaml}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
    QJsonParseError pe;
    const QJsonObject entity = QJsonDocument::fromJson(rde, &pe).object();
    QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString()));
    // As govcd: the tenant creates the entity (CreateRde), the server does the rest.
    const QString id = createAs(*m_acme, QStringLiteral("gocluster"), entity);
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kProvisioned, 120000);

    // What govcd reads back (cse_util.go): vcdKe.state, node pools by their
    // capiYaml names with desired/available replicas, events, the kubeconfig.
    auto poolsOf = [](const rde::Cluster &c) {
        QHash<QString, QPair<int, int>> out;
        for (const rde::NodePool &p : c.nodePools())
            out.insert(p.name, {p.desiredReplicas, p.availableReplicas});
        return out;
    };
    QTRY_COMPARE_WITH_TIMEOUT(poolsOf(cluster(id)).value(QStringLiteral("node-pool-1")), qMakePair(1, 1), 30000);
    rde::Cluster c = cluster(id);
    QCOMPARE(c.json().value(QLatin1String("status")).toObject().value(QLatin1String("vcdKe")).toObject().value(QLatin1String("state")).toString(),
             QStringLiteral("provisioned"));
    const auto pools = poolsOf(c);
    QCOMPARE(pools.size(), 2);
    QCOMPARE(pools.value(QStringLiteral("gocluster-control-plane-node-pool")), qMakePair(1, 1));
    QVERIFY(!c.vcdKeLog(rde::Cluster::Log::Event).isEmpty());
    QVERIFY(!c.capvcdLog(rde::Cluster::Log::Event).isEmpty());
    auto full = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getFullEntity(id, done); });
    QVERIFY2(full.ok(), qPrintable(full ? QString() : full.error().toString()));
    const QString kubeconfig = full->entity.value(QLatin1String("status")).toObject().value(QLatin1String("capvcd")).toObject()
                                   .value(QLatin1String("private")).toObject().value(QLatin1String("kubeConfig")).toString();
    QVERIFY2(kubeconfig.contains(QLatin1String("apiVersion: v1")), qPrintable(kubeconfig));

    // A change as govcd makes one: GET, edit, PUT with the ETag; again on 412
    // (the replica and CAPVCD write status meanwhile).
    auto edit = [&](const std::function<void(QJsonObject &spec)> &change) {
        auto e = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(id, done); });
        if (!e)
            return false;
        QJsonObject spec = e->entity.value(QLatin1String("spec")).toObject();
        change(spec);
        e->entity.insert(QStringLiteral("spec"), spec);
        return vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->updateEntity(*e, done); }).ok();
    };
    // Resize as govcd does: the MachineDeployment's replicas in capiYaml.
    QTRY_VERIFY_WITH_TIMEOUT(edit([](QJsonObject &spec) {
        spec.insert(QStringLiteral("capiYaml"),
                    rde::resizeCapiYaml(spec.value(QLatin1String("capiYaml")).toString(), QStringLiteral("node-pool-1"), 2).value());
    }), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(poolsOf(cluster(id)).value(QStringLiteral("node-pool-1")), qMakePair(2, 2), 60000);

    // Delete as govcd does: markForDelete and forceDelete, then wait until the entity is gone.
    QTRY_VERIFY_WITH_TIMEOUT(edit([](QJsonObject &spec) {
        QJsonObject vcdKe = spec.value(QLatin1String("vcdKe")).toObject();
        vcdKe.insert(QStringLiteral("markForDelete"), true);
        vcdKe.insert(QStringLiteral("forceDelete"), true);
        spec.insert(QStringLiteral("vcdKe"), vcdKe);
    }), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(gone(id), 60000);
    const QJsonArray all = vms(id);
    QVERIFY(!all.isEmpty());
    for (const QJsonValue &v : all)
        QVERIFY2(!v.toObject().value(QLatin1String("deletedAt")).toString().isEmpty(), qPrintable(v.toObject().value(QLatin1String("name")).toString()));
}

void TestRealClients::viewerFindsNoTokenOnTheBootstrapVm()
{
    test::ServerProcess r(*m_sim, QStringLiteral("v1"));
    QVERIFY2(r.start(), qPrintable(r.error()));
    // The guest hangs in phase capi: the bootstrap VM stays up, past the point where it read its token.
    QVERIFY(faults({QJsonObject{{QStringLiteral("route"), QStringLiteral("infra:guest:capi")}, {QStringLiteral("dropRate"), 1.0}}}));
    const QString id = createAcme(QStringLiteral("secretive"), m_acmeToken);
    QVERIFY(!id.isEmpty());
    std::optional<Seen> seen;
    QTRY_VERIFY_WITH_TIMEOUT((seen = bootstrapVmAs(*m_viewer, QStringLiteral("secretive"))).has_value()
                                 && seen->contains("guestinfo") == false
                                 && [&] { // the provider sees the guest running past "kind"
                                        auto p = bootstrapVmAs(*m_admin, QStringLiteral("secretive"));
                                        return p && p->contains(server::guestinfo::phaseKey(QStringLiteral("kind")).toUtf8());
                                    }(),
                             60000);
    // The viewer (no "vApp: Allow All Extra Config") reads the VM without its ExtraConfig.
    seen = bootstrapVmAs(*m_viewer, QStringLiteral("secretive"));
    QVERIFY(seen.has_value());
    QVERIFY(!seen->contains(m_acmeToken.toUtf8()));
    QVERIFY(!seen->contains(QByteArray(m_acmeToken.toUtf8()).toBase64()));
    QVERIFY(!seen->contains("guestinfo.userdata"));
    // Even who may read ExtraConfig finds no token: the cloud-config carries
    // none, and the token's own key was cleared once the guest read it.
    auto provider = bootstrapVmAs(*m_admin, QStringLiteral("secretive"));
    QVERIFY(provider.has_value());
    auto vm = xml::readVm(provider->vm);
    QVERIFY2(vm.ok(), qPrintable(vm ? QString() : vm.error().message));
    const QByteArray userdata = QByteArray::fromBase64(vm->extraConfigValue(server::guestinfo::kUserData).toLatin1());
    QVERIFY(userdata.startsWith("#cloud-config"));
    QVERIFY(!userdata.contains(m_acmeToken.toUtf8()));
    for (const QByteArray &file : server::cloudConfigFiles(userdata))
        QVERIFY(!file.contains(m_acmeToken.toUtf8()));
    QVERIFY(vm->extraConfigValue(server::guestinfo::kCredential).isEmpty());
    QVERIFY(!provider->contains(m_acmeToken.toUtf8()));

    // The guest fails; with auto-repair off the cluster ends in error and its bootstrap vApp is removed.
    QVERIFY(faults({QJsonObject{{QStringLiteral("route"), QStringLiteral("infra:guest:capi")}, {QStringLiteral("errorRate"), 1.0}}}));
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kError, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(live(vms(id), QStringLiteral("bootstrap")), 0, 30000);
    QVERIFY(!bootstrapVmAs(*m_viewer, QStringLiteral("secretive")).has_value());
    QVERIFY(!bootstrapVmAs(*m_admin, QStringLiteral("secretive")).has_value());
}

void TestRealClients::clusterNamedStarDeletesOnlyItsOwn()
{
    test::ServerProcess r(*m_sim, QStringLiteral("s1"));
    QVERIFY2(r.start(), qPrintable(r.error()));
    QVERIFY(faults({QJsonObject{{QStringLiteral("route"), QStringLiteral("infra:guest:capi")}, {QStringLiteral("dropRate"), 1.0}}}));
    const QString victim = createAcme(QStringLiteral("victim"), m_acmeToken);
    QVERIFY(!victim.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(live(vms(victim), QStringLiteral("bootstrap")), 1, 60000);
    // The tenant's API call bypasses the console's name check.
    const QString star = createAcme(QStringLiteral("*"), m_acmeToken, true, QStringLiteral("star"));
    QVERIFY(!star.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(gone(star) || cluster(star).state() == rde::clusterstate::kError, 60000);
    QCOMPARE(live(vms(victim), QStringLiteral("bootstrap")), 1);
    QVERIFY(bootstrapVmAs(*m_acme, QStringLiteral("victim")).has_value());
    QVERIFY(faults({}));
    QTRY_COMPARE_WITH_TIMEOUT(cluster(victim).state(), rde::clusterstate::kProvisioned, 120000);
    int bootstrapVms = 0;
    for (const QJsonValue &v : vms(victim))
        bootstrapVms += v.toObject().value(QLatin1String("role")).toString() == QLatin1String("bootstrap") ? 1 : 0;
    QCOMPARE(bootstrapVms, 1); // never removed and made again
}

void TestRealClients::systemTokenInATenantClusterIsRefused()
{
    test::ServerProcess r(*m_sim, QStringLiteral("t1"));
    QVERIFY2(r.start(), qPrintable(r.error()));
    auto systemToken = test::createApiToken(*m_admin, QStringLiteral("System"), QStringLiteral("administrator"));
    QVERIFY(systemToken.ok());
    const QString id = createAcme(QStringLiteral("borrowed"), *systemToken);
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(id).state(), rde::clusterstate::kError, 60000);
    const QList<rde::ClusterEvent> errors = cluster(id).vcdKeLog(rde::Cluster::Log::Error);
    QVERIFY(!errors.isEmpty());
    bool named = false;
    for (const rde::ClusterEvent &e : errors)
        named = named || e.detail.contains(QLatin1String("not an API token of a user of org acme"));
    QVERIFY2(named, qPrintable(errors.last().detail));
    QVERIFY(vms(id).isEmpty()); // nothing was made with it
    QTRY_VERIFY_WITH_TIMEOUT(r.output().contains("holds an API token that is not a token of a user of its org"), 10000);
    // It stays in error (no retry loop keeps using the token) while the
    // replica builds another cluster with a proper token.
    const int errorsSoFar = int(cluster(id).vcdKeLog(rde::Cluster::Log::Error).size());
    const QString other = createAcme(QStringLiteral("proper"), m_acmeToken);
    QVERIFY(!other.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cluster(other).state(), rde::clusterstate::kProvisioned, 120000);
    QCOMPARE(int(cluster(id).vcdKeLog(rde::Cluster::Log::Error).size()), errorsSoFar);
    QCOMPARE(cluster(id).state(), rde::clusterstate::kError);
    QVERIFY(vms(id).isEmpty());
}

QTEST_GUILESS_MAIN(TestRealClients)
#include "tst_real_clients.moc"
