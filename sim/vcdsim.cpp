#include "vcdsim.h"

#include "entitylist.h"

#include "core/logging.h"
#include "credentials.h"
#include "fiql.h"
#include "infra.h"
#include "rde/cserights.h"
#include "rde/json.h"
#include "rde/schemavalidator.h"
#include "rde/types.h"
#include "tls.h"
#include "vapps.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QUuid>
#include <QXmlStreamWriter>
#include <cerrno>
#include <cmath>
#include <optional>
#include <sys/stat.h>

namespace cse::sim {


namespace {

const QStringList kVersions = {QStringLiteral("35.0"), QStringLiteral("35.2"), QStringLiteral("36.0"), QStringLiteral("36.1"),
                               QStringLiteral("36.2"), QStringLiteral("36.3"), QStringLiteral("37.0"), QStringLiteral("37.1"),
                               QStringLiteral("37.2"), QStringLiteral("37.3"), QStringLiteral("38.0")};
const QString kSystemOrg = QStringLiteral("System");
const QString kCloudApi = QStringLiteral("/cloudapi/1.0.0/");
const QString kXsim = QStringLiteral("/cloudapi/x-sim/1.0.0/");
const QString kCreateEntityTask = QStringLiteral("createDefinedEntity");

QString uuid() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

QByteArray randomToken(int bytes)
{
    return randomBytes(bytes).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// Who wrote, for the audit log: our clients send X-CSE-CLIENT-ID, others a User-Agent.
QString clientIdOf(const HttpRequest &req)
{
    const QByteArray id = req.header("x-cse-client-id");
    return QString::fromUtf8(id.isEmpty() ? req.header("user-agent") : id);
}

HttpResponse error(int status, const QString &minor, const QString &message)
{
    const QJsonObject body{{QStringLiteral("minorErrorCode"), minor}, {QStringLiteral("message"), message},
                           {QStringLiteral("stackTrace"), QJsonValue::Null}};
    return HttpResponse::json(status, json::canonical(body));
}

HttpResponse fromError(const Error &e)
{
    const int status = e.httpStatus ? e.httpStatus : 500;
    QString minor = e.minorErrorCode;
    if (minor.isEmpty())
        minor = status == 400 ? QStringLiteral("BAD_REQUEST") : status == 403 ? QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN")
                              : status == 412 ? QStringLiteral("PRECONDITION_FAILED") : QStringLiteral("INTERNAL_SERVER_ERROR");
    return error(status, minor, e.message);
}

HttpResponse ok(const QJsonObject &o, int status = 200)
{
    return HttpResponse::json(status, json::canonical(o));
}

HttpResponse xmlReply(const QByteArray &xml, const QByteArray &contentType)
{
    HttpResponse r;
    r.body = xml;
    r.header("Content-Type", contentType);
    return r;
}

HttpResponse badRequest(const QString &m) { return error(400, QStringLiteral("BAD_REQUEST"), m); }
HttpResponse forbidden(const QString &m = QStringLiteral("Either you need some or all of the following rights "
                                                           "[ACCESS_TO_RESOURCE] or the target entity is invalid."))
{
    return error(403, QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN"), m);
}
HttpResponse notFound(const HttpRequest &req)
{
    return error(404, QStringLiteral("NOT_FOUND"),
                 QStringLiteral("No resource at %1 %2").arg(QString::fromLatin1(req.method), req.path));
}
HttpResponse methodNotAllowed(const HttpRequest &req)
{
    return error(405, QStringLiteral("METHOD_NOT_ALLOWED"),
                 QStringLiteral("%1 is not supported on %2").arg(QString::fromLatin1(req.method), req.path));
}

Result<QJsonObject> bodyObject(const HttpRequest &req)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &err);
    if (err.error != QJsonParseError::NoError) {
        Error e = makeError(QStringLiteral("Malformed JSON at offset %1: %2").arg(err.offset).arg(err.errorString()));
        e.httpStatus = 400;
        return e;
    }
    if (!doc.isObject()) {
        Error e = makeError(QStringLiteral("Request body must be a JSON object"));
        e.httpStatus = 400;
        return e;
    }
    return doc.object();
}

// The API version asked for in Accept, empty when none is named.
QString acceptVersion(const HttpRequest &req)
{
    static const QRegularExpression re(QStringLiteral("version\\s*=\\s*([0-9.]+)"));
    const auto m = re.match(QString::fromLatin1(req.header("accept")));
    return m.hasMatch() ? m.captured(1) : QString();
}

QString orgUrn(const QString &id) { return id.startsWith(QLatin1String("urn:")) ? id : QStringLiteral("urn:vcloud:org:") + id; }

bool typeKey(const QString &k)
{
    return QStringList{QStringLiteral("id"), QStringLiteral("vendor"), QStringLiteral("nss"), QStringLiteral("version"),
                       QStringLiteral("name"), QStringLiteral("description")}.contains(k);
}
bool vdcKey(const QString &k)
{
    return QStringList{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("org.name"), QStringLiteral("org.id"),
                       QStringLiteral("orgVdc.name"), QStringLiteral("orgVdc.id"), QStringLiteral("orgRef.name")}.contains(k);
}
bool orgKey(const QString &k)
{
    return QStringList{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("displayName"),
                       QStringLiteral("isEnabled")}.contains(k);
}

struct PageParams
{
    int page = 1;
    int pageSize = 25;
};

Result<PageParams> pageParams(const HttpRequest &req)
{
    PageParams p;
    auto read = [&](const char *name, int &field) -> Result<void> {
        const QString v = req.query.queryItemValue(QLatin1String(name));
        if (v.isEmpty())
            return {};
        bool ok = false;
        const int n = v.toInt(&ok);
        if (!ok || n < 1) {
            Error e = makeError(QStringLiteral("%1 must be a whole number >= 1, got \"%2\"").arg(QLatin1String(name), v));
            e.httpStatus = 400;
            return e;
        }
        field = n;
        return {};
    };
    if (auto r = read("page", p.page); !r)
        return r.error();
    if (auto r = read("pageSize", p.pageSize); !r)
        return r.error();
    p.pageSize = qMin(p.pageSize, 128);
    return p;
}

// What a FIQL key or sort field selects from a record, and the record as JSON.
template<typename T>
struct ListAccess
{
    std::function<QJsonValue(const T &, const QString &key)> field;
    std::function<QJsonObject(const T &)> json;
};

ListAccess<QJsonObject> jsonAccess()
{
    return {[](const QJsonObject &o, const QString &key) { return FiqlFilter::select(o, key); },
            [](const QJsonObject &o) { return o; }};
}

// What a list request asks for; the 400s come in this order: the filter,
// page and pageSize, an unknown sort field.
struct ListParams
{
    FiqlFilter filter;
    PageParams page;
    QString sortKey;      // empty: natural order
    bool descending = false;
};

Result<ListParams> listParams(const HttpRequest &req, FiqlFilter::KeyCheck keys)
{
    ListParams lp;
    auto filter = FiqlFilter::parse(req.query.queryItemValue(QStringLiteral("filter"), QUrl::FullyDecoded), keys);
    if (!filter)
        return filter.error();
    lp.filter = *filter;
    auto pp = pageParams(req);
    if (!pp)
        return pp.error();
    lp.page = *pp;
    const QString asc = req.query.queryItemValue(QStringLiteral("sortAsc"));
    const QString desc = req.query.queryItemValue(QStringLiteral("sortDesc"));
    lp.sortKey = asc.isEmpty() ? desc : asc;
    lp.descending = asc.isEmpty();
    if (!lp.sortKey.isEmpty() && !keys(lp.sortKey)) {
        Error e = makeError(QStringLiteral("cannot sort by unknown field \"%1\"").arg(lp.sortKey));
        e.httpStatus = 400;
        e.minorErrorCode = QStringLiteral("BAD_REQUEST");
        return e;
    }
    return lp;
}

// One page of a list (`items` are the page's records, `total` counts every
// match), with VCD's Link headers. Each value is serialised once; the page is
// refused, naming the limit and a page size that fits, once its bytes pass
// what one answer may carry.
template<typename T>
HttpResponse pageResponse(const HttpRequest &req, const QString &host, const QString &model, const PageParams &pp, int total,
                          const QList<const T *> &items, const std::function<QJsonObject(const T &)> &json, qint64 maxBytes)
{
    const int pageCount = (total + pp.pageSize - 1) / pp.pageSize;
    QList<QByteArray> values;
    qint64 bytes = 0;
    const qint64 first = qint64(pp.page - 1) * pp.pageSize;
    for (const T *item : items) {
        values.append(json::canonical(json(*item)));
        bytes += values.last().size() + 1;
        if (maxBytes > 0 && bytes + 256 > maxBytes) {
            const int fits = qMax(1, int(values.size()) - 1);
            return error(400, QStringLiteral("BAD_REQUEST"),
                         QStringLiteral("this page would exceed the response limit of %1 bytes after %2 of its %3 items; "
                                        "ask for pageSize=%4 or less")
                             .arg(maxBytes).arg(values.size()).arg(qMin(qint64(pp.pageSize), total - first)).arg(fits));
        }
    }
    // "values" sorts last, so the page's items go just before the closing "]}".
    QByteArray envelope = json::canonical(QJsonObject{{QStringLiteral("resultTotal"), total}, {QStringLiteral("pageCount"), pageCount},
                                                      {QStringLiteral("page"), pp.page}, {QStringLiteral("pageSize"), pp.pageSize},
                                                      {QStringLiteral("associations"), QJsonValue::Null},
                                                      {QStringLiteral("values"), QJsonArray()}});
    Q_ASSERT(envelope.endsWith("[]}"));
    envelope.chop(2);
    envelope.reserve(envelope.size() + bytes + 2);
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            envelope += ',';
        envelope += values.at(i);
    }
    envelope += "]}";
    values.clear();
    HttpResponse r = HttpResponse::json(200, envelope);
    auto link = [&](int page, const char *rel) {
        QUrlQuery q = req.query;
        q.removeAllQueryItems(QStringLiteral("page"));
        q.addQueryItem(QStringLiteral("page"), QString::number(page));
        if (!q.hasQueryItem(QStringLiteral("pageSize")))
            q.addQueryItem(QStringLiteral("pageSize"), QString::number(pp.pageSize));
        const QString url = host + QString::fromUtf8(QUrl::toPercentEncoding(req.path, "/:")) + QLatin1Char('?')
                            + q.toString(QUrl::FullyEncoded);
        r.header("Link", QStringLiteral("<%1>;rel=\"%2\";type=\"application/json\";model=\"%3\"")
                             .arg(url, QLatin1String(rel), model).toUtf8());
    };
    if (pageCount > 0) {
        if (pp.page < pageCount)
            link(pp.page + 1, "nextPage");
        if (pp.page > 1 && pp.page <= pageCount + 1)
            link(pp.page - 1, "previousPage");
        link(1, "firstPage");
        link(pageCount, "lastPage");
    }
    return r;
}

// Filters, sorts and pages records in memory (lists that are not entities).
template<typename T>
HttpResponse pagedList(const HttpRequest &req, const QString &host, const QList<T> &records, const QString &model,
                       FiqlFilter::KeyCheck keys, const ListAccess<T> &access, qint64 maxBytes)
{
    auto lp = listParams(req, keys);
    if (!lp)
        return fromError(lp.error());
    QList<const T *> kept;
    for (const T &r : records)
        if (lp->filter.matches([&](const QString &key) { return access.field(r, key); }))
            kept.append(&r);
    if (!lp->sortKey.isEmpty()) {
        std::stable_sort(kept.begin(), kept.end(), [&](const T *a, const T *b) {
            const int c = FiqlFilter::compare(access.field(*a, lp->sortKey), access.field(*b, lp->sortKey));
            return lp->descending ? c > 0 : c < 0;
        });
    }
    const qint64 first = qint64(lp->page.page - 1) * lp->page.pageSize;
    const QList<const T *> items = first < kept.size() ? kept.mid(first, lp->page.pageSize) : QList<const T *>();
    return pageResponse<T>(req, host, model, lp->page, int(kept.size()), items, access.json, maxBytes);
}

HttpResponse pagedList(const HttpRequest &req, const QString &host, const QList<QJsonObject> &records, const QString &model,
                       FiqlFilter::KeyCheck keys, qint64 maxBytes)
{
    return pagedList(req, host, records, model, keys, jsonAccess(), maxBytes);
}

} // namespace

VcdSim::VcdSim(QObject *parent)
    : QObject(parent)
{
}

VcdSim::~VcdSim() = default;

QString VcdSim::baseUrl() const
{
    return QStringLiteral("%1://%2:%3")
        .arg(m_options.plainHttp ? QStringLiteral("http") : QStringLiteral("https"),
             m_options.listenAddress.protocol() == QAbstractSocket::IPv6Protocol
                 ? QStringLiteral("[%1]").arg(m_options.listenAddress.toString())
                 : m_options.listenAddress.toString())
        .arg(port());
}

QString VcdSim::fingerprint() const { return m_fingerprint; }

bool Caller::hasAnyRight(const QStringList &any) const
{
    return provider || std::any_of(any.cbegin(), any.cend(), [this](const QString &r) { return rights.contains(r); });
}

bool Caller::canWrite() const { return hasRight(rde::rights::kVappCreate); }

// A user's rights: those of the role of its name in its own org, else of the
// global role of that name. System Administrator holds every right.
Result<QSet<QString>> VcdSim::rightsOf(const UserRow &user)
{
    for (const char *kind : {"role", "globalRole"}) {
        auto all = m_store->storedObjects(QLatin1String(kind));
        if (!all)
            return all.error();
        for (const QJsonObject &r : *all) {
            if (r.value(QLatin1String("name")).toString() != user.role)
                continue;
            if (QLatin1String(kind) == QLatin1String("role") && r.value(QLatin1String("orgId")).toString() != user.orgId)
                continue;
            QSet<QString> out;
            for (const QJsonValue &v : r.value(QLatin1String("rights")).toArray())
                out.insert(v.toString());
            return out;
        }
    }
    return QSet<QString>();
}

// Entity rights as VCD names them per type ("VENDOR:NSS: View" ...): reading
// needs any of the five; changing Modify, Full Access or Administrator Full
// access; deleting Full Access or Administrator Full access. Entities of
// another org than the one acted in need the Administrator right and a
// System-org user. vcd-sim does not keep per-entity ACLs: a right in the
// entity's org stands for the ACL entry VCD would also check.
bool VcdSim::mayEntity(const Caller &c, const QString &typeId, const QString &orgId, EntityOp op)
{
    if (c.provider)
        return true;
    const auto ref = rde::TypeRef::parse(typeId);
    if (!ref)
        return false;
    using rde::rights::Level;
    auto has = [&](Level l) { return c.rights.contains(rde::rights::entityRight(ref->vendor, ref->nss, l)); };
    const bool adminView = has(Level::AdministratorView), adminFull = has(Level::AdministratorFullAccess);
    const bool inOrg = orgId == c.effective.id;
    const bool acrossOrgs = c.system && !inOrg;
    switch (op) {
    case EntityOp::Read:
        return acrossOrgs ? adminView || adminFull
                          : inOrg && (has(Level::View) || has(Level::Modify) || has(Level::FullAccess) || adminView || adminFull);
    case EntityOp::Modify:
    case EntityOp::Create:
        return acrossOrgs ? adminFull && op == EntityOp::Modify : inOrg && (has(Level::Modify) || has(Level::FullAccess) || adminFull);
    case EntityOp::Delete:
        return acrossOrgs ? adminFull : inOrg && (has(Level::FullAccess) || adminFull);
    }
    return false;
}

QStringList VcdSim::defaultApiVersions() { return kVersions; }

QStringList VcdSim::apiVersions() const { return m_options.apiVersions.isEmpty() ? kVersions : m_options.apiVersions; }

// VCD shows a task to the user who started it and to the administrators of
// its org, not to every user of the org: a behavior's task carries its result
// (getFullEntity: the secure fields). Tasks stored without their starter
// (the legacy API's) stay visible to their org.
bool VcdSim::mayReadTask(const Caller &c, const TaskRow &t) const
{
    if (c.provider)
        return true;
    if (t.userId.isEmpty())
        return t.orgId == c.org.id;
    return t.userId == c.user.id;
}

bool VcdSim::isEntityTask(const QString &taskId)
{
    auto t = m_store->task(taskId);
    return t && t->has_value() && (*t)->ownerType == QLatin1String("application/json");
}
quint16 VcdSim::port() const { return m_http ? m_http->serverPort() : 0; }

Result<void> VcdSim::start(const SimOptions &options)
{
    m_options = options;
    if (m_options.dataDir.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("--data DIR is required"));
    if (auto r = prepareDataDir(); !r)
        return r;
    auto store = Store::open(m_options.dataDir, m_options.dbUrl, QStringLiteral("vcd-sim-%1").arg(quintptr(this)));
    if (!store)
        return store.error();
    m_store.reset(*store);
    // The database holds secure fields (API tokens) in plain text: owner only.
    if (m_options.dbUrl.isEmpty())
        for (const char *name : {"vcd-sim.db", "vcd-sim.db-wal", "vcd-sim.db-shm"}) {
            QFile f(QDir(m_options.dataDir).filePath(QString::fromLatin1(name)));
            if (f.exists() && !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
                return makeError(QStringLiteral("cannot make %1 private (mode 0600): %2").arg(f.fileName(), f.errorString()));
        }
    m_throttle = std::make_unique<LoginThrottle>(m_options.login, m_options.loginClock);
    m_dummySalt = randomToken(12);
    m_faults.set(m_options.faults);
    if (auto r = ensureProviderAdmin(); !r)
        return r;
    m_http = std::make_unique<HttpServer>();
    m_http->setLimits(m_options.http);
    if (!m_options.plainHttp) {
        auto id = ensureTlsIdentity(m_options.dataDir);
        if (!id)
            return id.error();
        m_http->setTls(id->certificate, id->key);
        m_fingerprint = id->fingerprint();
    }
    m_http->setHandler([this](const HttpRequest &req, const Responder &resp) { handle(req, resp); });
    if (!m_http->listen(m_options.listenAddress, m_options.port))
        return makeError(QStringLiteral("cannot listen on %1:%2: %3")
                             .arg(m_options.listenAddress.toString()).arg(m_options.port).arg(m_http->errorString()));
    if (m_options.seedDemo) // after listen, so that the clusters name the real site URL
        if (auto r = seedDemo(); !r)
            return r;
    m_legacy = new LegacyApi(this);
    m_infra = std::make_unique<InfraController>(this);
    if (m_options.runControllers)
        m_infra->start(qMax(20, m_options.latencyMs));
    return {};
}

void VcdSim::shutdown(int graceMs)
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_infra)
        m_infra->stop();
    if (!m_http) {
        Q_EMIT stopped();
        return;
    }
    m_http->closeAll();
    // Finish in-flight requests and let their answers reach the clients:
    // stop once no connection is left, or when the grace period is over.
    QElapsedTimer waited;
    waited.start();
    auto *poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll, waited, graceMs] {
        if ((m_http->inFlight() == 0 && m_http->openConnections() == 0) || waited.elapsed() > graceMs) {
            poll->stop();
            poll->deleteLater();
            m_store.reset(); // close the database before exiting
            Q_EMIT stopped();
        }
    });
    poll->start(20);
}

// The data directory: created private (0700); an existing one open to the
// group or others is named in a loud warning, since the files in it hold
// secrets. A file, or a directory we cannot write, is refused with the path.
Result<void> VcdSim::prepareDataDir()
{
    const QString dir = m_options.dataDir;
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        return makeError(ErrorKind::Invalid, QStringLiteral("--data %1 is a file, not a directory; give a directory "
                                                            "(it is created when missing)").arg(dir));
    if (!info.exists()) {
        QString parent = info.absoluteFilePath();
        while (!QFileInfo::exists(parent) && parent != QFileInfo(parent).absolutePath())
            parent = QFileInfo(parent).absolutePath();
        if (!QFileInfo(parent).isDir())
            return makeError(ErrorKind::Invalid, QStringLiteral("cannot create data directory %1: %2 is not a directory").arg(dir, parent));
        if (!QFileInfo(parent).isWritable())
            return makeError(ErrorKind::Invalid, QStringLiteral("cannot create data directory %1: no write permission in %2; "
                                                                "choose another --data or fix the permissions").arg(dir, parent));
        if (!QDir().mkpath(dir)) {
            const int err = errno;
            return makeError(ErrorKind::Invalid, QStringLiteral("cannot create data directory %1: %2; check the permissions of %3 "
                                                                "or choose another --data")
                                                     .arg(dir, qt_error_string(err), parent));
        }
        if (!QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
            return makeError(QStringLiteral("cannot make data directory %1 private (mode 0700)").arg(dir));
        return {};
    }
    if (!info.isWritable())
        return makeError(ErrorKind::Invalid, QStringLiteral("data directory %1 is not writable by this user; choose another --data "
                                                            "or fix its permissions").arg(dir));
    struct stat st{};
    if (::stat(QFile::encodeName(dir).constData(), &st) == 0 && (st.st_mode & 077))
        qCWarning(lcSim).noquote() << QStringLiteral("WARNING: data directory %1 is open to other users (mode %2); the database in it "
                                                     "holds secrets such as API tokens. Run: chmod 700 %1")
                                          .arg(dir, QString::number(st.st_mode & 07777, 8).rightJustified(4, QLatin1Char('0')));
    return {};
}

Result<void> VcdSim::ensureProviderAdmin()
{
    auto sys = m_store->orgByName(kSystemOrg);
    if (!sys)
        return sys.error();
    OrgRow org;
    if (!sys->has_value()) {
        org = {QStringLiteral("urn:vcloud:org:") + uuid(), kSystemOrg, QStringLiteral("System"), QStringLiteral("Provider org"), true};
        if (auto r = m_store->insertOrg(org); !r)
            return r;
    } else {
        org = **sys;
    }
    QString password = m_options.adminPassword;
    const QString file = QDir(m_options.dataDir).filePath(QStringLiteral("admin-password"));
    auto existing = m_store->user(org.id, QStringLiteral("administrator"));
    if (!existing)
        return existing.error();
    if (password.isEmpty()) {
        if (existing->has_value())
            return {}; // keep the password chosen at first start
        password = QString::fromLatin1(randomToken(18));
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return makeError(QStringLiteral("cannot write %1: %2").arg(file, f.errorString()));
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        f.write(password.toUtf8() + '\n');
    }
    UserRow u;
    u.id = existing->has_value() ? (*existing)->id : QStringLiteral("urn:vcloud:user:") + uuid();
    u.orgId = org.id;
    u.name = QStringLiteral("administrator");
    u.role = roles::kProviderAdmin;
    u.salt = randomToken(12);
    u.passwordHash = hashPassword(u.salt, password);
    return m_store->upsertUser(u);
}

QString VcdSim::hostUrl(const HttpRequest &req) const
{
    QString host = QString::fromLatin1(req.header("host"));
    if (host.isEmpty())
        host = QStringLiteral("%1:%2").arg(m_options.listenAddress.toString()).arg(port());
    return (m_options.plainHttp ? QStringLiteral("http://") : QStringLiteral("https://")) + host;
}

void VcdSim::handle(const HttpRequest &req, const Responder &resp)
{
    QByteArray requestId = uuid().toLatin1();
    const QByteArray clientRequestId = req.header("x-vmware-vcloud-client-request-id");
    if (!clientRequestId.isEmpty())
        requestId = clientRequestId.left(128) + '-' + requestId;

    const QString routeKey = QString::fromLatin1(req.method) + QLatin1Char(' ') + req.path;
    const bool conditionalWrite = !req.header("if-match").isEmpty();
    const FaultDecision fault = m_faults.decide(routeKey, req.headers, conditionalWrite);

    auto finish = [this, req, resp, requestId, fault]() {
        if (fault.drop) {
            resp.drop();
            return;
        }
        HttpResponse r;
        if (!m_store) {
            r = error(503, QStringLiteral("SERVICE_UNAVAILABLE"), QStringLiteral("vcd-sim is shutting down"));
        } else if (fault.status) {
            r = fault.status == 412 ? error(412, QStringLiteral("PRECONDITION_FAILED"),
                                            QStringLiteral("The entity has been modified since it was read (ETag mismatch; injected)"))
                                    : error(fault.status, QStringLiteral("INTERNAL_SERVER_ERROR"),
                                            QStringLiteral("Injected server error"));
        } else {
            auto caller = authenticate(req);
            r = route(req, caller.ok() ? &caller.value() : nullptr);
        }
        r.header("X-VMWARE-VCLOUD-REQUEST-ID", requestId);
        r.header("Date", QLocale::c().toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1());
        if (r.delayMs > 0)
            QTimer::singleShot(r.delayMs, this, [resp, r] { resp.respond(r); });
        else
            resp.respond(r);
    };
    if (fault.delayMs > 0)
        QTimer::singleShot(fault.delayMs, this, finish);
    else
        finish();
}

Result<Caller> VcdSim::authenticate(const HttpRequest &req)
{
    QByteArray token = req.header("x-vmware-vcloud-access-token");
    const QByteArray auth = req.header("authorization");
    if (token.isEmpty() && auth.left(7).toLower() == "bearer ")
        token = auth.mid(7).trimmed();
    if (token.isEmpty())
        return makeError(QStringLiteral("no token"));
    const QByteArray hash = tokenHash(token);
    auto s = m_store->session(hash);
    if (!s || !s->has_value())
        return makeError(QStringLiteral("unknown session"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if ((*s)->expiresAt < now) {
        (void)m_store->deleteSession(hash);
        return makeError(QStringLiteral("session expired"));
    }
    const qint64 idleMs = qint64(m_options.sessionIdleSeconds) * 1000;
    if ((*s)->expiresAt - now < idleMs - 60000)
        (void)m_store->touchSession(hash, now + idleMs);
    auto u = m_store->userById((*s)->userId);
    if (!u || !u->has_value())
        return makeError(QStringLiteral("user gone"));
    auto org = m_store->orgById((*u)->orgId);
    if (!org || !org->has_value())
        return makeError(QStringLiteral("org gone"));
    Caller c;
    c.user = **u;
    c.org = **org;
    c.effective = c.org;
    c.system = c.org.name == kSystemOrg;
    c.provider = c.system && c.user.role == roles::kProviderAdmin;
    if (!c.provider) {
        auto rights = rightsOf(c.user);
        if (!rights)
            return rights.error();
        c.rights = *rights;
    }
    c.tokenHash = hash;
    c.sessionId = (*s)->id;
    // The tenant context as VCD takes it: the org's bare UUID (go-vcloud-director
    // govcd/tenant_context.go sends only that form, noting that the URN form
    // failed on VCD 10.2), optionally with X-VMWARE-VCLOUD-AUTH-CONTEXT naming
    // the same org. Anything else acts in no org (every call then answers 403).
    const QByteArray context = req.header("x-vmware-vcloud-tenant-context").trimmed();
    if (!context.isEmpty() && c.system) {
        static const QRegularExpression bareUuid(QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
        const QString id = QString::fromLatin1(context);
        auto target = bareUuid.match(id).hasMatch() ? m_store->orgById(orgUrn(id)) : Result<std::optional<OrgRow>>(std::nullopt);
        const QString authContext = QString::fromUtf8(req.header("x-vmware-vcloud-auth-context")).trimmed();
        if (target && target->has_value() && (authContext.isEmpty() || authContext.compare((*target)->name, Qt::CaseInsensitive) == 0))
            c.effective = **target;
        else
            c.effective = OrgRow{id, QString(), QString(), QString(), false};
    }
    return c;
}

Result<QString> VcdSim::createSession(const UserRow &user, qint64 *expiresInSeconds)
{
    const QString sid = uuid();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // A JWT-shaped opaque token: clients must treat it as opaque.
    const QByteArray header = QByteArray(R"({"alg":"none","typ":"JWT"})").toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray payload = json::canonical(QJsonObject{{QStringLiteral("sub"), user.name}, {QStringLiteral("sid"), sid},
                                                           {QStringLiteral("iat"), now / 1000}})
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray token = header + '.' + payload + '.' + randomToken(32);
    const qint64 idle = m_options.sessionIdleSeconds;
    if (auto r = m_store->insertSession(tokenHash(token), {QStringLiteral("urn:vcloud:session:") + sid, user.id, now + idle * 1000}); !r)
        return r.error();
    if (expiresInSeconds)
        *expiresInSeconds = idle;
    return QString::fromLatin1(token);
}

HttpResponse VcdSim::route(const HttpRequest &req, const Caller *caller)
{
    const QString &p = req.path;
    const QByteArray &m = req.method;
    if (p == QLatin1String("/api/versions") || p == QLatin1String("/api/versions/")) {
        if (m != "GET")
            return methodNotAllowed(req);
        return versions(req);
    }
    if (p.startsWith(QLatin1String("/oauth/"))) {
        if (m != "POST")
            return methodNotAllowed(req);
        static const QRegularExpression tenant(QStringLiteral("^/oauth/tenant/([^/]+)/token$"));
        if (p == QLatin1String("/oauth/provider/token"))
            return oauthToken(req, kSystemOrg);
        const auto t = tenant.match(p);
        if (t.hasMatch())
            return oauthToken(req, t.captured(1));
        return notFound(req);
    }
    // Every call that names an API version must name one this VCD offers,
    // on /api as on /cloudapi (VCD answers 406 Not Acceptable; go-vcloud-director
    // negotiates from /api/versions before its first call, govcd/api.go).
    const bool legacyPath = p.startsWith(QLatin1String("/api/"));
    const QString version = acceptVersion(req);
    if (!version.isEmpty() && !apiVersions().contains(version)) {
        const QString message = QStringLiteral("API version %1 is not supported; supported: %2")
                                    .arg(version, apiVersions().join(QStringLiteral(", ")));
        return legacyPath && req.header("accept").contains("xml")
                   ? LegacyApi::errorReply(406, QStringLiteral("NOT_ACCEPTABLE"), message)
                   : error(406, QStringLiteral("NOT_ACCEPTABLE"), message);
    }
    const bool task = p.startsWith(QLatin1String("/api/task/"));
    // Tasks of entities (create, behaviors) are this file's, in JSON and XML.
    const bool entityTask = task && m == "GET" && isEntityTask(p.mid(10));
    if (!entityTask)
        if (auto legacy = m_legacy ? m_legacy->route(req, caller) : std::nullopt) // /api/... XML (sim/vapps.cpp)
            return *legacy;
    const bool cloudapi = p.startsWith(QLatin1String("/cloudapi/"));
    if (!cloudapi && !task)
        return notFound(req);
    if (p == kCloudApi + QLatin1String("sessions") || p == kCloudApi + QLatin1String("sessions/provider")) {
        if (m != "POST")
            return methodNotAllowed(req);
        return login(req, p.endsWith(QLatin1String("/provider")));
    }
    if (!caller)
        return error(401, QStringLiteral("UNAUTHORIZED"), QStringLiteral("Not logged in or the session has expired"));
    if (task)
        return this->task(req, *caller, p.mid(10));
    if (p.startsWith(kXsim))
        return xsim(req, *caller, p.mid(kXsim.size()));
    if (!p.startsWith(kCloudApi))
        return notFound(req);
    const QString rest = p.mid(kCloudApi.size());
    if (rest == QLatin1String("sessions/current"))
        return sessionCurrent(req, *caller);
    if (rest == QLatin1String("orgs") || rest == QLatin1String("orgs/"))
        return orgs(req, *caller, QString());
    if (rest.startsWith(QLatin1String("orgs/")))
        return orgs(req, *caller, rest.mid(5));
    if (rest == QLatin1String("vdcs") || rest == QLatin1String("vdcs/"))
        return vdcsAndNetworks(req, *caller, false);
    if (rest == QLatin1String("orgVdcNetworks") || rest == QLatin1String("orgVdcNetworks/"))
        return vdcsAndNetworks(req, *caller, true);
    if (rest == QLatin1String("entityTypes") || rest == QLatin1String("entityTypes/"))
        return entityTypes(req, *caller, QString());
    if (rest.startsWith(QLatin1String("entityTypes/")) && rest.endsWith(QLatin1String("/behaviorAccessControls")))
        return behaviorAcls(req, *caller, rest.mid(12).section(QLatin1Char('/'), 0, 0));
    if (rest.startsWith(QLatin1String("entityTypes/"))) {
        const QString id = rest.mid(12);
        if (m == "POST")
            return createEntity(req, *caller, id);
        return entityTypes(req, *caller, id);
    }
    if (rest == QLatin1String("interfaces") || rest == QLatin1String("interfaces/") || rest.startsWith(QLatin1String("interfaces/")))
        return interfaces(req, *caller, rest.mid(11));
    for (const char *kind : {"roles", "globalRoles", "rightsBundles"}) {
        const QString k = QLatin1String(kind);
        if (rest == k || rest.startsWith(k + QLatin1Char('/')))
            return roleObjects(req, *caller, k, rest.mid(k.size() + 1));
    }
    static const QRegularExpression byType(QStringLiteral("^entities/(types|interfaces)/([^/]+)/([^/]+)/([^/]+)/?$"));
    if (const auto t = byType.match(rest); t.hasMatch()) {
        if (m != "GET")
            return methodNotAllowed(req);
        auto types = m_store->types();
        if (!types)
            return fromError(types.error());
        const QString vendor = t.captured(2), nss = t.captured(3), ver = t.captured(4);
        auto versionMatches = [&ver](const QString &v) { return v == ver || v.startsWith(ver + QLatin1Char('.')); };
        QStringList ids;
        for (const TypeRow &row : *types) {
            if (t.captured(1) == QLatin1String("types")) {
                if (row.vendor == vendor && row.nss == nss && versionMatches(row.version))
                    ids << row.id;
            } else {
                const QString prefix = QStringLiteral("urn:vcloud:interface:%1:%2:").arg(vendor, nss);
                for (const QString &i : row.interfaces)
                    if (i.startsWith(prefix) && versionMatches(i.mid(prefix.size())))
                        ids << row.id;
            }
        }
        return listEntities(req, *caller, ids);
    }
    if (rest.startsWith(QLatin1String("entities/"))) {
        const QString tail = rest.mid(9);
        const int slash = tail.indexOf(QLatin1Char('/'));
        return entity(req, *caller, slash < 0 ? tail : tail.left(slash), slash < 0 ? QString() : tail.mid(slash + 1));
    }
    return notFound(req);
}

HttpResponse VcdSim::versions(const HttpRequest &req)
{
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.writeStartDocument();
    w.writeStartElement(QStringLiteral("SupportedVersions"));
    w.writeDefaultNamespace(QStringLiteral("http://www.vmware.com/vcloud/versions"));
    const QString host = hostUrl(req);
    for (const QString &v : apiVersions()) {
        w.writeStartElement(QStringLiteral("VersionInfo"));
        w.writeAttribute(QStringLiteral("deprecated"), QStringLiteral("false"));
        w.writeTextElement(QStringLiteral("Version"), v);
        w.writeTextElement(QStringLiteral("LoginUrl"), host + QStringLiteral("/cloudapi/1.0.0/sessions"));
        w.writeTextElement(QStringLiteral("ProviderLoginUrl"), host + QStringLiteral("/cloudapi/1.0.0/sessions/provider"));
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return xmlReply(xml, "application/xml;version=37.2");
}

static QJsonObject sessionJson(const Caller &c, const QString &sessionId)
{
    const QString roleId = QStringLiteral("urn:vcloud:role:") + QString(c.user.role).toLower().replace(QLatin1Char(' '), QLatin1Char('-'));
    return {{QStringLiteral("id"), sessionId},
            {QStringLiteral("site"), QJsonObject{{QStringLiteral("name"), QStringLiteral("vcd-sim")},
                                                 {QStringLiteral("id"), QStringLiteral("urn:vcloud:site:00000000-0000-0000-0000-000000000001")}}},
            {QStringLiteral("user"), QJsonObject{{QStringLiteral("name"), c.user.name}, {QStringLiteral("id"), c.user.id}}},
            {QStringLiteral("org"), QJsonObject{{QStringLiteral("name"), c.org.name}, {QStringLiteral("id"), c.org.id}}},
            {QStringLiteral("location"), QStringLiteral("vcd-sim")},
            {QStringLiteral("roles"), QJsonArray{c.user.role}},
            {QStringLiteral("roleRefs"), QJsonArray{QJsonObject{{QStringLiteral("name"), c.user.role},
                                                                {QStringLiteral("id"), roleId}}}},
            {QStringLiteral("sessionIdleTimeoutMinutes"), 30}};
}

HttpResponse VcdSim::login(const HttpRequest &req, bool provider)
{
    const QByteArray auth = req.header("authorization");
    if (auth.left(6).toLower() != "basic ")
        return error(401, QStringLiteral("UNAUTHORIZED"), QStringLiteral("Basic authentication with user@org:password is required"));
    const QString decoded = QString::fromUtf8(QByteArray::fromBase64(auth.mid(6).trimmed()));
    const int colon = decoded.indexOf(QLatin1Char(':'));
    const QString login = decoded.left(colon), password = colon < 0 ? QString() : decoded.mid(colon + 1);
    const int at = login.lastIndexOf(QLatin1Char('@'));
    const HttpResponse denied = error(401, QStringLiteral("UNAUTHORIZED"), QStringLiteral("Invalid credentials"));
    if (colon < 0 || at <= 0)
        return denied;
    // Throttled per user@org and per source address, whether or not the user exists.
    const QString who = login.toLower();
    const QString source = req.peer.toString();
    if (const int wait = m_throttle->retryAfter(who, source); wait > 0) {
        HttpResponse r = error(429, QStringLiteral("TOO_MANY_REQUESTS"),
                               QStringLiteral("Too many failed logins for this user or from this address; try again in %1 s").arg(wait));
        r.header("Retry-After", QByteArray::number(wait));
        return r;
    }
    auto org = m_store->orgByName(login.mid(at + 1));
    if (!org)
        return fromError(org.error());
    std::optional<UserRow> found;
    if (org->has_value() && (!provider || (*org)->name == kSystemOrg)) {
        auto user = m_store->user((*org)->id, login.left(at));
        if (!user)
            return fromError(user.error());
        found = *user;
    }
    // The same PBKDF2 work for an unknown user or org as for a wrong password,
    // so the answer time does not tell which names exist.
    const QByteArray hash = hashPassword(found ? found->salt : m_dummySalt, password);
    if (!found || hash != found->passwordHash) {
        m_throttle->failed(who, source);
        return denied;
    }
    m_throttle->succeeded(who);
    auto token = createSession(*found, nullptr);
    if (!token)
        return fromError(token.error());
    Caller c;
    c.user = *found;
    c.org = **org;
    auto s = m_store->session(tokenHash(token->toLatin1()));
    HttpResponse r = ok(sessionJson(c, s && s->has_value() ? (*s)->id : QString()));
    r.header("X-VMWARE-VCLOUD-ACCESS-TOKEN", token->toLatin1());
    r.header("X-VMWARE-VCLOUD-TOKEN-TYPE", "Bearer");
    return r;
}

HttpResponse VcdSim::oauthToken(const HttpRequest &req, const QString &orgName)
{
    const QUrlQuery form(QString::fromUtf8(req.body));
    const HttpResponse invalid = HttpResponse::json(400, json::canonical(QJsonObject{
        {QStringLiteral("minorErrorCode"), QStringLiteral("invalid_grant")},
        {QStringLiteral("message"), QStringLiteral("The API token is not valid for this organization")},
        {QStringLiteral("stackTrace"), QJsonValue::Null}}));
    if (form.queryItemValue(QStringLiteral("grant_type")) != QLatin1String("refresh_token"))
        return HttpResponse::json(400, json::canonical(QJsonObject{{QStringLiteral("minorErrorCode"), QStringLiteral("unsupported_grant_type")},
                                                                   {QStringLiteral("message"), QStringLiteral("grant_type must be refresh_token")},
                                                                   {QStringLiteral("stackTrace"), QJsonValue::Null}}));
    const QString token = form.queryItemValue(QStringLiteral("refresh_token"), QUrl::FullyDecoded);
    auto userId = m_store->apiTokenUser(tokenHash(token.toUtf8()));
    if (!userId)
        return fromError(userId.error());
    if (!userId->has_value())
        return invalid;
    auto user = m_store->userById(**userId);
    auto org = m_store->orgByName(orgName);
    if (!user || !org || !user->has_value() || !org->has_value() || (*user)->orgId != (*org)->id)
        return invalid;
    qint64 expires = 0;
    auto access = createSession(**user, &expires);
    if (!access)
        return fromError(access.error());
    return ok({{QStringLiteral("access_token"), *access}, {QStringLiteral("token_type"), QStringLiteral("Bearer")},
               {QStringLiteral("expires_in"), expires}, {QStringLiteral("refresh_token"), QJsonValue::Null}});
}

HttpResponse VcdSim::sessionCurrent(const HttpRequest &req, const Caller &c)
{
    if (req.method == "GET")
        return ok(sessionJson(c, c.sessionId));
    if (req.method == "DELETE") {
        if (auto r = m_store->deleteSession(c.tokenHash); !r)
            return fromError(r.error());
        HttpResponse r;
        r.status = 204;
        return r;
    }
    return methodNotAllowed(req);
}

HttpResponse VcdSim::orgs(const HttpRequest &req, const Caller &c, const QString &id)
{
    if (req.method == "POST" && id.isEmpty())
        return createOrg(req, c);
    if (req.method != "GET")
        return methodNotAllowed(req);
    auto all = m_store->orgs();
    if (!all)
        return fromError(all.error());
    // A System-org user lists every org with Organization: View or (VCD
    // 10.5.1+) Organization: Traversal; anyone else sees its own org.
    const bool everyOrg = c.system && c.hasAnyRight({rde::rights::kOrgView, rde::rights::kOrgTraversal});
    QList<QJsonObject> visible;
    for (const OrgRow &o : *all) {
        if (!everyOrg && o.id != c.org.id)
            continue;
        if (!id.isEmpty() && o.id == orgUrn(id))
            return ok(o.toJson());
        visible.append(o.toJson());
    }
    if (!id.isEmpty())
        return forbidden();
    return pagedList(req, hostUrl(req), visible, QStringLiteral("Orgs"), &orgKey, maxListBytes());
}

// POST /cloudapi/1.0.0/orgs as VCD's OpenAPI answers it (govcd tm_org.go
// CreateTmOrg through openapi.go OpenApiPostItem: name, displayName,
// description, isEnabled in; the new org out, 201). Only the provider may;
// names are unique, case-insensitively, as VCD's org names are.
HttpResponse VcdSim::createOrg(const HttpRequest &req, const Caller &c)
{
    if (!c.provider)
        return forbidden(QStringLiteral("Only a System administrator may create organizations"));
    auto body = bodyObject(req);
    if (!body)
        return fromError(body.error());
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"));
    const QString name = body->value(QLatin1String("name")).toString();
    if (!valid.match(name).hasMatch())
        return badRequest(QStringLiteral("name must be 1 to 128 letters, digits, '-', '_' or '.', starting with a letter or digit"));
    auto all = m_store->orgs();
    if (!all)
        return fromError(all.error());
    for (const OrgRow &o : *all)
        if (o.name.compare(name, Qt::CaseInsensitive) == 0)
            return error(400, QStringLiteral("DUPLICATE_NAME"), QStringLiteral("An organization named %1 already exists").arg(name));
    const QString display = body->value(QLatin1String("displayName")).toString();
    const OrgRow org{QStringLiteral("urn:vcloud:org:") + uuid(), name, display.isEmpty() ? name : display,
                     body->value(QLatin1String("description")).toString(), body->value(QLatin1String("isEnabled")).toBool(true)};
    if (auto r = m_store->insertOrg(org); !r)
        return fromError(r.error());
    HttpResponse r = HttpResponse::json(201, json::canonical(org.toJson()));
    r.header("Location", (hostUrl(req) + QStringLiteral("/cloudapi/1.0.0/orgs/") + org.id).toUtf8());
    return r;
}

HttpResponse VcdSim::vdcsAndNetworks(const HttpRequest &req, const Caller &c, bool networks)
{
    if (req.method != "GET")
        return methodNotAllowed(req);
    auto orgList = m_store->orgs();
    auto vdcList = m_store->vdcs();
    if (!orgList || !vdcList)
        return fromError(!orgList ? orgList.error() : vdcList.error());
    QHash<QString, QString> orgNames, vdcNames;
    for (const OrgRow &o : *orgList)
        orgNames.insert(o.id, o.name);
    for (const VdcRow &v : *vdcList)
        vdcNames.insert(v.id, v.name);
    // VDCs need Access All Organization VDCs (or Organization vDC: View),
    // networks Organization vDC Network: View Properties: without them VCD
    // answers 403 (the CSE Admin Role has neither).
    if (networks ? !c.hasRight(rde::rights::kNetworkView) : !c.hasAnyRight({rde::rights::kAllVdcs, rde::rights::kVdcView}))
        return forbidden(QStringLiteral("Either you need some or all of the following rights [%1] or the target entity is invalid.")
                             .arg(networks ? rde::rights::kNetworkView : rde::rights::kAllVdcs));
    // Tenants see their own org; providers see the org of their tenant context, or all.
    const bool sendsContext = !req.header("x-vmware-vcloud-tenant-context").isEmpty();
    auto visible = [&](const QString &orgId) { return (c.provider && !sendsContext) || orgId == c.effective.id; };
    QList<QJsonObject> list;
    if (networks) {
        auto all = m_store->networks();
        if (!all)
            return fromError(all.error());
        for (const NetworkRow &n : *all)
            if (visible(n.orgId))
                list.append({{QStringLiteral("id"), n.id}, {QStringLiteral("name"), n.name},
                             {QStringLiteral("networkType"), QStringLiteral("NAT_ROUTED")},
                             {QStringLiteral("orgVdc"), QJsonObject{{QStringLiteral("name"), vdcNames.value(n.vdcId)}, {QStringLiteral("id"), n.vdcId}}},
                             {QStringLiteral("orgRef"), QJsonObject{{QStringLiteral("name"), orgNames.value(n.orgId)}, {QStringLiteral("id"), n.orgId}}}});
    } else {
        for (const VdcRow &v : *vdcList)
            if (visible(v.orgId))
                list.append({{QStringLiteral("id"), v.id}, {QStringLiteral("name"), v.name},
                             {QStringLiteral("allocationType"), QStringLiteral("Flex")},
                             {QStringLiteral("org"), QJsonObject{{QStringLiteral("name"), orgNames.value(v.orgId)}, {QStringLiteral("id"), v.orgId}}}});
    }
    return pagedList(req, hostUrl(req), list, networks ? QStringLiteral("VdcNetworks") : QStringLiteral("Vdcs"), &vdcKey, maxListBytes());
}

HttpResponse VcdSim::entityTypes(const HttpRequest &req, const Caller &c, const QString &id)
{
    if (id.isEmpty()) {
        if (req.method == "GET") {
            auto all = m_store->types();
            if (!all)
                return fromError(all.error());
            QList<QJsonObject> list;
            for (const TypeRow &t : *all)
                list.append(t.toJson());
            return pagedList(req, hostUrl(req), list, QStringLiteral("EntityTypes"), &typeKey, maxListBytes());
        }
        if (req.method != "POST")
            return methodNotAllowed(req);
        if (!c.provider)
            return forbidden(QStringLiteral("Only provider administrators may create entity types"));
        auto body = bodyObject(req);
        if (!body)
            return fromError(body.error());
        TypeRow t;
        t.vendor = body->value(QLatin1String("vendor")).toString();
        t.nss = body->value(QLatin1String("nss")).toString();
        t.version = body->value(QLatin1String("version")).toString();
        t.id = rde::TypeRef{t.vendor, t.nss, t.version}.id();
        if (!rde::TypeRef::parse(t.id))
            return badRequest(QStringLiteral("vendor and nss may hold letters, digits, '_' and '-' only, and version must be X.Y.Z"));
        t.name = body->value(QLatin1String("name")).toString(t.nss);
        t.description = body->value(QLatin1String("description")).toString();
        t.schema = body->value(QLatin1String("schema")).toObject();
        if (t.schema.isEmpty())
            return badRequest(QStringLiteral("schema is required"));
        for (const QJsonValue &v : body->value(QLatin1String("interfaces")).toArray())
            t.interfaces << v.toString();
        t.hooks = body->value(QLatin1String("hooks")).toObject();
        auto existing = m_store->type(t.id);
        if (existing && existing->has_value())
            return badRequest(QStringLiteral("Entity type %1 already exists").arg(t.id));
        if (auto r = m_store->insertType(t); !r)
            return fromError(r.error());
        return ok(t.toJson(), 201);
    }
    auto t = m_store->type(id);
    if (!t)
        return fromError(t.error());
    if (!t->has_value())
        return forbidden();
    if (req.method == "GET")
        return ok((*t)->toJson());
    if (!c.provider)
        return forbidden(QStringLiteral("Only provider administrators may change entity types"));
    auto count = m_store->countEntitiesOfType(id);
    if (!count)
        return fromError(count.error());
    if (req.method == "PUT") {
        auto body = bodyObject(req);
        if (!body)
            return fromError(body.error());
        TypeRow next = **t;
        for (const char *k : {"vendor", "nss", "version"})
            if (body->contains(QLatin1String(k)) && body->value(QLatin1String(k)).toString() != next.toJson().value(QLatin1String(k)).toString())
                return badRequest(QStringLiteral("%1 cannot be changed").arg(QLatin1String(k)));
        if (*count > 0)
            return badRequest(QStringLiteral("Entity type %1 has %2 entities and cannot be changed").arg(id).arg(*count));
        next.name = body->value(QLatin1String("name")).toString(next.name);
        next.description = body->value(QLatin1String("description")).toString(next.description);
        if (body->contains(QLatin1String("schema")))
            next.schema = body->value(QLatin1String("schema")).toObject();
        if (auto r = m_store->updateType(next); !r)
            return fromError(r.error());
        m_secureCache.remove(id);
        return ok(next.toJson());
    }
    if (req.method == "DELETE") {
        if (*count > 0)
            return badRequest(QStringLiteral("Entity type %1 has %2 entities and cannot be deleted").arg(id).arg(*count));
        if (auto r = m_store->deleteType(id); !r)
            return fromError(r.error());
        HttpResponse r;
        r.status = 204;
        return r;
    }
    return methodNotAllowed(req);
}

// Interfaces (go-vcloud-director govcd/defined_interface.go,
// CreateDefinedInterface: POST /cloudapi/1.0.0/interfaces), their behaviors
// (POST .../interfaces/{id}/behaviors) as CSE's install creates them.
// vmware:k8s:1.0.0 ships with VCD; interfaces named by seeded types count
// as present.
HttpResponse VcdSim::interfaces(const HttpRequest &req, const Caller &c, const QString &rest)
{
    static const QRegularExpression re(QStringLiteral("^urn:vcloud:interface:([^:]+):([^:]+):([^:]+)$"));
    auto describe = [](const QString &i) {
        const auto m = re.match(i);
        return QJsonObject{{QStringLiteral("id"), i}, {QStringLiteral("vendor"), m.captured(1)}, {QStringLiteral("nss"), m.captured(2)},
                           {QStringLiteral("version"), m.captured(3)}, {QStringLiteral("name"), m.captured(2)},
                           {QStringLiteral("readonly"), false}};
    };
    auto known = [&]() -> Result<QMap<QString, QJsonObject>> {
        QMap<QString, QJsonObject> seen{{rde::types::kK8sInterface, describe(rde::types::kK8sInterface)}};
        auto all = m_store->types();
        if (!all)
            return all.error();
        for (const TypeRow &t : *all)
            for (const QString &i : t.interfaces)
                seen.insert(i, describe(i));
        auto stored = m_store->storedObjects(QStringLiteral("interface"));
        if (!stored)
            return stored.error();
        for (const QJsonObject &o : *stored)
            seen.insert(o.value(QLatin1String("id")).toString(), o);
        return seen;
    };
    const QString id = rest.section(QLatin1Char('/'), 0, 0);
    const QString tail = rest.section(QLatin1Char('/'), 1);
    if (id.isEmpty()) {
        if (req.method == "GET") {
            auto seen = known();
            if (!seen)
                return fromError(seen.error());
            return pagedList(req, hostUrl(req), seen->values(), QStringLiteral("Interfaces"), &typeKey, maxListBytes());
        }
        if (req.method != "POST")
            return methodNotAllowed(req);
        if (!c.provider)
            return forbidden(QStringLiteral("Only provider administrators may create interfaces"));
        auto body = bodyObject(req);
        if (!body)
            return fromError(body.error());
        const QString vendor = body->value(QLatin1String("vendor")).toString(), nss = body->value(QLatin1String("nss")).toString(),
                      version = body->value(QLatin1String("version")).toString();
        const QString newId = QStringLiteral("urn:vcloud:interface:%1:%2:%3").arg(vendor, nss, version);
        if (!re.match(newId).hasMatch() || vendor.isEmpty() || nss.isEmpty() || version.isEmpty())
            return badRequest(QStringLiteral("vendor, nss and version are required"));
        auto seen = known();
        if (!seen)
            return fromError(seen.error());
        if (seen->contains(newId))
            return badRequest(QStringLiteral("Interface %1 already exists").arg(newId));
        QJsonObject o = describe(newId);
        o.insert(QStringLiteral("name"), body->value(QLatin1String("name")).toString(nss));
        if (auto r = m_store->upsertObject(QStringLiteral("interface"), newId, QString(), o); !r)
            return fromError(r.error());
        return ok(o, 201);
    }
    auto seen = known();
    if (!seen)
        return fromError(seen.error());
    if (!seen->contains(id))
        return forbidden();
    if (tail.isEmpty()) {
        if (req.method != "GET")
            return methodNotAllowed(req);
        return ok(seen->value(id));
    }
    if (tail != QLatin1String("behaviors") && tail != QLatin1String("behaviors/"))
        return notFound(req);
    if (req.method == "GET") {
        auto list = m_store->storedObjects(QStringLiteral("behavior"), id);
        if (!list)
            return fromError(list.error());
        return pagedList(req, hostUrl(req), *list, QStringLiteral("Behaviors"), &typeKey, maxListBytes());
    }
    if (req.method != "POST")
        return methodNotAllowed(req);
    if (!c.provider)
        return forbidden(QStringLiteral("Only provider administrators may create behaviors"));
    auto body = bodyObject(req);
    if (!body)
        return fromError(body.error());
    const QString name = body->value(QLatin1String("name")).toString();
    const QJsonObject execution = body->value(QLatin1String("execution")).toObject();
    if (name.isEmpty() || execution.value(QLatin1String("type")).toString().isEmpty())
        return badRequest(QStringLiteral("name and execution.type are required"));
    const QString behaviorId = QStringLiteral("urn:vcloud:behavior-interface:%1:%2").arg(name, id.mid(QStringLiteral("urn:vcloud:interface:").size()));
    if (auto existing = m_store->storedObject(QStringLiteral("behavior"), behaviorId); existing && existing->has_value())
        return badRequest(QStringLiteral("Behavior %1 already exists").arg(behaviorId));
    const QJsonObject o{{QStringLiteral("id"), behaviorId}, {QStringLiteral("name"), name}, {QStringLiteral("ref"), behaviorId},
                        {QStringLiteral("execution"), execution}, {QStringLiteral("description"), body->value(QLatin1String("description"))}};
    if (auto r = m_store->upsertObject(QStringLiteral("behavior"), behaviorId, id, o); !r)
        return fromError(r.error());
    return ok(o, 201);
}

// A type's behavior access controls (govcd defined_entity_type.go,
// SetBehaviorAccessControls: PUT the whole list).
HttpResponse VcdSim::behaviorAcls(const HttpRequest &req, const Caller &c, const QString &typeId)
{
    auto t = m_store->type(typeId);
    if (!t)
        return fromError(t.error());
    if (!t->has_value())
        return forbidden();
    if (req.method == "GET") {
        auto list = m_store->storedObjects(QStringLiteral("behaviorAcl"), typeId);
        if (!list)
            return fromError(list.error());
        return pagedList(req, hostUrl(req), *list, QStringLiteral("BehaviorAccesses"),
                         [](const QString &k) { return k == QLatin1String("behaviorId") || k == QLatin1String("accessLevelId"); },
                         maxListBytes());
    }
    if (req.method != "PUT")
        return methodNotAllowed(req);
    if (!c.provider)
        return forbidden(QStringLiteral("Only provider administrators may set behavior access"));
    auto body = bodyObject(req);
    if (!body)
        return fromError(body.error());
    auto old = m_store->storedObjects(QStringLiteral("behaviorAcl"), typeId);
    if (!old)
        return fromError(old.error());
    QList<QJsonObject> set;
    for (const QJsonValue &v : body->value(QLatin1String("values")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString behaviorId = o.value(QLatin1String("behaviorId")).toString();
        auto b = m_store->storedObject(QStringLiteral("behavior"), behaviorId);
        if (!b || !b->has_value())
            return badRequest(QStringLiteral("Unknown behavior %1").arg(behaviorId));
        set.append({{QStringLiteral("behaviorId"), behaviorId}, {QStringLiteral("accessLevelId"), o.value(QLatin1String("accessLevelId")).toString()}});
    }
    // The list replaces the previous one; entries are keyed by type and behavior.
    for (const QJsonObject &o : *old) {
        QJsonObject cleared = o;
        cleared.insert(QStringLiteral("accessLevelId"), QString());
        (void)m_store->upsertObject(QStringLiteral("behaviorAcl"), typeId + QLatin1Char('/') + o.value(QLatin1String("behaviorId")).toString(),
                                    QStringLiteral("-"), cleared);
    }
    for (const QJsonObject &o : std::as_const(set))
        if (auto r = m_store->upsertObject(QStringLiteral("behaviorAcl"), typeId + QLatin1Char('/') + o.value(QLatin1String("behaviorId")).toString(),
                                           typeId, o);
            !r)
            return fromError(r.error());
    QJsonArray values;
    for (const QJsonObject &o : std::as_const(set))
        values.append(o);
    return ok({{QStringLiteral("values"), values}});
}

bool VcdSim::behaviorAllowed(const QString &typeId, const QString &behaviorId)
{
    auto b = m_store->storedObject(QStringLiteral("behavior"), behaviorId);
    if (!b || !b->has_value())
        return false;
    auto acl = m_store->storedObject(QStringLiteral("behaviorAcl"), typeId + QLatin1Char('/') + behaviorId);
    return acl && acl->has_value() && !(**acl).value(QLatin1String("accessLevelId")).toString().isEmpty();
}

// Roles of the caller's org, global roles and rights bundles (govcd
// roles.go, global_role.go, rights_bundle.go): POST creates one without
// rights, PUT/POST .../rights sets or adds {values: [{name, id}]} (vcd-sim
// matches rights by name), POST .../tenants/publishAll publishes it.
HttpResponse VcdSim::roleObjects(const HttpRequest &req, const Caller &c, const QString &kind, const QString &rest)
{
    const QString storeKind = kind.chopped(1); // role, globalRole, rightsBundle
    if (!c.provider)
        return forbidden(QStringLiteral("Only provider administrators manage %1").arg(kind));
    const QString orgId = storeKind == QLatin1String("role") ? c.effective.id : QString();
    const QString id = rest.section(QLatin1Char('/'), 0, 0);
    const QString tail = rest.section(QLatin1Char('/'), 1);
    if (id.isEmpty()) {
        auto all = m_store->storedObjects(storeKind, orgId.isEmpty() ? QString() : orgId);
        if (!all)
            return fromError(all.error());
        if (req.method == "GET") {
            QList<QJsonObject> list;
            for (QJsonObject o : *all) {
                o.remove(QStringLiteral("rights"));
                list.append(o);
            }
            return pagedList(req, hostUrl(req), list, kind, &typeKey, maxListBytes());
        }
        if (req.method != "POST")
            return methodNotAllowed(req);
        auto body = bodyObject(req);
        if (!body)
            return fromError(body.error());
        const QString name = body->value(QLatin1String("name")).toString();
        if (name.isEmpty())
            return badRequest(QStringLiteral("name is required"));
        for (const QJsonObject &o : *all)
            if (o.value(QLatin1String("name")).toString() == name)
                return badRequest(QStringLiteral("%1 \"%2\" already exists").arg(storeKind, name));
        const QString newId = QStringLiteral("urn:vcloud:%1:%2").arg(storeKind, uuid());
        const QJsonObject o{{QStringLiteral("id"), newId}, {QStringLiteral("name"), name},
                            {QStringLiteral("description"), body->value(QLatin1String("description")).toString()},
                            {QStringLiteral("orgId"), orgId}, {QStringLiteral("rights"), QJsonArray()}, {QStringLiteral("publishAll"), false}};
        if (auto r = m_store->upsertObject(storeKind, newId, orgId, o); !r)
            return fromError(r.error());
        QJsonObject shown = o;
        shown.remove(QStringLiteral("rights"));
        return ok(shown, 201);
    }
    auto found = m_store->storedObject(storeKind, id);
    if (!found)
        return fromError(found.error());
    if (!found->has_value() || (**found).value(QLatin1String("orgId")).toString() != orgId)
        return forbidden();
    QJsonObject o = **found;
    if (tail.isEmpty()) {
        if (req.method != "GET")
            return methodNotAllowed(req);
        o.remove(QStringLiteral("rights"));
        return ok(o);
    }
    if (tail == QLatin1String("rights")) {
        if (req.method == "GET") {
            QList<QJsonObject> list;
            for (const QJsonValue &v : o.value(QLatin1String("rights")).toArray())
                list.append({{QStringLiteral("name"), v.toString()}, {QStringLiteral("id"), v.toString()}});
            return pagedList(req, hostUrl(req), list, QStringLiteral("Rights"), &typeKey, maxListBytes());
        }
        if (req.method != "PUT" && req.method != "POST")
            return methodNotAllowed(req);
        auto body = bodyObject(req);
        if (!body)
            return fromError(body.error());
        QStringList rights;
        if (req.method == "POST")
            for (const QJsonValue &v : o.value(QLatin1String("rights")).toArray())
                rights << v.toString();
        for (const QJsonValue &v : body->value(QLatin1String("values")).toArray()) {
            const QString name = v.toObject().value(QLatin1String("name")).toString();
            if (name.isEmpty())
                return badRequest(QStringLiteral("each right needs its name"));
            if (!rights.contains(name))
                rights << name;
        }
        o.insert(QStringLiteral("rights"), QJsonArray::fromStringList(rights));
        if (auto r = m_store->upsertObject(storeKind, id, orgId, o); !r)
            return fromError(r.error());
        return ok({{QStringLiteral("values"), body->value(QLatin1String("values"))}});
    }
    if (tail == QLatin1String("tenants/publishAll") && storeKind != QLatin1String("role")) {
        if (req.method != "POST")
            return methodNotAllowed(req);
        o.insert(QStringLiteral("publishAll"), true);
        if (auto r = m_store->upsertObject(storeKind, id, orgId, o); !r)
            return fromError(r.error());
        return ok({{QStringLiteral("values"), QJsonArray()}});
    }
    if (tail == QLatin1String("tenants") && storeKind != QLatin1String("role") && req.method == "GET")
        return ok({{QStringLiteral("publishAll"), o.value(QLatin1String("publishAll")).toBool()}});
    return notFound(req);
}

QStringList VcdSim::securePathsOf(const QString &typeId)
{
    auto it = m_secureCache.constFind(typeId);
    if (it != m_secureCache.constEnd())
        return *it;
    QStringList paths;
    auto t = m_store->type(typeId);
    if (t && t->has_value())
        paths = rde::securePaths((*t)->schema);
    m_secureCache.insert(typeId, paths);
    return paths;
}

QJsonObject VcdSim::maskSecure(const QString &typeId, QJsonObject entity)
{
    for (const QString &path : securePathsOf(typeId))
        entity = json::remove(entity, path.split(QLatin1Char('.')));
    return entity;
}

QString VcdSim::newTask(const QString &operationName, const QString &operation, const EntityRow &owner,
                        const QString &resultContent, const Caller &startedBy, bool running)
{
    TaskRow t;
    t.id = uuid();
    t.operationName = operationName;
    t.operation = operation;
    t.status = running ? QStringLiteral("running") : QStringLiteral("success");
    t.startTime = rde::isoTimestamp();
    t.endTime = running ? QString() : t.startTime;
    t.progress = running ? 1 : 100;
    t.userId = startedBy.user.id;
    t.ownerId = owner.e.id;
    t.ownerName = owner.e.name;
    t.ownerType = QStringLiteral("application/json");
    t.orgId = owner.e.org.id;
    t.resultContent = resultContent;
    if (auto r = m_store->upsertTask(t); !r)
        qCWarning(lcSim) << "cannot store task:" << r.error().message;
    return t.id;
}

HttpResponse VcdSim::createEntity(const HttpRequest &req, const Caller &c, const QString &typeId)
{
    auto t = m_store->type(typeId);
    if (!t)
        return fromError(t.error());
    if (!t->has_value())
        return badRequest(QStringLiteral("Unknown entity type %1").arg(typeId));
    if (c.effective.name.isEmpty())
        return forbidden(QStringLiteral("Unknown tenant context %1").arg(c.effective.id));
    if (!mayEntity(c, typeId, c.effective.id, EntityOp::Create))
        return forbidden(QStringLiteral("The user %1 may not create entities of %2").arg(c.user.name, typeId));
    auto body = bodyObject(req);
    if (!body)
        return fromError(body.error());
    const QJsonObject content = body->value(QLatin1String("entity")).toObject();
    if (content.isEmpty())
        return badRequest(QStringLiteral("The entity is empty"));
    EntityRow row;
    rde::DefinedEntity &e = row.e;
    e.id = QStringLiteral("urn:vcloud:entity:%1:%2:%3").arg((*t)->vendor, (*t)->nss, uuid());
    e.entityType = typeId;
    e.name = body->value(QLatin1String("name")).toString();
    if (e.name.isEmpty())
        return badRequest(QStringLiteral("name is required"));
    const QJsonValue ext = body->value(QLatin1String("externalId"));
    e.externalId = ext.isString() ? ext.toString() : QString();
    e.entity = content;
    e.state = e.entityState = QStringLiteral("PRE_CREATED");
    e.owner = {c.user.name, c.user.id};
    e.org = {c.effective.name, c.effective.id};
    e.creationDate = e.lastModificationDate = rde::isoTimestamp();
    row.etag = 1;
    const QString client = clientIdOf(req);
    if (auto r = m_store->insertEntity(row, client); !r)
        return fromError(r.error());
    // VCD's create task stays at 1 % until the entity is resolved; its owner
    // names the new entity from the start (go-vcloud-director
    // govcd/defined_entity.go, CreateRde: "the generated VCD task will remain
    // at 1% until resolved").
    const QString taskId = newTask(kCreateEntityTask, QStringLiteral("Created entity %1").arg(e.id), row, QString(), c, true);
    HttpResponse r;
    r.status = 202;
    r.header("Location", (hostUrl(req) + QStringLiteral("/api/task/") + taskId).toUtf8());
    return r;
}

Result<void> VcdSim::writeEntityWithRetry(const QString &id, const std::function<bool(EntityRow &)> &change,
                                          const QString &clientId)
{
    for (int attempt = 0; attempt < 8; ++attempt) {
        auto current = m_store->entity(id);
        if (!current)
            return current.error();
        if (!current->has_value())
            return makeError(QStringLiteral("entity %1 is gone").arg(id));
        EntityRow row = **current;
        if (!change(row))
            return {};
        row.e.lastModificationDate = rde::isoTimestamp();
        auto w = m_store->updateEntity(row, (*current)->etag, clientId);
        if (w)
            return {};
        if (w.error().httpStatus != 412)
            return w.error();
    }
    return makeError(QStringLiteral("entity %1: too many concurrent writers").arg(id));
}

HttpResponse VcdSim::entity(const HttpRequest &req, const Caller &c, const QString &id, const QString &rest)
{
    auto found = m_store->entity(id);
    if (!found)
        return fromError(found.error());
    // Not visible and not existing look the same: 403, never 404.
    if (!found->has_value() || !mayEntity(c, (*found)->e.entityType, (*found)->e.org.id, EntityOp::Read))
        return forbidden();
    EntityRow row = **found;
    const QString client = clientIdOf(req);
    auto withEtag = [&](HttpResponse r, qint64 etag) {
        r.header("ETag", '"' + QByteArray::number(etag) + '"');
        return r;
    };
    auto expected = [&]() -> Result<qint64> {
        const QByteArray ifMatch = req.header("if-match");
        if (ifMatch.isEmpty() || ifMatch == "*")
            return qint64(-1);
        QByteArray v = ifMatch;
        if (v.startsWith("W/"))
            v = v.mid(2);
        v.replace('"', "");
        bool ok = false;
        const qint64 n = v.toLongLong(&ok);
        if (!ok) {
            Error e = makeError(QStringLiteral("If-Match \"%1\" does not match the entity's ETag").arg(QString::fromLatin1(ifMatch)));
            e.httpStatus = 412;
            e.minorErrorCode = QStringLiteral("PRECONDITION_FAILED");
            return e;
        }
        return n;
    };

    if (rest.isEmpty()) {
        if (req.method == "GET") {
            rde::DefinedEntity e = row.e;
            e.entity = maskSecure(e.entityType, e.entity);
            return withEtag(ok(e.toJson()), row.etag);
        }
        if (!mayEntity(c, row.e.entityType, row.e.org.id, req.method == "DELETE" ? EntityOp::Delete : EntityOp::Modify))
            return forbidden(QStringLiteral("The user %1 may not change entities").arg(c.user.name));
        auto exp = expected();
        if (!exp)
            return fromError(exp.error());
        if (req.method == "PUT") {
            auto body = bodyObject(req);
            if (!body)
                return fromError(body.error());
            if (*exp >= 0 && *exp != row.etag)
                return error(412, QStringLiteral("PRECONDITION_FAILED"),
                             QStringLiteral("The entity has been modified since it was read (ETag mismatch)"));
            QJsonObject content = body->value(QLatin1String("entity")).toObject();
            if (content.isEmpty())
                return badRequest(QStringLiteral("The entity is empty"));
            // Secure fields the caller could not see are kept as they were.
            for (const QString &path : securePathsOf(row.e.entityType)) {
                const QStringList steps = path.split(QLatin1Char('.'));
                const QJsonValue sent = json::get(content, steps);
                const QJsonValue stored = json::get(row.e.entity, steps);
                if ((sent.isUndefined() || (sent.isString() && sent.toString().isEmpty())) && !stored.isUndefined())
                    content = json::set(content, steps, stored);
            }
            if (row.e.state == QLatin1String("RESOLVED")) {
                auto schema = m_store->type(row.e.entityType);
                if (schema && schema->has_value()) {
                    const auto errors = rde::SchemaValidator((*schema)->schema).validate(content);
                    if (!errors.isEmpty())
                        return badRequest(QStringLiteral("The entity does not match its type schema: %1")
                                              .arg(rde::SchemaValidator::describe(errors)));
                }
            }
            row.e.entity = content;
            if (body->contains(QLatin1String("name")))
                row.e.name = body->value(QLatin1String("name")).toString(row.e.name);
            if (body->value(QLatin1String("externalId")).isString())
                row.e.externalId = body->value(QLatin1String("externalId")).toString();
            row.e.lastModificationDate = rde::isoTimestamp();
            auto written = m_store->updateEntity(row, *exp >= 0 ? *exp : row.etag, client);
            if (!written)
                return fromError(written.error());
            rde::DefinedEntity e = row.e;
            e.entity = maskSecure(e.entityType, e.entity);
            return withEtag(ok(e.toJson()), *written);
        }
        if (req.method == "DELETE") {
            if (row.e.state == QLatin1String("PRE_CREATED"))
                return error(400, QStringLiteral("RDE_ENTITY_NOT_RESOLVED"),
                             QStringLiteral("Entity %1 is not resolved; resolve it before deleting it").arg(id));
            if (auto r = m_store->deleteEntity(id, *exp); !r)
                return fromError(r.error());
            // An entity that never resolved (RESOLUTION_ERROR) ends its create task.
            if (auto r = m_store->endOwnerTasks(id, kCreateEntityTask, QStringLiteral("aborted"),
                                                {{QStringLiteral("message"), QStringLiteral("the entity was deleted before it was resolved")}});
                !r)
                qCWarning(lcSim) << "cannot end the create task of" << id << r.error().message;
            HttpResponse r;
            r.status = 204;
            return r;
        }
        return methodNotAllowed(req);
    }

    if (rest == QLatin1String("resolve")) {
        if (req.method != "POST")
            return methodNotAllowed(req);
        if (!mayEntity(c, row.e.entityType, row.e.org.id, EntityOp::Modify))
            return forbidden(QStringLiteral("The user %1 may not change entities").arg(c.user.name));
        auto schema = m_store->type(row.e.entityType);
        if (!schema || !schema->has_value())
            return badRequest(QStringLiteral("The entity's type %1 no longer exists").arg(row.e.entityType));
        const auto errors = rde::SchemaValidator((*schema)->schema).validate(row.e.entity);
        row.e.state = row.e.entityState = errors.isEmpty() ? QStringLiteral("RESOLVED") : QStringLiteral("RESOLUTION_ERROR");
        row.e.message = errors.isEmpty() ? QString() : rde::SchemaValidator::describe(errors);
        row.e.lastModificationDate = rde::isoTimestamp();
        auto written = m_store->updateEntity(row, row.etag, client);
        if (!written)
            return fromError(written.error());
        if (errors.isEmpty())
            if (auto r = m_store->endOwnerTasks(id, kCreateEntityTask, QStringLiteral("success")); !r)
                qCWarning(lcSim) << "cannot end the create task of" << id << r.error().message;
        return withEtag(ok({{QStringLiteral("id"), row.e.id},
                            {QStringLiteral("entity"), maskSecure(row.e.entityType, row.e.entity)},
                            {QStringLiteral("state"), row.e.state},
                            {QStringLiteral("entityState"), row.e.entityState},
                            {QStringLiteral("message"), row.e.message.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(row.e.message)}}),
                        *written);
    }

    static const QRegularExpression behavior(QStringLiteral("^behaviors/([^/]+)/invocations$"));
    if (const auto b = behavior.match(rest); b.hasMatch()) {
        if (req.method != "POST")
            return methodNotAllowed(req);
        if (!req.body.isEmpty())
            if (auto body = bodyObject(req); !body)
                return fromError(body.error());
        auto t = m_store->type(row.e.entityType);
        const bool capvcd = t && t->has_value() && (*t)->interfaces.contains(rde::types::kCapvcdInterface);
        if (!b.captured(1).contains(QLatin1String("getFullEntity")) || !capvcd || !behaviorAllowed(row.e.entityType, b.captured(1)))
            return badRequest(QStringLiteral("Behavior %1 is not defined for entity type %2, or no behavior access control grants it")
                                  .arg(b.captured(1), row.e.entityType));
        // The behavior's ACL grants it to FullControl (CSE's install): Full
        // Access or Administrator Full access on the type.
        if (!mayEntity(c, row.e.entityType, row.e.org.id, EntityOp::Delete))
            return forbidden(QStringLiteral("Invoking %1 needs Full Control of the entity").arg(b.captured(1)));
        const QString result = QString::fromUtf8(QJsonDocument(row.e.toJson()).toJson(QJsonDocument::Compact));
        const QString taskId = newTask(QStringLiteral("executeBehavior"), QStringLiteral("Invoked getFullEntity on %1").arg(id), row, result, c);
        HttpResponse r;
        r.status = 202;
        r.header("Location", (hostUrl(req) + QStringLiteral("/api/task/") + taskId).toUtf8());
        return r;
    }
    return notFound(req);
}

HttpResponse VcdSim::listEntities(const HttpRequest &req, const Caller &c, const QStringList &typeIds)
{
    auto lp = listParams(req, &FiqlFilter::isKnownKey);
    if (!lp)
        return fromError(lp.error());
    EntityListQuery q;
    // Without a tenant context (README "how vcd-sim follows VCD"):
    // - a System-org user holding Administrator View (or Administrator Full
    //   access) on a type lists that type's entities of every org in one list:
    //   CSE's server finds every tenant's clusters so with a role that has no
    //   right to list orgs; the System Administrator keeps the System org;
    // - --provider-visibility all: the System Administrator's list spans
    //   every org too;
    // - --provider-visibility system: every provider list shows the System
    //   org only (the other reading of VCD's documentation).
    const bool sendsContext = !req.header("x-vmware-vcloud-tenant-context").isEmpty();
    QStringList everyOrg;
    if (c.provider && m_options.providerVisibility == SimOptions::ProviderVisibility::All && !sendsContext)
        everyOrg = typeIds;
    else if (c.system && !c.provider && !sendsContext && m_options.providerVisibility != SimOptions::ProviderVisibility::System)
        for (const QString &t : typeIds)
            if (mayEntity(c, t, QStringLiteral("*"), EntityOp::Read))
                everyOrg << t;
    if (!everyOrg.isEmpty()) {
        q.typeIds = everyOrg;
    } else {
        for (const QString &t : typeIds)
            if (mayEntity(c, t, c.effective.id, EntityOp::Read))
                q.typeIds << t;
        q.orgId = c.effective.id;
    }
    q.filter = lp->filter;
    q.sortKey = lp->sortKey;
    q.descending = lp->descending;
    q.page = lp->page.page;
    q.pageSize = lp->page.pageSize;
    for (const QString &t : std::as_const(q.typeIds))
        q.securePaths.insert(t, securePathsOf(t));
    auto page = sim::listEntities(*m_store, q, m_options.listInMemory ? ListEvaluation::InMemory : ListEvaluation::Sql);
    if (!page)
        return fromError(page.error());
    QList<const EntityRow *> items;
    for (const EntityRow &r : page->rows)
        items.append(&r);
    return pageResponse<EntityRow>(req, hostUrl(req), QStringLiteral("DefinedEntities"), lp->page, page->total, items,
                                   [](const EntityRow &r) { return r.e.toJson(); }, maxListBytes());
}

HttpResponse VcdSim::task(const HttpRequest &req, const Caller &c, const QString &id)
{
    if (req.method != "GET")
        return methodNotAllowed(req);
    auto t = m_store->task(id);
    if (!t)
        return fromError(t.error());
    if (!t->has_value() || !mayReadTask(c, **t))
        return forbidden();
    const TaskRow &task = **t;
    const QString href = hostUrl(req) + QStringLiteral("/api/task/") + task.id;
    const QString ownerHref = hostUrl(req) + QStringLiteral("/cloudapi/1.0.0/entities/") + task.ownerId;
    if (req.header("accept").contains("xml")) {
        QByteArray xml;
        QXmlStreamWriter w(&xml);
        w.writeStartDocument();
        w.writeStartElement(QStringLiteral("Task"));
        w.writeDefaultNamespace(QStringLiteral("http://www.vmware.com/vcloud/v1.5"));
        w.writeAttribute(QStringLiteral("id"), QStringLiteral("urn:vcloud:task:") + task.id);
        w.writeAttribute(QStringLiteral("name"), QStringLiteral("task"));
        w.writeAttribute(QStringLiteral("operationName"), task.operationName);
        w.writeAttribute(QStringLiteral("operation"), task.operation);
        w.writeAttribute(QStringLiteral("status"), task.status);
        w.writeAttribute(QStringLiteral("startTime"), task.startTime);
        w.writeAttribute(QStringLiteral("endTime"), task.endTime);
        w.writeAttribute(QStringLiteral("href"), href);
        w.writeStartElement(QStringLiteral("Owner"));
        w.writeAttribute(QStringLiteral("href"), ownerHref);
        w.writeAttribute(QStringLiteral("id"), task.ownerId);
        w.writeAttribute(QStringLiteral("name"), task.ownerName);
        w.writeAttribute(QStringLiteral("type"), task.ownerType);
        w.writeEndElement();
        w.writeTextElement(QStringLiteral("Progress"), QString::number(task.progress));
        if (!task.resultContent.isEmpty()) {
            w.writeStartElement(QStringLiteral("Result"));
            w.writeTextElement(QStringLiteral("ResultContent"), task.resultContent);
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeEndDocument();
        return xmlReply(xml, "application/vnd.vmware.vcloud.task+xml;version=37.2");
    }
    QJsonObject o{{QStringLiteral("id"), QString(QStringLiteral("urn:vcloud:task:") + task.id)},
                  {QStringLiteral("name"), QStringLiteral("task")},
                  {QStringLiteral("href"), href},
                  {QStringLiteral("operationName"), task.operationName},
                  {QStringLiteral("operation"), task.operation},
                  {QStringLiteral("status"), task.status},
                  {QStringLiteral("startTime"), task.startTime},
                  {QStringLiteral("endTime"), task.endTime},
                  {QStringLiteral("progress"), task.progress},
                  {QStringLiteral("owner"), QJsonObject{{QStringLiteral("href"), ownerHref}, {QStringLiteral("id"), task.ownerId},
                                                        {QStringLiteral("type"), task.ownerType}, {QStringLiteral("name"), task.ownerName}}},
                  {QStringLiteral("error"), task.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(task.error)},
                  {QStringLiteral("result"), QJsonObject{{QStringLiteral("resultContent"), task.resultContent.isEmpty()
                                                                                                 ? QJsonValue(QJsonValue::Null)
                                                                                                 : QJsonValue(task.resultContent)}}}};
    HttpResponse r = ok(o);
    r.headers.clear();
    r.header("Content-Type", "application/vnd.vmware.vcloud.task+json;version=37.2");
    return r;
}

} // namespace cse::sim
