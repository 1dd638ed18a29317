// vcd-sim's cloudapi over real HTTPS against a started process.
#include "../support/simprocess.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace cse;
using cse::test::call;

namespace {
QByteArray jsonBody(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }
const QString kClusterType = QStringLiteral("urn:vcloud:type:vmware:capvcdCluster:1.2.0");

QJsonObject clusterEntity(const QString &name, const QString &token = {})
{
    return rde::Cluster::create(name, QStringLiteral("acme"), QStringLiteral("acme-vdc"), QStringLiteral("https://vcd"),
                                QStringLiteral("---\nkind: Cluster\n"), token).json();
}
} // namespace

class TestSimApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void versionsAndHeaders();
    void loginKinds_data();
    void loginKinds();
    void apiTokenExchange();
    void sessionCurrentAndLogout();
    void orgsTenancy();
    void vdcsAndNetworks();
    void entityTypesRights();
    void entityLifecycle();
    void ifMatchRace();
    void tenantIsolation();
    void secureFieldMasking();
    void pagingAndLinks();
    void fiql_data();
    void fiql();
    void listByInterfaceAndTenantContext();
    void badInput_data();
    void badInput();
    void tasksJsonAndXml();
    void faultsAndRequestId();
    void gracefulStop();

private:
    QString createCluster(vcd::Client &c, const QString &name, const QString &token = {});
    test::SimProcess m_sim{{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("20")}};
    std::unique_ptr<vcd::Client> m_admin;
    std::unique_ptr<vcd::Client> m_acme;
    std::unique_ptr<vcd::Client> m_globex;
    std::unique_ptr<vcd::Client> m_viewer;
};

void TestSimApi::initTestCase()
{
    QVERIFY2(m_sim.start(), qPrintable(m_sim.error()));
    QVERIFY(m_sim.url().startsWith(QLatin1String("https://127.0.0.1:")));
    QCOMPARE(m_sim.fingerprint().size(), 95);
    m_admin = std::make_unique<vcd::Client>(m_sim.provider());
    m_acme = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    m_globex = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
    m_viewer = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-viewer")));
    for (auto *c : {m_admin.get(), m_acme.get(), m_globex.get(), m_viewer.get()}) {
        auto r = test::connect(*c);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    }
    QCOMPARE(m_admin->apiVersion(), QStringLiteral("38.0"));
}

QString TestSimApi::createCluster(vcd::Client &c, const QString &name, const QString &token)
{
    auto id = vcd::await<QString>([&](auto done) { c.createEntity(kClusterType, name, clusterEntity(name, token), done); });
    return id ? *id : QString();
}

void TestSimApi::versionsAndHeaders()
{
    vcd::RequestSpec spec;
    spec.path = QStringLiteral("/api/versions");
    spec.authenticated = false;
    spec.accept = "application/*+xml";
    auto r = vcd::await<vcd::Reply>([&](auto done) { m_admin->send(spec, done); });
    QVERIFY(r.ok());
    QVERIFY(r->body.contains("<SupportedVersions xmlns=\"http://www.vmware.com/vcloud/versions\">"));
    QVERIFY(r->body.contains("<Version>37.2</Version>"));
    QVERIFY(r->body.contains("/cloudapi/1.0.0/sessions/provider</ProviderLoginUrl>"));
    // Unknown version: 406.
    auto bad = call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"), {}, {{"Accept", "application/json;version=12.0"}});
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().httpStatus, 406);
    // All three Accept forms work.
    for (const QByteArray &accept : {QByteArray("application/json;version=37.2"), QByteArray("application/*;version=37.2"),
                                    QByteArray("application/*+json;version=37.2")})
        QVERIFY(call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"), {}, {{"Accept", accept}}).ok());
}

void TestSimApi::loginKinds_data()
{
    QTest::addColumn<QString>("org");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("status"); // 0: success
    QTest::newRow("provider") << "System" << "administrator" << "admin-secret-pw" << 0;
    QTest::newRow("provider lower-case org") << "system" << "administrator" << "admin-secret-pw" << 0;
    QTest::newRow("tenant") << "globex" << "globex-viewer" << "demo-password" << 0;
    QTest::newRow("wrong password") << "acme" << "acme-admin" << "nope" << 401;
    QTest::newRow("wrong org") << "globex" << "acme-admin" << "demo-password" << 401;
    QTest::newRow("unknown org") << "initech" << "x" << "y" << 401;
}

void TestSimApi::loginKinds()
{
    QFETCH(QString, org);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(int, status);
    vcd::Client c(m_sim.tenant(org, user, password));
    auto r = test::connect(c);
    QCOMPARE(r.ok(), status == 0);
    if (status) {
        QCOMPARE(r.error().httpStatus, status);
        QVERIFY(!r.error().message.contains(password));
    } else {
        QCOMPARE(c.session().value(QLatin1String("user")).toObject().value(QLatin1String("name")).toString(), user);
    }
}

void TestSimApi::apiTokenExchange()
{
    auto token = test::createApiToken(*m_admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
    QVERIFY(token.ok());
    vcd::ConnectionOptions o = m_sim.tenant(QStringLiteral("acme"), {}, {});
    o.apiToken = *token;
    vcd::Client c(o);
    QVERIFY(test::connect(c).ok());
    QVERIFY(call(c, "GET", QStringLiteral("/cloudapi/1.0.0/orgs")).ok());
    // The same token for another org, or a wrong one: 400 invalid_grant.
    o.org = QStringLiteral("globex");
    vcd::Client wrongOrg(o);
    auto r = test::connect(wrongOrg);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus, 400);
    QCOMPARE(r.error().minorErrorCode, QStringLiteral("invalid_grant"));
    o.org = QStringLiteral("acme");
    o.apiToken = QStringLiteral("0123456789abcdef");
    vcd::Client wrong(o);
    QCOMPARE(test::connect(wrong).error().minorErrorCode, QStringLiteral("invalid_grant"));
    // Raw exchange needs no Accept/Authorization.
    vcd::RequestSpec spec;
    spec.method = "POST";
    spec.path = QStringLiteral("/oauth/tenant/acme/token");
    spec.authenticated = false;
    spec.contentType = "application/x-www-form-urlencoded";
    spec.accept = "*/*";
    spec.body = "grant_type=refresh_token&refresh_token=" + token->toLatin1();
    auto raw = vcd::await<vcd::Reply>([&](auto done) { m_admin->send(spec, done); });
    QVERIFY(raw.ok());
    QCOMPARE(raw->json().value(QLatin1String("token_type")).toString(), QStringLiteral("Bearer"));
    QVERIFY(raw->json().value(QLatin1String("expires_in")).toInt() > 0);
}

void TestSimApi::sessionCurrentAndLogout()
{
    vcd::Client c(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-viewer")));
    QVERIFY(test::connect(c).ok());
    auto s = call(c, "GET", QStringLiteral("/cloudapi/1.0.0/sessions/current"));
    QVERIFY(s.ok());
    QCOMPARE(s->json().value(QLatin1String("org")).toObject().value(QLatin1String("name")).toString(), QStringLiteral("acme"));
    QVERIFY(s->json().value(QLatin1String("id")).toString().startsWith(QLatin1String("urn:vcloud:session:")));
    QVERIFY(vcd::await<void>([&](auto done) { c.logout(done); }).ok());
    // Without a session: 401 (the client logs in again on its own: count the 401).
    auto again = call(c, "GET", QStringLiteral("/cloudapi/1.0.0/sessions/current"));
    QVERIFY(again.ok());
    auto unauth = call(c, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"), {}, {{"Authorization", "Bearer not-a-token"}});
    QVERIFY(!unauth.ok());
    QCOMPARE(unauth.error().httpStatus, 401);
}

void TestSimApi::orgsTenancy()
{
    auto all = call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"));
    QVERIFY(all.ok());
    QCOMPARE(all->json().value(QLatin1String("resultTotal")).toInt(), 3);
    auto own = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"));
    QCOMPARE(own->json().value(QLatin1String("resultTotal")).toInt(), 1);
    const QJsonArray orgs = all->json().value(QLatin1String("values")).toArray();
    QString globexId;
    for (const QJsonValue &v : orgs)
        if (v.toObject().value(QLatin1String("name")).toString() == QLatin1String("globex"))
            globexId = v.toObject().value(QLatin1String("id")).toString();
    QVERIFY(!globexId.isEmpty());
    QVERIFY(call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgs/") + globexId).ok());
    auto denied = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/orgs/") + globexId);
    QCOMPARE(denied.error().httpStatus, 403);
    auto filtered = call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"), {}, {},
                         QUrlQuery(QStringLiteral("filter=name==glob*")));
    QCOMPARE(filtered->json().value(QLatin1String("resultTotal")).toInt(), 1);
}

void TestSimApi::vdcsAndNetworks()
{
    auto own = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/vdcs"));
    QVERIFY(own.ok());
    QCOMPARE(own->json().value(QLatin1String("resultTotal")).toInt(), 1);
    const QJsonObject vdc = own->json().value(QLatin1String("values")).toArray().at(0).toObject();
    QCOMPARE(vdc.value(QLatin1String("name")).toString(), QStringLiteral("acme-vdc"));
    QVERIFY(vdc.value(QLatin1String("id")).toString().startsWith(QLatin1String("urn:vcloud:vdc:")));
    auto nets = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks"));
    QCOMPARE(nets->json().value(QLatin1String("resultTotal")).toInt(), 1);
    const QJsonObject net = nets->json().value(QLatin1String("values")).toArray().at(0).toObject();
    QCOMPARE(net.value(QLatin1String("name")).toString(), QStringLiteral("acme-net"));
    QCOMPARE(net.value(QLatin1String("orgVdc")).toObject().value(QLatin1String("id")).toString(), vdc.value(QLatin1String("id")).toString());
    // The provider sees both tenants' VDCs; FIQL works on them.
    auto all = call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/vdcs"));
    QCOMPARE(all->json().value(QLatin1String("resultTotal")).toInt(), 2);
    auto filtered = call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks"), {}, {},
                         QUrlQuery(QStringLiteral("filter=orgRef.name==globex")));
    QCOMPARE(filtered->json().value(QLatin1String("values")).toArray().at(0).toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("globex-net"));
}

void TestSimApi::entityTypesRights()
{
    auto types = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/entityTypes/"), {}, {},
                      QUrlQuery(QStringLiteral("filter=vendor==vmware;nss==capvcdCluster")));
    QVERIFY(types.ok());
    QCOMPARE(types->json().value(QLatin1String("resultTotal")).toInt(), 3);
    const QJsonObject def{{QStringLiteral("name"), QStringLiteral("widget")}, {QStringLiteral("vendor"), QStringLiteral("test")},
                          {QStringLiteral("nss"), QStringLiteral("widget")}, {QStringLiteral("version"), QStringLiteral("1.0.0")},
                          {QStringLiteral("schema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                                                 {QStringLiteral("required"), QJsonArray{QStringLiteral("size")}}}},
                          {QStringLiteral("interfaces"), QJsonArray{}}};
    auto tenant = call(*m_acme, "POST", QStringLiteral("/cloudapi/1.0.0/entityTypes/"), jsonBody(def));
    QCOMPARE(tenant.error().httpStatus, 403);
    QCOMPARE(tenant.error().minorErrorCode, QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN"));
    auto created = call(*m_admin, "POST", QStringLiteral("/cloudapi/1.0.0/entityTypes/"), jsonBody(def));
    QVERIFY(created.ok());
    QCOMPARE(created->status, 201);
    const QString typeId = QStringLiteral("urn:vcloud:type:test:widget:1.0.0");
    QCOMPARE(created->json().value(QLatin1String("id")).toString(), typeId);
    QCOMPARE(call(*m_admin, "POST", QStringLiteral("/cloudapi/1.0.0/entityTypes/"), jsonBody(def)).error().httpStatus, 400);
    // Immutable vendor; updates refused while entities exist.
    auto renamed = call(*m_admin, "PUT", QStringLiteral("/cloudapi/1.0.0/entityTypes/") + typeId,
                        jsonBody({{QStringLiteral("vendor"), QStringLiteral("other")}}));
    QCOMPARE(renamed.error().httpStatus, 400);
    auto id = vcd::await<QString>([&](auto done) {
        m_admin->createEntity(typeId, QStringLiteral("w1"), {{QStringLiteral("size"), 1}}, done);
    });
    QVERIFY(id.ok());
    QCOMPARE(call(*m_admin, "DELETE", QStringLiteral("/cloudapi/1.0.0/entityTypes/") + typeId).error().httpStatus, 400);
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { m_admin->resolveEntity(*id, done); }).ok());
    QVERIFY(vcd::await<void>([&](auto done) { m_admin->deleteEntity(*id, {}, done); }).ok());
    auto deleted = call(*m_admin, "DELETE", QStringLiteral("/cloudapi/1.0.0/entityTypes/") + typeId);
    QVERIFY(deleted.ok());
    QCOMPARE(deleted->status, 204);
    QCOMPARE(call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/entityTypes/") + typeId).error().httpStatus, 403);
    // One type by id, with its interfaces; the interface list.
    auto one = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/entityTypes/urn:vcloud:type:vmware:capvcdCluster:1.2.0"));
    QVERIFY(one.ok());
    QCOMPARE(one->json().value(QLatin1String("interfaces")).toArray().size(), 2);
    QVERIFY(one->json().value(QLatin1String("schema")).toObject().contains(QLatin1String("definitions")));
    auto ifaces = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/interfaces"));
    QVERIFY(ifaces.ok());
    QStringList ids;
    for (const QJsonValue &v : ifaces->json().value(QLatin1String("values")).toArray())
        ids << v.toObject().value(QLatin1String("id")).toString();
    QVERIFY(ids.contains(QStringLiteral("urn:vcloud:interface:vmware:k8s:1.0.0")));
    QVERIFY(ids.contains(QStringLiteral("urn:vcloud:interface:cse:capvcd:1.0.0")));
    QVERIFY(ids.contains(QStringLiteral("urn:vcloud:interface:cseconsole:serverInstance:1.0.0")));
}

void TestSimApi::entityLifecycle()
{
    const QString id = createCluster(*m_acme, QStringLiteral("life"));
    QVERIFY(id.startsWith(QLatin1String("urn:vcloud:entity:vmware:capvcdCluster:")));
    auto got = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(id, done); });
    QVERIFY(got.ok());
    QCOMPARE(got->state, QStringLiteral("PRE_CREATED"));
    QCOMPARE(got->org.name, QStringLiteral("acme"));
    QCOMPARE(got->owner.name, QStringLiteral("acme-admin"));
    QVERIFY(!got->etag.isEmpty());

    // Deleting a PRE_CREATED entity is refused.
    auto early = call(*m_acme, "DELETE", QStringLiteral("/cloudapi/1.0.0/entities/") + id);
    QCOMPARE(early.error().httpStatus, 400);
    QCOMPARE(early.error().minorErrorCode, QStringLiteral("RDE_ENTITY_NOT_RESOLVED"));

    // An invalid entity resolves to RESOLUTION_ERROR naming the path.
    rde::DefinedEntity broken = *got;
    broken.entity = json::set(broken.entity, {QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("markForDelete")},
                              QStringLiteral("soon"));
    auto put = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->updateEntity(broken, done); });
    QVERIFY(put.ok());
    QVERIFY(put->etag != got->etag);
    auto resolved = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->resolveEntity(id, done); });
    QVERIFY(resolved.ok());
    QCOMPARE(resolved->state, QStringLiteral("RESOLUTION_ERROR"));
    QVERIFY2(resolved->message.contains(QLatin1String("/spec/vcdKe/markForDelete")), qPrintable(resolved->message));

    // A stale ETag: 412.
    auto stale = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->updateEntity(*got, done); });
    QCOMPARE(stale.error().httpStatus, 412);
    QCOMPARE(stale.error().minorErrorCode, QStringLiteral("PRECONDITION_FAILED"));

    // Fix it and resolve: RESOLVED.
    auto fixed = vcd::await<rde::DefinedEntity>([&](auto done) {
        m_acme->patch(id, [](QJsonObject &e) -> Result<bool> {
            e = json::set(e, {QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("markForDelete")}, false);
            return true;
        }, done);
    });
    QVERIFY(fixed.ok());
    QCOMPARE(vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->resolveEntity(id, done); })->state, QStringLiteral("RESOLVED"));
    // A resolved entity is validated on every PUT: invalid -> 400, unchanged.
    auto current = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(id, done); });
    rde::DefinedEntity invalid = *current;
    invalid.entity.remove(QStringLiteral("kind"));
    auto refused = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->updateEntity(invalid, done); });
    QCOMPARE(refused.error().httpStatus, 400);
    QVERIFY(refused.error().message.contains(QLatin1String("/kind")));
    auto after = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(id, done); });
    QCOMPARE(after->etag, current->etag);
    QVERIFY(after->entity.contains(QLatin1String("kind")));
    // Delete with a stale If-Match fails; with the current one it works; then 403.
    QCOMPARE(vcd::await<void>([&](auto done) { m_acme->deleteEntity(id, got->etag, done); }).error().httpStatus, 412);
    QVERIFY(vcd::await<void>([&](auto done) { m_acme->deleteEntity(id, after->etag, done); }).ok());
    QCOMPARE(vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(id, done); }).error().httpStatus, 403);
}

void TestSimApi::ifMatchRace()
{
    const QString id = createCluster(*m_acme, QStringLiteral("race"));
    auto base = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(id, done); });
    QVERIFY(base.ok());
    // Two writers holding the same ETag, in flight together: exactly one wins.
    rde::DefinedEntity a = *base, b = *base;
    a.name = QStringLiteral("race-a");
    b.name = QStringLiteral("race-b");
    std::optional<Result<rde::DefinedEntity>> ra, rb;
    m_acme->updateEntity(a, [&](Result<rde::DefinedEntity> r) { ra.emplace(r); });
    m_globex->setTenantContext({});
    m_admin->updateEntity(b, [&](Result<rde::DefinedEntity> r) { rb.emplace(r); });
    QTRY_VERIFY(ra.has_value() && rb.has_value());
    QCOMPARE(int(ra->ok()) + int(rb->ok()), 1);
    const Result<rde::DefinedEntity> &loser = ra->ok() ? *rb : *ra;
    QCOMPARE(loser.error().httpStatus, 412);
    auto now = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getEntity(id, done); });
    QCOMPARE(now->name, ra->ok() ? QStringLiteral("race-a") : QStringLiteral("race-b"));
    // Without If-Match the PUT is accepted (last writer wins).
    rde::DefinedEntity blind = *base;
    blind.etag.clear();
    blind.name = QStringLiteral("blind");
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->updateEntity(blind, done); }).ok());
}

void TestSimApi::tenantIsolation()
{
    const QString id = createCluster(*m_acme, QStringLiteral("private-to-acme"));
    auto other = vcd::await<rde::DefinedEntity>([&](auto done) { m_globex->getEntity(id, done); });
    QCOMPARE(other.error().httpStatus, 403);
    // Unknown ids look the same: 403, never 404.
    auto unknown = vcd::await<rde::DefinedEntity>([&](auto done) {
        m_globex->getEntity(QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:00000000-0000-0000-0000-000000000000"), done);
    });
    QCOMPARE(unknown.error().httpStatus, 403);
    // A viewer reads but cannot write or create.
    auto seen = vcd::await<rde::DefinedEntity>([&](auto done) { m_viewer->getEntity(id, done); });
    QVERIFY(seen.ok());
    QCOMPARE(vcd::await<rde::DefinedEntity>([&](auto done) { m_viewer->updateEntity(*seen, done); }).error().httpStatus, 403);
    QCOMPARE(vcd::await<QString>([&](auto done) {
                 m_viewer->createEntity(kClusterType, QStringLiteral("x"), clusterEntity(QStringLiteral("x")), done);
             }).error().httpStatus, 403);
    // globex's list has no acme entity.
    auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        m_globex->listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
    });
    QVERIFY(list.ok());
    QVERIFY(!list->isEmpty());
    for (const rde::DefinedEntity &e : *list)
        QCOMPARE(e.org.name, QStringLiteral("globex"));
}

void TestSimApi::secureFieldMasking()
{
    const QString secret = QStringLiteral("TOKEN-abc-123-secure");
    const QString id = createCluster(*m_acme, QStringLiteral("secure"), secret);
    auto plain = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/entities/") + id);
    QVERIFY(plain.ok());
    QVERIFY(!plain->body.contains(secret.toLatin1()));
    auto list = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1.2.0"));
    QVERIFY(!list->body.contains(secret.toLatin1()));
    // A PUT that omits the secure field keeps it.
    auto patched = vcd::await<rde::DefinedEntity>([&](auto done) {
        m_acme->patch(id, [](QJsonObject &e) -> Result<bool> {
            e = json::set(e, {QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("autoRepairOnErrors")}, false);
            return true;
        }, done);
    });
    QVERIFY(patched.ok());
    auto full = vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->getFullEntity(id, done); });
    QVERIFY2(full.ok(), qPrintable(full.ok() ? QString() : full.error().toString()));
    QCOMPARE(rde::Cluster(full->entity).apiToken(), secret);
    QVERIFY(!rde::Cluster(full->entity).autoRepairOnErrors());
    // The viewer may not call getFullEntity.
    QVERIFY(!vcd::await<rde::DefinedEntity>([&](auto done) { m_viewer->getFullEntity(id, done); }).ok());
}

void TestSimApi::pagingAndLinks()
{
    const QString typeId = QStringLiteral("urn:vcloud:type:cseconsole:serverInstance:1.0.0");
    for (int i = 0; i < 30; ++i) {
        auto id = vcd::await<QString>([&](auto done) {
            m_admin->createEntity(typeId, QStringLiteral("page-%1").arg(i, 2, 10, QLatin1Char('0')),
                                  {{QStringLiteral("instanceId"), QString::number(i)}, {QStringLiteral("name"), QStringLiteral("r")},
                                   {QStringLiteral("state"), QStringLiteral("running")}, {QStringLiteral("heartbeat"), i}}, done);
        });
        QVERIFY(id.ok());
    }
    const QString path = QStringLiteral("/cloudapi/1.0.0/entities/types/cseconsole/serverInstance/1.0.0");
    auto p1 = call(*m_admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("pageSize=7&sortAsc=name")));
    QVERIFY(p1.ok());
    QCOMPARE(p1->json().value(QLatin1String("resultTotal")).toInt(), 30);
    QCOMPARE(p1->json().value(QLatin1String("pageCount")).toInt(), 5);
    QCOMPARE(p1->json().value(QLatin1String("values")).toArray().size(), 7);
    const QByteArrayList links = p1->headerValues("Link");
    QVERIFY(std::any_of(links.begin(), links.end(), [](const QByteArray &l) { return l.contains("rel=\"nextPage\"") && l.contains("page=2"); }));
    QVERIFY(std::any_of(links.begin(), links.end(), [](const QByteArray &l) { return l.contains("rel=\"lastPage\"") && l.contains("page=5"); }));
    QVERIFY(std::any_of(links.begin(), links.end(), [](const QByteArray &l) { return l.contains("model=\"DefinedEntities\""); }));
    auto p5 = call(*m_admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("pageSize=7&page=5&sortAsc=name")));
    QCOMPARE(p5->json().value(QLatin1String("values")).toArray().size(), 2);
    QCOMPARE(p5->json().value(QLatin1String("values")).toArray().last().toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("page-29"));
    auto past = call(*m_admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("pageSize=7&page=9")));
    QVERIFY(past.ok());
    QVERIFY(past->json().value(QLatin1String("values")).toArray().isEmpty());
    auto clamped = call(*m_admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("pageSize=500")));
    QCOMPARE(clamped->json().value(QLatin1String("pageSize")).toInt(), 128);
    auto desc = call(*m_admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("pageSize=1&sortDesc=entity.heartbeat")));
    QCOMPARE(desc->json().value(QLatin1String("values")).toArray().first().toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("page-29"));
    // 400s keep their order and text: the filter first, then paging, then an unknown sort field.
    auto badSort = call(*m_admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("sortAsc=color")));
    QCOMPARE(badSort.error().httpStatus, 400);
    QCOMPARE(badSort.error().message, QStringLiteral("cannot sort by unknown field \"color\""));
    auto badBoth = call(*m_admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("sortAsc=color&page=0&filter=color==red")));
    QCOMPARE(badBoth.error().httpStatus, 400);
    QVERIFY2(badBoth.error().message.contains(QLatin1String("unknown field \"color\"")), qPrintable(badBoth.error().message));
    QVERIFY(badBoth.error().message.contains(QLatin1String("position")));
    auto badPage = call(*m_admin, "GET", path, {}, {}, QUrlQuery(QStringLiteral("sortAsc=color&page=0")));
    QVERIFY2(badPage.error().message.contains(QLatin1String("page must be")), qPrintable(badPage.error().message));
    // A filter decided in SQL pages in SQL: totals and pages as before.
    auto filtered = call(*m_admin, "GET", path, {}, {},
                         QUrlQuery(QStringLiteral("filter=entity.heartbeat=ge=20;name==page-*&sortDesc=entity.heartbeat&pageSize=4&page=2")));
    QVERIFY(filtered.ok());
    QCOMPARE(filtered->json().value(QLatin1String("resultTotal")).toInt(), 10);
    QCOMPARE(filtered->json().value(QLatin1String("pageCount")).toInt(), 3);
    QCOMPARE(filtered->json().value(QLatin1String("values")).toArray().first().toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("page-25"));
    // The client gathers every page.
    auto all = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("cseconsole"), QStringLiteral("serverInstance"), QStringLiteral("1.0.0"));
        q.pageSize = 4;
        m_admin->listEntities(q, done);
    });
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 30);
}

void TestSimApi::fiql_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("count"); // -1: 400
    // Demo clusters: acme-prod, acme-dev (provisioned), acme has none else at seed time in this query's org.
    QTest::newRow("eq") << "name==acme-prod" << 1;
    QTest::newRow("wildcard") << "name==acme-*" << 2;
    QTest::newRow("ne") << "name!=acme-prod;name==acme-*" << 1;
    QTest::newRow("or") << "name==acme-prod,name==acme-dev" << 2;
    QTest::newRow("parens") << "(name==acme-prod,name==nothing);entity.status.vcdKe.state==provisioned" << 1;
    QTest::newRow("dotted bool") << "entity.spec.vcdKe.isVCDKECluster==true;name==acme-*" << 2;
    QTest::newRow("missing path") << "entity.status.nothing.here==x" << 0;
    QTest::newRow("number gt") << "entity.status.vcdKe.ownerEpoch=gt=-1" << 0;
    QTest::newRow("timestamp ge") << "creationDate=ge=2000-01-01T00:00:00.000Z;name==acme-*" << 2;
    QTest::newRow("timestamp lt") << "creationDate=lt=2000-01-01T00:00:00.000Z" << 0;
    QTest::newRow("quoted") << "name==\"acme-prod\"" << 1;
    QTest::newRow("unknown key") << "color==red" << -1;
    QTest::newRow("no operator") << "name" << -1;
    QTest::newRow("unbalanced") << "(name==a" << -1;
}

void TestSimApi::fiql()
{
    QFETCH(QString, filter);
    QFETCH(int, count);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("filter"), filter);
    auto r = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1.3.0"), {}, {}, q);
    if (count < 0) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().httpStatus, 400);
        QVERIFY2(r.error().message.contains(QLatin1String("position")), qPrintable(r.error().message));
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->json().value(QLatin1String("resultTotal")).toInt(), count);
}

void TestSimApi::listByInterfaceAndTenantContext()
{
    // The provider without a context sees the System org only.
    auto sys = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        m_admin->listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
    });
    QVERIFY(sys.ok());
    QCOMPARE(sys->size(), 0);
    auto orgs = call(*m_admin, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"), {}, {}, QUrlQuery(QStringLiteral("filter=name==globex")));
    const QString globexId = orgs->json().value(QLatin1String("values")).toArray().at(0).toObject().value(QLatin1String("id")).toString();
    vcd::Client inGlobex(m_sim.provider());
    inGlobex.setTenantContext(globexId);
    auto byIface = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("k8s"), QStringLiteral("1.0.0"));
        q.byInterface = true;
        inGlobex.listEntities(q, done);
    });
    QVERIFY2(byIface.ok(), qPrintable(byIface.ok() ? QString() : byIface.error().toString()));
    QCOMPARE(byIface->size(), 3); // globex-web, globex-new, globex-broken
    // The configuration entity implements the VCDKEConfig interface, in System.
    auto cfg = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("VCDKEConfig"), QStringLiteral("1"));
        q.byInterface = true;
        m_admin->listEntities(q, done);
    });
    QCOMPARE(cfg->size(), 1);
    QCOMPARE(cfg->first().name, QStringLiteral("vcdKeConfig"));
    QCOMPARE(cfg->first().state, QStringLiteral("RESOLVED"));
}

void TestSimApi::badInput_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("malformed json") << QByteArray("POST") << "/cloudapi/1.0.0/entityTypes/" + kClusterType
                                    << QByteArray("{\"name\": \"x\", \"entity\": {") << 400 << "offset";
    QTest::newRow("not an object") << QByteArray("POST") << "/cloudapi/1.0.0/entityTypes/" + kClusterType
                                   << QByteArray("[1,2]") << 400 << "JSON object";
    QTest::newRow("empty entity") << QByteArray("POST") << "/cloudapi/1.0.0/entityTypes/" + kClusterType
                                  << QByteArray(R"({"name":"x","entity":{}})") << 400 << "empty";
    QTest::newRow("unknown type") << QByteArray("POST") << "/cloudapi/1.0.0/entityTypes/urn:vcloud:type:no:such:1.0.0"
                                  << QByteArray(R"({"name":"x","entity":{"a":1}})") << 400 << "Unknown entity type";
    QTest::newRow("too large") << QByteArray("POST") << "/cloudapi/1.0.0/entityTypes/" + kClusterType
                               << QByteArray(9 * 1024 * 1024, 'x') << 413 << "exceeds";
    QTest::newRow("bad page") << QByteArray("GET") << "/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1?page=zero"
                              << QByteArray() << 400 << "page";
    QTest::newRow("unknown route") << QByteArray("GET") << "/cloudapi/1.0.0/nothing" << QByteArray() << 404 << "No resource";
}

void TestSimApi::badInput()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, mentions);
    const int q = path.indexOf(QLatin1Char('?'));
    auto r = call(*m_acme, method, q < 0 ? path : path.left(q), body, {}, QUrlQuery(q < 0 ? QString() : path.mid(q + 1)));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus, status);
    QVERIFY2(r.error().message.contains(mentions), qPrintable(r.error().toString()));
}

void TestSimApi::tasksJsonAndXml()
{
    vcd::RequestSpec spec;
    spec.method = "POST";
    spec.path = QStringLiteral("/cloudapi/1.0.0/entityTypes/") + kClusterType;
    spec.body = jsonBody({{QStringLiteral("name"), QStringLiteral("tasked")}, {QStringLiteral("entity"), clusterEntity(QStringLiteral("tasked"))}});
    auto created = vcd::await<vcd::Reply>([&](auto done) { m_acme->send(spec, done); });
    QVERIFY(created.ok());
    QCOMPARE(created->status, 202);
    QVERIFY(created->body.isEmpty());
    const QString location = QString::fromLatin1(created->header("Location"));
    QVERIFY(location.contains(QLatin1String("/api/task/")));
    // VCD's create task runs until the entity is resolved (govcd defined_entity.go).
    auto pending = call(*m_acme, "GET", location, {}, {{"Accept", "application/vnd.vmware.vcloud.task+json;version=37.2"}});
    QVERIFY(pending.ok());
    QCOMPARE(pending->json().value(QLatin1String("status")).toString(), QStringLiteral("running"));
    const QString createdId = pending->json().value(QLatin1String("owner")).toObject().value(QLatin1String("id")).toString();
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { m_acme->resolveEntity(createdId, done); }).ok());
    auto jsonTask = call(*m_acme, "GET", location, {}, {{"Accept", "application/vnd.vmware.vcloud.task+json;version=37.2"}});
    QVERIFY(jsonTask.ok());
    const QJsonObject t = jsonTask->json();
    QCOMPARE(t.value(QLatin1String("status")).toString(), QStringLiteral("success"));
    QVERIFY(t.value(QLatin1String("id")).toString().startsWith(QLatin1String("urn:vcloud:task:")));
    QVERIFY(t.value(QLatin1String("owner")).toObject().value(QLatin1String("id")).toString().startsWith(QLatin1String("urn:vcloud:entity:")));
    auto xmlTask = call(*m_acme, "GET", location, {}, {{"Accept", "application/*+xml;version=37.2"}});
    QVERIFY(xmlTask.ok());
    QVERIFY(xmlTask->body.contains("<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\""));
    QVERIFY(xmlTask->body.contains("status=\"success\""));
    // Another org's task is not visible.
    QCOMPARE(call(*m_globex, "GET", location).error().httpStatus, 403);
}

void TestSimApi::faultsAndRequestId()
{
    auto r = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"), {}, {{"X-VMWARE-VCLOUD-CLIENT-REQUEST-ID", "abc123"}});
    QVERIFY(r.ok());
    QVERIFY(r->header("X-VMWARE-VCLOUD-REQUEST-ID").startsWith("abc123-"));
    // HTTP dates (RFC 7231): "Wed, 25 Nov 2026 08:46:39 GMT".
    QVERIFY2(QRegularExpression(QStringLiteral("^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$"))
                 .match(QString::fromLatin1(r->header("Date"))).hasMatch(),
             r->header("Date").constData());
    // Injected 5xx on one route: the client retries GETs and fails after its budget.
    const QJsonArray rules{QJsonObject{{QStringLiteral("route"), QStringLiteral("^GET /cloudapi/1.0.0/orgs$")},
                                       {QStringLiteral("errorRate"), 1.0}, {QStringLiteral("errorStatus"), 503}}};
    QVERIFY(call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"), QJsonDocument(rules).toJson()).ok());
    const int before = m_acme->stats().count(QStringLiteral("GET /cloudapi/1.0.0/orgs"), 503);
    auto failed = call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"));
    QCOMPARE(failed.error().httpStatus, 503);
    QCOMPARE(m_acme->stats().count(QStringLiteral("GET /cloudapi/1.0.0/orgs"), 503) - before, m_acme->options().maxRetries + 1);
    // Tenants may not touch faults; the provider clears them.
    QCOMPARE(call(*m_acme, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).error().httpStatus, 403);
    QVERIFY(call(*m_admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).ok());
    QVERIFY(call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/orgs")).ok());
    // A blocked client gets no answer at all.
    const QJsonArray block{QJsonObject{{QStringLiteral("route"), QStringLiteral(".*")}, {QStringLiteral("blockHeader"), QStringLiteral("x-cse-client-id")},
                                       {QStringLiteral("blockValue"), QStringLiteral("partitioned")}}};
    QVERIFY(call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"), QJsonDocument(block).toJson()).ok());
    vcd::ConnectionOptions o = m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin"));
    o.clientId = QStringLiteral("partitioned");
    o.maxRetries = 1;
    vcd::Client cut(o);
    auto none = test::connect(cut);
    QVERIFY(!none.ok());
    QCOMPARE(none.error().httpStatus, 0);
    QVERIFY(call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/orgs")).ok());
    QVERIFY(call(*m_admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).ok());
}

void TestSimApi::gracefulStop()
{
    auto integrity = call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/integrity"));
    QVERIFY(integrity.ok());
    QCOMPARE(integrity->json().value(QLatin1String("result")).toString(), QStringLiteral("ok"));
    // A request in flight when SIGTERM arrives still gets its answer.
    const QJsonArray slow{QJsonObject{{QStringLiteral("route"), QStringLiteral("^GET /cloudapi/1.0.0/sessions/current$")},
                                      {QStringLiteral("latencyMs"), 2000}}};
    QVERIFY(call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"), QJsonDocument(slow).toJson()).ok());
    std::optional<Result<vcd::Reply>> inFlight;
    m_acme->send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/sessions/current")),
                 [&](Result<vcd::Reply> r) { inFlight.emplace(r); });
    QTest::qWait(600); // the request has reached the server and waits there
    QVERIFY(!inFlight.has_value());
    QVERIFY2(m_sim.terminate(), m_sim.output().constData()); // exit code 0
    QTRY_VERIFY(inFlight.has_value());
    QVERIFY2(inFlight->ok(), qPrintable(inFlight->ok() ? QString() : inFlight->error().toString()));
    QCOMPARE((*inFlight)->status, 200);
}

QTEST_GUILESS_MAIN(TestSimApi)
#include "tst_sim_api.moc"
