// The VCD client against a started vcd-sim over TLS with the certificate
// fingerprint pinned.
#include "../support/simprocess.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vcd/fiql.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QtTest>

using namespace cse;

namespace {
QStringList g_log;
QMutex g_logMutex;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log << QStringLiteral("%1: %2").arg(QString::fromLatin1(ctx.category ? ctx.category : ""), msg);
    }
    if (g_previous && type != QtDebugMsg)
        g_previous(type, ctx, msg);
}
} // namespace

class TestVcdClientSim : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void entityLifeCycle();
    void concurrentPatchersLoseNothing();
    void tenantIsolation();
    void getFullEntityShowsSecureToken();
    void noSecretInDebugLog();

private:
    test::SimProcess m_sim{{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")}};
};

void TestVcdClientSim::initTestCase()
{
    QVERIFY2(m_sim.start(), qPrintable(m_sim.error()));
    QVERIFY(!m_sim.fingerprint().isEmpty());
}

void TestVcdClientSim::entityLifeCycle()
{
    vcd::Client c(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    QVERIFY(test::connect(c).ok());
    const rde::Cluster spec = rde::Cluster::create(QStringLiteral("cycle"), QStringLiteral("acme"), QStringLiteral("acme-vdc"),
                                                   m_sim.url(), QStringLiteral("kind: Cluster\n"), {});
    auto id = vcd::await<QString>([&](auto done) { c.createEntity(rde::types::cluster().id(), QStringLiteral("cycle"), spec.json(), done); });
    QVERIFY(id.ok());
    auto resolved = vcd::await<rde::DefinedEntity>([&](auto done) { c.resolveEntity(*id, done); });
    QCOMPARE(resolved->state, QStringLiteral("RESOLVED"));
    auto listed = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1.2"));
        q.filter = vcd::fiql::eq(QStringLiteral("name"), QStringLiteral("cycle"));
        c.listEntities(q, done);
    });
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->first().id, *id);
    auto marked = vcd::await<rde::DefinedEntity>([&](auto done) {
        c.patch(*id, [](QJsonObject &e) -> Result<bool> {
            rde::Cluster cl(e);
            cl.setMarkForDelete(true);
            e = cl.json();
            return true;
        }, done);
    });
    QVERIFY(rde::Cluster(marked->entity).markForDelete());
    QVERIFY(vcd::await<void>([&](auto done) { c.deleteEntity(*id, marked->etag, done); }).ok());
    QCOMPARE(vcd::await<rde::DefinedEntity>([&](auto done) { c.getEntity(*id, done); }).error().httpStatus, 403);
}

void TestVcdClientSim::concurrentPatchersLoseNothing()
{
    vcd::Client a(m_sim.provider()), b(m_sim.provider());
    QVERIFY(test::connect(a).ok());
    QVERIFY(test::connect(b).ok());
    auto id = vcd::await<QString>([&](auto done) {
        a.createEntity(rde::types::serverInstance().id(), QStringLiteral("counter"),
                       {{QStringLiteral("instanceId"), QStringLiteral("c")}, {QStringLiteral("name"), QStringLiteral("c")},
                        {QStringLiteral("state"), QStringLiteral("running")}, {QStringLiteral("heartbeat"), 0}}, done);
    });
    QVERIFY(id.ok());
    constexpr int kRounds = 200;
    int doneA = 0, doneB = 0, failures = 0;
    QString firstFailure;
    std::function<void(vcd::Client *, int *)> round = [&](vcd::Client *c, int *count) {
        c->patch(*id, [](QJsonObject &e) -> Result<bool> {
            e.insert(QStringLiteral("heartbeat"), e.value(QLatin1String("heartbeat")).toInt() + 1);
            return true;
        }, [&, c, count](Result<rde::DefinedEntity> r) {
            if (!r) {
                ++failures;
                if (firstFailure.isEmpty())
                    firstFailure = r.error().toString();
            }
            if (++*count < kRounds)
                round(c, count);
        }, 50);
    };
    round(&a, &doneA);
    round(&b, &doneB);
    QTRY_VERIFY_WITH_TIMEOUT(doneA == kRounds && doneB == kRounds, 120000);
    QVERIFY2(failures == 0, qPrintable(firstFailure));
    auto final = vcd::await<rde::DefinedEntity>([&](auto done) { a.getEntity(*id, done); });
    QCOMPARE(final->entity.value(QLatin1String("heartbeat")).toInt(), 2 * kRounds);
    const int conflicts = a.stats().count(QStringLiteral("PUT /cloudapi/1.0.0/entities/{id}"), 412)
                          + b.stats().count(QStringLiteral("PUT /cloudapi/1.0.0/entities/{id}"), 412);
    qInfo("400 increments landed; %d ETag conflicts were retried", conflicts);
}

void TestVcdClientSim::tenantIsolation()
{
    vcd::Client acme(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    vcd::Client globex(m_sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
    QVERIFY(test::connect(acme).ok());
    QVERIFY(test::connect(globex).ok());
    auto mine = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        acme.listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
    });
    QVERIFY(mine.ok());
    QVERIFY(mine->size() >= 2);
    // A count is one small page: the same total as the whole list, without it.
    auto counted = vcd::await<int>([&](auto done) {
        acme.countEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
    });
    QCOMPARE(*counted, int(mine->size()));
    vcd::ListQuery none = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1"));
    none.filter = vcd::fiql::eq(QStringLiteral("name"), QStringLiteral("no-such-cluster"));
    QCOMPARE(*vcd::await<int>([&](auto done) { acme.countEntities(none, done); }), 0);
    none.filter = QStringLiteral("entity.nosuchkey==1;(");
    QCOMPARE(vcd::await<int>([&](auto done) { acme.countEntities(none, done); }).error().httpStatus, 400);
    for (const rde::DefinedEntity &e : *mine) {
        QCOMPARE(e.org.name, QStringLiteral("acme"));
        auto other = vcd::await<rde::DefinedEntity>([&](auto done) { globex.getEntity(e.id, done); });
        QCOMPARE(other.error().httpStatus, 403);
        rde::DefinedEntity forged = e;
        QCOMPARE(vcd::await<rde::DefinedEntity>([&](auto done) { globex.updateEntity(forged, done); }).error().httpStatus, 403);
    }
}

void TestVcdClientSim::getFullEntityShowsSecureToken()
{
    vcd::Client globex(m_sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
    QVERIFY(test::connect(globex).ok());
    auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1"));
        q.filter = QStringLiteral("name==globex-new");
        globex.listEntities(q, done);
    });
    QCOMPARE(list->size(), 1);
    const rde::DefinedEntity plain = list->first();
    QVERIFY(!rde::Cluster(plain.entity).hasApiToken());
    auto full = vcd::await<rde::DefinedEntity>([&](auto done) { globex.getFullEntity(plain.id, done); });
    QVERIFY(full.ok());
    QCOMPARE(rde::Cluster(full->entity).apiToken().size(), 64);
    // Writing back what a plain GET returned keeps the secure token.
    rde::DefinedEntity withEtag = vcd::await<rde::DefinedEntity>([&](auto done) { globex.getEntity(plain.id, done); }).value();
    QVERIFY(vcd::await<rde::DefinedEntity>([&](auto done) { globex.updateEntity(withEtag, done); }).ok());
    auto again = vcd::await<rde::DefinedEntity>([&](auto done) { globex.getFullEntity(plain.id, done); });
    QCOMPARE(rde::Cluster(again->entity).apiToken(), rde::Cluster(full->entity).apiToken());
}

void TestVcdClientSim::noSecretInDebugLog()
{
    vcd::Client admin(m_sim.provider());
    QVERIFY(test::connect(admin).ok());
    auto token = test::createApiToken(admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
    QVERIFY(token.ok());

    QLoggingCategory::setFilterRules(QStringLiteral("cse.*.debug=true\nqt.network.*=true"));
    g_previous = qInstallMessageHandler(capture);
    {
        vcd::Client byPassword(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
        QVERIFY(test::connect(byPassword).ok());
        vcd::ConnectionOptions o = m_sim.tenant(QStringLiteral("acme"), {}, {});
        o.apiToken = *token;
        vcd::Client byToken(o);
        QVERIFY(test::connect(byToken).ok());
        // A session with a forced re-login (401 replay) and some failures.
        QVERIFY(test::call(admin, "POST", QStringLiteral("/cloudapi/x-sim/1.0.0/sessions/expire")).ok());
        QVERIFY(vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
            byToken.listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
        }).ok());
        QVERIFY(test::call(byPassword, "GET", QStringLiteral("/cloudapi/1.0.0/orgs")).ok());
        vcd::ConnectionOptions bad = m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin"), QStringLiteral("wrong-pw-123"));
        vcd::Client wrong(bad);
        auto refused = test::connect(wrong);
        QVERIFY(!refused.ok());
        g_log << refused.error().toString();
        QVERIFY(vcd::await<void>([&](auto done) { byPassword.logout(done); }).ok());
    }
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules(QString());

    QMutexLocker lock(&g_logMutex);
    QVERIFY2(g_log.size() > 10, "the debug log captured nothing; the test would prove nothing");
    const QString all = g_log.join(QLatin1Char('\n'));
    for (const QString &secret : {QStringLiteral("demo-password"), QStringLiteral("wrong-pw-123"), m_sim.adminPassword(), *token,
                                  QStringLiteral("eyJ"), QStringLiteral("Bearer "), QStringLiteral("Authorization"),
                                  QStringLiteral("refresh_token=")})
        QVERIFY2(!all.contains(secret), qPrintable(QStringLiteral("the log contains \"%1\"").arg(secret)));
}

QTEST_GUILESS_MAIN(TestVcdClientSim)
#include "tst_vcdclient_sim.moc"
