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
    if (contentType)
        s.contentType = QByteArray(contentType) + ";version=37.2";
    s.accept = QByteArray(xml::mime::kAnyXml) + ";version=37.2";
    // Mutations answer with a Task; repeating one blindly could act twice.
    s.idempotent = method == "GET";
    return s;
}

} // namespace

struct VappInfrastructure::Owner
{
    std::unique_ptr<vcd::Client> client;
    QString clusterName, orgName, username, capiYaml, vdc, network, sizingPolicy, templateName, storageProfile, ns;
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
        const rde::KubernetesRelease *rel = rde::findRelease(summary->kubernetesVersion);
        o->templateName = rel ? rel->ovaTemplate() : QString();
        o->ns = summary->ns;
        auto finish = [this, clusterId, done](std::unique_ptr<Owner> owner) {
            std::unique_ptr<Owner> &slot = m_owners[clusterId];
            if (slot) { // two first uses raced: keep the one already handed out (calls may be using it)
                m_retired.add(owner->client->stats());
                return done(slot.get());
            }
            slot = std::move(owner);
            done(slot.get());
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

void VappInfrastructure::queryVapps(Owner *o, const QString &filter, Done<QList<QString>> done)
{
    vcd::RequestSpec s = xmlRequest("GET", QStringLiteral("/api/query"));
    s.query.addQueryItem(QStringLiteral("type"), QStringLiteral("vApp"));
    s.query.addQueryItem(QStringLiteral("filter"), filter);
    o->client->listRecords(s, [done](Result<QList<QXmlStreamAttributes>> records) {
        if (!records)
            return done(records.error());
        QList<QString> hrefs;
        for (const QXmlStreamAttributes &rec : std::as_const(*records))
            hrefs.append(rec.value(QStringLiteral("href")).toString());
        done(hrefs);
    });
}

void VappInfrastructure::bootstrapVapp(Owner *o, const QString &clusterId, Done<std::optional<xml::VApp>> done)
{
    auto read = [this, o, done](const QList<QString> &hrefs) {
        if (hrefs.isEmpty())
            return done(std::optional<xml::VApp>());
        send(o, xmlRequest("GET", hrefs.first()), [done](Result<vcd::Reply> r) {
            if (!r)
                return done(r.error().is(ErrorKind::Forbidden) || r.error().is(ErrorKind::NotFound) ? Result<std::optional<xml::VApp>>(std::optional<xml::VApp>())
                                                                                                   : Result<std::optional<xml::VApp>>(r.error()));
            auto v = xml::readVApp(r->body);
            if (!v)
                return done(v.error());
            done(std::optional<xml::VApp>(*v));
        });
    };
    // By the metadata naming the cluster; a vApp composed by a replica that
    // died before tagging it is found by its name and adopted.
    queryVapps(o, QStringLiteral("metadata:%1==STRING:%2").arg(kClusterKey, clusterId), [this, o, read, done](Result<QList<QString>> tagged) {
        if (!tagged)
            return done(tagged.error());
        if (!tagged->isEmpty())
            return read(*tagged);
        queryVapps(o, QStringLiteral("name==") + bootstrapName(o->clusterName), [read, done](Result<QList<QString>> named) {
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
    vcd::RequestSpec q = xmlRequest("GET", QStringLiteral("/api/query"));
    q.query.addQueryItem(QStringLiteral("type"), QStringLiteral("vAppTemplate"));
    q.query.addQueryItem(QStringLiteral("filter"), QStringLiteral("name==") + o->templateName);
    o->client->listRecords(q, [=](Result<QList<QXmlStreamAttributes>> records) {
        if (!records)
            return fail(records.error());
        if (records->isEmpty())
            return fail(makeError(ErrorKind::Invalid, QStringLiteral("no vApp template %1 in a catalog the owner can read").arg(o->templateName)));
        send(o, xmlRequest("GET", records->first().value(QStringLiteral("href")).toString()), [=](Result<vcd::Reply> tr) {
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
    send(o, xmlRequest("GET", vappHref), [=](Result<vcd::Reply> r) {
        if (!r)
            return fail(r.error());
        auto v = xml::readVApp(r->body);
        if (!v)
            return fail(v.error());
        const xml::VApp vapp = *v;
        auto next = [=](Result<void> step) {
            if (!step)
                return fail(step.error());
            tagAndFill(o, clusterId, vappHref, netHref, sourceHref, policy, spHref, spName, done, fail);
        };
        // 4. metadata naming the cluster (orphans can be found and removed)
        send(o, xmlRequest("GET", vappHref + QStringLiteral("/metadata/") + kRoleKey), [=](Result<vcd::Reply> role) {
            if (!role) {
                if (!role.error().is(ErrorKind::NotFound))
                    return fail(role.error());
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
            bool attached = false;
            auto body = xml::parse(r->body);
            if (body)
                if (const xml::Node *ncs = body->child(QStringLiteral("NetworkConfigSection")))
                    attached = xml::readNetworkConfig(*ncs).networkName == o->network;
            if (!attached)
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
                in.apiToken = o->token;
                in.username = o->username;
                in.bootstrapClusterConfig = o->bootstrapConfig;
                auto cloudConfig = renderBootstrapCloudConfig(in);
                if (!cloudConfig)
                    return fail(cloudConfig.error());
                return mutate(o, xmlRequest("POST", vm.href + QStringLiteral("/action/reconfigureVm"),
                                            xml::writeReconfigureVm(vm, {{guestinfo::kUserData, QString::fromLatin1(cloudConfig->toBase64())},
                                                                         {guestinfo::kUserDataEncoding, QStringLiteral("base64")},
                                                                         {QStringLiteral("disk.enableUUID"), QStringLiteral("1")}}),
                                            xml::mime::kVm),
                              next);
            }
            done(infoOf(vapp));
        });
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
            queryVapps(o, QStringLiteral("metadata:%1==STRING:%2").arg(kCapvcdKey, clusterId), [done](Result<QList<QString>> nodes) {
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
    queryVapps(o, QStringLiteral("metadata:%1==STRING:%2").arg(kClusterKey, clusterId), [=](Result<QList<QString>> mine) {
        if (!mine)
            return done(mine.error());
        queryVapps(o, QStringLiteral("name==") + bootstrapName(o->clusterName), [=](Result<QList<QString>> named) {
            if (!named)
                return done(named.error());
            queryVapps(o, QStringLiteral("metadata:%1==STRING:%2").arg(kCapvcdKey, clusterId), [=](Result<QList<QString>> nodes) {
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
