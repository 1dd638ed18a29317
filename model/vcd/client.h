// The VCD REST client used by the console, the server, backup/restore and
// the benchmarks. Asynchronous (callbacks on the owning thread); results
// are values, never exceptions. Secrets never reach a log or an error.
#pragma once

#include "connectionoptions.h"
#include "core/result.h"
#include "rde/definedentity.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>
#include <QUrlQuery>
#include <QXmlStreamAttributes>
#include <deque>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace cse::vcd {

template<typename T>
using Callback = std::function<void(Result<T>)>;

struct Reply
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const;          // first value, case-insensitive
    QList<QByteArray> headerValues(const QByteArray &name) const;
    QJsonObject json() const;
};

struct RequestSpec
{
    QByteArray method = "GET";
    QString path;            // "/cloudapi/1.0.0/..." or an absolute URL on the same site
    QUrlQuery query;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray accept;       // default: application/json;version=X
    // Org id sent as X-VMWARE-VCLOUD-TENANT-CONTEXT (a provider acting in a
    // tenant org); empty: the connection's own. A list sends it on every page.
    QString tenantContext;
    bool authenticated = true;
    std::optional<bool> idempotent; // default: GET, HEAD, PUT, DELETE

    static RequestSpec get(const QString &path)
    {
        RequestSpec s;
        s.path = path;
        return s;
    }
};

struct ListQuery
{
    QString vendor;
    QString nss;
    QString version;         // may be a prefix: "1" or "1.2"
    bool byInterface = false;
    QString filter;          // FIQL (see fiql.h)
    QString sortAsc;
    QString sortDesc;
    QString tenantContext;   // org id to list in (provider users); empty: the client's own
    QString tenantContextName; // that org's name (sent as X-VMWARE-VCLOUD-AUTH-CONTEXT)
    int pageSize = 128;      // at most Client::kMaxPageSize

    static ListQuery ofType(const QString &vendor, const QString &nss, const QString &version)
    {
        ListQuery q;
        q.vendor = vendor;
        q.nss = nss;
        q.version = version;
        return q;
    }
    static ListQuery ofInterface(const QString &vendor, const QString &nss, const QString &version)
    {
        ListQuery q = ofType(vendor, nss, version);
        q.byInterface = true;
        return q;
    }
};

struct RequestStats
{
    QMap<QString, QMap<int, int>> byRoute; // "GET /cloudapi/1.0.0/entities/{id}" -> status -> count (0: no answer)
    int total() const;
    int count(const QString &route, int status) const { return byRoute.value(route).value(status); }
    void add(const RequestStats &other); // sums the counts
    QJsonObject toJson() const;
};

// The headers that make a provider user's call act in the org: its bare UUID
// (an org URN is cut to it) and, when given, its name as the auth context.
QList<QPair<QByteArray, QByteArray>> tenantContextHeaders(const QString &orgId, const QString &orgName);

// A task answer, JSON or XML (Task with Owner, Error, Progress,
// Result/ResultContent), as the JSON task's fields.
QJsonObject taskJson(const Reply &r);

// Names the call in errors and metrics, with ids replaced by {id}.
QString routeTemplate(const QByteArray &method, const QString &path);

class Client : public QObject
{
    Q_OBJECT
public:
    explicit Client(ConnectionOptions options, QNetworkAccessManager *nam = nullptr, QObject *parent = nullptr);
    ~Client() override;

    const ConnectionOptions &options() const { return m_options; }
    void setTenantContext(const QString &orgId, const QString &orgName = {})
    {
        m_options.tenantContext = orgId;
        noteOrgName(orgId, orgName);
    }
    // Org names sent with a tenant context naming that org's id.
    void noteOrgName(const QString &orgId, const QString &orgName);

    // GET /api/versions, pick the version, log in.
    void connectToSite(Callback<void> done);
    bool isConnected() const { return !m_token.isEmpty(); }
    QString apiVersion() const { return m_version; }
    QJsonObject session() const { return m_session; }
    void logout(Callback<void> done);

    // Any call: adds version, token, tenant context; retries idempotent calls
    // on network errors and 5xx; re-authenticates once on 401.
    void send(RequestSpec spec, Callback<Reply> done);

    void getEntity(const QString &id, Callback<rde::DefinedEntity> done);
    void createEntity(const QString &typeId, const QString &name, const QJsonObject &entity, Callback<QString> done);
    void updateEntity(const rde::DefinedEntity &e, Callback<rde::DefinedEntity> done); // If-Match e.etag when set
    void resolveEntity(const QString &id, Callback<rde::DefinedEntity> done);
    void deleteEntity(const QString &id, const QString &etag, Callback<void> done);
    void listEntities(const ListQuery &q, Callback<QList<rde::DefinedEntity>> done);
    // How many entities the list has (resultTotal of a one-entity page).
    void countEntities(const ListQuery &q, Callback<int> done);

    // THE paged list: every collection the product reads goes through it.
    // Sends FIRST with page=1 and pageSize (at most kMaxPageSize), then reads
    // every further page: by page number when the answer gives its page count
    // (cloudapi pageCount, the query service's total/pageSize), else by the
    // nextPage Link (header or XML element). Every page carries FIRST's
    // headers and tenant context. A page refused with 400 restarts the list
    // with a smaller page (VCD refuses a page that would exceed its response
    // limit) down to one item. The replies come back in page order.
    static constexpr int kMaxPageSize = 128; // VCD's maximum (govcd openapi.go OpenApiGetAllItems)
    void listPages(RequestSpec first, Callback<QList<Reply>> done, int pageSize = kMaxPageSize);
    // A cloudapi collection: the "values" of every page.
    void listValues(RequestSpec first, Callback<QList<QJsonObject>> done);
    // The query service (/api/query, XML): the records of every page.
    void listRecords(RequestSpec first, Callback<QList<QXmlStreamAttributes>> done);
    void invokeBehavior(const QString &id, const QString &behaviorId, const QJsonObject &arguments, Callback<QJsonObject> done);
    void getFullEntity(const QString &id, Callback<rde::DefinedEntity> done);
    // Polls until the task ends: its JSON (an XML task is read into the same
    // fields: status, operationName, owner, error.message, result.resultContent).
    void waitForTask(const QString &taskUrl, Callback<QJsonObject> done, int timeoutMs = 600000);
    // The entity a create task names as its owner, as soon as it names one:
    // VCD keeps an entity's create task running until the entity is resolved.
    void createdEntityId(const QString &taskUrl, Callback<QString> done, int timeoutMs = 60000);

    // GET, change, PUT If-Match; on 412 re-read and re-apply with jittered
    // backoff. The change sees the fresh entity each time; returning false
    // means "nothing to change" (no PUT).
    using Change = std::function<Result<bool>(QJsonObject &entity)>;
    void patch(const QString &id, Change change, Callback<rde::DefinedEntity> done, int maxAttempts = 10);

    void cancelAll(); // aborts in-flight and queued calls ("canceled")
    int inFlight() const { return m_inFlight; }
    const RequestStats &stats() const { return m_stats; }

    // Trust on first use: the SHA-256 fingerprint a server presents.
    static void fetchFingerprint(const QUrl &url, Callback<QString> done, int timeoutMs = 10000);

private:
    struct Job;
    void enqueue(std::shared_ptr<Job> job);
    void pump();
    void dispatch(std::shared_ptr<Job> job);
    void finished(std::shared_ptr<Job> job, QNetworkReply *reply);
    void negotiate(Callback<void> done);
    void pollTask(const QString &taskUrl, bool untilOwner, Callback<QJsonObject> done, int timeoutMs);
    void authenticate(Callback<void> done);
    void login(Callback<void> done);
    Error errorFrom(const QByteArray &method, const QString &path, const Reply &r, const QString &networkError) const;
    void patchAttempt(const QString &id, Change change, Callback<rde::DefinedEntity> done, int attempt, int maxAttempts);
    QUrl resolve(const QString &path) const;

    ConnectionOptions m_options;
    QNetworkAccessManager *m_nam;
    bool m_ownsNam = false;
    QString m_version;
    QString m_loginUrl;
    QString m_providerLoginUrl;
    QString m_token;        // secret: never logged
    QJsonObject m_session;
    QHash<QString, QString> m_orgNames; // bare org UUID -> name
    QList<QSslCertificate> m_extraCa;
    QByteArray m_pin;
    std::deque<std::shared_ptr<Job>> m_queue;
    QList<QPointer<QNetworkReply>> m_active;
    int m_inFlight = 0;
    bool m_authenticating = false;
    QList<Callback<void>> m_authWaiters;
    RequestStats m_stats;
    quint64 m_generation = 0; // bumped by cancelAll
    bool m_destroying = false;
};

// Runs an asynchronous call to completion on a local event loop (for
// command-line tools and tests; never in the GUI thread's normal path).
template<typename T>
Result<T> await(const std::function<void(Callback<T>)> &start, int timeoutMs = 120000)
{
    std::optional<Result<T>> out;
    QEventLoop loop;
    start([&](Result<T> r) {
        out.emplace(std::move(r));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!out)
        return makeError(ErrorKind::Unreachable, QStringLiteral("timed out after %1 ms").arg(timeoutMs));
    return std::move(*out);
}

} // namespace cse::vcd
