#include "vapps.h"
#include "rde/cserights.h"

#include "core/logging.h"
#include "guest.h"
#include "rde/capiyaml.h"
#include "rde/json.h"
#include "vcd/vappxml.h"
#include "vcdsim.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTimer>
#include <QUuid>
#include <QXmlStreamWriter>

namespace cse::sim {

namespace xml = vcd::xml;
namespace mime = vcd::xml::mime;
using http::HttpRequest;
using http::HttpResponse;

namespace {

// CSE 4.2's install puts the TKG OVAs, under their file names, in catalog
// tkgm_catalog of a provider org and shares it read-only with the tenants
// (terraform-provider-vcd examples/container-service-extension/v4.2); here
// every org reads it.
const QString kCatalog = QStringLiteral("tkgm_catalog");
const QByteArray kVersionSuffix = ";version=37.2";

QString uuid() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

// Stable ids for seeded objects (templates, policies, storage profiles).
QString stableId(const QString &what)
{
    static const QUuid ns = QUuid::fromString(QStringLiteral("{8f9c2f6e-4a59-4c1a-9d55-0c4b1c0de5a1}"));
    return QUuid::createUuidV5(ns, what).toString(QUuid::WithoutBraces);
}

QString uuidOf(const QString &urn) { return urn.mid(urn.lastIndexOf(QLatin1Char(':')) + 1); }

struct Template
{
    QString id, vmId, name, kubernetesVersion;
};

const QList<Template> &templates()
{
    static const QList<Template> all = [] {
        QList<Template> out;
        for (const rde::KubernetesRelease &r : rde::supportedReleases()) {
            const QString name = r.ovaTemplate();
            out.append({stableId(QStringLiteral("template:") + name), stableId(QStringLiteral("template-vm:") + name), name,
                        r.kubernetesVersion});
        }
        return out;
    }();
    return all;
}

struct Policy
{
    QString id, name, description;
    int cpu = 0, memoryMb = 0;
};

const QList<Policy> &policies()
{
    static const QList<Policy> all = [] {
        QList<Policy> out;
        const QList<std::tuple<const char *, int, int>> sizes = {
            {"TKG small", 2, 4096}, {"TKG medium", 2, 8192}, {"TKG large", 4, 16384}, {"TKG extra-large", 8, 32768}};
        for (const auto &[name, cpu, mem] : sizes)
            out.append({QStringLiteral("urn:vcloud:vdcComputePolicy:") + stableId(QStringLiteral("policy:") + QLatin1String(name)),
                        QString::fromLatin1(name), QStringLiteral("%1 vCPU, %2 MB").arg(cpu).arg(mem), cpu, mem});
        return out;
    }();
    return all;
}

// The policy an href names in any of the three forms clients send: a bare URN,
// a cloudapi URL ending in the URN, or the policy's own href.
const Policy *policyFromHref(const QString &href)
{
    static const QRegularExpression re(QStringLiteral("urn:vcloud:vdcComputePolicy:([0-9a-fA-F-]{36})"));
    const auto m = re.match(href);
    if (!m.hasMatch())
        return nullptr;
    for (const Policy &p : policies())
        if (uuidOf(p.id).compare(m.captured(1), Qt::CaseInsensitive) == 0)
            return &p;
    return nullptr;
}

QStringList storageProfileNames() { return {QStringLiteral("*"), QStringLiteral("Gold")}; }
QString storageProfileId(const QString &vdcId, const QString &name) { return stableId(vdcId + QStringLiteral("/sp/") + name); }

HttpResponse xmlResponse(int status, const QByteArray &body, const char *type)
{
    HttpResponse r;
    r.status = status;
    r.body = body;
    r.header("Content-Type", QByteArray(type) + kVersionSuffix);
    return r;
}

HttpResponse xmlError(int status, const QString &minor, const QString &message)
{
    QByteArray body;
    QXmlStreamWriter w(&body);
    w.writeStartDocument();
    w.writeDefaultNamespace(xml::ns::kVcloud);
    w.writeEmptyElement(xml::ns::kVcloud, QStringLiteral("Error"));
    w.writeAttribute(QStringLiteral("minorErrorCode"), minor);
    w.writeAttribute(QStringLiteral("message"), message);
    w.writeAttribute(QStringLiteral("majorErrorCode"), QString::number(status));
    w.writeAttribute(QStringLiteral("stackTrace"), QString());
    w.writeEndDocument();
    return xmlResponse(status, body, mime::kError);
}

HttpResponse forbidden()
{
    return xmlError(403, QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN"),
                    QStringLiteral("Either you need some or all of the following rights [vApp: View] to perform operations "
                                   "[vApp: View] or the target entity is invalid."));
}

HttpResponse badRequest(const QString &message) { return xmlError(400, QStringLiteral("BAD_REQUEST"), message); }

// "vApp: Allow All Extra Config" gates a VM's ExtraConfig (guestinfo.*). CSE
// 4.2 grants it to "Kubernetes Cluster Author" (terraform-provider-vcd
// examples/container-service-extension/v4.2/install/step1/
// 3.11-cse-install-2-cse-server-prerequisites.tf); the System administrator
// holds every right; the org's Viewer role does not hold it, so a viewer
// reads a VM without its ExtraConfig.
bool mayReadExtraConfig(const Caller &c) { return c.hasRight(rde::rights::kAllowAllExtraConfig); }

HttpResponse notAllowed(const HttpRequest &req)
{
    return xmlError(405, QStringLiteral("METHOD_NOT_ALLOWED"),
                    QStringLiteral("HTTP method %1 is not supported on %2").arg(QString::fromLatin1(req.method), req.path));
}

bool contentTypeIs(const HttpRequest &req, const char *type)
{
    return req.header("content-type").split(';').first().trimmed().compare(type, Qt::CaseInsensitive) == 0;
}

// The request's XML body when it comes with media type TYPE; otherwise the
// 415 (wrong type) or 400 (not XML) answer goes into REFUSED.
std::optional<xml::Node> typedBody(const HttpRequest &req, const char *type, HttpResponse &refused)
{
    if (!contentTypeIs(req, type)) {
        refused = xmlError(415, QStringLiteral("UNSUPPORTED_MEDIA_TYPE"), QStringLiteral("Content-Type must be %1").arg(QString::fromLatin1(type)));
        return std::nullopt;
    }
    auto body = xml::parse(req.body);
    if (!body) {
        refused = badRequest(body.error().message);
        return std::nullopt;
    }
    return *body;
}

// A tiny writer with the default namespace and the ovf/vmw prefixes declared on the root.
struct Writer
{
    QByteArray bytes;
    QXmlStreamWriter w{&bytes};
    bool first = true;
    void root(const QString &name, bool ovf = false)
    {
        w.writeStartDocument();
        w.writeDefaultNamespace(xml::ns::kVcloud);
        if (ovf) {
            w.writeNamespace(xml::ns::kOvf, QStringLiteral("ovf"));
            w.writeNamespace(xml::ns::kVmw, QStringLiteral("vmw"));
            w.writeNamespace(QStringLiteral("http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"),
                             QStringLiteral("rasd"));
        }
        w.writeNamespace(xml::ns::kXsi, QStringLiteral("xsi"));
        w.writeStartElement(xml::ns::kVcloud, name);
    }
    void start(const QString &name) { w.writeStartElement(xml::ns::kVcloud, name); }
    void startOvf(const QString &name) { w.writeStartElement(xml::ns::kOvf, name); }
    void end() { w.writeEndElement(); }
    void attr(const QString &n, const QString &v) { w.writeAttribute(n, v); }
    void text(const QString &n, const QString &v) { w.writeTextElement(xml::ns::kVcloud, n, v); }
    void info(const QString &v) { w.writeTextElement(xml::ns::kOvf, QStringLiteral("Info"), v); }
    // Opens an OVF section of a vApp or VM: its href, media type, ovf:required="false" and Info.
    void section(const QString &name, const QString &href, const QString &type, const QString &infoText)
    {
        start(name);
        attr(QStringLiteral("href"), href);
        attr(QStringLiteral("type"), type);
        w.writeAttribute(xml::ns::kOvf, QStringLiteral("required"), QStringLiteral("false"));
        info(infoText);
    }
    void link(const QString &rel, const QString &href, const QString &type = {}, const QString &name = {})
    {
        w.writeEmptyElement(xml::ns::kVcloud, QStringLiteral("Link"));
        w.writeAttribute(QStringLiteral("rel"), rel);
        w.writeAttribute(QStringLiteral("href"), href);
        if (!type.isEmpty())
            w.writeAttribute(QStringLiteral("type"), type);
        if (!name.isEmpty())
            w.writeAttribute(QStringLiteral("name"), name);
    }
    void ref(const QString &element, const QString &href, const QString &name, const QString &type, const QString &id = {})
    {
        w.writeEmptyElement(xml::ns::kVcloud, element);
        w.writeAttribute(QStringLiteral("href"), href);
        if (!id.isEmpty())
            w.writeAttribute(QStringLiteral("id"), id);
        w.writeAttribute(QStringLiteral("name"), name);
        w.writeAttribute(QStringLiteral("type"), type);
    }
    QByteArray finish()
    {
        w.writeEndDocument();
        return bytes;
    }
};

QString mt(const char *mimeType) { return QString::fromLatin1(mimeType); }

QJsonArray vmsOf(const VappRow &row) { return row.doc.value(QLatin1String("vms")).toArray(); }

void recomputeVappStatus(QJsonObject &doc)
{
    const QJsonArray vms = doc.value(QLatin1String("vms")).toArray();
    bool deployed = false;
    QSet<int> states;
    for (const QJsonValue &v : vms) {
        deployed = deployed || v.toObject().value(QLatin1String("deployed")).toBool();
        states.insert(v.toObject().value(QLatin1String("status")).toInt());
    }
    int status = xml::status::kPoweredOff;
    if (states.size() == 1)
        status = *states.begin();
    else if (states.size() > 1)
        status = states.contains(xml::status::kUnresolved) ? xml::status::kUnresolved : 10; // MIXED
    doc.insert(QStringLiteral("status"), status);
    doc.insert(QStringLiteral("deployed"), deployed);
}

QString statusName(int s)
{
    switch (s) {
    case -1: return QStringLiteral("FAILED_CREATION");
    case 0: return QStringLiteral("UNRESOLVED");
    case 1: return QStringLiteral("RESOLVED");
    case 4: return QStringLiteral("POWERED_ON");
    case 8: return QStringLiteral("POWERED_OFF");
    case 10: return QStringLiteral("MIXED");
    default: return QStringLiteral("UNKNOWN");
    }
}

QString clusterOf(const QJsonObject &doc)
{
    const QJsonObject md = doc.value(QLatin1String("metadata")).toObject();
    const QString id = md.value(QLatin1String("cse.clusterId")).toString();
    return id.isEmpty() ? md.value(QLatin1String("CapvcdInfraId")).toString() : id;
}

QString roleOf(const QJsonObject &doc)
{
    return doc.value(QLatin1String("metadata")).toObject().value(QLatin1String("cse.role")).toString(QStringLiteral("vm"));
}

// FIQL-like query filter of /api/query: "a==x;b==y" (AND), "*" wildcards.
bool filterMatches(const QString &filter, const std::function<QString(const QString &)> &field)
{
    if (filter.isEmpty())
        return true;
    for (const QString &term : filter.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = term.indexOf(QLatin1String("=="));
        const qsizetype ne = term.indexOf(QLatin1String("!="));
        const bool negate = ne > 0 && (eq < 0 || ne < eq);
        const qsizetype at = negate ? ne : eq;
        if (at <= 0)
            return false;
        const QString key = term.left(at).trimmed();
        QString want = term.mid(at + 2).trimmed();
        if (key.startsWith(QLatin1String("metadata")) && want.contains(QLatin1Char(':')))
            want = want.mid(want.indexOf(QLatin1Char(':')) + 1); // STRING:value
        const QRegularExpression re(QRegularExpression::anchoredPattern(QRegularExpression::wildcardToRegularExpression(
                                        want, QRegularExpression::UnanchoredWildcardConversion)),
                                    QRegularExpression::CaseInsensitiveOption);
        if (re.match(field(key)).hasMatch() == negate)
            return false;
    }
    return true;
}

// What a query filter lets SQL narrow the vApps to (a superset; every row is
// still matched by filterMatches): the positive terms without wildcards on
// the name or on a metadata value.
Store::VappHint queryHint(const QString &filter)
{
    Store::VappHint hint;
    for (const QString &term : filter.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = term.indexOf(QLatin1String("=="));
        if (eq <= 0 || term.contains(QLatin1String("!=")))
            continue;
        const QString key = term.left(eq).trimmed();
        QString want = term.mid(eq + 2).trimmed();
        if (want.contains(QLatin1Char('*')))
            continue;
        if (key == QLatin1String("name"))
            hint.name = want;
        else if (key.startsWith(QLatin1String("metadata:")) && want.contains(QLatin1Char(':')))
            hint.docContains << want.mid(want.indexOf(QLatin1Char(':')) + 1);
    }
    return hint;
}

} // namespace

HttpResponse LegacyApi::errorReply(int status, const QString &minor, const QString &message)
{
    return xmlError(status, minor, message);
}

LegacyApi::LegacyApi(VcdSim *sim) : QObject(sim), m_sim(sim)
{
    if (sim->options().runControllers)
        (new GuestSimulator(sim, this))->start(qMax(20, sim->options().latencyMs));
}

QString LegacyApi::host(const HttpRequest &req) const { return m_sim->hostUrl(req); }

std::optional<HttpResponse> LegacyApi::route(const HttpRequest &req, const Caller *caller)
{
    const QString &p = req.path;
    static const QRegularExpression policies(
        QStringLiteral("^/cloudapi/(1|2)\\.0\\.0/(vdcComputePolicies/?|vdcs/[^/]+/computePolicies/?)$"));
    const bool policyPath = policies.match(p).hasMatch();
    if (!policyPath && (!p.startsWith(QLatin1String("/api/")) || p.startsWith(QLatin1String("/api/versions"))))
        return std::nullopt;
    const bool taskPath = p.startsWith(QLatin1String("/api/task/"));
    if (taskPath && !req.header("accept").contains("xml") && req.method == "GET")
        return std::nullopt; // the cloudapi JSON view of a task
    if (!caller)
        return xmlError(401, QStringLiteral("UNAUTHORIZED"), QStringLiteral("Not logged in or the session has expired"));
    const Caller &c = *caller;
    if (policyPath) {
        if (req.method != "GET")
            return notAllowed(req);
        return computePolicies(req);
    }
    const QString rest = p.mid(5);
    static const QRegularExpression re(QStringLiteral("^(org|vdc|network|vAppTemplate|vApp|task)/([^/]*)/?(.*)$"));
    if (rest == QLatin1String("org") || rest == QLatin1String("org/"))
        return orgList(req, c);
    if (rest == QLatin1String("query"))
        return query(req, c);
    const auto m = re.match(rest);
    if (!m.hasMatch())
        return xmlError(404, QStringLiteral("RESOURCE_NOT_FOUND"), QStringLiteral("No resource at %1").arg(p));
    const QString kind = m.captured(1), id = m.captured(2), tail = m.captured(3);
    if (kind == QLatin1String("org"))
        return org(req, c, id);
    if (kind == QLatin1String("vdc"))
        return vdc(req, c, id, tail);
    if (kind == QLatin1String("network"))
        return network(req, c, id);
    if (kind == QLatin1String("task"))
        return task(req, c, id, tail);
    if (kind == QLatin1String("vAppTemplate")) {
        if (req.method != "GET")
            return notAllowed(req);
        return vappTemplate(req, id.section(QLatin1Char('-'), 0, 0), id.section(QLatin1Char('-'), 1));
    }
    if (id.startsWith(QLatin1String("vapp-")))
        return vapp(req, c, id.mid(5), tail);
    if (id.startsWith(QLatin1String("vm-")))
        return vm(req, c, id.mid(3), tail);
    return forbidden();
}

// ---- tasks ----

QString LegacyApi::startTask(const QString &operationName, const QString &operation, const QString &ownerHref,
                             const QString &ownerName, const QString &ownerType, const QString &orgId, const QString &faultStep,
                             Apply apply)
{
    TaskRow task;
    task.id = uuid();
    task.operationName = operationName;
    task.operation = operation;
    task.status = QStringLiteral("queued");
    task.startTime = rde::isoTimestamp();
    task.ownerId = ownerHref;
    task.ownerName = ownerName;
    task.ownerType = ownerType;
    task.orgId = orgId;
    if (auto r = m_sim->store().upsertTask(task); !r)
        qCWarning(lcSim) << "cannot store task:" << r.error().message;
    const QString step = faultStep;
    m_pending.insert(task.id, Pending{[this, step, apply]() -> Result<void> {
                                          if (m_sim->faults().stepFails(step))
                                              return makeError(ErrorKind::ServerError,
                                                               QStringLiteral("%1 failed (injected fault)").arg(step));
                                          return apply();
                                      },
                                      false});
    const int latency = qMax(1, m_sim->options().latencyMs);
    const QString id = task.id;
    QTimer::singleShot(latency / 3, this, [this, id] {
        if (!m_pending.contains(id) || m_sim->m_stopping)
            return;
        auto row = m_sim->store().task(id);
        if (row && row->has_value() && (*row)->status == QLatin1String("queued")) {
            TaskRow t = **row;
            t.status = QStringLiteral("running");
            t.progress = 50;
            (void)m_sim->store().upsertTask(t);
        }
    });
    QTimer::singleShot(latency, this, [this, id] { finishTask(id); });
    return task.id;
}

void LegacyApi::finishTask(const QString &taskId)
{
    if (!m_pending.contains(taskId) || m_sim->m_stopping) // the store is closing
        return;
    const Pending pending = m_pending.take(taskId);
    auto row = m_sim->store().task(taskId);
    if (!row || !row->has_value())
        return;
    TaskRow t = **row;
    if (pending.canceled || t.status == QLatin1String("aborted"))
        return;
    const Result<void> r = pending.apply();
    t.endTime = rde::isoTimestamp();
    t.progress = 100;
    if (r) {
        t.status = QStringLiteral("success");
    } else {
        t.status = QStringLiteral("error");
        const int code = r.error().httpStatus ? r.error().httpStatus : (r.error().is(ErrorKind::Invalid) ? 400 : 500);
        t.error = QJsonObject{{QStringLiteral("majorErrorCode"), code},
                              {QStringLiteral("minorErrorCode"), code == 400 ? QStringLiteral("BAD_REQUEST")
                                                                             : QStringLiteral("INTERNAL_SERVER_ERROR")},
                              {QStringLiteral("message"), r.error().message}};
    }
    if (auto w = m_sim->store().upsertTask(t); !w)
        qCWarning(lcSim) << "cannot store task:" << w.error().message;
}

HttpResponse LegacyApi::taskResponse(const HttpRequest &req, const QString &taskId, int status)
{
    HttpRequest get = req;
    get.method = "GET";
    Caller provider;
    provider.provider = true;
    HttpResponse r = task(get, provider, taskId, QString());
    r.status = status;
    r.header("Location", (host(req) + QStringLiteral("/api/task/") + taskId).toUtf8());
    return r;
}

HttpResponse LegacyApi::task(const HttpRequest &req, const Caller &c, const QString &id, const QString &rest)
{
    auto row = m_sim->store().task(id);
    if (!row)
        return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), row.error().message);
    if (!row->has_value() || (!c.provider && (*row)->orgId != c.org.id))
        return forbidden();
    TaskRow t = **row;
    const bool running = t.status == QLatin1String("queued") || t.status == QLatin1String("running");
    if (running && !m_pending.contains(t.id)) { // vcd-sim restarted while it ran
        t.status = QStringLiteral("error");
        t.endTime = rde::isoTimestamp();
        t.error = QJsonObject{{QStringLiteral("majorErrorCode"), 500}, {QStringLiteral("minorErrorCode"), QStringLiteral("INTERNAL_SERVER_ERROR")},
                              {QStringLiteral("message"), QStringLiteral("the cell restarted while the task ran")}};
        (void)m_sim->store().upsertTask(t);
    }
    if (rest == QLatin1String("action/cancel")) {
        if (req.method != "POST")
            return notAllowed(req);
        if (!c.canWrite())
            return forbidden();
        if (!m_pending.contains(t.id))
            return badRequest(QStringLiteral("The task %1 is not running and cannot be canceled").arg(t.id));
        m_pending[t.id].canceled = true;
        t.status = QStringLiteral("aborted");
        t.endTime = rde::isoTimestamp();
        (void)m_sim->store().upsertTask(t);
        HttpResponse r;
        r.status = 204;
        return r;
    }
    if (!rest.isEmpty())
        return xmlError(404, QStringLiteral("RESOURCE_NOT_FOUND"), QStringLiteral("No resource at %1").arg(req.path));
    if (req.method != "GET")
        return notAllowed(req);
    const QString href = host(req) + QStringLiteral("/api/task/") + t.id;
    Writer w;
    w.root(QStringLiteral("Task"));
    w.attr(QStringLiteral("cancelRequested"), t.status == QLatin1String("aborted") ? QStringLiteral("true") : QStringLiteral("false"));
    w.attr(QStringLiteral("status"), t.status);
    w.attr(QStringLiteral("serviceNamespace"), QStringLiteral("com.vmware.cloud"));
    w.attr(QStringLiteral("operationName"), t.operationName);
    w.attr(QStringLiteral("operation"), t.operation);
    w.attr(QStringLiteral("startTime"), t.startTime);
    if (!t.endTime.isEmpty())
        w.attr(QStringLiteral("endTime"), t.endTime);
    w.attr(QStringLiteral("name"), QStringLiteral("task"));
    w.attr(QStringLiteral("id"), QStringLiteral("urn:vcloud:task:") + t.id);
    w.attr(QStringLiteral("href"), href);
    w.attr(QStringLiteral("type"), mt(mime::kTask));
    if (m_pending.contains(t.id))
        w.link(QStringLiteral("task:cancel"), href + QStringLiteral("/action/cancel"));
    const bool legacyOwner = t.ownerId.startsWith(QLatin1String("/api/"));
    w.ref(QStringLiteral("Owner"), legacyOwner ? QString(host(req) + t.ownerId) : QString(host(req) + QStringLiteral("/cloudapi/1.0.0/entities/") + t.ownerId),
          t.ownerName, t.ownerType);
    if (t.status == QLatin1String("error")) {
        w.w.writeEmptyElement(xml::ns::kVcloud, QStringLiteral("Error"));
        w.attr(QStringLiteral("minorErrorCode"), t.error.value(QLatin1String("minorErrorCode")).toString());
        w.attr(QStringLiteral("message"), t.error.value(QLatin1String("message")).toString());
        w.attr(QStringLiteral("majorErrorCode"), QString::number(t.error.value(QLatin1String("majorErrorCode")).toInt(500)));
        w.attr(QStringLiteral("stackTrace"), QString());
    }
    if (auto org = m_sim->store().orgById(t.orgId); org && org->has_value())
        w.ref(QStringLiteral("Organization"), host(req) + QStringLiteral("/api/org/") + uuidOf((*org)->id), (*org)->name, mt(mime::kOrg));
    w.text(QStringLiteral("Progress"), QString::number(t.status == QLatin1String("success") ? 100 : t.progress));
    w.text(QStringLiteral("Details"), t.status == QLatin1String("error") ? t.error.value(QLatin1String("message")).toString() : QString());
    if (!t.resultContent.isEmpty()) {
        w.start(QStringLiteral("Result"));
        w.text(QStringLiteral("ResultContent"), t.resultContent);
        w.end();
    }
    return xmlResponse(200, w.finish(), mime::kTask);
}

// ---- lookups ----

HttpResponse LegacyApi::orgList(const HttpRequest &req, const Caller &c)
{
    if (req.method != "GET")
        return notAllowed(req);
    auto orgs = m_sim->store().orgs();
    if (!orgs)
        return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), orgs.error().message);
    Writer w;
    w.root(QStringLiteral("OrgList"));
    w.attr(QStringLiteral("href"), host(req) + QStringLiteral("/api/org/"));
    w.attr(QStringLiteral("type"), mt(mime::kOrgList));
    for (const OrgRow &o : *orgs)
        if (c.provider || o.id == c.org.id)
            w.ref(QStringLiteral("Org"), host(req) + QStringLiteral("/api/org/") + uuidOf(o.id), o.name, mt(mime::kOrg));
    return xmlResponse(200, w.finish(), mime::kOrgList);
}

HttpResponse LegacyApi::org(const HttpRequest &req, const Caller &c, const QString &id)
{
    if (req.method != "GET")
        return notAllowed(req);
    auto o = m_sim->store().orgById(QStringLiteral("urn:vcloud:org:") + id);
    if (!o || !o->has_value() || (!c.provider && (*o)->id != c.org.id))
        return forbidden();
    auto vdcs = m_sim->store().vdcs();
    auto nets = m_sim->store().networks();
    Writer w;
    w.root(QStringLiteral("Org"));
    w.attr(QStringLiteral("name"), (*o)->name);
    w.attr(QStringLiteral("id"), (*o)->id);
    w.attr(QStringLiteral("href"), host(req) + QStringLiteral("/api/org/") + id);
    w.attr(QStringLiteral("type"), mt(mime::kOrg));
    for (const VdcRow &v : vdcs ? *vdcs : QList<VdcRow>())
        if (v.orgId == (*o)->id)
            w.link(QStringLiteral("down"), host(req) + QStringLiteral("/api/vdc/") + uuidOf(v.id), mt(mime::kVdc), v.name);
    w.link(QStringLiteral("down"), host(req) + QStringLiteral("/api/catalog/") + stableId(kCatalog),
           QStringLiteral("application/vnd.vmware.vcloud.catalog+xml"), kCatalog);
    for (const NetworkRow &n : nets ? *nets : QList<NetworkRow>())
        if (n.orgId == (*o)->id)
            w.link(QStringLiteral("down"), host(req) + QStringLiteral("/api/network/") + uuidOf(n.id), mt(mime::kNetwork), n.name);
    w.text(QStringLiteral("Description"), (*o)->description);
    w.text(QStringLiteral("FullName"), (*o)->displayName.isEmpty() ? (*o)->name : (*o)->displayName);
    return xmlResponse(200, w.finish(), mime::kOrg);
}

HttpResponse LegacyApi::network(const HttpRequest &req, const Caller &c, const QString &id)
{
    if (req.method != "GET")
        return notAllowed(req);
    auto nets = m_sim->store().networks();
    if (!nets)
        return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), nets.error().message);
    for (const NetworkRow &n : *nets) {
        if (uuidOf(n.id) != id)
            continue;
        if (!c.provider && n.orgId != c.org.id)
            break;
        Writer w;
        w.root(QStringLiteral("OrgVdcNetwork"));
        w.attr(QStringLiteral("status"), QStringLiteral("1"));
        w.attr(QStringLiteral("name"), n.name);
        w.attr(QStringLiteral("id"), n.id);
        w.attr(QStringLiteral("href"), host(req) + QStringLiteral("/api/network/") + id);
        w.attr(QStringLiteral("type"), mt(mime::kNetwork));
        w.link(QStringLiteral("up"), host(req) + QStringLiteral("/api/vdc/") + uuidOf(n.vdcId), mt(mime::kVdc));
        w.text(QStringLiteral("Description"), QString());
        w.start(QStringLiteral("Configuration"));
        w.text(QStringLiteral("FenceMode"), QStringLiteral("bridged"));
        w.end();
        w.text(QStringLiteral("IsShared"), QStringLiteral("false"));
        return xmlResponse(200, w.finish(), mime::kNetwork);
    }
    return forbidden();
}

HttpResponse LegacyApi::vdc(const HttpRequest &req, const Caller &c, const QString &id, const QString &rest)
{
    auto vdcs = m_sim->store().vdcs();
    if (!vdcs)
        return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), vdcs.error().message);
    std::optional<VdcRow> vdc;
    for (const VdcRow &v : *vdcs)
        if (uuidOf(v.id) == id && (c.provider || v.orgId == c.org.id))
            vdc = v;
    if (!vdc)
        return forbidden();
    const QString href = host(req) + QStringLiteral("/api/vdc/") + id;
    const bool compose = rest == QLatin1String("action/composeVApp");
    const bool instantiate = rest == QLatin1String("action/instantiateVAppTemplate");
    if (compose || instantiate) {
        if (req.method != "POST")
            return notAllowed(req);
        if (!c.canWrite())
            return forbidden();
        HttpResponse refused;
        const std::optional<xml::Node> body = typedBody(req, compose ? mime::kComposeVAppParams : mime::kInstantiateVAppTemplateParams, refused);
        if (!body)
            return refused;
        const xml::ComposeParams params = xml::readComposeParams(*body);
        if (params.name.isEmpty())
            return badRequest(QStringLiteral("The vApp needs a name"));
        auto existing = m_sim->store().vapps(vdc->orgId, Store::VappHint{params.name, {}});
        if (!existing)
            return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), existing.error().message);
        for (const VappRow &v : *existing)
            if (v.vdcId == vdc->id && v.name == params.name)
                return xmlError(400, QStringLiteral("DUPLICATE_NAME"),
                                QStringLiteral("The VCD entity %1 already exists.").arg(params.name));
        VappRow row;
        row.id = uuid();
        row.orgId = vdc->orgId;
        row.vdcId = vdc->id;
        row.name = params.name;
        row.doc = QJsonObject{{QStringLiteral("description"), params.description},
                              {QStringLiteral("status"), xml::status::kUnresolved},
                              {QStringLiteral("deployed"), false},
                              {QStringLiteral("ownerName"), c.user.name},
                              {QStringLiteral("metadata"), QJsonObject()},
                              {QStringLiteral("vms"), QJsonArray()}};
        QList<xml::SourcedVm> items;
        if (instantiate) {
            const xml::NetworkConfig net = xml::readNetworkConfig(*body);
            if (!net.networkName.isEmpty())
                row.doc.insert(QStringLiteral("network"), QJsonObject{{QStringLiteral("name"), net.networkName},
                                                                     {QStringLiteral("parentHref"), net.parentHref},
                                                                     {QStringLiteral("fenceMode"), net.fenceMode}});
            const xml::Node *source = body->child(QStringLiteral("Source"));
            const QString src = source ? source->attr(QStringLiteral("href")) : QString();
            const Template *tmpl = nullptr;
            for (const Template &tp : templates())
                if (src.endsWith(QStringLiteral("vappTemplate-") + tp.id))
                    tmpl = &tp;
            if (!tmpl)
                return badRequest(QStringLiteral("The vApp template %1 does not exist").arg(src));
            xml::SourcedVm vm;
            vm.sourceHref = QStringLiteral("/api/vAppTemplate/vm-") + tmpl->vmId;
            vm.name = QStringLiteral("vm");
            vm.networkName = net.networkName;
            items.append(vm);
        }
        if (auto r = m_sim->store().upsertVapp(row); !r)
            return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), r.error().message);
        const QString vappId = row.id;
        const QString taskId = startTask(compose ? QStringLiteral("vdcComposeVapp") : QStringLiteral("vdcInstantiateVapp"),
                                         QStringLiteral("Created vApp %1").arg(params.name),
                                         QStringLiteral("/api/vApp/vapp-") + vappId, params.name, mt(mime::kVApp), vdc->orgId,
                                         compose ? QStringLiteral("composeVApp") : QStringLiteral("instantiateVAppTemplate"),
                                         [this, vappId]() -> Result<void> {
                                             auto r = m_sim->store().vapp(vappId);
                                             if (!r || !r->has_value())
                                                 return makeError(ErrorKind::NotFound, QStringLiteral("the vApp is gone"));
                                             VappRow row = **r;
                                             QJsonArray vms = vmsOf(row);
                                             for (int i = 0; i < vms.size(); ++i) {
                                                 QJsonObject vm = vms[i].toObject();
                                                 vm.insert(QStringLiteral("status"), xml::status::kPoweredOff);
                                                 vms[i] = vm;
                                             }
                                             row.doc.insert(QStringLiteral("vms"), vms);
                                             recomputeVappStatus(row.doc);
                                             return save(row);
                                         });
        if (!items.isEmpty()) {
            // instantiate: the VM exists at once, unresolved until the task ends
            QJsonArray vms;
            for (const xml::SourcedVm &item : items) {
                const QString vmId = uuid();
                vms.append(QJsonObject{{QStringLiteral("id"), vmId}, {QStringLiteral("name"), item.name},
                                       {QStringLiteral("status"), xml::status::kUnresolved}, {QStringLiteral("deployed"), false},
                                       {QStringLiteral("network"), item.networkName}, {QStringLiteral("ip"), nextIp(item.networkName)},
                                       {QStringLiteral("computerName"), item.name}, {QStringLiteral("gcEnabled"), true},
                                       {QStringLiteral("template"), item.sourceHref}, {QStringLiteral("extraConfig"), QJsonArray()},
                                       {QStringLiteral("cpu"), 2}, {QStringLiteral("memoryMb"), 4096}});
            }
            row.doc.insert(QStringLiteral("vms"), vms);
            (void)m_sim->store().upsertVapp(row);
        }
        Q_UNUSED(taskId);
        HttpResponse r = xmlResponse(201, vappXml(req, row), mime::kVApp);
        r.header("Location", (host(req) + QStringLiteral("/api/vApp/vapp-") + row.id).toUtf8());
        return r;
    }
    if (!rest.isEmpty())
        return xmlError(404, QStringLiteral("RESOURCE_NOT_FOUND"), QStringLiteral("No resource at %1").arg(req.path));
    if (req.method != "GET")
        return notAllowed(req);
    Writer w;
    w.root(QStringLiteral("Vdc"));
    w.attr(QStringLiteral("status"), QStringLiteral("1"));
    w.attr(QStringLiteral("name"), vdc->name);
    w.attr(QStringLiteral("id"), vdc->id);
    w.attr(QStringLiteral("href"), href);
    w.attr(QStringLiteral("type"), mt(mime::kVdc));
    w.link(QStringLiteral("up"), host(req) + QStringLiteral("/api/org/") + uuidOf(vdc->orgId), mt(mime::kOrg));
    w.link(QStringLiteral("add"), href + QStringLiteral("/action/composeVApp"), mt(mime::kComposeVAppParams));
    w.link(QStringLiteral("add"), href + QStringLiteral("/action/instantiateVAppTemplate"), mt(mime::kInstantiateVAppTemplateParams));
    w.link(QStringLiteral("add"), href + QStringLiteral("/action/instantiateVmFromTemplate"),
           QStringLiteral("application/vnd.vmware.vcloud.instantiateVmTemplateParams+xml"));
    w.text(QStringLiteral("Description"), QString());
    w.text(QStringLiteral("AllocationModel"), QStringLiteral("Flex"));
    w.start(QStringLiteral("ResourceEntities"));
    if (auto vapps = m_sim->store().vapps(vdc->orgId))
        for (const VappRow &v : *vapps)
            if (v.vdcId == vdc->id)
                w.ref(QStringLiteral("ResourceEntity"), host(req) + QStringLiteral("/api/vApp/vapp-") + v.id, v.name, mt(mime::kVApp));
    w.end();
    w.start(QStringLiteral("AvailableNetworks"));
    if (auto nets = m_sim->store().networks())
        for (const NetworkRow &n : *nets)
            if (n.vdcId == vdc->id)
                w.ref(QStringLiteral("Network"), host(req) + QStringLiteral("/api/network/") + uuidOf(n.id), n.name, mt(mime::kNetwork));
    w.end();
    w.text(QStringLiteral("NicQuota"), QStringLiteral("0"));
    w.text(QStringLiteral("NetworkQuota"), QStringLiteral("20"));
    w.text(QStringLiteral("VmQuota"), QStringLiteral("0"));
    w.text(QStringLiteral("IsEnabled"), QStringLiteral("true"));
    w.start(QStringLiteral("VdcStorageProfiles"));
    for (const QString &sp : storageProfileNames())
        w.ref(QStringLiteral("VdcStorageProfile"), host(req) + QStringLiteral("/api/vdcStorageProfile/") + storageProfileId(vdc->id, sp),
              sp, QStringLiteral("application/vnd.vmware.vcloud.vdcStorageProfile+xml"));
    w.end();
    return xmlResponse(200, w.finish(), mime::kVdc);
}

HttpResponse LegacyApi::computePolicies(const HttpRequest &req)
{
    const QString filter = req.query.queryItemValue(QStringLiteral("filter"), QUrl::FullyDecoded);
    QJsonArray values;
    for (const Policy &p : policies()) {
        const bool match = filterMatches(filter, [&p](const QString &key) {
            return key == QLatin1String("name") ? p.name : key == QLatin1String("id") ? p.id : QString();
        });
        if (!match)
            continue;
        values.append(QJsonObject{{QStringLiteral("id"), p.id}, {QStringLiteral("name"), p.name},
                                  {QStringLiteral("description"), p.description},
                                  {QStringLiteral("cpuCount"), p.cpu}, {QStringLiteral("memory"), p.memoryMb},
                                  {QStringLiteral("isSizingOnly"), true}, {QStringLiteral("policyType"), QStringLiteral("VdcVmPolicy")},
                                  {QStringLiteral("href"), QString(host(req) + QStringLiteral("/cloudapi/1.0.0/vdcComputePolicies/") + p.id)}});
    }
    const QJsonObject page{{QStringLiteral("resultTotal"), values.size()}, {QStringLiteral("pageCount"), 1},
                           {QStringLiteral("page"), 1}, {QStringLiteral("pageSize"), 128}, {QStringLiteral("values"), values}};
    return HttpResponse::json(200, json::canonical(page));
}

HttpResponse LegacyApi::query(const HttpRequest &req, const Caller &c)
{
    if (req.method != "GET")
        return notAllowed(req);
    const QString type = req.query.queryItemValue(QStringLiteral("type"));
    const QString filter = req.query.queryItemValue(QStringLiteral("filter"), QUrl::FullyDecoded);
    const int page = qMax(1, req.query.queryItemValue(QStringLiteral("page")).toInt());
    const QString sizeText = req.query.queryItemValue(QStringLiteral("pageSize"));
    const int pageSize = qBound(1, sizeText.isEmpty() ? 25 : sizeText.toInt(), 128);
    const bool adminTemplates = type == QLatin1String("adminVAppTemplate");
    if (adminTemplates && !c.provider)
        return forbidden();
    QList<QList<QPair<QString, QString>>> records;
    QString recordName;
    if (type == QLatin1String("vAppTemplate") || adminTemplates) {
        recordName = adminTemplates ? QStringLiteral("AdminVAppTemplateRecord") : QStringLiteral("VAppTemplateRecord");
        for (const Template &tp : templates()) {
            QList<QPair<QString, QString>> rec{{QStringLiteral("href"), host(req) + QStringLiteral("/api/vAppTemplate/vappTemplate-") + tp.id},
                                               {QStringLiteral("name"), tp.name},
                                               {QStringLiteral("catalogName"), kCatalog},
                                               {QStringLiteral("status"), QStringLiteral("RESOLVED")},
                                               {QStringLiteral("isPublished"), QStringLiteral("true")},
                                               {QStringLiteral("isDeployed"), QStringLiteral("false")},
                                               {QStringLiteral("numberOfVMs"), QStringLiteral("1")},
                                               {QStringLiteral("ownerName"), QStringLiteral("system")}};
            const bool match = filterMatches(filter, [&rec](const QString &key) {
                for (const auto &kv : rec)
                    if (kv.first == key)
                        return kv.second;
                return QString();
            });
            if (match)
                records.append(rec);
        }
    } else if (type == QLatin1String("vApp") || type == QLatin1String("adminVApp")) {
        recordName = type == QLatin1String("vApp") ? QStringLiteral("VAppRecord") : QStringLiteral("AdminVAppRecord");
        if (type == QLatin1String("adminVApp") && !c.provider)
            return forbidden();
        auto vapps = m_sim->store().vapps(c.provider ? QString() : c.org.id, queryHint(filter));
        if (!vapps)
            return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), vapps.error().message);
        auto vdcs = m_sim->store().vdcs();
        for (const VappRow &v : *vapps) {
            QString vdcName;
            for (const VdcRow &d : vdcs ? *vdcs : QList<VdcRow>())
                if (d.id == v.vdcId)
                    vdcName = d.name;
            QList<QPair<QString, QString>> rec{{QStringLiteral("href"), host(req) + QStringLiteral("/api/vApp/vapp-") + v.id},
                                               {QStringLiteral("name"), v.name},
                                               {QStringLiteral("vdc"), host(req) + QStringLiteral("/api/vdc/") + uuidOf(v.vdcId)},
                                               {QStringLiteral("vdcName"), vdcName},
                                               {QStringLiteral("status"), statusName(v.doc.value(QLatin1String("status")).toInt())},
                                               {QStringLiteral("isDeployed"), v.doc.value(QLatin1String("deployed")).toBool()
                                                                                  ? QStringLiteral("true") : QStringLiteral("false")},
                                               {QStringLiteral("numberOfVMs"), QString::number(vmsOf(v).size())},
                                               {QStringLiteral("ownerName"), v.doc.value(QLatin1String("ownerName")).toString()}};
            const QJsonObject md = v.doc.value(QLatin1String("metadata")).toObject();
            const bool match = filterMatches(filter, [&rec, &md](const QString &key) {
                if (key.startsWith(QLatin1String("metadata:")))
                    return md.value(key.mid(9)).toString();
                for (const auto &kv : rec)
                    if (kv.first == key)
                        return kv.second;
                return QString();
            });
            if (match)
                records.append(rec);
        }
    } else {
        return badRequest(QStringLiteral("The query type \"%1\" is not supported").arg(type));
    }
    const int total = int(records.size());
    Writer w;
    w.root(QStringLiteral("QueryResultRecords"));
    QUrlQuery self = req.query;
    w.attr(QStringLiteral("total"), QString::number(total));
    w.attr(QStringLiteral("pageSize"), QString::number(pageSize));
    w.attr(QStringLiteral("page"), QString::number(page));
    w.attr(QStringLiteral("name"), type);
    w.attr(QStringLiteral("type"), mt(mime::kQueryRecords));
    w.attr(QStringLiteral("href"), host(req) + QStringLiteral("/api/query?") + self.toString(QUrl::FullyEncoded));
    auto pageLink = [&](const QString &rel, int n) {
        QUrlQuery q = req.query;
        q.removeAllQueryItems(QStringLiteral("page"));
        q.addQueryItem(QStringLiteral("page"), QString::number(n));
        w.link(rel, host(req) + QStringLiteral("/api/query?") + q.toString(QUrl::FullyEncoded), mt(mime::kQueryRecords));
    };
    if (page * pageSize < total)
        pageLink(QStringLiteral("nextPage"), page + 1);
    if (page > 1)
        pageLink(QStringLiteral("previousPage"), page - 1);
    for (int i = (page - 1) * pageSize; i < qMin(total, page * pageSize); ++i) {
        w.w.writeEmptyElement(xml::ns::kVcloud, recordName);
        for (const auto &kv : records[i])
            w.attr(kv.first, kv.second);
    }
    return xmlResponse(200, w.finish(), mime::kQueryRecords);
}

HttpResponse LegacyApi::vappTemplate(const HttpRequest &req, const QString &kind, const QString &id)
{
    for (const Template &tp : templates()) {
        const QString tmplHref = host(req) + QStringLiteral("/api/vAppTemplate/vappTemplate-") + tp.id;
        const QString vmHref = host(req) + QStringLiteral("/api/vAppTemplate/vm-") + tp.vmId;
        if (kind == QLatin1String("vappTemplate") && tp.id == id) {
            Writer w;
            w.root(QStringLiteral("VAppTemplate"), true);
            w.attr(QStringLiteral("goldMaster"), QStringLiteral("false"));
            w.attr(QStringLiteral("ovfDescriptorUploaded"), QStringLiteral("true"));
            w.attr(QStringLiteral("status"), QString::number(xml::status::kPoweredOff));
            w.attr(QStringLiteral("name"), tp.name);
            w.attr(QStringLiteral("id"), QStringLiteral("urn:vcloud:vapptemplate:") + tp.id);
            w.attr(QStringLiteral("href"), tmplHref);
            w.attr(QStringLiteral("type"), mt(mime::kVAppTemplate));
            w.link(QStringLiteral("catalogItem"), host(req) + QStringLiteral("/api/catalogItem/") + stableId(QStringLiteral("item:") + tp.name),
                   QStringLiteral("application/vnd.vmware.vcloud.catalogItem+xml"));
            w.text(QStringLiteral("Description"), QStringLiteral("TKG node image for Kubernetes %1").arg(tp.kubernetesVersion));
            w.start(QStringLiteral("Children"));
            w.start(QStringLiteral("Vm"));
            w.attr(QStringLiteral("goldMaster"), QStringLiteral("false"));
            w.attr(QStringLiteral("status"), QString::number(xml::status::kPoweredOff));
            w.attr(QStringLiteral("name"), tp.name);
            w.attr(QStringLiteral("id"), QStringLiteral("urn:vcloud:vm:") + tp.vmId);
            w.attr(QStringLiteral("href"), vmHref);
            w.attr(QStringLiteral("type"), mt(mime::kVm));
            w.end();
            w.end();
            return xmlResponse(200, w.finish(), mime::kVAppTemplate);
        }
        if (kind == QLatin1String("vm") && tp.vmId == id) {
            Writer w;
            w.root(QStringLiteral("Vm"), true);
            w.attr(QStringLiteral("status"), QString::number(xml::status::kPoweredOff));
            w.attr(QStringLiteral("name"), tp.name);
            w.attr(QStringLiteral("id"), QStringLiteral("urn:vcloud:vm:") + tp.vmId);
            w.attr(QStringLiteral("href"), vmHref);
            w.attr(QStringLiteral("type"), mt(mime::kVm));
            w.link(QStringLiteral("up"), tmplHref, mt(mime::kVAppTemplate));
            w.text(QStringLiteral("Description"), QString());
            return xmlResponse(200, w.finish(), mime::kVm);
        }
    }
    return forbidden();
}

// ---- vApps and VMs ----

void LegacyApi::setExtraConfig(QJsonObject &vm, const QString &key, const QString &value)
{
    QJsonArray items = vm.value(QLatin1String("extraConfig")).toArray();
    for (int i = 0; i < items.size(); ++i)
        if (items[i].toObject().value(QLatin1String("key")).toString() == key) {
            if (value.isEmpty())
                items.removeAt(i);
            else
                items[i] = QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}};
            vm.insert(QStringLiteral("extraConfig"), items);
            return;
        }
    if (!value.isEmpty())
        items.append(QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}});
    vm.insert(QStringLiteral("extraConfig"), items);
}

QString LegacyApi::extraConfig(const QJsonObject &vm, const QString &key)
{
    for (const QJsonValue &v : vm.value(QLatin1String("extraConfig")).toArray())
        if (v.toObject().value(QLatin1String("key")).toString() == key)
            return v.toObject().value(QLatin1String("value")).toString();
    return {};
}

Result<void> LegacyApi::save(const VappRow &row) { return m_sim->store().upsertVapp(row); }

void LegacyApi::setPower(QJsonObject &vm, bool on)
{
    vm.insert(QStringLiteral("status"), on ? xml::status::kPoweredOn : xml::status::kPoweredOff);
    if (!on)
        return;
    vm.insert(QStringLiteral("deployed"), true);
    vm.insert(QStringLiteral("customized"), true);
    (void)m_sim->store().setVmState(QStringLiteral("urn:vcloud:vm:") + vm.value(QLatin1String("id")).toString(),
                                    QStringLiteral("poweredOn"));
}

Result<std::optional<LegacyApi::VmRef>> LegacyApi::findVm(const QString &vmUuid)
{
    auto all = m_sim->store().vapps(QString(), Store::VappHint{{}, {vmUuid}});
    if (!all)
        return all.error();
    for (const VappRow &v : *all) {
        const QJsonArray vms = vmsOf(v);
        for (int i = 0; i < vms.size(); ++i)
            if (vms[i].toObject().value(QLatin1String("id")).toString() == vmUuid)
                return std::optional<VmRef>(VmRef{v, i});
    }
    return std::optional<VmRef>();
}

QString LegacyApi::nextIp(const QString &networkName)
{
    QSet<QString> used;
    if (auto all = m_sim->store().vapps(QString()))
        for (const VappRow &v : *all)
            for (const QJsonValue &vm : vmsOf(v))
                used.insert(vm.toObject().value(QLatin1String("ip")).toString());
    const int subnet = int(qHash(networkName) % 200) + 20;
    for (int host = 10; host < 250; ++host) {
        const QString ip = QStringLiteral("10.%1.0.%2").arg(subnet).arg(host);
        if (!used.contains(ip))
            return ip;
    }
    return QStringLiteral("10.%1.1.10").arg(subnet);
}

Result<QString> LegacyApi::createNodeVapp(const QString &orgId, const QString &vdcId, const QString &vappName,
                                          const QString &vmName, const QJsonObject &metadata, const QString &clusterId,
                                          const QString &role)
{
    auto existing = m_sim->store().vapps(orgId, Store::VappHint{vappName, {}});
    if (!existing)
        return existing.error();
    std::optional<VappRow> row;
    for (const VappRow &v : *existing)
        if (v.vdcId == vdcId && v.name == vappName)
            row = v;
    if (!row) {
        row = VappRow{uuid(), orgId, vdcId, vappName,
                      QJsonObject{{QStringLiteral("description"), QStringLiteral("Cluster API infrastructure vApp")},
                                  {QStringLiteral("status"), xml::status::kPoweredOn}, {QStringLiteral("deployed"), true},
                                  {QStringLiteral("ownerName"), QStringLiteral("capvcd")}, {QStringLiteral("metadata"), metadata},
                                  {QStringLiteral("vms"), QJsonArray()}}};
    }
    const QString vmId = uuid();
    QJsonArray vms = vmsOf(*row);
    vms.append(QJsonObject{{QStringLiteral("id"), vmId}, {QStringLiteral("name"), vmName},
                           {QStringLiteral("status"), xml::status::kPoweredOn}, {QStringLiteral("deployed"), true},
                           {QStringLiteral("ip"), nextIp(vappName)}, {QStringLiteral("computerName"), vmName},
                           {QStringLiteral("gcEnabled"), true}, {QStringLiteral("customized"), true},
                           {QStringLiteral("extraConfig"), QJsonArray()}, {QStringLiteral("cpu"), 2},
                           {QStringLiteral("memoryMb"), 4096}});
    row->doc.insert(QStringLiteral("vms"), vms);
    recomputeVappStatus(row->doc);
    if (auto r = save(*row); !r)
        return r.error();
    if (auto r = m_sim->store().insertVm(VmRow{QStringLiteral("urn:vcloud:vm:") + vmId, clusterId, vmName, role,
                                               QStringLiteral("poweredOn"), rde::isoTimestamp(), QString()});
        !r)
        return r.error();
    return QString(QStringLiteral("urn:vcloud:vm:") + vmId);
}

Result<void> LegacyApi::removeVm(const QString &vmUuid)
{
    auto found = findVm(vmUuid);
    if (!found)
        return found.error();
    if (!found->has_value())
        return {};
    VappRow row = (*found)->vapp;
    QJsonArray vms = vmsOf(row);
    vms.removeAt((*found)->index);
    (void)m_sim->store().markVmDeleted(QStringLiteral("urn:vcloud:vm:") + vmUuid);
    if (vms.isEmpty())
        return m_sim->store().deleteVapp(row.id);
    row.doc.insert(QStringLiteral("vms"), vms);
    recomputeVappStatus(row.doc);
    return save(row);
}

namespace {

const QString kRasd = QStringLiteral("http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData");

// The VM's hardware items as VCD lists them in ovf:VirtualHardwareSection
// (CIM ResourceType 3 CPU, 4 memory, 17 hard disk, 10 network adapter).
struct HardwareItem
{
    int type;
    QString instanceId, name, units;
    qint64 quantity;
};

QList<HardwareItem> hardwareOf(const QJsonObject &vm)
{
    const int cpu = vm.value(QLatin1String("cpu")).toInt(2);
    const int mem = vm.value(QLatin1String("memoryMb")).toInt(4096);
    QList<HardwareItem> items{{3, QStringLiteral("4"), QStringLiteral("%1 virtual CPU(s)").arg(cpu), QStringLiteral("hertz * 10^6"), cpu},
                              {4, QStringLiteral("5"), QStringLiteral("%1 MB of memory").arg(mem), QStringLiteral("byte * 2^20"), mem},
                              {17, QStringLiteral("2000"), QStringLiteral("Hard disk 1"), QStringLiteral("byte * 2^20"),
                               qint64(vm.value(QLatin1String("diskSizeMb")).toInt(20480))}};
    if (!vm.value(QLatin1String("network")).toString().isEmpty())
        items.append({10, QStringLiteral("1"), QStringLiteral("Network adapter 0"), QString(), 1});
    return items;
}

// The section of GET vm and GET …/virtualHardwareSection/. ExtraConfig only
// for callers allowed to see it (mayReadExtraConfig).
void writeHardwareSection(QXmlStreamWriter &x, const QString &vmHref, const QJsonObject &vm, bool extraConfig)
{
    x.writeStartElement(xml::ns::kOvf, QStringLiteral("VirtualHardwareSection"));
    x.writeAttribute(xml::ns::kVcloud, QStringLiteral("href"), vmHref + QStringLiteral("/virtualHardwareSection/"));
    x.writeAttribute(xml::ns::kVcloud, QStringLiteral("type"), mt(mime::kVirtualHardwareSection));
    x.writeTextElement(xml::ns::kOvf, QStringLiteral("Info"), QStringLiteral("Virtual hardware requirements"));
    for (const HardwareItem &it : hardwareOf(vm)) {
        x.writeStartElement(xml::ns::kOvf, QStringLiteral("Item"));
        if (!it.units.isEmpty())
            x.writeTextElement(kRasd, QStringLiteral("AllocationUnits"), it.units);
        x.writeTextElement(kRasd, QStringLiteral("ElementName"), it.name);
        x.writeTextElement(kRasd, QStringLiteral("InstanceID"), it.instanceId);
        x.writeTextElement(kRasd, QStringLiteral("ResourceType"), QString::number(it.type));
        x.writeTextElement(kRasd, QStringLiteral("VirtualQuantity"), QString::number(it.quantity));
        x.writeEndElement();
    }
    if (extraConfig)
        for (const QJsonValue &kv : vm.value(QLatin1String("extraConfig")).toArray()) {
            x.writeEmptyElement(xml::ns::kVmw, QStringLiteral("ExtraConfig"));
            x.writeAttribute(xml::ns::kOvf, QStringLiteral("required"), QStringLiteral("false"));
            x.writeAttribute(xml::ns::kVmw, QStringLiteral("key"), kv.toObject().value(QLatin1String("key")).toString());
            x.writeAttribute(xml::ns::kVmw, QStringLiteral("value"), kv.toObject().value(QLatin1String("value")).toString());
        }
    x.writeEndElement();
}

// VCD replaces the VM's hardware with a reconfigureVm or virtualHardwareSection
// body ("the modified Vm replaces the contents of the retrieved Vm"; request
// bodies must carry every required element: VMware's API reference for
// reconfigureVm). go-vcloud-director (govcd/vm.go) and CAPVCD (vcdsdk
// pkg/vcdsdk/vapp.go) therefore send the section they read, every Item kept.
// The items of the VM that BODY's section drops, by name (empty: none).
QStringList droppedHardware(const xml::Node &body, const QJsonObject &vm)
{
    const xml::Node *section = body.name == QLatin1String("VirtualHardwareSection") ? &body : body.child(QStringLiteral("VirtualHardwareSection"));
    QSet<QString> sent;
    if (section)
        for (const xml::Node *item : section->childrenNamed(QStringLiteral("Item")))
            sent.insert(item->childText(QStringLiteral("ResourceType")) + QLatin1Char('/') + item->childText(QStringLiteral("InstanceID")));
    QStringList missing;
    for (const HardwareItem &it : hardwareOf(vm))
        if (!sent.contains(QString::number(it.type) + QLatin1Char('/') + it.instanceId))
            missing << it.name;
    return missing;
}

void writeVm(Writer &w, const QString &host, const VappRow &vapp, const QJsonObject &vm, bool extraConfigShown)
{
    const QString id = vm.value(QLatin1String("id")).toString();
    const QString href = host + QStringLiteral("/api/vApp/vm-") + id;
    const int status = vm.value(QLatin1String("status")).toInt();
    const bool deployed = vm.value(QLatin1String("deployed")).toBool();
    w.attr(QStringLiteral("needsCustomization"), vm.value(QLatin1String("customized")).toBool() ? QStringLiteral("false")
                                                                                                 : QStringLiteral("true"));
    w.attr(QStringLiteral("nestedHypervisorEnabled"), QStringLiteral("false"));
    w.attr(QStringLiteral("deployed"), deployed ? QStringLiteral("true") : QStringLiteral("false"));
    w.attr(QStringLiteral("status"), QString::number(status));
    w.attr(QStringLiteral("name"), vm.value(QLatin1String("name")).toString());
    w.attr(QStringLiteral("id"), QStringLiteral("urn:vcloud:vm:") + id);
    w.attr(QStringLiteral("href"), href);
    w.attr(QStringLiteral("type"), mt(mime::kVm));
    if (status == xml::status::kPoweredOn)
        w.link(QStringLiteral("power:powerOff"), href + QStringLiteral("/power/action/powerOff"));
    else if (status == xml::status::kPoweredOff)
        w.link(QStringLiteral("power:powerOn"), href + QStringLiteral("/power/action/powerOn"));
    if (deployed)
        w.link(QStringLiteral("undeploy"), href + QStringLiteral("/action/undeploy"), mt(mime::kUndeployVAppParams));
    else
        w.link(QStringLiteral("deploy"), href + QStringLiteral("/action/deploy"), mt(mime::kDeployVAppParams));
    w.link(QStringLiteral("up"), host + QStringLiteral("/api/vApp/vapp-") + vapp.id, mt(mime::kVApp));
    w.link(QStringLiteral("reconfigureVm"), href + QStringLiteral("/action/reconfigureVm"), mt(mime::kVm), vm.value(QLatin1String("name")).toString());
    if (!deployed)
        w.link(QStringLiteral("remove"), href);
    w.text(QStringLiteral("Description"), vm.value(QLatin1String("description")).toString());
    writeHardwareSection(w.w, href, vm, extraConfigShown);
    // NetworkConnectionSection
    w.section(QStringLiteral("NetworkConnectionSection"), href + QStringLiteral("/networkConnectionSection/"),
              QStringLiteral("application/vnd.vmware.vcloud.networkConnectionSection+xml"),
              QStringLiteral("Specifies the available VM network connections"));
    w.text(QStringLiteral("PrimaryNetworkConnectionIndex"), QStringLiteral("0"));
    if (!vm.value(QLatin1String("network")).toString().isEmpty()) {
        w.start(QStringLiteral("NetworkConnection"));
        w.attr(QStringLiteral("network"), vm.value(QLatin1String("network")).toString());
        w.attr(QStringLiteral("needsCustomization"), QStringLiteral("false"));
        w.text(QStringLiteral("NetworkConnectionIndex"), QStringLiteral("0"));
        w.text(QStringLiteral("IpAddress"), vm.value(QLatin1String("ip")).toString());
        w.text(QStringLiteral("IsConnected"), QStringLiteral("true"));
        w.text(QStringLiteral("MACAddress"), QStringLiteral("00:50:56:%1:%2:%3")
                                                 .arg(qHash(id) % 256, 2, 16, QLatin1Char('0'))
                                                 .arg((qHash(id) >> 8) % 256, 2, 16, QLatin1Char('0'))
                                                 .arg((qHash(id) >> 16) % 256, 2, 16, QLatin1Char('0')));
        w.text(QStringLiteral("IpAddressAllocationMode"), QStringLiteral("POOL"));
        w.text(QStringLiteral("NetworkAdapterType"), QStringLiteral("VMXNET3"));
        w.end();
    }
    w.end();
    // GuestCustomizationSection (never the admin password)
    w.section(QStringLiteral("GuestCustomizationSection"), href + QStringLiteral("/guestCustomizationSection/"),
              mt(mime::kGuestCustomizationSection), QStringLiteral("Specifies Guest OS Customization Settings"));
    w.text(QStringLiteral("Enabled"), vm.value(QLatin1String("gcEnabled")).toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    w.text(QStringLiteral("ChangeSid"), QStringLiteral("false"));
    w.text(QStringLiteral("VirtualMachineId"), id);
    w.text(QStringLiteral("JoinDomainEnabled"), QStringLiteral("false"));
    w.text(QStringLiteral("UseOrgSettings"), QStringLiteral("false"));
    w.text(QStringLiteral("AdminPasswordEnabled"), QStringLiteral("true"));
    w.text(QStringLiteral("AdminPasswordAuto"), vm.value(QLatin1String("adminPasswordAuto")).toBool(true) ? QStringLiteral("true")
                                                                                                          : QStringLiteral("false"));
    w.text(QStringLiteral("ResetPasswordRequired"), QStringLiteral("false"));
    if (!vm.value(QLatin1String("gcScript")).toString().isEmpty())
        w.text(QStringLiteral("CustomizationScript"), vm.value(QLatin1String("gcScript")).toString());
    w.text(QStringLiteral("ComputerName"), vm.value(QLatin1String("computerName")).toString());
    w.end();
    w.text(QStringLiteral("VAppScopedLocalId"), vm.value(QLatin1String("name")).toString());
    if (!vm.value(QLatin1String("storageProfile")).toString().isEmpty())
        w.ref(QStringLiteral("StorageProfile"), host + QStringLiteral("/api/vdcStorageProfile/") + storageProfileId(vapp.vdcId, vm.value(QLatin1String("storageProfile")).toString()),
              vm.value(QLatin1String("storageProfile")).toString(), QStringLiteral("application/vnd.vmware.vcloud.vdcStorageProfile+xml"));
    if (const Policy *p = policyFromHref(vm.value(QLatin1String("sizingPolicy")).toString())) {
        w.start(QStringLiteral("ComputePolicy"));
        w.ref(QStringLiteral("VmSizingPolicy"), host + QStringLiteral("/cloudapi/1.0.0/vdcComputePolicies/") + p->id, p->name,
              QStringLiteral("application/json"), p->id);
        w.end();
    }
}

} // namespace

QByteArray LegacyApi::vappXml(const HttpRequest &req, const VappRow &row)
{
    const QString h = host(req);
    const QString href = h + QStringLiteral("/api/vApp/vapp-") + row.id;
    const int status = row.doc.value(QLatin1String("status")).toInt();
    const bool deployed = row.doc.value(QLatin1String("deployed")).toBool();
    Writer w;
    w.root(QStringLiteral("VApp"), true);
    w.attr(QStringLiteral("ovfDescriptorUploaded"), QStringLiteral("true"));
    w.attr(QStringLiteral("deployed"), deployed ? QStringLiteral("true") : QStringLiteral("false"));
    w.attr(QStringLiteral("status"), QString::number(status));
    w.attr(QStringLiteral("name"), row.name);
    w.attr(QStringLiteral("id"), QStringLiteral("urn:vcloud:vapp:") + row.id);
    w.attr(QStringLiteral("href"), href);
    w.attr(QStringLiteral("type"), mt(mime::kVApp));
    if (status == xml::status::kPoweredOn)
        w.link(QStringLiteral("power:powerOff"), href + QStringLiteral("/power/action/powerOff"));
    else
        w.link(QStringLiteral("power:powerOn"), href + QStringLiteral("/power/action/powerOn"));
    if (deployed)
        w.link(QStringLiteral("undeploy"), href + QStringLiteral("/action/undeploy"), mt(mime::kUndeployVAppParams));
    else
        w.link(QStringLiteral("deploy"), href + QStringLiteral("/action/deploy"), mt(mime::kDeployVAppParams));
    w.link(QStringLiteral("down"), href + QStringLiteral("/metadata"), mt(mime::kMetadata));
    w.link(QStringLiteral("recompose"), href + QStringLiteral("/action/recomposeVApp"), mt(mime::kRecomposeVAppParams));
    w.link(QStringLiteral("up"), h + QStringLiteral("/api/vdc/") + uuidOf(row.vdcId), mt(mime::kVdc));
    if (!deployed)
        w.link(QStringLiteral("remove"), href);
    w.text(QStringLiteral("Description"), row.doc.value(QLatin1String("description")).toString());
    // Tasks still running on this vApp
    QList<TaskRow> running;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        if (auto tr = m_sim->store().task(it.key()); tr && tr->has_value() && (*tr)->ownerId == QStringLiteral("/api/vApp/vapp-") + row.id)
            running.append(**tr);
    if (!running.isEmpty()) {
        w.start(QStringLiteral("Tasks"));
        for (const TaskRow &tr : running) {
            w.start(QStringLiteral("Task"));
            w.attr(QStringLiteral("status"), tr.status);
            w.attr(QStringLiteral("operationName"), tr.operationName);
            w.attr(QStringLiteral("operation"), tr.operation);
            w.attr(QStringLiteral("startTime"), tr.startTime);
            w.attr(QStringLiteral("name"), QStringLiteral("task"));
            w.attr(QStringLiteral("id"), QStringLiteral("urn:vcloud:task:") + tr.id);
            w.attr(QStringLiteral("href"), h + QStringLiteral("/api/task/") + tr.id);
            w.attr(QStringLiteral("type"), mt(mime::kTask));
            w.ref(QStringLiteral("Owner"), href, row.name, mt(mime::kVApp));
            w.text(QStringLiteral("Progress"), QString::number(tr.progress));
            w.end();
        }
        w.end();
    }
    const QJsonObject net = row.doc.value(QLatin1String("network")).toObject();
    w.startOvf(QStringLiteral("NetworkSection"));
    w.info(QStringLiteral("The list of logical networks"));
    if (!net.isEmpty()) {
        w.startOvf(QStringLiteral("Network"));
        w.w.writeAttribute(xml::ns::kOvf, QStringLiteral("name"), net.value(QLatin1String("name")).toString());
        w.w.writeTextElement(xml::ns::kOvf, QStringLiteral("Description"), QString());
        w.end();
    }
    w.end();
    w.section(QStringLiteral("NetworkConfigSection"), href + QStringLiteral("/networkConfigSection/"), mt(mime::kNetworkConfigSection),
              QStringLiteral("The configuration parameters for logical networks"));
    if (!net.isEmpty()) {
        w.start(QStringLiteral("NetworkConfig"));
        w.attr(QStringLiteral("networkName"), net.value(QLatin1String("name")).toString());
        w.start(QStringLiteral("Configuration"));
        w.ref(QStringLiteral("ParentNetwork"), net.value(QLatin1String("parentHref")).toString(), net.value(QLatin1String("name")).toString(),
              mt(mime::kNetwork));
        w.text(QStringLiteral("FenceMode"), net.value(QLatin1String("fenceMode")).toString());
        w.end();
        w.text(QStringLiteral("IsDeployed"), deployed ? QStringLiteral("true") : QStringLiteral("false"));
        w.end();
    }
    w.end();
    w.start(QStringLiteral("Owner"));
    w.attr(QStringLiteral("type"), QStringLiteral("application/vnd.vmware.vcloud.owner+xml"));
    w.ref(QStringLiteral("User"), h + QStringLiteral("/api/admin/user/") + stableId(row.doc.value(QLatin1String("ownerName")).toString()),
          row.doc.value(QLatin1String("ownerName")).toString(), QStringLiteral("application/vnd.vmware.admin.user+xml"));
    w.end();
    w.text(QStringLiteral("InMaintenanceMode"), QStringLiteral("false"));
    w.start(QStringLiteral("Children"));
    for (const QJsonValue &v : vmsOf(row)) {
        w.start(QStringLiteral("Vm"));
        // The vApp's Children view carries no ExtraConfig: guest keys are read
        // from the VM's own href, as CAPVCD does (vcdsdk pkg/vcdsdk/vapp.go,
        // GET vm.href for guestinfo.*).
        writeVm(w, h, row, v.toObject(), false);
        w.end();
    }
    w.end();
    return w.finish();
}

HttpResponse LegacyApi::vapp(const HttpRequest &req, const Caller &c, const QString &id, const QString &restIn)
{
    QString rest = restIn;
    if (rest.endsWith(QLatin1Char('/')))
        rest.chop(1);
    auto found = m_sim->store().vapp(id);
    if (!found)
        return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), found.error().message);
    if (!found->has_value() || (!c.provider && (*found)->orgId != c.org.id))
        return forbidden();
    const VappRow row = **found;
    const QByteArray &m = req.method;
    const QString ownerHref = QStringLiteral("/api/vApp/vapp-") + id;
    auto task = [&](const QString &opName, const QString &op, const QString &fault, Apply apply) {
        return taskResponse(req, startTask(opName, op, ownerHref, row.name, mt(mime::kVApp), row.orgId, fault, std::move(apply)));
    };
    // Re-reads the vApp at the end of its task and applies a change.
    auto change = [this, id](std::function<Result<void>(VappRow &)> f) -> Apply {
        return [this, id, f]() -> Result<void> {
            auto r = m_sim->store().vapp(id);
            if (!r)
                return r.error();
            if (!r->has_value())
                return makeError(ErrorKind::NotFound, QStringLiteral("the vApp is gone"));
            VappRow fresh = **r;
            if (auto e = f(fresh); !e)
                return e;
            recomputeVappStatus(fresh.doc);
            return save(fresh);
        };
    };
    auto forEachVm = [](VappRow &r, const std::function<void(QJsonObject &)> &f) {
        QJsonArray vms = vmsOf(r);
        for (int i = 0; i < vms.size(); ++i) {
            QJsonObject vm = vms[i].toObject();
            f(vm);
            vms[i] = vm;
        }
        r.doc.insert(QStringLiteral("vms"), vms);
    };

    if (rest.isEmpty() && m == "GET")
        return xmlResponse(200, vappXml(req, row), mime::kVApp);
    if (m != "GET" && !c.canWrite())
        return forbidden();
    if (rest.isEmpty() && m == "DELETE") {
        if (row.doc.value(QLatin1String("deployed")).toBool())
            return badRequest(QStringLiteral("The requested operation could not be executed since vApp \"%1\" is not undeployed (it is "
                                             "deployed). Undeploy it first.").arg(row.name));
        return task(QStringLiteral("vdcDeleteVapp"), QStringLiteral("Deleted vApp %1").arg(row.name), QStringLiteral("deleteVApp"),
                    [this, id]() -> Result<void> {
                        auto r = m_sim->store().vapp(id);
                        if (!r || !r->has_value())
                            return {};
                        for (const QJsonValue &v : vmsOf(**r))
                            (void)m_sim->store().markVmDeleted(QStringLiteral("urn:vcloud:vm:") + v.toObject().value(QLatin1String("id")).toString());
                        // The Cluster API controllers die with the VMs they run on: the
                        // bootstrap VM before the move, the cluster's own vApp after it.
                        const QJsonObject md = (**r).doc.value(QLatin1String("metadata")).toObject();
                        const QString capvcd = md.value(QLatin1String("CapvcdInfraId")).toString();
                        const QString bootstrapOf = md.value(QLatin1String("cse.role")).toString() == QLatin1String("bootstrap")
                                                        ? md.value(QLatin1String("cse.clusterId")).toString() : QString();
                        if (!capvcd.isEmpty())
                            (void)m_sim->store().deleteInfra(capvcd);
                        if (!bootstrapOf.isEmpty())
                            if (auto infra = m_sim->store().infra(bootstrapOf); infra && infra->has_value() && !(*infra)->pivoted)
                                (void)m_sim->store().deleteInfra(bootstrapOf);
                        return m_sim->store().deleteVapp(id);
                    });
    }
    if (rest == QLatin1String("networkConfigSection")) {
        if (m != "PUT")
            return notAllowed(req);
        HttpResponse refused;
        const std::optional<xml::Node> body = typedBody(req, mime::kNetworkConfigSection, refused);
        if (!body)
            return refused;
        const xml::NetworkConfig net = xml::readNetworkConfig(*body);
        if (net.networkName.isEmpty() || net.parentHref.isEmpty())
            return badRequest(QStringLiteral("NetworkConfig needs a networkName and a ParentNetwork"));
        bool known = false;
        if (auto nets = m_sim->store().networks())
            for (const NetworkRow &n : *nets)
                known = known || (n.orgId == row.orgId && net.parentHref.endsWith(QStringLiteral("/api/network/") + uuidOf(n.id)));
        if (!known)
            return badRequest(QStringLiteral("The parent network %1 is not an org VDC network of this org").arg(net.parentHref));
        return task(QStringLiteral("vappUpdateVAppNetworkConfig"), QStringLiteral("Updated network config of vApp %1").arg(row.name),
                    QStringLiteral("networkConfigSection"), change([net](VappRow &r) -> Result<void> {
                        r.doc.insert(QStringLiteral("network"), QJsonObject{{QStringLiteral("name"), net.networkName},
                                                                           {QStringLiteral("parentHref"), net.parentHref},
                                                                           {QStringLiteral("fenceMode"), net.fenceMode}});
                        return {};
                    }));
    }
    if (rest == QLatin1String("action/recomposeVApp") && m == "POST") {
        HttpResponse refused;
        const std::optional<xml::Node> body = typedBody(req, mime::kRecomposeVAppParams, refused);
        if (!body)
            return refused;
        const xml::RecomposeParams params = xml::readRecomposeParams(*body);
        const QString vappNet = row.doc.value(QLatin1String("network")).toObject().value(QLatin1String("name")).toString();
        QJsonArray added;
        for (const xml::SourcedVm &item : params.items) {
            const Template *tmpl = nullptr;
            for (const Template &tp : templates())
                if (item.sourceHref.endsWith(QStringLiteral("/api/vAppTemplate/vm-") + tp.vmId))
                    tmpl = &tp;
            if (!tmpl)
                return badRequest(QStringLiteral("The source %1 is not a VM of a vApp template in a catalog you can read").arg(item.sourceHref));
            if (item.name.isEmpty())
                return badRequest(QStringLiteral("The VM needs a name"));
            for (const QJsonValue &v : vmsOf(row))
                if (v.toObject().value(QLatin1String("name")).toString() == item.name)
                    return xmlError(400, QStringLiteral("DUPLICATE_NAME"), QStringLiteral("The VM name %1 is in use in vApp %2").arg(item.name, row.name));
            if (!item.networkName.isEmpty() && item.networkName != vappNet)
                return badRequest(QStringLiteral("The network %1 is not a network of vApp %2").arg(item.networkName, row.name));
            const Policy *sizing = nullptr;
            if (!item.sizingPolicyHref.isEmpty() && !(sizing = policyFromHref(item.sizingPolicyHref)))
                return badRequest(QStringLiteral("The VM sizing policy %1 does not exist or is not assigned to the VDC").arg(item.sizingPolicyHref));
            if (!item.placementPolicyHref.isEmpty() && !policyFromHref(item.placementPolicyHref))
                return badRequest(QStringLiteral("The VM placement policy %1 does not exist").arg(item.placementPolicyHref));
            QString profile = QStringLiteral("*");
            if (!item.storageProfileHref.isEmpty()) {
                profile.clear();
                for (const QString &sp : storageProfileNames())
                    if (item.storageProfileHref.endsWith(storageProfileId(row.vdcId, sp)))
                        profile = sp;
                if (profile.isEmpty())
                    return badRequest(QStringLiteral("The storage profile %1 is not a profile of the VDC").arg(item.storageProfileHref));
            }
            added.append(QJsonObject{{QStringLiteral("id"), uuid()}, {QStringLiteral("name"), item.name},
                                     {QStringLiteral("description"), item.description},
                                     {QStringLiteral("status"), xml::status::kUnresolved}, {QStringLiteral("deployed"), false},
                                     {QStringLiteral("network"), item.networkName},
                                     {QStringLiteral("ip"), item.networkName.isEmpty() ? QString() : nextIp(item.networkName)},
                                     {QStringLiteral("computerName"), item.computerName.isEmpty() ? item.name : item.computerName},
                                     {QStringLiteral("gcEnabled"), true}, {QStringLiteral("gcScript"), item.customizationScript},
                                     {QStringLiteral("adminPasswordAuto"), item.adminPassword.isEmpty()},
                                     {QStringLiteral("template"), item.sourceHref},
                                     {QStringLiteral("sizingPolicy"), sizing ? sizing->id : QString()},
                                     {QStringLiteral("storageProfile"), profile},
                                     {QStringLiteral("cpu"), sizing ? sizing->cpu : 2},
                                     {QStringLiteral("memoryMb"), sizing ? sizing->memoryMb : 4096},
                                     {QStringLiteral("extraConfig"), QJsonArray()}});
        }
        // The VMs show up at once, unresolved until the task ends.
        VappRow now = row;
        QJsonArray vms = vmsOf(now);
        for (const QJsonValue &v : added) {
            vms.append(v);
            (void)m_sim->store().insertVm(VmRow{QStringLiteral("urn:vcloud:vm:") + v.toObject().value(QLatin1String("id")).toString(),
                                                clusterOf(row.doc), v.toObject().value(QLatin1String("name")).toString(), roleOf(row.doc),
                                                QStringLiteral("created"), rde::isoTimestamp(), QString()});
        }
        now.doc.insert(QStringLiteral("vms"), vms);
        recomputeVappStatus(now.doc);
        if (auto s = save(now); !s)
            return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), s.error().message);
        QSet<QString> ids;
        for (const QJsonValue &v : added)
            ids.insert(v.toObject().value(QLatin1String("id")).toString());
        return task(QStringLiteral("vdcRecomposeVapp"), QStringLiteral("Updated vApp %1").arg(row.name), QStringLiteral("recomposeVApp"),
                    change([forEachVm, ids](VappRow &r) -> Result<void> {
                        forEachVm(r, [&ids](QJsonObject &vm) {
                            if (ids.contains(vm.value(QLatin1String("id")).toString()))
                                vm.insert(QStringLiteral("status"), xml::status::kPoweredOff);
                        });
                        return {};
                    }));
    }
    static const QRegularExpression power(QStringLiteral("^power/action/(powerOn|powerOff)$"));
    if (const auto pm = power.match(rest); pm.hasMatch() && m == "POST") {
        const bool on = pm.captured(1) == QLatin1String("powerOn");
        if (vmsOf(row).isEmpty())
            return badRequest(QStringLiteral("vApp %1 has no VMs to power on").arg(row.name));
        if (!on && !row.doc.value(QLatin1String("deployed")).toBool())
            return badRequest(QStringLiteral("The requested operation could not be executed since vApp \"%1\" is not running").arg(row.name));
        return task(on ? QStringLiteral("vappDeploy") : QStringLiteral("vappPowerOff"),
                    QStringLiteral("%1 vApp %2").arg(on ? QStringLiteral("Started") : QStringLiteral("Stopped"), row.name),
                    pm.captured(1), change([this, forEachVm, on](VappRow &r) -> Result<void> {
                        forEachVm(r, [this, on](QJsonObject &vm) { setPower(vm, on); });
                        return {};
                    }));
    }
    if ((rest == QLatin1String("action/undeploy") || rest == QLatin1String("action/deploy")) && m == "POST") {
        const bool deploy = rest.endsWith(QLatin1String("/deploy"));
        HttpResponse refused;
        const std::optional<xml::Node> body = typedBody(req, deploy ? mime::kDeployVAppParams : mime::kUndeployVAppParams, refused);
        if (!body)
            return refused;
        if (!deploy && !row.doc.value(QLatin1String("deployed")).toBool())
            return badRequest(QStringLiteral("The requested operation could not be executed since vApp \"%1\" is not running").arg(row.name));
        const bool powerOn = body->attr(QStringLiteral("powerOn")) != QLatin1String("false");
        return task(deploy ? QStringLiteral("vappDeploy") : QStringLiteral("vappUndeployPowerOff"),
                    QStringLiteral("%1 vApp %2").arg(deploy ? QStringLiteral("Deployed") : QStringLiteral("Undeployed"), row.name),
                    deploy ? QStringLiteral("deploy") : QStringLiteral("undeploy"),
                    change([forEachVm, deploy, powerOn](VappRow &r) -> Result<void> {
                        forEachVm(r, [deploy, powerOn](QJsonObject &vm) {
                            vm.insert(QStringLiteral("deployed"), deploy);
                            vm.insert(QStringLiteral("status"), deploy && powerOn ? xml::status::kPoweredOn : xml::status::kPoweredOff);
                        });
                        return {};
                    }));
    }
    if (rest == QLatin1String("metadata") && m == "GET") {
        Writer w;
        w.root(QStringLiteral("Metadata"));
        w.attr(QStringLiteral("href"), host(req) + ownerHref + QStringLiteral("/metadata"));
        w.attr(QStringLiteral("type"), mt(mime::kMetadata));
        w.link(QStringLiteral("up"), host(req) + ownerHref, mt(mime::kVApp));
        const QJsonObject md = row.doc.value(QLatin1String("metadata")).toObject();
        for (auto it = md.begin(); it != md.end(); ++it) {
            w.start(QStringLiteral("MetadataEntry"));
            w.text(QStringLiteral("Key"), it.key());
            w.start(QStringLiteral("TypedValue"));
            w.w.writeAttribute(xml::ns::kXsi, QStringLiteral("type"), QStringLiteral("MetadataStringValue"));
            w.text(QStringLiteral("Value"), it.value().toString());
            w.end();
            w.end();
        }
        return xmlResponse(200, w.finish(), mime::kMetadata);
    }
    if (rest.startsWith(QLatin1String("metadata/"))) {
        const QString key = rest.mid(9);
        const QJsonObject md = row.doc.value(QLatin1String("metadata")).toObject();
        if (m == "GET") {
            // A key the object lacks answers 403, not 404 (pyvcloud
            // pyvcloud/vcd/metadata.py documents AccessForbiddenException;
            // CAPVCD reads the whole /metadata list instead: vcdsdk vapp.go).
            if (!md.contains(key))
                return xmlError(403, QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN"),
                                QStringLiteral("[ %1 ] This operation is denied.").arg(uuid()));
            return xmlResponse(200, xml::writeMetadataValue(md.value(key).toString()), mime::kMetadataValue);
        }
        if (m == "PUT" || m == "DELETE") {
            QString value;
            if (m == "PUT") {
                auto v = xml::readMetadataValue(req.body);
                if (!v)
                    return badRequest(v.error().message);
                value = *v;
            }
            const bool remove = m == "DELETE";
            return task(QStringLiteral("metadataUpdate"), QStringLiteral("Updated metadata of vApp %1").arg(row.name),
                        QStringLiteral("metadata"), change([key, value, remove](VappRow &r) -> Result<void> {
                            QJsonObject md = r.doc.value(QLatin1String("metadata")).toObject();
                            if (remove)
                                md.remove(key);
                            else
                                md.insert(key, value);
                            r.doc.insert(QStringLiteral("metadata"), md);
                            return {};
                        }));
        }
    }
    if (rest.isEmpty() || rest == QLatin1String("networkConfigSection") || rest.startsWith(QLatin1String("metadata"))
        || rest.startsWith(QLatin1String("power/")) || rest.startsWith(QLatin1String("action/")))
        return notAllowed(req);
    return xmlError(404, QStringLiteral("RESOURCE_NOT_FOUND"), QStringLiteral("No resource at %1").arg(req.path));
}

HttpResponse LegacyApi::vm(const HttpRequest &req, const Caller &c, const QString &id, const QString &restIn)
{
    QString rest = restIn;
    if (rest.endsWith(QLatin1Char('/')))
        rest.chop(1);
    auto found = findVm(id);
    if (!found)
        return xmlError(500, QStringLiteral("INTERNAL_SERVER_ERROR"), found.error().message);
    if (!found->has_value() || (!c.provider && (*found)->vapp.orgId != c.org.id))
        return forbidden();
    const VappRow row = (*found)->vapp;
    const QJsonObject vm = vmsOf(row)[(*found)->index].toObject();
    const QString vmName = vm.value(QLatin1String("name")).toString();
    const QByteArray &m = req.method;
    const QString ownerHref = QStringLiteral("/api/vApp/vm-") + id;
    auto task = [&](const QString &opName, const QString &op, const QString &fault, Apply apply) {
        return taskResponse(req, startTask(opName, op, ownerHref, vmName, mt(mime::kVm), row.orgId, fault, std::move(apply)));
    };
    auto change = [this, id](std::function<Result<void>(QJsonObject &)> f) -> Apply {
        return [this, id, f]() -> Result<void> {
            auto r = findVm(id);
            if (!r)
                return r.error();
            if (!r->has_value())
                return makeError(ErrorKind::NotFound, QStringLiteral("the VM is gone"));
            VappRow fresh = (*r)->vapp;
            QJsonArray vms = vmsOf(fresh);
            QJsonObject v = vms[(*r)->index].toObject();
            if (auto e = f(v); !e)
                return e;
            vms[(*r)->index] = v;
            fresh.doc.insert(QStringLiteral("vms"), vms);
            recomputeVappStatus(fresh.doc);
            return save(fresh);
        };
    };
    auto vmXml = [&] {
        Writer w;
        w.root(QStringLiteral("Vm"), true);
        writeVm(w, host(req), row, vm, mayReadExtraConfig(c));
        return w.finish();
    };
    if (rest.isEmpty() && m == "GET")
        return xmlResponse(200, vmXml(), mime::kVm);
    if (m != "GET" && !c.canWrite())
        return forbidden();
    const bool deployed = vm.value(QLatin1String("deployed")).toBool();
    if (rest.isEmpty() && m == "DELETE") {
        if (deployed)
            return badRequest(QStringLiteral("The requested operation could not be executed since VM \"%1\" is deployed. Undeploy it first.").arg(vmName));
        return task(QStringLiteral("vappDeleteVm"), QStringLiteral("Deleted VM %1").arg(vmName), QStringLiteral("deleteVm"),
                    [this, id]() -> Result<void> { return removeVm(id); });
    }
    auto extraConfigChange = [&](const QList<xml::KeyValue> &items) -> std::optional<HttpResponse> {
        for (const xml::KeyValue &kv : items)
            if (kv.key.isEmpty() || kv.key.contains(QLatin1Char(' ')))
                return badRequest(QStringLiteral("The ExtraConfig key \"%1\" is not valid").arg(kv.key));
        return std::nullopt;
    };
    if ((rest == QLatin1String("action/reconfigureVm") && m == "POST") || (rest == QLatin1String("virtualHardwareSection") && m == "PUT")) {
        const bool reconfigure = rest.startsWith(QLatin1String("action/"));
        HttpResponse refused;
        const std::optional<xml::Node> body = typedBody(req, reconfigure ? mime::kVm : mime::kVirtualHardwareSection, refused);
        if (!body)
            return refused;
        const QList<xml::KeyValue> items = xml::readExtraConfig(*body);
        if (auto bad = extraConfigChange(items))
            return *bad;
        if (const QStringList dropped = droppedHardware(*body, vm); !dropped.isEmpty())
            return badRequest(QStringLiteral("The VirtualHardwareSection of the request lacks the VM's hardware items %1: the body "
                                             "replaces the VM's hardware, so send the section as read with every Item")
                                  .arg(dropped.join(QStringLiteral(", "))));
        QString newName;
        if (reconfigure)
            newName = body->attr(QStringLiteral("name"));
        QString script;
        bool hasScript = false;
        if (const xml::Node *gc = body->child(QStringLiteral("GuestCustomizationSection"))) {
            hasScript = true;
            script = gc->childText(QStringLiteral("CustomizationScript"));
        }
        return task(QStringLiteral("vappUpdateVm"), QStringLiteral("Updated VM %1").arg(vmName), QStringLiteral("reconfigureVm"),
                    change([items, newName, hasScript, script](QJsonObject &v) -> Result<void> {
                        for (const xml::KeyValue &kv : items) // upsert by key; an empty value deletes
                            setExtraConfig(v, kv.key, kv.value);
                        if (!newName.isEmpty())
                            v.insert(QStringLiteral("name"), newName);
                        if (hasScript)
                            v.insert(QStringLiteral("gcScript"), script);
                        return {};
                    }));
    }
    if (rest == QLatin1String("virtualHardwareSection") && m == "GET") {
        QByteArray bytes;
        QXmlStreamWriter x(&bytes);
        x.writeStartDocument();
        x.writeNamespace(xml::ns::kVcloud, QStringLiteral("vcloud"));
        x.writeNamespace(xml::ns::kOvf, QStringLiteral("ovf"));
        x.writeNamespace(xml::ns::kVmw, QStringLiteral("vmw"));
        x.writeNamespace(kRasd, QStringLiteral("rasd"));
        writeHardwareSection(x, host(req) + ownerHref, vm, mayReadExtraConfig(c));
        x.writeEndDocument();
        return xmlResponse(200, bytes, mime::kVirtualHardwareSection);
    }
    if (rest == QLatin1String("productSections")) {
        if (m == "GET") {
            QList<xml::KeyValue> props;
            for (const QJsonValue &v : vm.value(QLatin1String("product")).toArray())
                props.append({v.toObject().value(QLatin1String("key")).toString(), v.toObject().value(QLatin1String("value")).toString()});
            return xmlResponse(200, xml::writeProductSections(props), mime::kProductSections);
        }
        if (m == "PUT") {
            auto body = xml::parse(req.body);
            if (!body)
                return badRequest(body.error().message);
            const QList<xml::KeyValue> props = xml::readProductProperties(*body);
            return task(QStringLiteral("vappUpdateProductSections"), QStringLiteral("Updated product sections of VM %1").arg(vmName),
                        QStringLiteral("productSections"), change([props](QJsonObject &v) -> Result<void> {
                            QJsonArray a;
                            for (const xml::KeyValue &kv : props)
                                a.append(QJsonObject{{QStringLiteral("key"), kv.key}, {QStringLiteral("value"), kv.value}});
                            v.insert(QStringLiteral("product"), a);
                            return {};
                        }));
        }
    }
    if (rest == QLatin1String("guestCustomizationSection")) {
        if (m == "GET") {
            Writer w;
            w.root(QStringLiteral("GuestCustomizationSection"), true);
            w.attr(QStringLiteral("href"), host(req) + ownerHref + QStringLiteral("/guestCustomizationSection/"));
            w.attr(QStringLiteral("type"), mt(mime::kGuestCustomizationSection));
            w.info(QStringLiteral("Specifies Guest OS Customization Settings"));
            w.text(QStringLiteral("Enabled"), vm.value(QLatin1String("gcEnabled")).toBool() ? QStringLiteral("true") : QStringLiteral("false"));
            w.text(QStringLiteral("AdminPasswordEnabled"), QStringLiteral("true"));
            w.text(QStringLiteral("AdminPasswordAuto"), vm.value(QLatin1String("adminPasswordAuto")).toBool(true) ? QStringLiteral("true") : QStringLiteral("false"));
            w.text(QStringLiteral("ResetPasswordRequired"), QStringLiteral("false"));
            if (!vm.value(QLatin1String("gcScript")).toString().isEmpty())
                w.text(QStringLiteral("CustomizationScript"), vm.value(QLatin1String("gcScript")).toString());
            w.text(QStringLiteral("ComputerName"), vm.value(QLatin1String("computerName")).toString());
            return xmlResponse(200, w.finish(), mime::kGuestCustomizationSection);
        }
        if (m == "PUT") {
            auto body = xml::parse(req.body);
            if (!body)
                return badRequest(body.error().message);
            const bool enabled = body->childText(QStringLiteral("Enabled")) == QLatin1String("true");
            const QString script = body->childText(QStringLiteral("CustomizationScript"));
            const QString computerName = body->childText(QStringLiteral("ComputerName"));
            return task(QStringLiteral("vappUpdateVm"), QStringLiteral("Updated guest customization of VM %1").arg(vmName),
                        QStringLiteral("guestCustomizationSection"), change([enabled, script, computerName](QJsonObject &v) -> Result<void> {
                            v.insert(QStringLiteral("gcEnabled"), enabled);
                            v.insert(QStringLiteral("gcScript"), script);
                            if (!computerName.isEmpty())
                                v.insert(QStringLiteral("computerName"), computerName);
                            return {};
                        }));
        }
    }
    if (rest == QLatin1String("guestcustomizationstatus") && m == "GET") {
        Writer w;
        w.root(QStringLiteral("GuestCustomizationStatusSection"), true);
        w.info(QStringLiteral("Guest customization status"));
        const bool on = vm.value(QLatin1String("status")).toInt() == xml::status::kPoweredOn;
        w.text(QStringLiteral("GuestCustStatus"), !vm.value(QLatin1String("gcEnabled")).toBool() || (on && vm.value(QLatin1String("customized")).toBool())
                                                      ? QStringLiteral("GC_COMPLETE")
                                                      : QStringLiteral("GC_PENDING"));
        return xmlResponse(200, w.finish(), mime::kGuestCustomizationStatus);
    }
    static const QRegularExpression power(QStringLiteral("^power/action/(powerOn|powerOff)$"));
    if (const auto pm = power.match(rest); pm.hasMatch() && m == "POST") {
        const bool on = pm.captured(1) == QLatin1String("powerOn");
        const int status = vm.value(QLatin1String("status")).toInt();
        if (status == xml::status::kUnresolved)
            return badRequest(QStringLiteral("VM %1 is still being created").arg(vmName));
        if (!on && status != xml::status::kPoweredOn)
            return badRequest(QStringLiteral("The requested operation could not be executed since VM \"%1\" is not powered on").arg(vmName));
        return task(on ? QStringLiteral("vappPowerOn") : QStringLiteral("vappPowerOff"),
                    QStringLiteral("%1 VM %2").arg(on ? QStringLiteral("Started") : QStringLiteral("Stopped"), vmName), pm.captured(1),
                    change([this, on](QJsonObject &v) -> Result<void> {
                        setPower(v, on);
                        return {};
                    }));
    }
    if ((rest == QLatin1String("action/undeploy") || rest == QLatin1String("action/deploy")) && m == "POST") {
        const bool deploy = rest.endsWith(QLatin1String("/deploy"));
        HttpResponse refused;
        const std::optional<xml::Node> body = typedBody(req, deploy ? mime::kDeployVAppParams : mime::kUndeployVAppParams, refused);
        if (!body)
            return refused;
        if (deploy == deployed)
            return badRequest(QStringLiteral("The requested operation could not be executed since VM \"%1\" is %2")
                                  .arg(vmName, deployed ? QStringLiteral("deployed") : QStringLiteral("not deployed")));
        const bool powerOn = body->attr(QStringLiteral("powerOn")) != QLatin1String("false");
        const bool force = body->attr(QStringLiteral("forceCustomization")) == QLatin1String("true");
        return task(deploy ? QStringLiteral("vappDeploy") : QStringLiteral("vappUndeployPowerOff"),
                    QStringLiteral("%1 VM %2").arg(deploy ? QStringLiteral("Deployed") : QStringLiteral("Undeployed"), vmName),
                    deploy ? QStringLiteral("deploy") : QStringLiteral("undeploy"),
                    change([deploy, powerOn, force](QJsonObject &v) -> Result<void> {
                        v.insert(QStringLiteral("deployed"), deploy);
                        v.insert(QStringLiteral("status"), deploy && powerOn ? xml::status::kPoweredOn : xml::status::kPoweredOff);
                        if (deploy && (force || powerOn))
                            v.insert(QStringLiteral("customized"), true);
                        return {};
                    }));
    }
    if (rest.isEmpty() || rest.startsWith(QLatin1String("power/")) || rest.startsWith(QLatin1String("action/"))
        || rest == QLatin1String("virtualHardwareSection") || rest == QLatin1String("productSections")
        || rest == QLatin1String("guestCustomizationSection"))
        return notAllowed(req);
    return xmlError(404, QStringLiteral("RESOURCE_NOT_FOUND"), QStringLiteral("No resource at %1").arg(req.path));
}

} // namespace cse::sim
