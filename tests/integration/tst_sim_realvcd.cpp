// vcd-sim refuses what a real VCD refuses (issue 20; issue 19 point 12), and
// the client copes: each case drives a real vcd-sim process started with the
// API versions of VCD 10.4.0.
#include "../support/simprocess.h"
#include "rde/cluster.h"
#include "rde/cserights.h"
#include "server/installer.h"
#include "rde/json.h"
#include "rde/types.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>

using namespace cse;
using cse::test::call;

namespace {
const QString kClusterType = QStringLiteral("urn:vcloud:type:vmware:capvcdCluster:1.2.0");

QJsonObject clusterEntity(const QString &name, const QString &token = {})
{
    return rde::Cluster::create(name, QStringLiteral("acme"), QStringLiteral("acme-vdc"), QStringLiteral("https://vcd"),
                                QStringLiteral("---\nkind: Cluster\n"), token).json();
}

QString taskPath(const vcd::Reply &r) { return QUrl(QString::fromLatin1(r.header("Location"))).path(); }
} // namespace

class TestSimRealVcd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void createTaskRunsUntilResolved();
    void createEntityDoesNotWaitForTheTask();
    void apiVersionsAreThoseOffered();
    void xmlCallsUseTheNegotiatedVersion();
    void tenantContextAsGovcdSendsIt();
    void getFullEntityResultInBothForms();
    void viewerCannotReadAnotherUsersTask();
    void cseAdminHasExactlyCseRights();
    void installRegistersWhatCseRegisters();

private:
    test::SimProcess m_sim{{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("20"),
                            QStringLiteral("--api-versions"), QStringLiteral("35.0,36.0,37.0")}};
    std::unique_ptr<vcd::Client> m_admin;
    std::unique_ptr<vcd::Client> m_acme;
    std::unique_ptr<vcd::Client> m_viewer;
    QString m_acmeId;
};

void TestSimRealVcd::initTestCase()
{
    QVERIFY2(m_sim.start(), qPrintable(m_sim.error()));
    m_admin = std::make_unique<vcd::Client>(m_sim.provider());
    m_acme = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    m_viewer = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-viewer")));
    for (auto *c : {m_admin.get(), m_acme.get(), m_viewer.get()}) {
        auto r = test::connect(*c);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    }
    QCOMPARE(m_admin->apiVersion(), QStringLiteral("37.0"));
    auto orgs = call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"), {}, {}, QUrlQuery(QStringLiteral("filter=name==acme")));
    QVERIFY(orgs.ok());
    m_acmeId = orgs->json().value(QLatin1String("values")).toArray().at(0).toObject().value(QLatin1String("id")).toString();
    QVERIFY(m_acmeId.startsWith(QLatin1String("urn:vcloud:org:")));
}

// govcd defined_entity.go: the create task "will remain at 1% until resolved".
void TestSimRealVcd::createTaskRunsUntilResolved()
{
    const QByteArray body = json::canonical(QJsonObject{{QStringLiteral("name"), QStringLiteral("pending")},
                                                        {QStringLiteral("entity"), clusterEntity(QStringLiteral("pending"))}});
    auto created = call(*m_acme, "POST", QStringLiteral("/cloudapi/1.0.0/entityTypes/") + kClusterType, body);
    QVERIFY(created.ok());
    QCOMPARE(created->status, 202);
    const QString task = taskPath(*created);
    auto t = call(*m_acme, "GET", task);
    QVERIFY(t.ok());
    QCOMPARE(t->json().value(QLatin1String("status")).toString(), QStringLiteral("running"));
    QVERIFY(t->json().value(QLatin1String("progress")).toInt() < 100);
    const QString id = t->json().value(QLatin1String("owner")).toObject().value(QLatin1String("id")).toString();
    QVERIFY(id.startsWith(QLatin1String("urn:vcloud:entity:vmware:capvcdCluster:")));
    // Still running a while later: only the resolve ends it.
    QTest::qWait(200);
    QCOMPARE(call(*m_acme, "GET", task)->json().value(QLatin1String("status")).toString(), QStringLiteral("running"));
    auto resolved = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->resolveEntity(id, done); });
    QVERIFY(resolved.ok());
    QCOMPARE(resolved->state, QStringLiteral("RESOLVED"));
    auto after = call(*m_acme, "GET", task);
    QCOMPARE(after->json().value(QLatin1String("status")).toString(), QStringLiteral("success"));
    QCOMPARE(after->json().value(QLatin1String("progress")).toInt(), 100);
}

// The product takes the id from the task's owner at once (installer, replica
// registration, the console's create and restore all go through it).
void TestSimRealVcd::createEntityDoesNotWaitForTheTask()
{
    QElapsedTimer t;
    t.start();
    auto id = vcd::await<QString>([&](auto done) {
        m_acme->createEntity(kClusterType, QStringLiteral("quick"), clusterEntity(QStringLiteral("quick")), done);
    }, 10000);
    QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error().toString()));
    QVERIFY(id->startsWith(QLatin1String("urn:vcloud:entity:")));
    QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
    auto e = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(*id, done); });
    QVERIFY(e.ok());
    QCOMPARE(e->state, QStringLiteral("PRE_CREATED"));
}

void TestSimRealVcd::apiVersionsAreThoseOffered()
{
    vcd::RequestSpec v = vcd::RequestSpec::get(QStringLiteral("/api/versions"));
    v.authenticated = false;
    v.accept = "application/*+xml";
    auto versions = vcd::await<vcd::Reply>([&](auto done) { m_admin->send(v, done); });
    QVERIFY(versions.ok());
    QStringList offered;
    static const QRegularExpression re(QStringLiteral("<Version>([^<]+)</Version>"));
    for (auto it = re.globalMatch(QString::fromUtf8(versions->body)); it.hasNext();)
        offered << it.next().captured(1);
    QCOMPARE(offered, (QStringList{QStringLiteral("35.0"), QStringLiteral("36.0"), QStringLiteral("37.0")}));
    // Another version answers 406 on /cloudapi and on /api alike.
    for (const QString &path : {QStringLiteral("/cloudapi/1.0.0/orgs"), QStringLiteral("/api/org")}) {
        vcd::RequestSpec s = vcd::RequestSpec::get(path);
        s.accept = path.startsWith(QLatin1String("/api/")) ? "application/*+xml;version=37.2" : "application/json;version=37.2";
        auto r = vcd::await<vcd::Reply>([&](auto done) { m_admin->send(s, done); });
        QVERIFY2(!r.ok(), qPrintable(path));
        QCOMPARE(r.error().httpStatus, 406);
    }
}

void TestSimRealVcd::xmlCallsUseTheNegotiatedVersion()
{
    vcd::RequestSpec s = vcd::RequestSpec::get(QStringLiteral("/api/org"));
    s.accept = "application/*+xml"; // as the vApp driver sends it: the client adds the version
    auto r = vcd::await<vcd::Reply>([&](auto done) { m_acme->send(s, done); });
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->status, 200);
}

// govcd tenant_context.go: the org's bare UUID, plus the org's name.
void TestSimRealVcd::tenantContextAsGovcdSendsIt()
{
    const QString bare = m_acmeId.mid(QStringLiteral("urn:vcloud:org:").size());
    auto vdcs = [&](QList<QPair<QByteArray, QByteArray>> headers) {
        return call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1"), {}, headers);
    };
    auto count = [](const Result<vcd::Reply> &r) { return r ? r->json().value(QLatin1String("resultTotal")).toInt(-1) : -1; };
    QVERIFY(count(vdcs({{"X-VMWARE-VCLOUD-TENANT-CONTEXT", bare.toLatin1()}})) > 0);
    QVERIFY(count(vdcs({{"X-VMWARE-VCLOUD-TENANT-CONTEXT", bare.toLatin1()}, {"X-VMWARE-VCLOUD-AUTH-CONTEXT", "acme"}})) > 0);
    // Naming another org in the auth context acts in no org.
    QCOMPARE(count(vdcs({{"X-VMWARE-VCLOUD-TENANT-CONTEXT", bare.toLatin1()}, {"X-VMWARE-VCLOUD-AUTH-CONTEXT", "globex"}})), 0);

    // Our client sends the govcd form whatever form it is given.
    vcd::Client inAcme(m_sim.provider());
    inAcme.setTenantContext(m_acmeId, QStringLiteral("acme"));
    QVERIFY(test::connect(inAcme).ok());
    auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        inAcme.listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
    });
    QVERIFY2(list.ok(), qPrintable(list.ok() ? QString() : list.error().toString()));
    QVERIFY(!list->isEmpty());
    for (const rde::DefinedEntity &e : *list)
        QCOMPARE(e.org.name, QStringLiteral("acme"));
    vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1"));
    q.tenantContext = m_acmeId;
    q.tenantContextName = QStringLiteral("acme");
    auto byQuery = vcd::await<QList<rde::DefinedEntity>>([&](auto done) { m_admin->listEntities(q, done); });
    QVERIFY(byQuery.ok());
    QCOMPARE(byQuery->size(), list->size());
}

// JSON clients read result.resultContent; CAPVCD's testingsdk/rde_utils.go
// reads the XML task's Result/ResultContent.
void TestSimRealVcd::getFullEntityResultInBothForms()
{
    auto id = vcd::await<QString>([&](auto done) {
        m_acme->createEntity(kClusterType, QStringLiteral("full"), clusterEntity(QStringLiteral("full"), QStringLiteral("owner-token")), done);
    });
    QVERIFY(id.ok());
    auto invoked = call(*m_acme, "POST", QStringLiteral("/cloudapi/1.0.0/entities/%1/behaviors/%2/invocations")
                                             .arg(*id, rde::types::kGetFullEntityBehavior), "{}");
    QVERIFY(invoked.ok());
    const QString task = taskPath(*invoked);
    vcd::RequestSpec asXml = vcd::RequestSpec::get(task);
    asXml.accept = "application/*+xml";
    auto xml = vcd::await<vcd::Reply>([&](auto done) { m_acme->send(asXml, done); });
    QVERIFY(xml.ok());
    QVERIFY2(xml->body.contains("<ResultContent>"), xml->body.constData());
    QVERIFY(xml->body.contains("owner-token"));
    auto json = call(*m_acme, "GET", task);
    QVERIFY(json.ok());
    QVERIFY(json->json().value(QLatin1String("result")).toObject().value(QLatin1String("resultContent")).toString().contains(
        QLatin1String("owner-token")));
    // The client reads either form into the same fields.
    const QJsonObject fromXml = vcd::taskJson(*xml);
    QCOMPARE(fromXml.value(QLatin1String("status")).toString(), QStringLiteral("success"));
    QCOMPARE(fromXml.value(QLatin1String("owner")).toObject().value(QLatin1String("id")).toString(), *id);
    QCOMPARE(fromXml.value(QLatin1String("result")).toObject().value(QLatin1String("resultContent")),
             json->json().value(QLatin1String("result")).toObject().value(QLatin1String("resultContent")));
    auto full = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getFullEntity(*id, done); });
    QVERIFY(full.ok());
    QCOMPARE(json::get(full->entity, {QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("secure"), QStringLiteral("apiToken")})
                 .toString(),
             QStringLiteral("owner-token"));
}

// Issue 19 point 12: acme-viewer reads acme-admin's getFullEntity task
// (tokens included) on today's vcd-sim; VCD shows a task to its owner and the
// org's administrators.
void TestSimRealVcd::viewerCannotReadAnotherUsersTask()
{
    auto id = vcd::await<QString>([&](auto done) {
        m_acme->createEntity(kClusterType, QStringLiteral("secret"), clusterEntity(QStringLiteral("secret"), QStringLiteral("admin-token")), done);
    });
    QVERIFY(id.ok());
    auto invoked = call(*m_acme, "POST", QStringLiteral("/cloudapi/1.0.0/entities/%1/behaviors/%2/invocations")
                                             .arg(*id, rde::types::kGetFullEntityBehavior), "{}");
    QVERIFY(invoked.ok());
    const QString task = taskPath(*invoked);
    // The attack: the viewer learns the task id (a log line, a shared screen) and reads it.
    for (const QByteArray &accept : {QByteArray("application/vnd.vmware.vcloud.task+json;version=37.0"), QByteArray("application/*+xml;version=37.0")}) {
        auto stolen = call(*m_viewer, "GET", task, {}, {{"Accept", accept}});
        QVERIFY2(!stolen.ok(), accept.constData());
        QCOMPARE(stolen.error().httpStatus, 403);
    }
    // Its owner and the provider still read it.
    QVERIFY(call(*m_acme, "GET", task).ok());
    QVERIFY(call(*m_admin, "GET", task).ok());
    // Nothing else was harmed: the cluster is intact.
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(*id, done); }).ok());
}

// `--seed demo` makes System/cse-admin with exactly the CSE Admin Role and
// writes its API token; what it may do is what that role allows on VCD.
void TestSimRealVcd::cseAdminHasExactlyCseRights()
{
    QFile f(m_sim.dataDir() + QStringLiteral("/demo-api-tokens.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString token = QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("System/cse-admin")).toString();
    QVERIFY(!token.isEmpty());
    vcd::ConnectionOptions o = m_sim.provider();
    o.user.clear();
    o.password.clear();
    o.apiToken = token;
    vcd::Client server(o);
    QVERIFY(test::connect(server).ok());
    vcd::Client byPassword(m_sim.tenant(QStringLiteral("System"), QStringLiteral("cse-admin")));
    QVERIFY(test::connect(byPassword).ok());
    QCOMPARE(byPassword.session().value(QLatin1String("roles")).toArray().first().toString(), rde::rights::kCseAdminRole);
    // No VDC or network right, no right to list orgs on 10.4 (API 37.0).
    QCOMPARE(call(server, "GET", QStringLiteral("/cloudapi/1.0.0/vdcs")).error().httpStatus, 403);
    QCOMPARE(call(server, "GET", QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks")).error().httpStatus, 403);
    auto orgs = call(server, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"));
    QVERIFY(orgs.ok());
    QCOMPARE(orgs->json().value(QLatin1String("resultTotal")).toInt(), 1);
    // Administrator View / Full access on clusters: any org's cluster by id, and getFullEntity.
    auto id = vcd::await<QString>([&](auto done) {
        m_acme->createEntity(kClusterType, QStringLiteral("for-server"), clusterEntity(QStringLiteral("for-server"), QStringLiteral("t")), done);
    });
    QVERIFY(id.ok());
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { server.getEntity(*id, done); }).ok());
    auto full = vcd::await<rde::DefinedEntity>([&](auto done) { server.getFullEntity(*id, done); });
    QVERIFY2(full.ok(), qPrintable(full.ok() ? QString() : full.error().toString()));
    // A tenant's viewer, by contrast, reads its org's VDCs (Access All Organization VDCs).
    vcd::Client viewer(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-viewer")));
    QVERIFY(test::connect(viewer).ok());
    QCOMPARE(call(viewer, "GET", QStringLiteral("/cloudapi/1.0.0/vdcs")).ok(), true);
}

// CSE's install (terraform-provider-vcd v4.2 step1 prerequisites) on a fresh
// VCD, then again: the second run has nothing to do.
void TestSimRealVcd::installRegistersWhatCseRegisters()
{
    test::SimProcess fresh{{QStringLiteral("--latency-ms"), QStringLiteral("20")}};
    QVERIFY2(fresh.start(), qPrintable(fresh.error()));
    vcd::Client admin(fresh.provider());
    QVERIFY(test::connect(admin).ok());
    auto first = server::install(admin);
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    QVERIFY(first->created > 0);
    auto ids = [&](const QString &path, const char *key = "id") {
        QStringList out;
        auto r = call(admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("pageSize=128")));
        for (const QJsonValue &v : r->json().value(QLatin1String("values")).toArray())
            out << v.toObject().value(QLatin1String(key)).toString();
        return out;
    };
    const QStringList interfaces = ids(QStringLiteral("/cloudapi/1.0.0/interfaces"));
    QVERIFY(interfaces.contains(rde::types::kCapvcdInterface));
    QVERIFY(interfaces.contains(rde::types::kConfigInterface));
    QVERIFY(ids(QStringLiteral("/cloudapi/1.0.0/interfaces/%1/behaviors").arg(rde::types::kCapvcdInterface))
                .contains(rde::types::kGetFullEntityBehavior));
    const QString clusterType = rde::types::cluster(QStringLiteral("1.3.0")).id();
    QVERIFY(ids(QStringLiteral("/cloudapi/1.0.0/entityTypes/%1/behaviorAccessControls").arg(clusterType), "behaviorId")
                .contains(rde::types::kGetFullEntityBehavior));
    QVERIFY(ids(QStringLiteral("/cloudapi/1.0.0/rightsBundles"), "name").contains(rde::rights::kRightsBundle));
    QVERIFY(ids(QStringLiteral("/cloudapi/1.0.0/globalRoles"), "name").contains(rde::rights::kClusterAuthorRole));
    auto roles = call(admin, "GET", QStringLiteral("/cloudapi/1.0.0/roles"));
    QString roleId;
    for (const QJsonValue &v : roles->json().value(QLatin1String("values")).toArray())
        if (v.toObject().value(QLatin1String("name")).toString() == rde::rights::kCseAdminRole)
            roleId = v.toObject().value(QLatin1String("id")).toString();
    QVERIFY(!roleId.isEmpty());
    const QStringList rights = ids(QStringLiteral("/cloudapi/1.0.0/roles/%1/rights").arg(roleId), "name");
    QVERIFY(rights.contains(rde::rights::entityRight(rde::types::kServerVendor, rde::types::kServerNss, rde::rights::Level::AdministratorFullAccess)));
    QVERIFY(rights.contains(rde::rights::kApiTokensManage));
    QVERIFY(!rights.contains(rde::rights::kAllVdcs));
    // getFullEntity runs: the behavior and its access control exist.
    auto id = vcd::await<QString>([&](auto done) {
        admin.createEntity(clusterType, QStringLiteral("sys"), clusterEntity(QStringLiteral("sys"), QStringLiteral("x")), done);
    });
    QVERIFY(id.ok());
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { admin.getFullEntity(*id, done); }).ok());

    auto second = server::install(admin);
    QVERIFY(second.ok());
    QCOMPARE(second->created, 0);
    QCOMPARE(second->changed, 0);
}

QTEST_GUILESS_MAIN(TestSimRealVcd)
#include "tst_sim_realvcd.moc"
