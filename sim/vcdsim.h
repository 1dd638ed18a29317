// vcd-sim: the VCD cloudapi subset CSE uses, with persistent storage,
// simulated infrastructure and fault injection.
#pragma once

#include "core/result.h"
#include "faults.h"
#include "http/httpserver.h"
#include "loginthrottle.h"
#include "store.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>

namespace cse::sim {

using http::HttpRequest;
using http::HttpResponse;
using http::HttpServer;
using http::Responder;

struct SimOptions
{
    QString dataDir;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 port = 8443;
    QString dbUrl;            // empty: SQLite in dataDir
    bool plainHttp = false;
    QString adminPassword;    // empty: keep the stored one, else generate into DIR/admin-password (never from argv)
    bool seedDemo = false;
    bool seedTenantsOnly = false; // with seedDemo: orgs, users, VDCs, networks only (a rebuilt site)
    // A System-org user's entity list without a tenant context: every org's
    // entities of the type (VCD with the Administrator View right), or only
    // the System org's (false, the default).
    // What a System user's entity list without a tenant context shows
    // (VcdSim::listEntities): Rights (Administrator View holders see every
    // org), All (the System Administrator too), System (the System org only).
    enum class ProviderVisibility { Rights, All, System };
    ProviderVisibility providerVisibility = ProviderVisibility::Rights;
    int tenants = 0;          // with seedDemo: orgs tenant-0001 ... tenant-N, each as acme (users, VDC, network, API token)
    QString manyVdcsOrg;      // with seedDemo: this org gets manyVdcs more VDCs, each with a network (paging tests)
    int manyVdcs = 0;
    int latencyMs = 100;      // duration of one simulated infrastructure step
    QList<FaultRule> faults;
    int sessionIdleSeconds = 1800;
    bool runControllers = true;
    QStringList apiVersions;  // --api-versions: what /api/versions offers (empty: 35.0 ... 38.0)
    bool listInMemory = false; // entity lists: the in-memory evaluator over every entity (a benchmark's baseline)
    http::HttpLimits http;    // timeouts, connection cap, body and response sizes
    LoginThrottle::Limits login;
    LoginThrottle::Clock loginClock; // empty: monotonic
};

// The authenticated user of one request.
struct Caller
{
    UserRow user;
    OrgRow org;         // the user's own org
    OrgRow effective;   // org acted in (tenant context for System-org users)
    bool provider = false; // System Administrator: every right, every org
    bool system = false;   // a user of the System org (may send a tenant context)
    QSet<QString> rights;  // the rights of the user's role (README "how vcd-sim follows VCD")
    QByteArray tokenHash;
    QString sessionId;
    bool hasRight(const QString &right) const { return provider || rights.contains(right); }
    bool hasAnyRight(const QStringList &any) const;
    // Changes to vApps and VMs of the legacy API.
    bool canWrite() const;
};
class InfraController;
class LegacyApi;

class VcdSim : public QObject
{
    Q_OBJECT
public:
    explicit VcdSim(QObject *parent = nullptr);
    ~VcdSim() override;

    Result<void> start(const SimOptions &options);
    QString baseUrl() const;    // https://127.0.0.1:PORT
    QString fingerprint() const;
    quint16 port() const;
    Store &store() { return *m_store; }
    Faults &faults() { return m_faults; }
    const SimOptions &options() const { return m_options; }
    QStringList apiVersions() const;
    static QStringList defaultApiVersions();

    // Graceful stop: no new connections, finish in-flight requests.
    void shutdown(int graceMs = 5000);

Q_SIGNALS:
    void stopped();

private:
    friend class InfraController;
    friend class LegacyApi;
    friend class GuestSimulator;
    void handle(const HttpRequest &req, const Responder &resp);
    HttpResponse route(const HttpRequest &req, const Caller *caller);
    Result<void> ensureProviderAdmin();
    Result<void> prepareDataDir();
    Result<void> seedDemo();
    Result<void> seedTenants(QMap<QString, UserRow> &admins);
    HttpResponse createOrg(const HttpRequest &req, const Caller &c);

    // route groups
    HttpResponse versions(const HttpRequest &req);
    HttpResponse login(const HttpRequest &req, bool provider);
    HttpResponse oauthToken(const HttpRequest &req, const QString &orgName);
    HttpResponse sessionCurrent(const HttpRequest &req, const Caller &c);
    HttpResponse orgs(const HttpRequest &req, const Caller &c, const QString &id);
    HttpResponse vdcsAndNetworks(const HttpRequest &req, const Caller &c, bool networks);
    HttpResponse entityTypes(const HttpRequest &req, const Caller &c, const QString &id);
    HttpResponse interfaces(const HttpRequest &req, const Caller &c, const QString &rest);
    HttpResponse behaviorAcls(const HttpRequest &req, const Caller &c, const QString &typeId);
    HttpResponse roleObjects(const HttpRequest &req, const Caller &c, const QString &kind, const QString &rest);
    // Whether getFullEntity may run on the type: its interface defines the
    // behavior and the type's behavior ACL grants it (CSE's install makes both).
    bool behaviorAllowed(const QString &typeId, const QString &behaviorId);
    HttpResponse createEntity(const HttpRequest &req, const Caller &c, const QString &typeId);
    HttpResponse entity(const HttpRequest &req, const Caller &c, const QString &id, const QString &rest);
    HttpResponse listEntities(const HttpRequest &req, const Caller &c, const QStringList &typeIds);
    HttpResponse task(const HttpRequest &req, const Caller &c, const QString &id);
    HttpResponse xsim(const HttpRequest &req, const Caller &c, const QString &rest);

    Result<Caller> authenticate(const HttpRequest &req);
    Result<QSet<QString>> rightsOf(const UserRow &user);
    // What the caller may do with entities of a type in an org (README).
    enum class EntityOp { Read, Modify, Delete, Create };
    bool mayEntity(const Caller &c, const QString &typeId, const QString &orgId, EntityOp op);
    bool isEntityTask(const QString &taskId);
    bool mayReadTask(const Caller &c, const TaskRow &t) const;
    Result<QString> createSession(const UserRow &user, qint64 *expiresInSeconds);
    QStringList securePathsOf(const QString &typeId);
    QJsonObject maskSecure(const QString &typeId, QJsonObject entity);
    QString hostUrl(const HttpRequest &req) const;
    qint64 maxListBytes() const { return m_options.http.maxResponseBytes; }
    // running: the task stays `running` at 1 % until something ends it (an
    // entity's create task: its resolve or its deletion).
    QString newTask(const QString &operationName, const QString &operation, const EntityRow &owner,
                    const QString &resultContent, const Caller &startedBy, bool running = false);
    Result<void> writeEntityWithRetry(const QString &id, const std::function<bool(EntityRow &)> &change,
                                      const QString &clientId);

    SimOptions m_options;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<HttpServer> m_http;
    std::unique_ptr<InfraController> m_infra;
    LegacyApi *m_legacy = nullptr; // the legacy XML API (sim/vapps.*), a child QObject
    Faults m_faults;
    std::unique_ptr<LoginThrottle> m_throttle;
    QByteArray m_dummySalt; // unknown users cost the same PBKDF2 work as known ones
    QString m_fingerprint;
    QHash<QString, QStringList> m_secureCache;
    bool m_stopping = false;
};

} // namespace cse::sim
