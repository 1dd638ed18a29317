#include "client.h"

#include "core/logging.h"
#include "fingerprint.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vappxml.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QUuid>
#include <QXmlStreamReader>

namespace cse::vcd {

namespace {

const QStringList kSupportedVersions = {QStringLiteral("35.0"), QStringLiteral("35.2"), QStringLiteral("36.0"),
                                        QStringLiteral("36.1"), QStringLiteral("36.2"), QStringLiteral("36.3"),
                                        QStringLiteral("37.0"), QStringLiteral("37.1"), QStringLiteral("37.2"),
                                        QStringLiteral("37.3"), QStringLiteral("38.0")};

bool isTenantContext(const QByteArray &header) { return header.compare("X-VMWARE-VCLOUD-TENANT-CONTEXT", Qt::CaseInsensitive) == 0; }

QByteArray bareOrgId(const QByteArray &id)
{
    const int colon = id.lastIndexOf(':');
    return colon < 0 ? id.trimmed() : id.mid(colon + 1).trimmed();
}

double versionNumber(const QString &v)
{
    const QStringList parts = v.split(QLatin1Char('.'));
    return parts.value(0).toInt() * 1000.0 + parts.value(1).toInt();
}

bool defaultIdempotent(const QByteArray &method)
{
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE";
}

QString encodeValue(const QString &v)
{
    // '+' must travel as %2B: many servers read a raw '+' in a query as a space.
    return QString::fromLatin1(QUrl::toPercentEncoding(v, "*:._-~,;=()!'/"));
}

int backoffMs(int base, int attempt)
{
    const int capped = qMin(base * (1 << qMin(attempt, 6)), 10000);
    return capped / 2 + int(QRandomGenerator::global()->bounded(capped / 2 + 1));
}

} // namespace

struct Client::Job
{
    RequestSpec spec;
    Callback<Reply> done;
    int attempt = 0;
    bool reauthenticated = false;
    quint64 generation = 0;
    QElapsedTimer timer;
    QString tlsError;
};

QByteArray Reply::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

QList<QByteArray> Reply::headerValues(const QByteArray &name) const
{
    QList<QByteArray> out;
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            out.append(h.second);
    return out;
}

QJsonObject Reply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

int RequestStats::total() const
{
    int n = 0;
    for (const auto &m : byRoute)
        for (int c : m)
            n += c;
    return n;
}

void RequestStats::add(const RequestStats &other)
{
    for (auto r = other.byRoute.cbegin(); r != other.byRoute.cend(); ++r)
        for (auto st = r->cbegin(); st != r->cend(); ++st)
            byRoute[r.key()][st.key()] += st.value();
}

QJsonObject RequestStats::toJson() const
{
    QJsonObject o;
    for (auto it = byRoute.cbegin(); it != byRoute.cend(); ++it) {
        QJsonObject s;
        for (auto j = it->cbegin(); j != it->cend(); ++j)
            s.insert(QString::number(j.key()), j.value());
        o.insert(it.key(), s);
    }
    return o;
}

QList<QPair<QByteArray, QByteArray>> tenantContextHeaders(const QString &orgId, const QString &orgName)
{
    QList<QPair<QByteArray, QByteArray>> h{{"X-VMWARE-VCLOUD-TENANT-CONTEXT", bareOrgId(orgId.toLatin1())}};
    if (!orgName.isEmpty())
        h.append({"X-VMWARE-VCLOUD-AUTH-CONTEXT", orgName.toUtf8()});
    return h;
}

void Client::noteOrgName(const QString &orgId, const QString &orgName)
{
    if (!orgId.isEmpty() && !orgName.isEmpty())
        m_orgNames.insert(QString::fromLatin1(bareOrgId(orgId.toLatin1())), orgName);
}

// A metric label and an error's operation: never a tenant's name or an id.
// Ids become {id}, the org of a tenant login {org}, and any other segment
// that is not a plain word of the API (letters, digits, '.', '-', '_', at
// most 40 characters) {value}, so the set of templates stays bounded.
QString routeTemplate(const QByteArray &method, const QString &path)
{
    static const QRegularExpression urn(QStringLiteral("urn:vcloud:[A-Za-z]+:[^/?]+"));
    static const QRegularExpression uuid(QStringLiteral("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"));
    static const QRegularExpression word(QStringLiteral("^[A-Za-z0-9._-]{1,40}$|^[A-Za-z0-9._-]*\\{id\\}[A-Za-z0-9._-]*$"));
    QString p = QUrl(path).path();
    p.replace(urn, QStringLiteral("{id}"));
    p.replace(uuid, QStringLiteral("{id}"));
    QStringList segments = p.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < segments.size(); ++i) {
        QString &seg = segments[i];
        if (seg.isEmpty())
            continue;
        // /oauth/tenant/ORG/token and the tenant portal's /tenant/ORG
        if (i > 0 && segments.at(i - 1) == QLatin1String("tenant"))
            seg = QStringLiteral("{org}");
        else if (!word.match(seg).hasMatch())
            seg = QStringLiteral("{value}");
    }
    return QString::fromLatin1(method) + QLatin1Char(' ') + segments.join(QLatin1Char('/'));
}

Client::Client(ConnectionOptions options, QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_nam(nam)
{
    if (!m_nam) {
        m_nam = new QNetworkAccessManager(this);
        m_ownsNam = true;
    }
    if (!m_options.caFile.isEmpty())
        m_extraCa = QSslCertificate::fromPath(m_options.caFile, QSsl::Pem);
    if (!m_options.fingerprint.isEmpty())
        m_pin = parseFingerprint(m_options.fingerprint);
}

Client::~Client()
{
    // Abort quietly: callbacks may point into objects that are being torn down.
    m_destroying = true;
    ++m_generation;
    m_queue.clear();
    m_authWaiters.clear();
    const auto active = m_active;
    for (const QPointer<QNetworkReply> &r : active)
        if (r)
            r->abort();
}

QUrl Client::resolve(const QString &path) const
{
    const QUrl given(path);
    QUrl base = m_options.url;
    if (given.isRelative()) {
        base.setPath(path);
        return base;
    }
    // Absolute URLs (task Location, Link headers) are followed on our own
    // site: VCD may name itself by another host behind a load balancer.
    base.setPath(given.path());
    base.setQuery(given.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return base;
}

void Client::send(RequestSpec spec, Callback<Reply> done)
{
    auto job = std::make_shared<Job>();
    job->spec = std::move(spec);
    job->done = std::move(done);
    job->generation = m_generation;
    if (job->spec.authenticated && m_token.isEmpty()) {
        authenticate([this, job](Result<void> r) {
            if (!r) {
                job->done(r.error());
                return;
            }
            enqueue(job);
        });
        return;
    }
    enqueue(job);
}

void Client::enqueue(std::shared_ptr<Job> job)
{
    m_queue.push_back(std::move(job));
    pump();
}

void Client::pump()
{
    while (m_inFlight < m_options.maxConcurrent && !m_queue.empty()) {
        auto job = m_queue.front();
        m_queue.pop_front();
        dispatch(job);
    }
}

void Client::dispatch(std::shared_ptr<Job> job)
{
    const RequestSpec &s = job->spec;
    QUrl url = resolve(s.path);
    if (!s.query.isEmpty()) {
        QStringList parts;
        for (const auto &item : s.query.queryItems(QUrl::FullyDecoded))
            parts << encodeValue(item.first) + QLatin1Char('=') + encodeValue(item.second);
        url.setQuery(parts.join(QLatin1Char('&')), QUrl::StrictMode);
    }
    QNetworkRequest req(url);
    req.setTransferTimeout(m_options.timeoutMs);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // One negotiated version on every call, JSON and XML: a media type that
    // names none gets it (VCD 10.4.0 offers at most 37.0 and answers 406 to
    // another; go-vcloud-director govcd/api.go negotiates it the same way).
    auto versioned = [this](const QByteArray &type) {
        return m_version.isEmpty() || type.contains("version=") ? type : type + ";version=" + m_version.toLatin1();
    };
    req.setRawHeader("Accept", s.accept.isEmpty() ? "application/json;version=" + m_version.toLatin1() : versioned(s.accept));
    req.setRawHeader("User-Agent", "cse-console/" CSE_VERSION);
    req.setRawHeader("X-CSE-CLIENT-ID", m_options.clientId.toUtf8());
    req.setRawHeader("X-VMWARE-VCLOUD-CLIENT-REQUEST-ID", QUuid::createUuid().toString(QUuid::WithoutBraces).left(8).toLatin1());
    if (!s.body.isEmpty() || s.method == "POST" || s.method == "PUT")
        req.setHeader(QNetworkRequest::ContentTypeHeader,
                      s.contentType.startsWith("application/vnd.vmware") ? versioned(s.contentType) : s.contentType);
    if (s.authenticated && !m_token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
    QList<QPair<QByteArray, QByteArray>> headers = s.headers;
    // The request's own tenant context first, else the connection's.
    if (s.authenticated && std::none_of(headers.cbegin(), headers.cend(), [](const auto &h) { return isTenantContext(h.first); })) {
        if (!s.tenantContext.isEmpty())
            headers += tenantContextHeaders(s.tenantContext, QString());
        else if (!m_options.tenantContext.isEmpty())
            headers += tenantContextHeaders(m_options.tenantContext, m_options.tenantContextName);
    }
    for (const auto &h : std::as_const(headers)) {
        // The tenant context as go-vcloud-director sends it: the org's bare
        // UUID (govcd/tenant_context.go; the URN form failed on VCD 10.2),
        // with the org's name in X-VMWARE-VCLOUD-AUTH-CONTEXT when known.
        if (isTenantContext(h.first)) {
            const QByteArray bare = bareOrgId(h.second);
            req.setRawHeader("X-VMWARE-VCLOUD-TENANT-CONTEXT", bare);
            const bool named = std::any_of(headers.cbegin(), headers.cend(), [](const auto &o) {
                return o.first.compare("X-VMWARE-VCLOUD-AUTH-CONTEXT", Qt::CaseInsensitive) == 0;
            });
            const QString name = m_orgNames.value(QString::fromLatin1(bare));
            if (!named && !name.isEmpty())
                req.setRawHeader("X-VMWARE-VCLOUD-AUTH-CONTEXT", name.toUtf8());
            continue;
        }
        req.setRawHeader(h.first, h.second);
    }
    if (url.scheme() == QLatin1String("https")) {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        if (!m_extraCa.isEmpty())
            conf.addCaCertificates(m_extraCa);
        req.setSslConfiguration(conf);
    }

    ++m_inFlight;
    job->timer.start();
    QNetworkReply *reply = m_nam->sendCustomRequest(req, s.method, s.body);
    m_active.append(reply);
    qCDebug(lcVcd) << "->" << routeTemplate(s.method, url.path()) << "attempt" << job->attempt + 1;
    if (!m_pin.isEmpty()) {
        // A pinned certificate replaces chain validation: accept exactly it.
        connect(reply, &QNetworkReply::sslErrors, reply, [this, reply, job](const QList<QSslError> &errors) {
            const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
            if (peer.digest(QCryptographicHash::Sha256) == m_pin)
                reply->ignoreSslErrors(errors);
            else
                job->tlsError = QStringLiteral("the server presented certificate SHA-256 %1, which does not match the pinned "
                                               "fingerprint %2").arg(fingerprintOf(peer), formatFingerprint(m_pin));
        });
        connect(reply, &QNetworkReply::encrypted, reply, [this, reply, job] {
            const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
            if (peer.digest(QCryptographicHash::Sha256) != m_pin) {
                job->tlsError = QStringLiteral("the server presented certificate SHA-256 %1, which does not match the pinned "
                                               "fingerprint %2").arg(fingerprintOf(peer), formatFingerprint(m_pin));
                reply->abort();
            }
        });
    } else {
        connect(reply, &QNetworkReply::sslErrors, reply, [reply, job](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &e : errors)
                texts << e.errorString();
            job->tlsError = QStringLiteral("TLS verification failed (%1); the server presented certificate SHA-256 %2. "
                                           "Trust its CA with --ca, or pin this fingerprint with --fingerprint after checking it")
                                .arg(texts.join(QStringLiteral("; ")), fingerprintOf(reply->sslConfiguration().peerCertificate()));
        });
    }
    connect(reply, &QNetworkReply::finished, this, [this, job, reply] { finished(job, reply); });
}

Error Client::errorFrom(const QByteArray &method, const QString &path, const Reply &r, const QString &networkError) const
{
    Error e;
    e.operation = routeTemplate(method, path);
    e.httpStatus = r.status;
    e.kind = r.status ? kindForHttpStatus(r.status) : ErrorKind::Unreachable;
    e.requestId = QString::fromLatin1(r.header("X-VMWARE-VCLOUD-REQUEST-ID"));
    // cloudapi answers JSON; /api answers VCD's XML <Error message
    // majorErrorCode minorErrorCode/> (VMware's API reference, ErrorType).
    if (r.body.trimmed().startsWith('<')) {
        if (auto x = xml::readError(r.body)) {
            e.minorErrorCode = x->minorErrorCode;
            e.message = x->message;
        }
    } else {
        const QJsonObject body = r.json();
        e.minorErrorCode = body.value(QLatin1String("minorErrorCode")).toString();
        e.message = body.value(QLatin1String("message")).toString();
    }
    if (e.message.isEmpty())
        e.message = !networkError.isEmpty() ? networkError
                    : r.status ? QStringLiteral("the server answered %1 without details").arg(r.status)
                               : QStringLiteral("no answer");
    if (r.status == 401)
        e.message += QStringLiteral(" (check the user, password or API token and the organization)");
    return e;
}

void Client::finished(std::shared_ptr<Job> job, QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_destroying)
        return;
    m_active.removeAll(reply);
    --m_inFlight;
    const RequestSpec &s = job->spec;
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.headers = reply->rawHeaderPairs();
    r.body = reply->readAll();
    const QString route = routeTemplate(s.method, reply->url().path());
    ++m_stats.byRoute[route][r.status];
    qCDebug(lcVcd) << "<-" << route << r.status << job->timer.elapsed() << "ms";

    const bool canceled = job->generation != m_generation;
    if (canceled) {
        pump();
        job->done(makeError(ErrorKind::Canceled, QStringLiteral("canceled"), route));
        return;
    }
    const bool networkFailure = r.status == 0;
    const bool idempotent = s.idempotent.value_or(defaultIdempotent(s.method));
    if (!job->tlsError.isEmpty()) {
        pump();
        Error e = makeError(ErrorKind::Unreachable, job->tlsError, route);
        job->done(e);
        return;
    }
    // Plain HTTP to a TLS port: the server hangs up without a word. Say so
    // once, instead of retrying and reporting "Connection closed".
    if (networkFailure && reply->error() == QNetworkReply::RemoteHostClosedError && job->attempt == 0
        && reply->url().scheme() == QLatin1String("http")) {
        pump();
        QUrl https = reply->url().adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
        const QString sent = https.toString();
        https.setScheme(QStringLiteral("https"));
        job->done(makeError(ErrorKind::Unreachable,
                            QStringLiteral("%1 closed the connection without answering plain HTTP; the server probably expects TLS: "
                                           "use %2").arg(sent, https.toString()),
                            route));
        return;
    }
    if ((networkFailure || r.status >= 500) && idempotent && job->attempt < m_options.maxRetries) {
        const int delay = backoffMs(m_options.retryBaseMs, job->attempt);
        ++job->attempt;
        qCInfo(lcVcd) << route << (networkFailure ? reply->errorString() : QStringLiteral("HTTP %1").arg(r.status))
                      << "- retry" << job->attempt << "in" << delay << "ms";
        QTimer::singleShot(delay, this, [this, job] {
            if (job->generation != m_generation) {
                job->done(makeError(ErrorKind::Canceled, QStringLiteral("canceled")));
                return;
            }
            enqueue(job);
        });
        pump();
        return;
    }
    if (r.status == 401 && s.authenticated && !job->reauthenticated) {
        job->reauthenticated = true;
        m_token.clear();
        qCInfo(lcVcd) << route << "answered 401; logging in again";
        authenticate([this, job](Result<void> auth) {
            if (!auth) {
                job->done(auth.error());
                return;
            }
            enqueue(job);
        });
        pump();
        return;
    }
    pump();
    if (networkFailure || r.status >= 400) {
        job->done(errorFrom(s.method, reply->url().path(), r, networkFailure ? reply->errorString() : QString()));
        return;
    }
    job->done(r);
}

void Client::cancelAll()
{
    ++m_generation;
    auto queued = std::move(m_queue);
    m_queue.clear();
    for (auto &job : queued)
        job->done(makeError(ErrorKind::Canceled, QStringLiteral("canceled"), routeTemplate(job->spec.method, job->spec.path)));
    const auto active = m_active;
    for (const QPointer<QNetworkReply> &r : active)
        if (r)
            r->abort();
}

void Client::connectToSite(Callback<void> done)
{
    negotiate([this, done](Result<void> r) {
        if (!r)
            return done(r);
        m_token.clear();
        authenticate(done);
    });
}

void Client::negotiate(Callback<void> done)
{
    if (auto v = m_options.validate(); !v) {
        done(v.error());
        return;
    }
    if (!m_options.fingerprint.isEmpty() && m_pin.isEmpty()) {
        done(makeError(QStringLiteral("the fingerprint \"%1\" is not a SHA-256 fingerprint (64 hex digits)").arg(m_options.fingerprint)));
        return;
    }
    if (!m_options.caFile.isEmpty() && m_extraCa.isEmpty()) {
        done(makeError(QStringLiteral("no PEM certificate could be read from %1").arg(m_options.caFile)));
        return;
    }
    RequestSpec spec;
    spec.path = QStringLiteral("/api/versions");
    spec.authenticated = false;
    spec.accept = "application/*+xml";
    send(spec, [this, done](Result<Reply> r) {
        if (!r) {
            done(r.error());
            return;
        }
        QXmlStreamReader xml(r->body);
        QString best, bestLogin, bestProvider;
        QString version, loginUrl, providerUrl;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                const auto name = xml.name();
                if (name == QLatin1String("VersionInfo"))
                    version.clear(), loginUrl.clear(), providerUrl.clear();
                else if (name == QLatin1String("Version"))
                    version = xml.readElementText();
                else if (name == QLatin1String("LoginUrl"))
                    loginUrl = xml.readElementText();
                else if (name == QLatin1String("ProviderLoginUrl"))
                    providerUrl = xml.readElementText();
            } else if (xml.isEndElement() && xml.name() == QLatin1String("VersionInfo")) {
                if (kSupportedVersions.contains(version) && (best.isEmpty() || versionNumber(version) > versionNumber(best))) {
                    best = version;
                    bestLogin = loginUrl;
                    bestProvider = providerUrl;
                }
            }
        }
        if (xml.hasError() || best.isEmpty()) {
            done(makeError(QStringLiteral("%1 does not look like VMware Cloud Director: /api/versions %2")
                               .arg(m_options.url.toString(),
                                    xml.hasError() ? QStringLiteral("is not valid XML (%1)").arg(xml.errorString())
                                                   : QStringLiteral("offers no API version this client supports (35.0-38.0)")),
                           QStringLiteral("GET /api/versions")));
            return;
        }
        m_version = best;
        m_loginUrl = bestLogin.isEmpty() ? QStringLiteral("/cloudapi/1.0.0/sessions") : bestLogin;
        m_providerLoginUrl = bestProvider.isEmpty() ? QStringLiteral("/cloudapi/1.0.0/sessions/provider") : bestProvider;
        qCInfo(lcVcd) << "using API version" << m_version << "at" << m_options.url.toString();
        done({});
    });
}

void Client::authenticate(Callback<void> done)
{
    m_authWaiters.append(std::move(done));
    if (m_authenticating)
        return;
    m_authenticating = true;
    login([this](Result<void> r) {
        m_authenticating = false;
        const auto waiters = std::move(m_authWaiters);
        m_authWaiters.clear();
        for (const auto &w : waiters)
            w(r);
    });
}

void Client::login(Callback<void> done)
{
    if (m_version.isEmpty()) {
        // Not negotiated yet (first call without connectToSite).
        negotiate([this, done](Result<void> r) {
            if (!r)
                return done(r);
            login(done);
        });
        return;
    }
    RequestSpec spec;
    spec.method = "POST";
    spec.authenticated = false;
    spec.idempotent = false;
    if (m_options.usesApiToken()) {
        spec.path = m_options.isProvider() ? QStringLiteral("/oauth/provider/token")
                                           : QStringLiteral("/oauth/tenant/%1/token").arg(QString::fromLatin1(QUrl::toPercentEncoding(m_options.org)));
        spec.contentType = "application/x-www-form-urlencoded";
        spec.accept = "application/json";
        spec.body = "grant_type=refresh_token&refresh_token=" + QUrl::toPercentEncoding(m_options.apiToken);
        qCInfo(lcVcd) << "exchanging an API token for" << m_options.org;
    } else {
        spec.path = m_options.isProvider() ? m_providerLoginUrl : m_loginUrl;
        const QByteArray basic = (m_options.user + QLatin1Char('@') + m_options.org + QLatin1Char(':') + m_options.password).toUtf8().toBase64();
        spec.headers.append({"Authorization", "Basic " + basic});
        qCInfo(lcVcd) << "logging in as" << m_options.user << "in" << m_options.org;
    }
    send(spec, [this, done](Result<Reply> r) {
        if (!r) {
            Error e = r.error();
            if (e.minorErrorCode == QLatin1String("invalid_grant"))
                e.message = QStringLiteral("the API token was refused for org %1: it is wrong, revoked, or belongs to another org")
                                .arg(m_options.org);
            done(e);
            return;
        }
        if (m_options.usesApiToken()) {
            m_token = r->json().value(QLatin1String("access_token")).toString();
            m_session = {};
        } else {
            m_token = QString::fromLatin1(r->header("X-VMWARE-VCLOUD-ACCESS-TOKEN"));
            m_session = r->json();
        }
        if (m_token.isEmpty()) {
            done(makeError(QStringLiteral("the login answer carried no access token"), QStringLiteral("login")));
            return;
        }
        done({});
    });
}

void Client::logout(Callback<void> done)
{
    if (m_token.isEmpty()) {
        done({});
        return;
    }
    RequestSpec spec;
    spec.method = "DELETE";
    spec.path = QStringLiteral("/cloudapi/1.0.0/sessions/current");
    send(spec, [this, done](Result<Reply> r) {
        m_token.clear();
        if (!r)
            done(r.error());
        else
            done({});
    });
}

void Client::getEntity(const QString &id, Callback<rde::DefinedEntity> done)
{
    RequestSpec spec;
    spec.path = QStringLiteral("/cloudapi/1.0.0/entities/") + id;
    send(spec, [done](Result<Reply> r) {
        if (!r)
            return done(r.error());
        done(rde::DefinedEntity::fromJson(r->json(), QString::fromLatin1(r->header("ETag"))));
    });
}

void Client::createEntity(const QString &typeId, const QString &name, const QJsonObject &entity, Callback<QString> done)
{
    RequestSpec spec;
    spec.method = "POST";
    spec.path = QStringLiteral("/cloudapi/1.0.0/entityTypes/") + typeId;
    spec.body = json::canonical(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("entity"), entity}});
    send(spec, [this, done](Result<Reply> r) {
        if (!r)
            return done(r.error());
        const QString location = QString::fromLatin1(r->header("Location"));
        if (r->status != 202 || location.isEmpty())
            return done(makeError(QStringLiteral("creating an entity answered %1 without a task").arg(r->status)));
        createdEntityId(location, done);
    });
}

void Client::updateEntity(const rde::DefinedEntity &e, Callback<rde::DefinedEntity> done)
{
    RequestSpec spec;
    spec.method = "PUT";
    spec.path = QStringLiteral("/cloudapi/1.0.0/entities/") + e.id;
    QJsonObject body = e.toUpdateJson();
    // Never send a secure field back empty: omitted, VCD keeps the stored value.
    if (auto schema = rde::bundledSchema(e.entityType)) {
        QJsonObject content = e.entity;
        for (const QString &path : rde::securePaths(*schema)) {
            const QStringList steps = path.split(QLatin1Char('.'));
            const QJsonValue v = json::get(content, steps);
            if (v.isNull() || (v.isString() && v.toString().isEmpty()))
                content = json::remove(content, steps);
        }
        body.insert(QStringLiteral("entity"), content);
    }
    spec.body = json::canonical(body);
    if (!e.etag.isEmpty())
        spec.headers.append({"If-Match", e.etag.toLatin1()});
    send(spec, [done](Result<Reply> r) {
        if (!r)
            return done(r.error());
        done(rde::DefinedEntity::fromJson(r->json(), QString::fromLatin1(r->header("ETag"))));
    });
}

void Client::resolveEntity(const QString &id, Callback<rde::DefinedEntity> done)
{
    RequestSpec spec;
    spec.method = "POST";
    spec.path = QStringLiteral("/cloudapi/1.0.0/entities/%1/resolve").arg(id);
    send(spec, [done](Result<Reply> r) {
        if (!r)
            return done(r.error());
        done(rde::DefinedEntity::fromJson(r->json(), QString::fromLatin1(r->header("ETag"))));
    });
}

void Client::deleteEntity(const QString &id, const QString &etag, Callback<void> done)
{
    RequestSpec spec;
    spec.method = "DELETE";
    spec.path = QStringLiteral("/cloudapi/1.0.0/entities/") + id;
    if (!etag.isEmpty())
        spec.headers.append({"If-Match", etag.toLatin1()});
    send(spec, [done](Result<Reply> r) {
        if (!r)
            return done(r.error());
        done({});
    });
}

namespace {

QString nextLinkHeader(const Reply &r)
{
    static const QRegularExpression re(QStringLiteral("<([^>]+)>\\s*;(.*)"));
    static const QRegularExpression split(QStringLiteral(",(?=\\s*<)"));
    for (const QByteArray &h : r.headerValues("Link"))
        for (const QString &part : QString::fromUtf8(h).split(split)) {
            const auto m = re.match(part.trimmed());
            if (m.hasMatch() && m.captured(2).contains(QLatin1String("rel=\"nextPage\"")))
                return m.captured(1);
        }
    return {};
}

bool isXml(const Reply &r)
{
    return r.header("Content-Type").contains("xml");
}

// What a page says about the rest of its list.
struct PageInfo
{
    int pageCount = -1; // -1: not given
    QString next;       // the nextPage link, if any
    int items = 0;
};

Result<PageInfo> pageInfo(const Reply &r)
{
    PageInfo p;
    if (isXml(r)) {
        auto q = xml::readQueryRecords(r.body);
        if (!q)
            return q.error();
        p.items = int(q->records.size());
        if (q->pageSize > 0 && (q->total > 0 || q->records.isEmpty()))
            p.pageCount = (q->total + q->pageSize - 1) / q->pageSize;
        for (const xml::Link &l : std::as_const(q->links))
            if (l.rel == QLatin1String("nextPage"))
                p.next = l.href;
        return p;
    }
    const QJsonObject body = r.json();
    if (!body.value(QLatin1String("values")).isArray())
        return makeError(ErrorKind::Invalid, QStringLiteral("a list page has no \"values\" array"));
    p.items = int(body.value(QLatin1String("values")).toArray().size());
    p.pageCount = body.value(QLatin1String("pageCount")).toInt(-1);
    p.next = nextLinkHeader(r);
    return p;
}

struct PagedList
{
    RequestSpec first;        // as the caller gave it
    Callback<QList<Reply>> done;
    QList<Reply> pages;
    int pending = 0;
    bool finished = false;
    int pageSize = Client::kMaxPageSize;
    QSet<QString> followed;   // Link paging: stop at a link seen before

    void finish(Result<QList<Reply>> r)
    {
        if (finished)
            return;
        finished = true;
        auto callback = std::move(done);
        callback(std::move(r));
    }
};

RequestSpec pageRequest(const RequestSpec &first, int page, int pageSize)
{
    RequestSpec s = first;
    s.query.removeAllQueryItems(QStringLiteral("page"));
    s.query.removeAllQueryItems(QStringLiteral("pageSize"));
    s.query.addQueryItem(QStringLiteral("page"), QString::number(page));
    s.query.addQueryItem(QStringLiteral("pageSize"), QString::number(pageSize));
    return s;
}

// A cloudapi entity list's first request.
RequestSpec entityList(const ListQuery &q)
{
    RequestSpec first;
    first.path = QStringLiteral("/cloudapi/1.0.0/entities/%1/%2/%3/%4")
                     .arg(q.byInterface ? QStringLiteral("interfaces") : QStringLiteral("types"), q.vendor, q.nss, q.version);
    if (!q.filter.isEmpty())
        first.query.addQueryItem(QStringLiteral("filter"), q.filter);
    if (!q.sortAsc.isEmpty())
        first.query.addQueryItem(QStringLiteral("sortAsc"), q.sortAsc);
    if (!q.sortDesc.isEmpty())
        first.query.addQueryItem(QStringLiteral("sortDesc"), q.sortDesc);
    first.tenantContext = q.tenantContext;
    if (!q.tenantContext.isEmpty() && !q.tenantContextName.isEmpty())
        first.headers.append({"X-VMWARE-VCLOUD-AUTH-CONTEXT", q.tenantContextName.toUtf8()});
    return first;
}

} // namespace

void Client::countEntities(const ListQuery &q, Callback<int> done)
{
    send(pageRequest(entityList(q), 1, 1), [done](Result<Reply> r) {
        if (!r)
            return done(r.error());
        const QJsonValue total = r->json().value(QLatin1String("resultTotal"));
        if (!total.isDouble())
            return done(makeError(ErrorKind::Invalid, QStringLiteral("the list answer has no resultTotal")));
        done(total.toInt());
    });
}

namespace {

// A page VCD refused (400) starts the list again with a quarter of the page
// size: the refusal of a page too large for one answer says so.
void refusedPage(Client *client, const std::shared_ptr<PagedList> &list, const Error &e)
{
    if (e.httpStatus != 400 || list->pageSize <= 1 || list->finished)
        return list->finish(e);
    list->finished = true;
    const int smaller = qMax(1, list->pageSize / 4);
    qCInfo(lcVcd).noquote() << routeTemplate(list->first.method, list->first.path) << "refused a page of" << list->pageSize
                            << "(HTTP 400); listing again with pages of" << smaller;
    client->listPages(list->first, std::move(list->done), smaller);
}

// Pages without a count: follow the nextPage links one by one, same headers.
void followLinks(Client *client, const std::shared_ptr<PagedList> &list, const Reply &page, const PageInfo &info)
{
    list->pages.append(page);
    if (info.next.isEmpty() || info.items == 0 || list->followed.contains(info.next))
        return list->finish(list->pages);
    list->followed.insert(info.next);
    RequestSpec next = list->first;
    next.path = info.next;
    next.query.clear(); // the link carries the page's query
    client->send(next, [client, list](Result<Reply> r) { // the client calls back only while it lives
        if (!r)
            return refusedPage(client, list, r.error());
        auto more = pageInfo(*r);
        if (!more)
            return list->finish(more.error());
        followLinks(client, list, *r, *more);
    });
}

} // namespace

void Client::listPages(RequestSpec first, Callback<QList<Reply>> done, int pageSize)
{
    auto list = std::make_shared<PagedList>();
    list->first = std::move(first);
    list->done = std::move(done);
    list->pageSize = qBound(1, pageSize, kMaxPageSize);
    send(pageRequest(list->first, 1, list->pageSize), [this, list](Result<Reply> r) {
        if (!r)
            return refusedPage(this, list, r.error());
        auto info = pageInfo(*r);
        if (!info)
            return list->finish(info.error());
        if (info->pageCount < 0) // no count: Link paging
            return followLinks(this, list, *r, *info);
        if (info->pageCount <= 1)
            return list->finish(QList<Reply>{*r});
        // Count known: the remaining pages at once (the client bounds concurrency).
        list->pages.resize(info->pageCount);
        list->pages[0] = *r;
        list->pending = info->pageCount - 1;
        for (int page = 2; page <= info->pageCount; ++page)
            send(pageRequest(list->first, page, list->pageSize), [this, list, page](Result<Reply> pr) {
                if (list->finished)
                    return;
                if (!pr)
                    return refusedPage(this, list, pr.error());
                list->pages[page - 1] = *pr;
                if (--list->pending == 0)
                    list->finish(list->pages);
            });
    });
}

void Client::listValues(RequestSpec first, Callback<QList<QJsonObject>> done)
{
    listPages(std::move(first), [done](Result<QList<Reply>> pages) {
        if (!pages)
            return done(pages.error());
        QList<QJsonObject> out;
        for (const Reply &p : std::as_const(*pages))
            for (const QJsonValue &v : p.json().value(QLatin1String("values")).toArray())
                out.append(v.toObject());
        done(out);
    });
}

void Client::listRecords(RequestSpec first, Callback<QList<QXmlStreamAttributes>> done)
{
    listPages(std::move(first), [done](Result<QList<Reply>> pages) {
        if (!pages)
            return done(pages.error());
        QList<QXmlStreamAttributes> out;
        for (const Reply &p : std::as_const(*pages)) {
            auto q = xml::readQueryRecords(p.body);
            if (!q)
                return done(q.error());
            out += q->records;
        }
        done(out);
    });
}

void Client::listEntities(const ListQuery &q, Callback<QList<rde::DefinedEntity>> done)
{
    listPages(entityList(q), [done](Result<QList<Reply>> pages) {
        if (!pages)
            return done(pages.error());
        QList<rde::DefinedEntity> out;
        for (const Reply &p : std::as_const(*pages))
            for (const QJsonValue &v : p.json().value(QLatin1String("values")).toArray())
                out.append(rde::DefinedEntity::fromJson(v.toObject()));
        done(out);
    }, q.pageSize);
}

// A task answer in either of VCD's forms, as the JSON task's fields: JSON
// clients read result.resultContent, CAPVCD's test SDK parses the XML task's
// Result/ResultContent (testingsdk/rde_utils.go).
QJsonObject taskJson(const Reply &r)
{
    const QByteArray type = r.header("Content-Type");
    if (!type.contains("xml") && !r.body.trimmed().startsWith('<'))
        return r.json();
    QJsonObject task, owner, error;
    QString resultContent;
    bool hasResult = false;
    QXmlStreamReader xml(r.body);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = xml.name();
        const QXmlStreamAttributes a = xml.attributes();
        if (name == QLatin1String("Task") && !task.contains(QLatin1String("status"))) {
            for (const char *k : {"id", "name", "operationName", "operation", "status", "startTime", "endTime", "href"})
                task.insert(QLatin1String(k), a.value(QLatin1String(k)).toString());
        } else if (name == QLatin1String("Owner")) {
            for (const char *k : {"id", "name", "type", "href"})
                owner.insert(QLatin1String(k), a.value(QLatin1String(k)).toString());
        } else if (name == QLatin1String("Error")) {
            for (const char *k : {"message", "majorErrorCode", "minorErrorCode"})
                error.insert(QLatin1String(k), a.value(QLatin1String(k)).toString());
        } else if (name == QLatin1String("Progress")) {
            task.insert(QStringLiteral("progress"), xml.readElementText().toInt());
        } else if (name == QLatin1String("ResultContent")) {
            resultContent = xml.readElementText();
            hasResult = true;
        }
    }
    // The owner's id: the attribute, else the href's last segment.
    if (owner.value(QLatin1String("id")).toString().isEmpty())
        owner.insert(QStringLiteral("id"), owner.value(QLatin1String("href")).toString().section(QLatin1Char('/'), -1));
    task.insert(QStringLiteral("owner"), owner);
    if (!error.isEmpty())
        task.insert(QStringLiteral("error"), error);
    if (hasResult)
        task.insert(QStringLiteral("result"), QJsonObject{{QStringLiteral("resultContent"), resultContent}});
    return task;
}

void Client::createdEntityId(const QString &taskUrl, Callback<QString> done, int timeoutMs)
{
    pollTask(taskUrl, true, [done](Result<QJsonObject> task) {
        if (!task)
            return done(task.error());
        const QString id = task->value(QLatin1String("owner")).toObject().value(QLatin1String("id")).toString();
        if (!id.startsWith(QLatin1String("urn:vcloud:entity:")))
            return done(makeError(ErrorKind::ServerError, QStringLiteral("the create task ended without naming the new entity")));
        done(id);
    }, timeoutMs);
}

void Client::waitForTask(const QString &taskUrl, Callback<QJsonObject> done, int timeoutMs)
{
    pollTask(taskUrl, false, std::move(done), timeoutMs);
}

// Polls a task until it ends, or (untilOwner) until it names an entity as its owner.
void Client::pollTask(const QString &taskUrl, bool untilOwner, Callback<QJsonObject> done, int timeoutMs)
{
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    auto poll = std::make_shared<std::function<void(int)>>();
    *poll = [this, taskUrl, untilOwner, done, timeoutMs, started, poll](int delay) {
        QTimer::singleShot(delay, this, [this, taskUrl, untilOwner, done, timeoutMs, started, poll, delay] {
            RequestSpec spec;
            spec.path = taskUrl;
            spec.accept = "application/vnd.vmware.vcloud.task+json;version=" + m_version.toLatin1();
            send(spec, [untilOwner, done, timeoutMs, started, poll, delay](Result<Reply> r) {
                auto finish = [&](auto value) {
                    auto keep = std::move(*poll);
                    done(value);
                };
                if (!r)
                    return finish(r.error());
                const QJsonObject task = taskJson(*r);
                const QString status = task.value(QLatin1String("status")).toString();
                const QString owner = task.value(QLatin1String("owner")).toObject().value(QLatin1String("id")).toString();
                if (status == QLatin1String("success") || (untilOwner && owner.startsWith(QLatin1String("urn:vcloud:entity:"))))
                    return finish(task);
                if (status == QLatin1String("error") || status == QLatin1String("aborted") || status == QLatin1String("canceled")) {
                    QString message = task.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
                    const ErrorKind kind = status == QLatin1String("canceled") ? ErrorKind::Canceled : ErrorKind::ServerError;
                    return finish(makeError(kind, QStringLiteral("task %1 ended %2%3").arg(task.value(QLatin1String("operationName")).toString(),
                                                                                    status, message.isEmpty() ? QString() : QStringLiteral(": ") + message)));
                }
                if (started->elapsed() > timeoutMs)
                    return finish(makeError(ErrorKind::Unreachable, QStringLiteral("task still %1 after %2 s").arg(status).arg(timeoutMs / 1000)));
                (*poll)(qMin(delay * 2 + 50, 1000));
            });
        });
    };
    (*poll)(0);
}

void Client::invokeBehavior(const QString &id, const QString &behaviorId, const QJsonObject &arguments, Callback<QJsonObject> done)
{
    RequestSpec spec;
    spec.method = "POST";
    spec.path = QStringLiteral("/cloudapi/1.0.0/entities/%1/behaviors/%2/invocations").arg(id, behaviorId);
    spec.body = json::canonical(QJsonObject{{QStringLiteral("arguments"), arguments}, {QStringLiteral("metadata"), QJsonObject{}}});
    send(spec, [this, done](Result<Reply> r) {
        if (!r)
            return done(r.error());
        const QString location = QString::fromLatin1(r->header("Location"));
        if (location.isEmpty())
            return done(makeError(QStringLiteral("behavior invocation answered %1 without a task").arg(r->status)));
        waitForTask(location, done);
    });
}

void Client::getFullEntity(const QString &id, Callback<rde::DefinedEntity> done)
{
    invokeBehavior(id, rde::types::kGetFullEntityBehavior, {}, [done](Result<QJsonObject> task) {
        if (!task)
            return done(task.error());
        const QString content = task->value(QLatin1String("result")).toObject().value(QLatin1String("resultContent")).toString();
        auto parsed = json::parseObject(content.toUtf8(), QStringLiteral("getFullEntity result"));
        if (!parsed)
            return done(parsed.error());
        done(rde::DefinedEntity::fromJson(*parsed));
    });
}

void Client::patch(const QString &id, Change change, Callback<rde::DefinedEntity> done, int maxAttempts)
{
    patchAttempt(id, std::move(change), std::move(done), 1, maxAttempts);
}

void Client::patchAttempt(const QString &id, Change change, Callback<rde::DefinedEntity> done, int attempt, int maxAttempts)
{
    getEntity(id, [this, id, change, done, attempt, maxAttempts](Result<rde::DefinedEntity> fresh) {
        if (!fresh)
            return done(fresh.error());
        rde::DefinedEntity e = *fresh;
        auto changed = change(e.entity);
        if (!changed)
            return done(changed.error());
        if (!*changed)
            return done(e);
        updateEntity(e, [this, id, change, done, attempt, maxAttempts](Result<rde::DefinedEntity> written) {
            if (written || !written.error().is(ErrorKind::Conflict))
                return done(written);
            if (attempt >= maxAttempts) {
                Error err = written.error();
                err.message = QStringLiteral("gave up after %1 attempts: every write lost an ETag race (%2)").arg(maxAttempts).arg(err.message);
                return done(err);
            }
            const int delay = 10 + int(QRandomGenerator::global()->bounded(20 * attempt + 1));
            qCDebug(lcVcd) << "patch" << "412; retry" << attempt + 1 << "in" << delay << "ms";
            QTimer::singleShot(delay, this, [this, id, change, done, attempt, maxAttempts] {
                patchAttempt(id, change, done, attempt + 1, maxAttempts);
            });
        });
    });
}

void Client::fetchFingerprint(const QUrl &url, Callback<QString> done, int timeoutMs)
{
    auto *socket = new QSslSocket;
    auto reported = std::make_shared<bool>(false);
    auto report = [socket, done, reported](Result<QString> r) {
        if (*reported)
            return;
        *reported = true;
        socket->deleteLater();
        done(r);
    };
    QSslConfiguration conf = socket->sslConfiguration();
    conf.setPeerVerifyMode(QSslSocket::QueryPeer); // only look; never a trust decision by itself
    socket->setSslConfiguration(conf);
    QObject::connect(socket, &QSslSocket::encrypted, socket, [socket, report] {
        report(fingerprintOf(socket->peerCertificate()));
    });
    QObject::connect(socket, &QSslSocket::errorOccurred, socket, [socket, report](QAbstractSocket::SocketError) {
        report(makeError(ErrorKind::Unreachable, QStringLiteral("cannot read the certificate: %1").arg(socket->errorString())));
    });
    QTimer::singleShot(timeoutMs, socket, [report] { report(makeError(ErrorKind::Unreachable, QStringLiteral("timed out reading the certificate"))); });
    socket->connectToHostEncrypted(url.host(), quint16(url.port(443)));
}

} // namespace cse::vcd
