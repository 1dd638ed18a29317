// The infrastructure driver on VCD's legacy vApp/VM API (the calls CAPVCD
// and go-vcloud-director make), acting as the cluster's owner with the API
// token from spec.vcdKe.secure.apiToken (read through getFullEntity; the
// client exchanges it at /oauth/tenant/ORG/token). Each step looks at what
// exists first, so a successor replica resumes a half-made bootstrap vApp.
#include "infrastructure.h"

#include "bootstrapscript.h"
#include "core/logging.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vcd/client.h"
#include "vcd/fiql.h"
#include "vcd/vappxml.h"

#include <QJsonArray>
#include <QPointer>
#include <QTimer>

namespace cse::server {

namespace xml = vcd::xml;

namespace {

const QString kClusterKey = QStringLiteral("cse.clusterId");
const QString kRoleKey = QStringLiteral("cse.role");
const QString kCapvcdKey = QStringLiteral("CapvcdInfraId");

QString uuidOf(const QString &idOrHref)
{
    const qsizetype colon = idOrHref.lastIndexOf(QLatin1Char(':'));
    const qsizetype dash = idOrHref.lastIndexOf(QLatin1String("vapp-"));
    if (dash >= 0)
        return idOrHref.mid(dash + 5);
    return idOrHref.mid(colon + 1);
}

QString vappPath(const QString &vappId) { return QStringLiteral("/api/vApp/vapp-") + uuidOf(vappId); }

vcd::RequestSpec xmlRequest(const QByteArray &method, const QString &href, const QByteArray &body = {}, const char *contentType = nullptr)
{
    vcd::RequestSpec s;
    s.method = method;
    const QUrl u(href);
    s.path = u.isRelative() ? href : u.path();
    if (u.hasQuery())
        s.query = QUrlQuery(u);
    s.body = body;
    // The client adds its negotiated API version to both (vcd::Client::dispatch).
    if (contentType)
        s.contentType = QByteArray(contentType);
    s.accept = QByteArray(xml::mime::kAnyXml);
    // Mutations answer with a Task; repeating one blindly could act twice.
    s.idempotent = method == "GET";
    return s;
}

} // namespace

struct VappInfrastructure::Owner
{
    std::unique_ptr<vcd::Client> client;
    QString clusterName, orgName, username, capiYaml, vdc, network, sizingPolicy, templateName, catalog, storageProfile, ns;
    QString token;
    QJsonObject bootstrapConfig;
};

VappInfrastructure::VappInfrastructure(vcd::Client *client, int taskPollMs) : m_client(client), m_taskPollMs(taskPollMs) {}

VappInfrastructure::~VappInfrastructure() = default;

// ---- plumbing ----

void VappInfrastructure::owner(const QString &clusterId, Done<Owner *> done)
{
    if (auto it = m_owners.find(clusterId); it != m_owners.end())
        return done(it->second.get());
    m_client->getFullEntity(clusterId, [this, clusterId, done](Result<rde::DefinedEntity> e) {
        if (!e)
            return done(e.error());
        const rde::Cluster c(e->entity);
        const QString token = json::get(e->entity, {QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("secure"),
                                                    QStringLiteral("apiToken")}).toString();
        if (token.isEmpty())
            return done(makeError(ErrorKind::Invalid, QStringLiteral("spec.vcdKe.secure.apiToken is empty: the server acts as the "
                                                                     "cluster's owner and needs the owner's API token")));
        auto summary = rde::parseCapiYaml(c.capiYaml());
        if (!summary)
            return done(summary.error());
        auto o = std::make_unique<Owner>();
        vcd::ConnectionOptions opts = m_client->options();
        opts.org = e->org.name.isEmpty() ? c.orgName() : e->org.name;
        opts.user.clear();
        opts.password.clear();
        opts.apiToken = token;
        opts.tenantContext.clear();
        o->client = std::make_unique<vcd::Client>(opts);
        o->token = token;
        o->clusterName = c.name();
        o->orgName = opts.org;
        o->username = e->owner.name;
        o->capiYaml = c.capiYaml();
        o->vdc = summary->vdc.isEmpty() ? c.vdcName() : summary->vdc;
        o->network = summary->network;
        o->storageProfile = summary->controlPlane.storageProfile;
        // The bootstrap VM runs the control plane's template (the cluster's TKG OVA).
        o->templateName = summary->controlPlane.templateName;
        o->catalog = summary->controlPlane.catalog;
        if (o->templateName.isEmpty())
            if (const rde::KubernetesRelease *rel = rde::findRelease(summary->kubernetesVersion))
                o->templateName = rel->ovaTemplate();
        o->ns = summary->ns;
        // Drops an owner's connection from within its own callback: counted, deleted later.
        auto retire = [this](Owner *ow) {
            m_retired.add(ow->client->stats());
            ow->client.release()->deleteLater();
        };
        auto ready = [this, clusterId, retire, done](std::unique_ptr<Owner> owner) {
            std::unique_ptr<Owner> &slot = m_owners[clusterId];
            if (slot) { // two first uses raced: keep the one already handed out (calls may be using it)
                retire(owner.get());
                return done(slot.get());
            }
            slot = std::move(owner);
            done(slot.get());
        };
        // The owner's token must be a token of a user of the cluster's org:
        // log in with it and read the session before any vApp call. A token
        // of another org (the System org's above all: a tenant could take it
        // from the entity) is refused for good, never used for this org.
        auto finish = [this, ready, retire, done](std::unique_ptr<Owner> owner) {
            auto shared = std::make_shared<std::unique_ptr<Owner>>(std::move(owner));
            vcd::Client *client = (*shared)->client.get();
            auto refuse = [shared, retire, done](const QString &sessionOrg, const QString &why) {
                Owner *ow = shared->get();
                qCWarning(lcServer).noquote() << "cluster" << quoteTenant(ow->clusterName) << "holds an API token that is not a token of"
                                              << "a user of its org" << quoteTenant(ow->orgName)
                                              << (sessionOrg.isEmpty() ? QStringLiteral("(refused by the org's token exchange)")
                                                                       : QStringLiteral("(its session is in org %1)").arg(quoteTenant(sessionOrg)))
                                              << "- a System-org token must never be stored in a tenant's cluster";
                Error e = makeError(ErrorKind::Forbidden,
                                    QStringLiteral("spec.vcdKe.secure.apiToken is not an API token of a user of org %1: the server acts "
                                                   "only as a user of the cluster's own org (%2)").arg(ow->orgName, why));
                e.minorErrorCode = QStringLiteral("OWNER_TOKEN_NOT_OF_ORG");
                retire(ow);
                done(e);
            };
            client->connectToSite([this, shared, ready, refuse, retire, done](Result<void> login) {
                Owner *ow = shared->get();
                if (!login && (login.error().is(ErrorKind::Invalid) || login.error().is(ErrorKind::Unauthorized)))
                    return refuse(QString(), login.error().toString()); // invalid_grant: another org's token
                if (!login) {
                    retire(ow);
                    return done(login.error()); // unreachable and the like: tried again
                }
                vcd::RequestSpec current = vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/sessions/current"));
                send(ow, current, [shared, ready, refuse, retire, done](Result<vcd::Reply> r) {
                    Owner *ow = shared->get();
                    if (!r) {
                        retire(ow);
                        return done(r.error());
                    }
                    const QString sessionOrg = r->json().value(QLatin1String("org")).toObject().value(QLatin1String("name")).toString();
                    if (sessionOrg.compare(ow->orgName, Qt::CaseInsensitive) != 0)
                        return refuse(sessionOrg, QStringLiteral("its session is in org %1").arg(sessionOrg));
                    ready(std::move(*shared));
                });
            });
        };
        if (!m_bootstrapConfig.isEmpty()) {
            o->bootstrapConfig = m_bootstrapConfig;
            o->sizingPolicy = o->bootstrapConfig.value(QLatin1String("sizingPolicy")).toString();
            return finish(std::move(o));
        }
        vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1"));
        q.filter = vcd::fiql::eq(QStringLiteral("name"), rde::types::kConfigEntityName);
        auto shared = std::make_shared<std::unique_ptr<Owner>>(std::move(o));
        m_client->listEntities(q, [this, shared, finish](Result<QList<rde::DefinedEntity>> list) {
            if (list && !list->isEmpty()) {
                // The active profile is the first (VCDKEConfig profiles[0]).
                m_bootstrapConfig = list->first().entity.value(QLatin1String("profiles")).toArray().first().toObject()
                                        .value(QLatin1String("bootstrapClusterConfig")).toObject();
            }
            (*shared)->bootstrapConfig = m_bootstrapConfig;
            (*shared)->sizingPolicy = m_bootstrapConfig.value(QLatin1String("sizingPolicy")).toString();
            finish(std::move(*shared));
        });
    });
}

void VappInfrastructure::forget(const QString &clusterId, const Error &e)
{
    if (!e.is(ErrorKind::Unauthorized))
        return;
    // The token may have been rotated: read it again next time.
    if (auto it = m_owners.find(clusterId); it != m_owners.end()) {
        m_retired.add(it->second->client->stats());
        m_owners.erase(it);
    }
}

vcd::RequestStats VappInfrastructure::requestStats() const
{
    vcd::RequestStats sum = m_retired;
    for (const auto &o : m_owners)
        if (o.second->client)
            sum.add(o.second->client->stats());
    return sum;
}

void Infrastructure::listAsOwner(const QString &, vcd::RequestSpec, Done<QList<QJsonObject>> done)
{
    done(makeError(ErrorKind::Invalid, QStringLiteral("this infrastructure has no owner connection")));
}

void VappInfrastructure::listAsOwner(const QString &clusterId, vcd::RequestSpec first, Done<QList<QJsonObject>> done)
{
    owner(clusterId, [first = std::move(first), done](Result<Owner *> o) mutable {
        if (!o)
            return done(o.error());
        (*o)->client->listValues(std::move(first), [done](Result<QList<QJsonObject>> r) { done(std::move(r)); });
    });
}

void VappInfrastructure::send(Owner *o, vcd::RequestSpec spec, Done<vcd::Reply> done)
{
    o->client->send(std::move(spec), [done](Result<vcd::Reply> r) { done(std::move(r)); });
}

void VappInfrastructure::waitTask(Owner *o, const QString &href, Done<void> done, int polls)
{
    send(o, xmlRequest("GET", href), [this, o, href, done, polls](Result<vcd::Reply> r) {
        if (!r)
            return done(r.error());
        auto t = xml::readTask(r->body);
        if (!t)
            return done(t.error());
        if (t->succeeded())
            return done({});
        if (!t->running()) {
            Error e = makeError(ErrorKind::ServerError, t->hasError ? t->error.message : QStringLiteral("task %1 ended %2").arg(t->operationName, t->status));
            e.operation = t->operationName;
            return done(e);
        }
        if (polls > 3600)
            return done(makeError(ErrorKind::Unreachable, QStringLiteral("task %1 did not end").arg(t->operationName)));
        // Short tasks end quickly: poll after 50 ms, doubling up to the configured interval (govcd: 3 s).
        const int delay = int(qMin<qint64>(m_taskPollMs, qint64(50) << qMin(polls, 10)));
        QTimer::singleShot(delay, o->client.get(), [this, o, href, done, polls] { waitTask(o, href, done, polls + 1); });
    });
}

void VappInfrastructure::mutate(Owner *o, vcd::RequestSpec spec, Done<void> done)
{
    send(o, std::move(spec), [this, o, done](Result<vcd::Reply> r) {
        if (!r)
            return done(r.error());
        auto t = xml::readTask(r->body);
        if (!t)
            return done(t.error());
        waitTask(o, t->href, done);
    });
}

// The query service (GET /api/query), one page of TYPE records matching FILTER.
// A filter value is matched by VCD with '*' as a wildcard and no way to
// quote it, so callers match what comes back exactly (exactly()) and build
// filters only from values VCD assigned (entity ids) or that they check.
void VappInfrastructure::query(Owner *o, const QString &type, const QString &filter, Done<QList<QXmlStreamAttributes>> done)
{
    vcd::RequestSpec s = xmlRequest("GET", QStringLiteral("/api/query"));
    s.query.addQueryItem(QStringLiteral("type"), type);
    s.query.addQueryItem(QStringLiteral("filter"), filter); // the client sends '+' as %2B
    o->client->listRecords(s, [done](Result<QList<QXmlStreamAttributes>> records) { done(std::move(records)); });
}

namespace {

// The records whose FIELD is exactly VALUE (a filter's '*' matches more).
QList<QXmlStreamAttributes> exactly(const QList<QXmlStreamAttributes> &records, const QString &field, const QString &value)
{
    QList<QXmlStreamAttributes> out;
    for (const QXmlStreamAttributes &rec : records)
        if (rec.value(field) == value)
            out.append(rec);
    return out;
}

QStringList hrefsOf(const QList<QXmlStreamAttributes> &records)
{
    QStringList out;
    for (const QXmlStreamAttributes &rec : records)
        out.append(rec.value(QStringLiteral("href")).toString());
    return out;
}

} // namespace

// vApps whose metadata KEY names the cluster (an id VCD assigned: no wildcard).
void VappInfrastructure::taggedVapps(Owner *o, const QString &key, const QString &clusterId, Done<QStringList> done)
{
    query(o, QStringLiteral("vApp"), QStringLiteral("metadata:%1==STRING:%2").arg(key, clusterId), [done](Result<QList<QXmlStreamAttributes>> r) {
        if (!r)
            return done(r.error());
        done(hrefsOf(*r));
    });
}

// The vApp named exactly as the cluster's bootstrap vApp, when its metadata
// names this cluster or no cluster at all (composed by a replica that died
// before tagging it). ADOPT tags an untagged one with the cluster's id first,
// so what is removed always names the cluster.
void VappInfrastructure::namedBootstrap(Owner *o, const QString &clusterId, bool adopt, Done<QStringList> done)
{
    const QString name = bootstrapName(o->clusterName);
    query(o, QStringLiteral("vApp"), QStringLiteral("name==") + name, [=](Result<QList<QXmlStreamAttributes>> r) {
        if (!r)
            return done(r.error());
        const QStringList hrefs = hrefsOf(exactly(*r, QStringLiteral("name"), name));
        if (hrefs.isEmpty())
            return done(QStringList());
        const QString href = hrefs.first(); // vApp names are unique in a VDC
        send(o, xmlRequest("GET", href + QStringLiteral("/metadata")), [=](Result<vcd::Reply> mr) {
            if (!mr)
                return done(mr.error().is(ErrorKind::Forbidden) || mr.error().is(ErrorKind::NotFound) ? Result<QStringList>(QStringList())
                                                                                                     : Result<QStringList>(mr.error()));
            auto md = xml::readMetadata(mr->body);
            if (!md)
                return done(md.error());
            QString taggedFor;
            for (const xml::KeyValue &kv : *md)
                if (kv.key == kClusterKey)
                    taggedFor = kv.value;
            if (taggedFor == clusterId)
                return done(QStringList{href});
            if (!taggedFor.isEmpty())
                return done(QStringList()); // another cluster's
            if (!adopt)
                return done(QStringList{href});
            mutate(o, xmlRequest("PUT", href + QStringLiteral("/metadata/") + kClusterKey, xml::writeMetadataValue(clusterId),
                                 xml::mime::kMetadataValue),
                   [href, done](Result<void> t) {
                       if (!t)
                           return done(t.error());
                       done(QStringList{href});
                   });
        });
    });
}

void VappInfrastructure::readVapp(Owner *o, const QString &href, Done<xml::VApp> done)
{
    send(o, xmlRequest("GET", href), [this, o, done](Result<vcd::Reply> r) {
        if (!r)
            return done(r.error());
        auto v = xml::readVApp(r->body);
        if (!v)
            return done(v.error());
        if (v->vms.isEmpty())
            return done(*v);
        // Guest keys (ExtraConfig) are read from the VM's own href, as CAPVCD
        // does (vcdsdk pkg/vcdsdk/vapp.go): the vApp's Children view need not
        // carry them.
        const xml::VApp vapp = *v;
        send(o, xmlRequest("GET", vapp.vms.first().href), [vapp, done](Result<vcd::Reply> vr) {
            if (!vr)
                return done(vr.error());
            auto vm = xml::readVm(vr->body);
            if (!vm)
                return done(vm.error());
            xml::VApp full = vapp;
            full.vms.first() = *vm;
            done(full);
        });
    });
}

void VappInfrastructure::bootstrapVapp(Owner *o, const QString &clusterId, Done<std::optional<xml::VApp>> done)
{
    auto read = [this, o, done](const QStringList &hrefs) {
        if (hrefs.isEmpty())
            return done(std::optional<xml::VApp>());
        readVapp(o, hrefs.first(), [done](Result<xml::VApp> v) {
            if (!v)
                return done(v.error().is(ErrorKind::Forbidden) || v.error().is(ErrorKind::NotFound) ? Result<std::optional<xml::VApp>>(std::optional<xml::VApp>())
                                                                                                   : Result<std::optional<xml::VApp>>(v.error()));
            done(std::optional<xml::VApp>(*v));
        });
    };
    // By the metadata naming the cluster; a vApp composed by a replica that
    // died before tagging it is found by its exact name and adopted.
    taggedVapps(o, kClusterKey, clusterId, [this, o, clusterId, read, done](Result<QStringList> tagged) {
        if (!tagged)
            return done(tagged.error());
        if (!tagged->isEmpty())
            return read(*tagged);
        namedBootstrap(o, clusterId, false, [read, done](Result<QStringList> named) {
            if (!named)
                return done(named.error());
            read(*named);
        });
    });
}

QString VappInfrastructure::bootstrapName(const QString &clusterName) { return QStringLiteral("EPHEMERAL-TEMP-VM-") + clusterName; }

VmInfo VappInfrastructure::infoOf(const xml::VApp &v)
{
    const bool complete = !v.vms.isEmpty() && v.vms.first().hasExtraConfig(guestinfo::kUserData);
    return VmInfo{v.id, v.name, QStringLiteral("bootstrap"),
                  v.status == xml::status::kPoweredOn ? QStringLiteral("poweredOn") : complete ? QStringLiteral("created")
                                                                                              : QStringLiteral("incomplete")};
}

// ---- the interface ----

void VappInfrastructure::findBootstrapVm(const QString &clusterId, Done<std::optional<VmInfo>> done)
{
    owner(clusterId, [this, clusterId, done](Result<Owner *> o) {
        if (!o)
            return done(o.error());
        bootstrapVapp(*o, clusterId, [this, clusterId, done](Result<std::optional<xml::VApp>> v) {
            if (!v) {
                forget(clusterId, v.error());
                return done(v.error());
            }
            if (!v->has_value())
                return done(std::optional<VmInfo>());
            const VmInfo info = infoOf(**v);
            if (info.state == QLatin1String("incomplete"))
                return done(std::optional<VmInfo>()); // createBootstrapVm finishes it
            done(std::optional<VmInfo>(info));
        });
    });
}

void VappInfrastructure::createBootstrapVm(const QString &clusterId, const QString &name, Done<VmInfo> done)
{
    Q_UNUSED(name); // the vApp name is derived from the cluster name, so a successor finds it
    owner(clusterId, [this, clusterId, done](Result<Owner *> or_) {
        if (!or_)
            return done(or_.error());
        Owner *o = *or_;
        auto fail = [this, clusterId, done](const Error &e) {
            forget(clusterId, e);
            done(e);
        };
        // 1. the org's VDC of the cluster, its network and storage profile
        send(o, xmlRequest("GET", QStringLiteral("/api/org/")), [=](Result<vcd::Reply> orgs) {
            if (!orgs)
                return fail(orgs.error());
            auto list = xml::parse(orgs->body);
            if (!list)
                return fail(list.error());
            QString orgHref;
            for (const xml::Node *n : list->childrenNamed(QStringLiteral("Org")))
                if (n->attr(QStringLiteral("name")).compare(o->orgName, Qt::CaseInsensitive) == 0)
                    orgHref = n->attr(QStringLiteral("href"));
            if (orgHref.isEmpty())
                return fail(makeError(ErrorKind::NotFound, QStringLiteral("org %1 is not visible to the cluster's owner").arg(o->orgName)));
            send(o, xmlRequest("GET", orgHref), [=](Result<vcd::Reply> orgReply) {
                if (!orgReply)
                    return fail(orgReply.error());
                auto org = xml::readOrg(orgReply->body);
                if (!org)
                    return fail(org.error());
                QString vdcHref;
                for (const xml::Link &l : org->links)
                    if (l.type == QLatin1String(xml::mime::kVdc) && l.name == o->vdc)
                        vdcHref = l.href;
                if (vdcHref.isEmpty())
                    return fail(makeError(ErrorKind::Invalid, QStringLiteral("VDC %1 is not in org %2").arg(o->vdc, o->orgName)));
                send(o, xmlRequest("GET", vdcHref), [=](Result<vcd::Reply> vdcReply) {
                    if (!vdcReply)
                        return fail(vdcReply.error());
                    auto vdc = xml::readVdc(vdcReply->body);
                    if (!vdc)
                        return fail(vdc.error());
                    QString netHref, spHref, spName;
                    for (const xml::Ref &n : vdc->networks)
                        if (n.name == o->network)
                            netHref = n.href;
                    for (const xml::Ref &sp : vdc->storageProfiles)
                        if (spHref.isEmpty() || sp.name == o->storageProfile) {
                            spHref = sp.href;
                            spName = sp.name;
                        }
                    if (netHref.isEmpty())
                        return fail(makeError(ErrorKind::Invalid, QStringLiteral("network %1 is not in VDC %2").arg(o->network, o->vdc)));
                    createInVdc(o, clusterId, *vdc, netHref, spHref, spName, done, fail);
                });
            });
        });
    });
}

void VappInfrastructure::createInVdc(Owner *o, const QString &clusterId, const xml::Vdc &vdc, const QString &netHref,
                                     const QString &spHref, const QString &spName, Done<VmInfo> done,
                                     std::function<void(const Error &)> fail)
{
    // 2. the template VM and the sizing policy
    // The capiYaml's VCDMachineTemplate names catalog and template (as
    // CAPVCD reads them); the lookup is govcd's (catalogitem.go):
    // catalogName==C;name==T, matched exactly.
    QString filter = QStringLiteral("name==") + o->templateName;
    if (!o->catalog.isEmpty())
        filter = QStringLiteral("catalogName==%1;%2").arg(o->catalog, filter);
    query(o, QStringLiteral("vAppTemplate"), filter, [=](Result<QList<QXmlStreamAttributes>> qr) {
        if (!qr)
            return fail(qr.error());
        QList<QXmlStreamAttributes> records = exactly(*qr, QStringLiteral("name"), o->templateName);
        if (!o->catalog.isEmpty())
            records = exactly(records, QStringLiteral("catalogName"), o->catalog);
        if (records.isEmpty())
            return fail(makeError(ErrorKind::Invalid, QStringLiteral("no vApp template \"%1\" in catalog \"%2\" that the owner can read "
                                                                     "(capiYaml VCDMachineTemplate)").arg(o->templateName, o->catalog)));
        send(o, xmlRequest("GET", records.first().value(QStringLiteral("href")).toString()), [=](Result<vcd::Reply> tr) {
            if (!tr)
                return fail(tr.error());
            auto tmpl = xml::readVAppTemplate(tr->body);
            if (!tmpl)
                return fail(tmpl.error());
            if (tmpl->vms.isEmpty() || tmpl->status != xml::status::kPoweredOff)
                return fail(makeError(ErrorKind::Invalid, QStringLiteral("vApp template %1 is not ready (status %2)").arg(tmpl->name).arg(tmpl->status)));
            const QString sourceHref = tmpl->vms.first().href;
            vcd::RequestSpec p = vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/vdcComputePolicies"));
            p.query.addQueryItem(QStringLiteral("filter"), QStringLiteral("name==") + o->sizingPolicy);
            o->client->listValues(p, [=](Result<QList<QJsonObject>> pr) {
                if (!pr)
                    return fail(pr.error());
                QString policy;
                for (const QJsonObject &v : std::as_const(*pr))
                    policy = v.value(QLatin1String("id")).toString();
                if (policy.isEmpty() && !o->sizingPolicy.isEmpty())
                    return fail(makeError(ErrorKind::Invalid, QStringLiteral("sizing policy \"%1\" (VCDKEConfig bootstrapClusterConfig) is not "
                                                                             "available to the owner").arg(o->sizingPolicy)));
                // 3. the vApp: an existing one is resumed, else composed
                bootstrapVapp(o, clusterId, [=](Result<std::optional<xml::VApp>> existing) {
                    if (!existing)
                        return fail(existing.error());
                    auto withVapp = [=](const QString &vappHref) {
                        tagAndFill(o, clusterId, vappHref, netHref, sourceHref, policy, spHref, spName, done, fail);
                    };
                    if (existing->has_value())
                        return withVapp((*existing)->href);
                    QString composeHref = vdc.href + QStringLiteral("/action/composeVApp");
                    for (const xml::Link &l : vdc.links)
                        if (l.rel == QLatin1String("add") && l.type == QLatin1String(xml::mime::kComposeVAppParams))
                            composeHref = l.href;
                    send(o, xmlRequest("POST", composeHref,
                                       xml::writeComposeVAppParams({bootstrapName(o->clusterName),
                                                                    QStringLiteral("CSE bootstrap VM of cluster %1").arg(clusterId), false, false}),
                                       xml::mime::kComposeVAppParams),
                         [=](Result<vcd::Reply> composed) {
                             if (!composed)
                                 return fail(composed.error());
                             auto v = xml::readVApp(composed->body);
                             if (!v)
                                 return fail(v.error());
                             qCInfo(lcServer).noquote() << "composed bootstrap vApp" << v->name << v->id;
                             if (v->tasks.isEmpty())
                                 return withVapp(v->href);
                             waitTask(o, v->tasks.first().href, [=](Result<void> t) {
                                 if (!t)
                                     return fail(t.error());
                                 withVapp(v->href);
                             });
                         });
                });
            });
        });
    });
}

void VappInfrastructure::tagAndFill(Owner *o, const QString &clusterId, const QString &vappHref, const QString &netHref,
                                    const QString &sourceHref, const QString &policy, const QString &spHref, const QString &spName,
                                    Done<VmInfo> done, std::function<void(const Error &)> fail)
{
    readVapp(o, vappHref, [=](Result<xml::VApp> v) {
        if (!v)
            return fail(v.error());
        const xml::VApp vapp = *v;
        auto next = [=](Result<void> step) {
            if (!step)
                return fail(step.error());
            tagAndFill(o, clusterId, vappHref, netHref, sourceHref, policy, spHref, spName, done, fail);
        };
        // 4. metadata naming the cluster (orphans can be found and removed).
        // The whole list is read, as CAPVCD does (vcdsdk vapp.go): GET of one
        // key the vApp lacks answers 403 on VCD, like a missing right.
        send(o, xmlRequest("GET", vappHref + QStringLiteral("/metadata")), [=](Result<vcd::Reply> mdReply) {
            if (!mdReply)
                return fail(mdReply.error());
            auto md = xml::readMetadata(mdReply->body);
            if (!md)
                return fail(md.error());
            bool tagged = false;
            for (const xml::KeyValue &kv : *md)
                tagged = tagged || kv.key == kRoleKey;
            if (!tagged) {
                return mutate(o, xmlRequest("PUT", vappHref + QStringLiteral("/metadata/") + kClusterKey, xml::writeMetadataValue(clusterId),
                                            xml::mime::kMetadataValue),
                              [=](Result<void> t) {
                                  if (!t)
                                      return fail(t.error());
                                  mutate(o, xmlRequest("PUT", vappHref + QStringLiteral("/metadata/") + kRoleKey,
                                                       xml::writeMetadataValue(QStringLiteral("bootstrap")), xml::mime::kMetadataValue),
                                         next);
                              });
            }
            // 5. the org network
            if (vapp.networkName != o->network)
                return mutate(o, xmlRequest("PUT", vappHref + QStringLiteral("/networkConfigSection/"),
                                            xml::writeNetworkConfigSection({o->network, netHref}), xml::mime::kNetworkConfigSection),
                              next);
            // 6. the VM from the template
            if (vapp.vms.isEmpty()) {
                xml::SourcedVm item;
                item.sourceHref = sourceHref;
                item.name = QStringLiteral("bootstrap-vm");
                item.computerName = QStringLiteral("bootstrap-vm");
                item.networkName = o->network;
                item.storageProfileHref = spHref;
                item.storageProfileName = spName;
                item.sizingPolicyHref = policy;
                item.customizationScript = QStringLiteral("#!/usr/bin/env bash\nmkdir -p /etc/cloud/cloud.cfg.d\n"
                                                          "echo 'datasource_list: [ \"VMware\" ]' > /etc/cloud/cloud.cfg.d/98-cse-vmware-datasource.cfg\n");
                return mutate(o, xmlRequest("POST", vappHref + QStringLiteral("/action/recomposeVApp"),
                                            xml::writeRecomposeVAppParams({vapp.name, {item}}), xml::mime::kRecomposeVAppParams),
                              next);
            }
            const xml::Vm vm = vapp.vms.first();
            if (vm.status == xml::status::kUnresolved) // still being created by a predecessor's task
                return QTimer::singleShot(m_taskPollMs, o->client.get(), [next] { next({}); });
            // 7. cloud-init in ExtraConfig guestinfo.userdata
            if (!vm.hasExtraConfig(guestinfo::kUserData)) {
                BootstrapInputs in;
                in.clusterId = clusterId;
                in.clusterName = o->clusterName;
                in.clusterNamespace = o->ns;
                in.capiYaml = o->capiYaml;
                in.username = o->username;
                in.bootstrapClusterConfig = o->bootstrapConfig;
                auto cloudConfig = renderBootstrapCloudConfig(in);
                if (!cloudConfig)
                    return fail(cloudConfig.error());
                return setExtraConfig(o, vm.href, {{guestinfo::kUserData, QString::fromLatin1(cloudConfig->toBase64())},
                                                   {guestinfo::kUserDataEncoding, QStringLiteral("base64")},
                                                   {guestinfo::kCredential, o->token},
                                                   {QStringLiteral("disk.enableUUID"), QStringLiteral("1")}},
                                      next);
            }
            done(infoOf(vapp));
        });
    });
}

// GET the VM's hardware section, merge CHANGES into its ExtraConfig and PUT
// it whole: VCD replaces the VM's hardware with the body (govcd vm.go does
// the same read-modify-write).
void VappInfrastructure::setExtraConfig(Owner *o, const QString &vmHref, const QList<xml::KeyValue> &changes, Done<void> done)
{
    const QString sectionHref = vmHref + QStringLiteral("/virtualHardwareSection/");
    send(o, xmlRequest("GET", sectionHref), [this, o, sectionHref, changes, done](Result<vcd::Reply> r) {
        if (!r)
            return done(r.error());
        auto section = xml::readVirtualHardwareSection(r->body);
        if (!section)
            return done(section.error());
        mutate(o, xmlRequest("PUT", sectionHref, xml::writeVirtualHardwareSection(*section, changes), xml::mime::kVirtualHardwareSection),
               done);
    });
}

void VappInfrastructure::powerOn(const QString &clusterId, const QString &vmId, Done<void> done)
{
    owner(clusterId, [this, vmId, done](Result<Owner *> o) {
        if (!o)
            return done(o.error());
        mutate(*o, xmlRequest("POST", vappPath(vmId) + QStringLiteral("/power/action/powerOn")), done);
    });
}

void VappInfrastructure::state(const QString &clusterId, Done<InfraState> done)
{
    owner(clusterId, [this, clusterId, done](Result<Owner *> or_) {
        if (!or_)
            return done(or_.error());
        Owner *o = *or_;
        bootstrapVapp(o, clusterId, [this, o, clusterId, done](Result<std::optional<xml::VApp>> v) {
            if (!v) {
                forget(clusterId, v.error());
                return done(v.error());
            }
            if (v->has_value() && !(*v)->vms.isEmpty()) {
                const xml::Vm &vm = (*v)->vms.first();
                InfraState s;
                s.exists = true;
                for (const QString &p : guestinfo::phases())
                    if (vm.extraConfigValue(guestinfo::phaseKey(p)) == guestinfo::kSuccessful)
                        s.phasesDone << p;
                s.applied = s.phasesDone.contains(QStringLiteral("capiyaml"));
                s.pivoted = s.phasesDone.contains(QStringLiteral("move"));
                const QString status = vm.extraConfigValue(guestinfo::kScriptStatus);
                if (!status.isEmpty() && status != QLatin1String("0")) {
                    for (const QString &p : guestinfo::phases())
                        if (!s.phasesDone.contains(p) && s.failedStep.isEmpty())
                            s.failedStep = p;
                    s.failureReason = vm.extraConfigValue(guestinfo::kFailureReason);
                    if (s.failureReason.isEmpty())
                        s.failureReason = QStringLiteral("the bootstrap script exited %1").arg(status);
                }
                for (const QString &p : guestinfo::phases()) {
                    const QString value = vm.extraConfigValue(guestinfo::phaseKey(p));
                    if (!value.isEmpty() && value != guestinfo::kInProgress && value != guestinfo::kSuccessful && s.failedStep.isEmpty()) {
                        s.failedStep = p;
                        s.failureReason = QStringLiteral("phase %1 reported \"%2\"").arg(p, value);
                    }
                }
                return done(s);
            }
            // No bootstrap VM: the cluster's own vApp tells whether anything exists.
            taggedVapps(o, kCapvcdKey, clusterId, [done](Result<QStringList> nodes) {
                if (!nodes)
                    return done(nodes.error());
                InfraState s;
                s.exists = !nodes->isEmpty();
                done(s);
            });
        });
    });
}

void VappInfrastructure::removeVapp(Owner *o, const QString &href, Done<void> done)
{
    send(o, xmlRequest("GET", href), [this, o, href, done](Result<vcd::Reply> r) {
        if (!r) {
            if (r.error().is(ErrorKind::Forbidden) || r.error().is(ErrorKind::NotFound))
                return done({}); // gone already
            return done(r.error());
        }
        auto v = xml::readVApp(r->body);
        if (!v)
            return done(v.error());
        auto del = [this, o, href, done] {
            mutate(o, xmlRequest("DELETE", href), [done](Result<void> d) {
                if (!d && (d.error().is(ErrorKind::Forbidden) || d.error().is(ErrorKind::NotFound)))
                    return done({});
                done(d);
            });
        };
        if (!v->deployed)
            return del();
        mutate(o, xmlRequest("POST", href + QStringLiteral("/action/undeploy"), xml::writeUndeployVAppParams(), xml::mime::kUndeployVAppParams),
               [del, done](Result<void> u) {
                   if (!u && !u.error().is(ErrorKind::Invalid)) // "not deployed" (400): delete directly
                       return done(u.error());
                   del();
               });
    });
}

void VappInfrastructure::deleteVm(const QString &clusterId, const QString &vmId, Done<void> done)
{
    owner(clusterId, [this, vmId, done](Result<Owner *> o) {
        if (!o)
            return done(o.error());
        removeVapp(*o, vappPath(vmId), done);
    });
}

void VappInfrastructure::deleteEverything(const QString &clusterId, Done<void> done)
{
    owner(clusterId, [this, clusterId, done](Result<Owner *> or_) {
        if (!or_)
            return done(or_.error());
        removeRounds(*or_, clusterId, 0, done);
    });
}

// Every vApp of the cluster, the bootstrap ones first: removing the bootstrap
// VM stops the Cluster API controllers in it, which may still be making a node.
void VappInfrastructure::clusterVapps(Owner *o, const QString &clusterId, Done<QStringList> done)
{
    taggedVapps(o, kClusterKey, clusterId, [=](Result<QStringList> mine) {
        if (!mine)
            return done(mine.error());
        namedBootstrap(o, clusterId, true, [=](Result<QStringList> named) {
            if (!named)
                return done(named.error());
            taggedVapps(o, kCapvcdKey, clusterId, [=](Result<QStringList> nodes) {
                if (!nodes)
                    return done(nodes.error());
                QStringList all = *mine + *named + *nodes;
                all.removeDuplicates();
                done(all);
            });
        });
    });
}

// Removes what the list shows, then lists again: a node made while the first
// list was taken would otherwise outlive its cluster. Done only once a list
// comes back empty; vApps that keep appearing are a Conflict (tried again later).
void VappInfrastructure::removeRounds(Owner *o, const QString &clusterId, int round, Done<void> done)
{
    clusterVapps(o, clusterId, [=](Result<QStringList> all) {
        if (!all)
            return done(all.error());
        if (all->isEmpty())
            return done({});
        if (round >= 3)
            return done(makeError(ErrorKind::Conflict, QStringLiteral("%1 vApp(s) of the cluster are still being made").arg(all->size())));
        removeAll(o, *all, [=](Result<void> r) {
            if (!r)
                return done(r.error());
            removeRounds(o, clusterId, round + 1, done);
        });
    });
}

void VappInfrastructure::removeAll(Owner *o, QStringList hrefs, Done<void> done)
{
    if (hrefs.isEmpty())
        return done({});
    const QString href = hrefs.takeFirst();
    removeVapp(o, href, [this, o, hrefs, done](Result<void> r) {
        if (!r)
            return done(r.error());
        removeAll(o, hrefs, done);
    });
}

} // namespace cse::server
