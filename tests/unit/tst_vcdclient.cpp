// The VCD client against canned replies (no network), plus one real local
// TLS endpoint for certificate pinning.
#include "../support/fakenam.h"
#include "http/httpserver.h"
#include "tls.h"
#include "vcd/client.h"
#include "vcd/connectionoptions.h"
#include "vcd/fingerprint.h"
#include "vcd/fiql.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;
using namespace cse::test;

namespace {

const QByteArray kToken = "eyJ.session.token";

vcd::ConnectionOptions options(const QString &org = QStringLiteral("acme"))
{
    vcd::ConnectionOptions o;
    o.url = QUrl(QStringLiteral("https://vcd.test"));
    o.org = org;
    o.user = QStringLiteral("alice");
    o.password = QStringLiteral("pw-s3cret");
    o.retryBaseMs = 5;
    return o;
}

Canned json(int status, const QJsonObject &o, QList<QPair<QByteArray, QByteArray>> headers = {})
{
    Canned c;
    c.status = status;
    c.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    c.headers = std::move(headers);
    c.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return c;
}

// The common part of a fake site: versions and login.
std::optional<Canned> site(const Seen &s, const QStringList &versions = {QStringLiteral("35.0"), QStringLiteral("37.2")})
{
    const QString path = s.url.path();
    if (path == QLatin1String("/api/versions"))
        return Canned{200, {}, versionsXml(versions)};
    if (path.endsWith(QLatin1String("/sessions")) || path.endsWith(QLatin1String("/sessions/provider")))
        return json(200, {{QStringLiteral("id"), QStringLiteral("urn:vcloud:session:1")}},
                    {{"X-VMWARE-VCLOUD-ACCESS-TOKEN", kToken}});
    if (path.startsWith(QLatin1String("/oauth/")))
        return json(200, {{QStringLiteral("access_token"), QString::fromLatin1(kToken)}, {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                          {QStringLiteral("expires_in"), 3600}});
    return std::nullopt;
}

QJsonObject entityJson(const QString &id, int n)
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("entityType"), QStringLiteral("urn:vcloud:type:cseconsole:serverInstance:1.0.0")},
            {QStringLiteral("name"), QStringLiteral("e%1").arg(n)}, {QStringLiteral("entity"), QJsonObject{{QStringLiteral("n"), n}}}};
}

int countPath(const FakeNam &nam, const QString &path, const QByteArray &method = {})
{
    return int(std::count_if(nam.seen.begin(), nam.seen.end(), [&](const Seen &s) {
        return s.url.path() == path && (method.isEmpty() || s.method == method);
    }));
}

} // namespace

class TestVcdClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void versionNegotiation_data();
    void versionNegotiation();
    void passwordLogin_data();
    void passwordLogin();
    void apiTokenExchange_data();
    void apiTokenExchange();
    void replaysOnceAfter401();
    void second401IsAnError();
    void preconditionRetryExhaustion();
    void patchSeesFreshEntity();
    void serverErrorBackoff();
    void postIsNotRetried();
    void pagingWithTotal();
    void pagingByLinks();
    void linkPagingKeepsTenantContext();
    void queryServicePaging();
    void refusedPageShrinks();
    void errorsCarryDetails();
    void concurrencyIsBounded();
    void cancelAll();
    void fiqlEscaping_data();
    void fiqlEscaping();
    void queryEncoding();
    void connectionOptions();
    void credentialsInUrlAreRefused_data();
    void credentialsInUrlAreRefused();
    void tlsPinning();
    void perCallTimeout();
};

void TestVcdClient::versionNegotiation_data()
{
    QTest::addColumn<QStringList>("offered");
    QTest::addColumn<QString>("chosen"); // empty: error
    QTest::newRow("highest common") << QStringList{"35.0", "37.2", "39.0"} << "37.2";
    QTest::newRow("38") << QStringList{"36.0", "38.0", "37.2"} << "38.0";
    QTest::newRow("only old") << QStringList{"33.0", "34.0"} << "";
}

void TestVcdClient::versionNegotiation()
{
    QFETCH(QStringList, offered);
    QFETCH(QString, chosen);
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s, offered))
            return *c;
        return json(200, {});
    });
    vcd::Client c(options(), &nam);
    auto r = vcd::await<void>([&](auto done) { c.connectToSite(done); });
    QCOMPARE(r.ok(), !chosen.isEmpty());
    if (chosen.isEmpty()) {
        QVERIFY(r.error().message.contains(QLatin1String("no API version")));
        return;
    }
    QCOMPARE(c.apiVersion(), chosen);
    QVERIFY(vcd::await<vcd::Reply>([&](auto done) { c.send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs")), done); }).ok());
    QCOMPARE(nam.seen.last().header("Accept"), "application/json;version=" + chosen.toLatin1());
    QCOMPARE(nam.seen.last().header("Authorization"), "Bearer " + kToken);
}

void TestVcdClient::passwordLogin_data()
{
    QTest::addColumn<QString>("org");
    QTest::addColumn<QString>("path");
    QTest::newRow("tenant") << "acme" << "/cloudapi/1.0.0/sessions";
    QTest::newRow("provider") << "System" << "/cloudapi/1.0.0/sessions/provider";
    QTest::newRow("provider lower") << "system" << "/cloudapi/1.0.0/sessions/provider";
}

void TestVcdClient::passwordLogin()
{
    QFETCH(QString, org);
    QFETCH(QString, path);
    FakeNam nam([](const Seen &s) { return site(s).value_or(json(404, {})); });
    vcd::Client c(options(org), &nam);
    QVERIFY(vcd::await<void>([&](auto done) { c.connectToSite(done); }).ok());
    QCOMPARE(nam.seen.size(), 2);
    const Seen &login = nam.seen.at(1);
    QCOMPARE(login.method, QByteArray("POST"));
    QCOMPARE(login.url.path(), path);
    QCOMPARE(login.header("Authorization"), "Basic " + ("alice@" + org + ":pw-s3cret").toUtf8().toBase64());
    QVERIFY(c.isConnected());
}

void TestVcdClient::apiTokenExchange_data()
{
    QTest::addColumn<QString>("org");
    QTest::addColumn<QString>("path");
    QTest::newRow("tenant") << "acme" << "/oauth/tenant/acme/token";
    QTest::newRow("provider") << "System" << "/oauth/provider/token";
}

void TestVcdClient::apiTokenExchange()
{
    QFETCH(QString, org);
    QFETCH(QString, path);
    FakeNam nam([](const Seen &s) { return site(s).value_or(json(404, {})); });
    vcd::ConnectionOptions o = options(org);
    o.user.clear();
    o.password.clear();
    o.apiToken = QStringLiteral("api+token/with=chars");
    vcd::Client c(o, &nam);
    QVERIFY(vcd::await<void>([&](auto done) { c.connectToSite(done); }).ok());
    const Seen &ex = nam.seen.at(1);
    QCOMPARE(ex.url.path(), path);
    QCOMPARE(ex.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(ex.body, QByteArray("grant_type=refresh_token&refresh_token=api%2Btoken%2Fwith%3Dchars"));
    QVERIFY(ex.header("Authorization").isEmpty());
    // A refused token.
    nam.setHandler([](const Seen &s) {
        if (s.url.path().startsWith(QLatin1String("/oauth/")))
            return json(400, {{QStringLiteral("minorErrorCode"), QStringLiteral("invalid_grant")}, {QStringLiteral("message"), QStringLiteral("bad")}});
        return site(s).value_or(json(404, {}));
    });
    vcd::Client refused(o, &nam);
    auto r = vcd::await<void>([&](auto done) { refused.connectToSite(done); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().minorErrorCode, QStringLiteral("invalid_grant"));
    QVERIFY(r.error().message.contains(QLatin1String("API token was refused")));
    QVERIFY(!r.error().toString().contains(o.apiToken));
}

void TestVcdClient::replaysOnceAfter401()
{
    int gets = 0;
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        return ++gets == 1 ? json(401, {{QStringLiteral("message"), QStringLiteral("expired")}}) : json(200, {{QStringLiteral("ok"), true}});
    });
    vcd::Client c(options(), &nam);
    QVERIFY(vcd::await<void>([&](auto done) { c.connectToSite(done); }).ok());
    auto r = vcd::await<vcd::Reply>([&](auto done) { c.send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs")), done); });
    QVERIFY(r.ok());
    QCOMPARE(gets, 2);
    QCOMPARE(countPath(nam, QStringLiteral("/cloudapi/1.0.0/sessions")), 2); // logged in again once
}

void TestVcdClient::second401IsAnError()
{
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        return json(401, {{QStringLiteral("minorErrorCode"), QStringLiteral("UNAUTHORIZED")}, {QStringLiteral("message"), QStringLiteral("no")}});
    });
    vcd::Client c(options(), &nam);
    QVERIFY(vcd::await<void>([&](auto done) { c.connectToSite(done); }).ok());
    auto r = vcd::await<vcd::Reply>([&](auto done) { c.send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs")), done); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus, 401);
    QCOMPARE(countPath(nam, QStringLiteral("/cloudapi/1.0.0/orgs")), 2);
    QVERIFY(!r.error().toString().contains(QLatin1String("pw-s3cret")));
}

void TestVcdClient::preconditionRetryExhaustion()
{
    const QString id = QStringLiteral("urn:vcloud:entity:cseconsole:serverInstance:1");
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        if (s.method == "GET")
            return json(200, entityJson(id, 1), {{"ETag", "\"7\""}});
        return json(412, {{QStringLiteral("minorErrorCode"), QStringLiteral("PRECONDITION_FAILED")}, {QStringLiteral("message"), QStringLiteral("etag")}});
    });
    vcd::Client c(options(), &nam);
    auto r = vcd::await<rde::DefinedEntity>([&](auto done) {
        c.patch(id, [](QJsonObject &e) -> Result<bool> { e.insert(QStringLiteral("n"), 2); return true; }, done, 4);
    });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus, 412);
    QVERIFY(r.error().message.contains(QLatin1String("gave up after 4 attempts")));
    const QString path = QStringLiteral("/cloudapi/1.0.0/entities/") + id;
    QCOMPARE(countPath(nam, path, "PUT"), 4);
    QCOMPARE(countPath(nam, path, "GET"), 4);
    for (const Seen &s : nam.seen)
        if (s.method == "PUT")
            QCOMPARE(s.header("If-Match"), QByteArray("\"7\""));
}

void TestVcdClient::patchSeesFreshEntity()
{
    const QString id = QStringLiteral("urn:vcloud:entity:cseconsole:serverInstance:2");
    int version = 1;
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        if (s.method == "GET")
            return json(200, entityJson(id, version * 10), {{"ETag", '"' + QByteArray::number(version) + '"'}});
        // The first PUT loses a race: someone else wrote version 2.
        if (s.header("If-Match") == "\"1\"") {
            version = 2;
            return json(412, {{QStringLiteral("minorErrorCode"), QStringLiteral("PRECONDITION_FAILED")}});
        }
        QJsonObject written = QJsonDocument::fromJson(s.body).object();
        written.insert(QStringLiteral("id"), id);
        return json(200, written, {{"ETag", "\"3\""}});
    });
    vcd::Client c(options(), &nam);
    QList<int> seenValues;
    auto r = vcd::await<rde::DefinedEntity>([&](auto done) {
        c.patch(id, [&](QJsonObject &e) -> Result<bool> {
            seenValues << e.value(QLatin1String("n")).toInt();
            e.insert(QStringLiteral("n"), e.value(QLatin1String("n")).toInt() + 1);
            return true;
        }, done);
    });
    QVERIFY(r.ok());
    QCOMPARE(seenValues, (QList<int>{10, 20}));
    QCOMPARE(r->entity.value(QLatin1String("n")).toInt(), 21);
    QCOMPARE(r->etag, QStringLiteral("\"3\""));
}

void TestVcdClient::serverErrorBackoff()
{
    int calls = 0;
    QElapsedTimer t;
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        if (++calls <= 2) {
            Canned down = json(503, {});
            if (calls == 2)
                down.error = QNetworkReply::ConnectionRefusedError;
            return down;
        }
        return json(200, {});
    });
    vcd::ConnectionOptions o = options();
    o.retryBaseMs = 40;
    vcd::Client c(o, &nam);
    QVERIFY(vcd::await<void>([&](auto done) { c.connectToSite(done); }).ok());
    t.start();
    QVERIFY(vcd::await<vcd::Reply>([&](auto done) { c.send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs")), done); }).ok());
    QCOMPARE(calls, 3);
    // Two waits: at least half of 40 ms and half of 80 ms (jitter keeps the upper half).
    QVERIFY2(t.elapsed() >= 20 + 40, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(c.stats().count(QStringLiteral("GET /cloudapi/1.0.0/orgs"), 503), 1);
    QCOMPARE(c.stats().count(QStringLiteral("GET /cloudapi/1.0.0/orgs"), 0), 1);
    QCOMPARE(c.stats().count(QStringLiteral("GET /cloudapi/1.0.0/orgs"), 200), 1);
}

void TestVcdClient::postIsNotRetried()
{
    FakeNam nam([&](const Seen &s) { return site(s).value_or(json(502, {})); });
    vcd::Client c(options(), &nam);
    QVERIFY(vcd::await<void>([&](auto done) { c.connectToSite(done); }).ok());
    auto r = vcd::await<QString>([&](auto done) { c.createEntity(QStringLiteral("urn:vcloud:type:a:b:1.0.0"), QStringLiteral("x"), {{QStringLiteral("a"), 1}}, done); });
    QCOMPARE(r.error().httpStatus, 502);
    QCOMPARE(countPath(nam, QStringLiteral("/cloudapi/1.0.0/entityTypes/urn:vcloud:type:a:b:1.0.0")), 1);
}

void TestVcdClient::pagingWithTotal()
{
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        const int page = QUrlQuery(s.url).queryItemValue(QStringLiteral("page")).toInt();
        QJsonArray values;
        for (int i = 0; i < (page < 3 ? 2 : 1); ++i)
            values.append(entityJson(QStringLiteral("id-%1-%2").arg(page).arg(i), page));
        Canned reply = json(200, {{QStringLiteral("resultTotal"), 5}, {QStringLiteral("pageCount"), 3}, {QStringLiteral("page"), page},
                                  {QStringLiteral("pageSize"), 2}, {QStringLiteral("values"), values}});
        reply.delayMs = (4 - page) * 10; // later pages answer first
        return reply;
    });
    vcd::Client c(options(), &nam);
    vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("cseconsole"), QStringLiteral("serverInstance"), QStringLiteral("1"));
    q.pageSize = 2;
    auto r = vcd::await<QList<rde::DefinedEntity>>([&](auto done) { c.listEntities(q, done); });
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 5);
    QCOMPARE(r->first().id, QStringLiteral("id-1-0"));
    QCOMPARE(r->last().id, QStringLiteral("id-3-0")); // kept in page order
    QCOMPARE(countPath(nam, QStringLiteral("/cloudapi/1.0.0/entities/types/cseconsole/serverInstance/1")), 3);
}

void TestVcdClient::pagingByLinks()
{
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        const int page = QUrlQuery(s.url).queryItemValue(QStringLiteral("page")).toInt();
        QJsonArray values{entityJson(QStringLiteral("id-%1").arg(page), page)};
        QList<QPair<QByteArray, QByteArray>> headers;
        if (page < 3)
            headers.append({"Link", "<https://elsewhere.example/cloudapi/1.0.0/entities/types/v/n/1?page=" + QByteArray::number(page + 1)
                                        + ">;rel=\"nextPage\";type=\"application/json\""});
        headers.append(qMakePair(QByteArray("Link"), QByteArray("<https://vcd.test/x?page=1>;rel=\"firstPage\"")));
        return json(200, {{QStringLiteral("values"), values}}, headers); // no pageCount
    });
    vcd::Client c(options(), &nam);
    auto r = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        c.listEntities(vcd::ListQuery::ofType(QStringLiteral("v"), QStringLiteral("n"), QStringLiteral("1")), done);
    });
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 3);
    QCOMPARE(r->last().id, QStringLiteral("id-3"));
    // Links to another host are followed on the configured site.
    for (const Seen &s : nam.seen)
        QCOMPARE(s.url.host(), QStringLiteral("vcd.test"));
}

// A provider's list in a tenant org: the later pages need the tenant context
// too (the Link-following pages used to be sent without it).
void TestVcdClient::linkPagingKeepsTenantContext()
{
    const QByteArray org = "urn:vcloud:org:0000-acme";
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        // Sent as go-vcloud-director sends it: the bare UUID (issue 20.9).
        if (s.header("X-VMWARE-VCLOUD-TENANT-CONTEXT") != "0000-acme")
            return json(200, {{QStringLiteral("values"), QJsonArray()}});
        const int page = QUrlQuery(s.url).queryItemValue(QStringLiteral("page")).toInt();
        QList<QPair<QByteArray, QByteArray>> headers;
        if (page < 3)
            headers.append({"Link", "<https://vcd.test/cloudapi/1.0.0/orgVdcNetworks?page=" + QByteArray::number(page + 1)
                                        + "&pageSize=1>;rel=\"nextPage\""});
        return json(200, {{QStringLiteral("values"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("net-%1").arg(page)}}}}},
                    headers);
    });
    vcd::Client c(options(), &nam);
    vcd::RequestSpec spec = vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks"));
    spec.tenantContext = QString::fromLatin1(org);
    auto r = vcd::await<QList<QJsonObject>>([&](auto done) { c.listValues(spec, done); });
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 3);
    QCOMPARE(r->last().value(QLatin1String("name")).toString(), QStringLiteral("net-3"));
    QCOMPARE(countPath(nam, QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks")), 3);
}

// The query service pages by its own total/page/pageSize attributes.
void TestVcdClient::queryServicePaging()
{
    const int total = 300;
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        const QUrlQuery q(s.url);
        const int page = q.queryItemValue(QStringLiteral("page")).toInt();
        const int pageSize = qMin(q.queryItemValue(QStringLiteral("pageSize")).toInt(), 128);
        QByteArray xml = "<QueryResultRecords xmlns=\"http://www.vmware.com/vcloud/v1.5\" total=\"" + QByteArray::number(total)
                         + "\" page=\"" + QByteArray::number(page) + "\" pageSize=\"" + QByteArray::number(pageSize) + "\">";
        for (int i = (page - 1) * pageSize; i < qMin(total, page * pageSize); ++i)
            xml += "<VAppRecord name=\"vapp-" + QByteArray::number(i) + "\" href=\"https://vcd.test/api/vApp/vapp-"
                   + QByteArray::number(i) + "\"/>";
        xml += "</QueryResultRecords>";
        Canned c{200, {{"Content-Type", "application/vnd.vmware.vcloud.query.records+xml"}}, xml};
        return c;
    });
    vcd::Client c(options(), &nam);
    vcd::RequestSpec spec = vcd::RequestSpec::get(QStringLiteral("/api/query"));
    spec.query.addQueryItem(QStringLiteral("type"), QStringLiteral("vApp"));
    spec.accept = "application/*+xml;version=37.2";
    auto r = vcd::await<QList<QXmlStreamAttributes>>([&](auto done) { c.listRecords(spec, done); });
    QVERIFY(r.ok());
    QCOMPARE(r->size(), total);
    QCOMPARE(r->at(128).value(QStringLiteral("name")).toString(), QStringLiteral("vapp-128"));
    QCOMPARE(r->last().value(QStringLiteral("name")).toString(), QStringLiteral("vapp-299"));
    QCOMPARE(countPath(nam, QStringLiteral("/api/query")), 3);
}

// A page VCD refuses as too large for one answer: the list starts again
// with smaller pages and still returns every item.
void TestVcdClient::refusedPageShrinks()
{
    const int total = 40;
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        const QUrlQuery q(s.url);
        const int page = q.queryItemValue(QStringLiteral("page")).toInt();
        const int pageSize = q.queryItemValue(QStringLiteral("pageSize")).toInt();
        if (pageSize > 10)
            return json(400, {{QStringLiteral("minorErrorCode"), QStringLiteral("BAD_REQUEST")},
                              {QStringLiteral("message"), QStringLiteral("this page would exceed the response limit")}});
        QJsonArray values;
        for (int i = (page - 1) * pageSize; i < qMin(total, page * pageSize); ++i)
            values.append(entityJson(QStringLiteral("id-%1").arg(i), i));
        return json(200, {{QStringLiteral("resultTotal"), total}, {QStringLiteral("pageCount"), (total + pageSize - 1) / pageSize},
                          {QStringLiteral("page"), page}, {QStringLiteral("pageSize"), pageSize}, {QStringLiteral("values"), values}});
    });
    vcd::Client c(options(), &nam);
    auto r = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        c.listEntities(vcd::ListQuery::ofType(QStringLiteral("v"), QStringLiteral("n"), QStringLiteral("1")), done);
    });
    QVERIFY2(r.ok(), r ? "" : qPrintable(r.error().toString()));
    QCOMPARE(r->size(), total);
    QCOMPARE(r->last().id, QStringLiteral("id-39"));
}

void TestVcdClient::errorsCarryDetails()
{
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        return json(403, {{QStringLiteral("minorErrorCode"), QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN")},
                          {QStringLiteral("message"), QStringLiteral("no right")}},
                    {{"X-VMWARE-VCLOUD-REQUEST-ID", "req-42"}});
    });
    vcd::Client c(options(), &nam);
    auto r = vcd::await<rde::DefinedEntity>([&](auto done) { c.getEntity(QStringLiteral("urn:vcloud:entity:a:b:5e0c3a52-8e8f-4a1b-9c53-0123456789ab"), done); });
    QVERIFY(!r.ok());
    const Error &e = r.error();
    QCOMPARE(e.httpStatus, 403);
    QCOMPARE(e.minorErrorCode, QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN"));
    QCOMPARE(e.requestId, QStringLiteral("req-42"));
    QCOMPARE(e.operation, QStringLiteral("GET /cloudapi/1.0.0/entities/{id}"));
    QCOMPARE(e.toString(), QStringLiteral("GET /cloudapi/1.0.0/entities/{id}: HTTP 403 [ACCESS_TO_RESOURCE_IS_FORBIDDEN] no right (request id req-42)"));
}

void TestVcdClient::concurrencyIsBounded()
{
    int peak = 0;
    vcd::Client *client = nullptr;
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        peak = qMax(peak, client->inFlight());
        Canned r = json(200, {});
        r.delayMs = 20;
        return r;
    });
    vcd::ConnectionOptions o = options();
    o.maxConcurrent = 3;
    vcd::Client c(o, &nam);
    client = &c;
    QVERIFY(vcd::await<void>([&](auto done) { c.connectToSite(done); }).ok());
    int done = 0;
    for (int i = 0; i < 12; ++i)
        c.send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs")), [&](Result<vcd::Reply>) { ++done; });
    QCOMPARE(c.inFlight(), 3);
    QTRY_COMPARE(done, 12);
    QCOMPARE(peak, 3);
}

void TestVcdClient::cancelAll()
{
    FakeNam nam([&](const Seen &s) {
        if (auto c = site(s))
            return *c;
        Canned r = json(200, {});
        r.delayMs = 5000;
        return r;
    });
    vcd::ConnectionOptions o = options();
    o.maxConcurrent = 1;
    vcd::Client c(o, &nam);
    QVERIFY(vcd::await<void>([&](auto done) { c.connectToSite(done); }).ok());
    QStringList outcomes;
    for (int i = 0; i < 3; ++i)
        c.send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs")), [&](Result<vcd::Reply> r) {
            outcomes << (r.ok() ? QStringLiteral("ok") : r.error().message);
        });
    c.cancelAll();
    QTRY_COMPARE(outcomes.size(), 3);
    QCOMPARE(outcomes, (QStringList{QStringLiteral("canceled"), QStringLiteral("canceled"), QStringLiteral("canceled")}));
}

void TestVcdClient::fiqlEscaping_data()
{
    QTest::addColumn<QString>("built");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << vcd::fiql::eq(QStringLiteral("name"), QStringLiteral("prod-1")) << "name==prod-1";
    QTest::newRow("wildcard kept") << vcd::fiql::eq(QStringLiteral("name"), QStringLiteral("prod*")) << "name==prod*";
    QTest::newRow("comma") << vcd::fiql::eq(QStringLiteral("name"), QStringLiteral("a,b")) << "name==\"a,b\"";
    QTest::newRow("quote and backslash") << vcd::fiql::ne(QStringLiteral("name"), QStringLiteral("say \"hi\"\\"))
                                         << "name!=\"say \\\"hi\\\"\\\\\"";
    QTest::newRow("semicolon paren") << vcd::fiql::eq(QStringLiteral("name"), QStringLiteral("x;(y)")) << "name==\"x;(y)\"";
    QTest::newRow("empty") << vcd::fiql::eq(QStringLiteral("externalId"), QString()) << "externalId==\"\"";
    QTest::newRow("bool") << vcd::fiql::eq(QStringLiteral("entity.spec.vcdKe.markForDelete"), true)
                          << "entity.spec.vcdKe.markForDelete==true";
    QTest::newRow("and of or") << vcd::fiql::allOf({vcd::fiql::anyOf({QStringLiteral("a==1"), QStringLiteral("b==2")}), QStringLiteral("c==3")})
                               << "(a==1,b==2);c==3";
    QTest::newRow("ge") << vcd::fiql::ge(QStringLiteral("creationDate"), QStringLiteral("2006-01-02T15:04:05.000Z"))
                        << "creationDate=ge=2006-01-02T15:04:05.000Z";
}

void TestVcdClient::fiqlEscaping()
{
    QFETCH(QString, built);
    QFETCH(QString, expected);
    QCOMPARE(built, expected);
}

void TestVcdClient::queryEncoding()
{
    FakeNam nam([&](const Seen &s) { return site(s).value_or(json(200, {{QStringLiteral("values"), QJsonArray{}}})); });
    vcd::Client c(options(), &nam);
    vcd::ListQuery q = vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1.2"));
    q.filter = vcd::fiql::allOf({vcd::fiql::eq(QStringLiteral("entity.status.capvcd.kubernetes"), QStringLiteral("v1.29.6+vmware.1")),
                                 vcd::fiql::eq(QStringLiteral("name"), QStringLiteral("a b"))});
    QVERIFY(vcd::await<QList<rde::DefinedEntity>>([&](auto done) { c.listEntities(q, done); }).ok());
    const QByteArray wire = nam.seen.last().url.toEncoded();
    QVERIFY2(wire.contains("v1.29.6%2Bvmware.1"), wire.constData());
    QVERIFY2(wire.contains("%22a%20b%22"), wire.constData());
    QCOMPARE(QUrlQuery(nam.seen.last().url).queryItemValue(QStringLiteral("filter"), QUrl::FullyDecoded),
             QStringLiteral("entity.status.capvcd.kubernetes==v1.29.6+vmware.1;name==\"a b\""));
}

void TestVcdClient::connectionOptions()
{
    QTemporaryDir dir;
    const QString secret = dir.filePath(QStringLiteral("token"));
    QFile f(secret);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("tok-123\n");
    f.close();
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    auto parse = [](const QStringList &args) {
        QCommandLineParser p;
        vcd::ConnectionOptions::addOptions(p);
        if (!p.parse(QStringList{QStringLiteral("tool")} + args))
            return Result<vcd::ConnectionOptions>(makeError(p.errorText()));
        return vcd::ConnectionOptions::fromParser(p);
    };
    auto loose = parse({QStringLiteral("--vcd"), QStringLiteral("https://v"), QStringLiteral("--org"), QStringLiteral("acme"),
                        QStringLiteral("--token-file"), secret});
    QVERIFY(!loose.ok());
    QVERIFY(loose.error().message.contains(QLatin1String("chmod 600")));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto good = parse({QStringLiteral("--vcd"), QStringLiteral("https://v"), QStringLiteral("--org"), QStringLiteral("acme"),
                       QStringLiteral("--token-file"), secret, QStringLiteral("--fingerprint"), QStringLiteral("AA")});
    QVERIFY(good.ok());
    QCOMPARE(good->apiToken, QStringLiteral("tok-123"));
    auto plain = parse({QStringLiteral("--vcd"), QStringLiteral("https://v"), QStringLiteral("--org"), QStringLiteral("acme"),
                        QStringLiteral("--password"), QStringLiteral("hunter2")});
    QVERIFY(!plain.ok());
    QVERIFY(plain.error().message.contains(QLatin1String("not accepted as command-line values")));
    QVERIFY(!plain.error().message.contains(QLatin1String("hunter2")));
    auto noCreds = parse({QStringLiteral("--vcd"), QStringLiteral("https://v"), QStringLiteral("--org"), QStringLiteral("acme")});
    QVERIFY(!noCreds.ok() || !qEnvironmentVariableIsEmpty("CSE_VCD_API_TOKEN"));
    auto badUrl = parse({QStringLiteral("--vcd"), QStringLiteral("vcd.example.com"), QStringLiteral("--org"), QStringLiteral("acme"),
                         QStringLiteral("--token-file"), secret});
    QVERIFY(badUrl.error().message.contains(QLatin1String("https://HOST")));
    QCOMPARE(vcd::parseFingerprint(QStringLiteral("sha256:") + QString(64, QLatin1Char('a'))).size(), 32);
    QVERIFY(vcd::parseFingerprint(QStringLiteral("AB:CD")).isEmpty());
}

void TestVcdClient::credentialsInUrlAreRefused_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("user and password") << QStringLiteral("https://administrator:SECRET@vcd.example.com");
    QTest::newRow("with port and path") << QStringLiteral("https://administrator:SECRET@vcd.example.com:8443/cloudapi");
    QTest::newRow("password only") << QStringLiteral("https://:SECRET@vcd.example.com");
    QTest::newRow("token as user") << QStringLiteral("https://SECRET@vcd.example.com");
    QTest::newRow("no scheme") << QStringLiteral("administrator:SECRET@vcd.example.com");
    QTest::newRow("percent-encoded") << QStringLiteral("https://admin%40System:SECRET@vcd.example.com");
    QTest::newRow("unparsable port") << QStringLiteral("https://admin:SECRET@vcd.example.com:port");
}

// Credentials never come from a URL, and the refusal never repeats them:
// from the option, from the environment, and for options built in code
// (a profile) through validate().
void TestVcdClient::credentialsInUrlAreRefused()
{
    QFETCH(QString, url);
    auto parsed = vcd::ConnectionOptions::parseUrl(url);
    QVERIFY(!parsed.ok());
    QVERIFY(parsed.error().is(ErrorKind::Invalid));
    QVERIFY2(parsed.error().message.contains(QLatin1String("--password-file"))
                 && parsed.error().message.contains(QLatin1String("--token-file")),
             qPrintable(parsed.error().message));
    QVERIFY(!parsed.error().toString().contains(QLatin1String("SECRET")));

    QCommandLineParser p;
    vcd::ConnectionOptions::addOptions(p);
    QVERIFY(p.parse({QStringLiteral("tool"), QStringLiteral("--vcd"), url, QStringLiteral("--org"), QStringLiteral("acme")}));
    auto fromOption = vcd::ConnectionOptions::fromParser(p);
    QVERIFY(!fromOption.ok());
    QVERIFY(!fromOption.error().toString().contains(QLatin1String("SECRET")));

    qputenv("CSE_VCD_URL", url.toUtf8());
    QCommandLineParser q;
    vcd::ConnectionOptions::addOptions(q);
    QVERIFY(q.parse({QStringLiteral("tool"), QStringLiteral("--org"), QStringLiteral("acme")}));
    auto fromEnv = vcd::ConnectionOptions::fromParser(q);
    qunsetenv("CSE_VCD_URL");
    QVERIFY(!fromEnv.ok());
    QVERIFY2(fromEnv.error().message.contains(QLatin1String("credentials are never taken from a URL")),
             qPrintable(fromEnv.error().message));
    QVERIFY(!fromEnv.error().toString().contains(QLatin1String("SECRET")));

    vcd::ConnectionOptions built;
    built.url = QUrl(url.contains(QLatin1String("://")) ? url : QStringLiteral("https://") + url);
    built.org = QStringLiteral("acme");
    built.apiToken = QStringLiteral("tok");
    if (!built.url.userInfo().isEmpty()) {
        auto v = built.validate();
        QVERIFY(!v.ok());
        QVERIFY(!v.error().toString().contains(QLatin1String("SECRET")));
    }
}

void TestVcdClient::tlsPinning()
{
    QTemporaryDir dir;
    auto id = sim::ensureTlsIdentity(dir.path());
    QVERIFY(id.ok());
    http::HttpServer server;
    server.setTls(id->certificate, id->key);
    server.setHandler([](const http::HttpRequest &, const http::Responder &r) {
        http::HttpResponse resp;
        resp.body = versionsXml({QStringLiteral("37.2")});
        r.respond(resp);
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    vcd::ConnectionOptions o = options();
    o.url = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));
    o.maxRetries = 0;
    const QString real = id->fingerprint();

    // Self-signed and nothing pinned: refused, and the error shows what was presented.
    vcd::Client unpinned(o);
    auto r1 = vcd::await<void>([&](auto done) { unpinned.connectToSite(done); });
    QVERIFY(!r1.ok());
    QVERIFY2(r1.error().message.contains(real), qPrintable(r1.error().message));
    // Wrong pin: refused, naming both fingerprints.
    o.fingerprint = QString(real).replace(0, 2, real.startsWith(QLatin1String("00")) ? QStringLiteral("11") : QStringLiteral("00"));
    vcd::Client wrong(o);
    auto r2 = vcd::await<void>([&](auto done) { wrong.connectToSite(done); });
    QVERIFY(!r2.ok());
    QVERIFY(r2.error().message.contains(QLatin1String("does not match the pinned")));
    QVERIFY(r2.error().message.contains(real));
    // Right pin: versions are read; the login then fails (this server has none), which is fine.
    o.fingerprint = real;
    vcd::Client right(o);
    auto r3 = vcd::await<void>([&](auto done) { right.connectToSite(done); });
    QCOMPARE(right.apiVersion(), QStringLiteral("37.2"));
    QVERIFY(!r3.ok() || right.isConnected());
    // An extra CA file instead of a pin: the self-signed certificate is trusted.
    vcd::ConnectionOptions withCa = options();
    withCa.url = o.url;
    withCa.maxRetries = 0;
    withCa.caFile = dir.filePath(QStringLiteral("tls-cert.pem"));
    vcd::Client trusted(withCa);
    (void)vcd::await<void>([&](auto done) { trusted.connectToSite(done); }); // login fails here: no login route
    QCOMPARE(trusted.apiVersion(), QStringLiteral("37.2"));
    // Trust on first use: read the fingerprint to show a person.
    auto fp = vcd::await<QString>([&](auto done) { vcd::Client::fetchFingerprint(o.url, done); });
    QVERIFY(fp.ok());
    QCOMPARE(*fp, real);
}

void TestVcdClient::perCallTimeout()
{
    // A server that accepts the request and never answers.
    http::HttpServer server;
    server.setHandler([](const http::HttpRequest &, const http::Responder &) {});
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    vcd::ConnectionOptions o = options();
    o.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()));
    o.timeoutMs = 300;
    o.maxRetries = 1;
    vcd::Client c(o);
    auto r = vcd::await<void>([&](auto done) { c.connectToSite(done); }, 30000);
    QVERIFY2(!r.ok() && !r.error().message.startsWith(QLatin1String("timed out after")), "the per-call timeout did not fire");
    QCOMPARE(r.error().httpStatus, 0);
    QCOMPARE(c.stats().count(QStringLiteral("GET /api/versions"), 0), 2); // first try + one retry, both timed out
}

QTEST_GUILESS_MAIN(TestVcdClient)
#include "tst_vcdclient.moc"
