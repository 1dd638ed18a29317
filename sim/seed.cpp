// `vcd-sim --seed demo`: orgs, users, entity types, the server configuration
// and a few clusters in mixed states. `--seed tenants`: only the tenancy (orgs,
// users, VDCs, networks), as a site rebuilt by VCD's own recovery looks before
// CSE is installed and restored. Idempotent.
#include "core/logging.h"
#include "credentials.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/cserights.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"
#include "vcdsim.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

namespace cse::sim {

namespace {
QString uuid() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

EntityRow newEntity(const rde::TypeRef &type, const QString &name, const QJsonObject &content, const OrgRow &org,
                    const UserRow &owner, bool resolved)
{
    EntityRow row;
    row.e.id = QStringLiteral("urn:vcloud:entity:%1:%2:%3").arg(type.vendor, type.nss, uuid());
    row.e.entityType = type.id();
    row.e.name = name;
    row.e.entity = content;
    row.e.state = row.e.entityState = resolved ? QStringLiteral("RESOLVED") : QStringLiteral("PRE_CREATED");
    row.e.owner = {owner.name, owner.id};
    row.e.org = {org.name, org.id};
    row.e.creationDate = row.e.lastModificationDate = rde::isoTimestamp();
    row.etag = 1;
    return row;
}
} // namespace

// `--tenants N` and `--many-vdcs ORG=N`: a provider-sized tenancy in one
// transaction. Every tenant user shares one salt and hash of the demo
// password (hashing is the costly part; 1,000 orgs seed in about a second).
Result<void> VcdSim::seedTenants(QMap<QString, UserRow> &admins)
{
    if (m_options.tenants <= 0 && m_options.manyVdcs <= 0)
        return {};
    auto existingOrgs = m_store->orgs();
    if (!existingOrgs)
        return existingOrgs.error();
    QHash<QString, OrgRow> byName;
    for (const OrgRow &o : *existingOrgs)
        byName.insert(o.name, o);
    auto existingVdcs = m_store->vdcs();
    if (!existingVdcs)
        return existingVdcs.error();
    QSet<QString> vdcNames;
    for (const VdcRow &v : *existingVdcs)
        vdcNames.insert(v.orgId + QLatin1Char('/') + v.name);
    const QByteArray salt = randomBytes(8).toHex();
    const QByteArray hash = hashPassword(salt, QStringLiteral("demo-password"));
    auto addVdc = [&](const OrgRow &org, const QString &vdcName, const QString &netName) -> Result<void> {
        if (vdcNames.contains(org.id + QLatin1Char('/') + vdcName))
            return {};
        const VdcRow vdc{QStringLiteral("urn:vcloud:vdc:") + uuid(), org.id, vdcName};
        if (auto r = m_store->insertVdc(vdc); !r)
            return r;
        return m_store->insertNetwork({QStringLiteral("urn:vcloud:network:") + uuid(), org.id, vdc.id, netName});
    };
    return m_store->inTransaction([&]() -> Result<void> {
        for (int i = 1; i <= m_options.tenants; ++i) {
            const QString orgName = QStringLiteral("tenant-%1").arg(i, 4, 10, QLatin1Char('0'));
            if (byName.contains(orgName)) {
                auto admin = m_store->user(byName.value(orgName).id, orgName + QStringLiteral("-admin"));
                if (!admin)
                    return admin.error();
                if (admin->has_value())
                    admins.insert(orgName, **admin);
                continue;
            }
            const OrgRow org{QStringLiteral("urn:vcloud:org:") + uuid(), orgName, QStringLiteral("Tenant %1").arg(i),
                             QStringLiteral("Seeded tenant"), true};
            if (auto r = m_store->insertOrg(org); !r)
                return r;
            byName.insert(orgName, org);
            if (auto r = addVdc(org, orgName + QStringLiteral("-vdc"), orgName + QStringLiteral("-net")); !r)
                return r;
            for (const auto &[suffix, role] : {std::pair{"-admin", roles::kClusterAuthor}, std::pair{"-viewer", roles::kViewer}}) {
                UserRow u;
                u.id = QStringLiteral("urn:vcloud:user:") + uuid();
                u.orgId = org.id;
                u.name = orgName + QLatin1String(suffix);
                u.role = role;
                u.salt = salt;
                u.passwordHash = hash;
                if (auto r = m_store->upsertUser(u); !r)
                    return r;
                if (role == roles::kClusterAuthor)
                    admins.insert(orgName, u);
            }
        }
        if (m_options.manyVdcs > 0) {
            if (!byName.contains(m_options.manyVdcsOrg))
                return makeError(QStringLiteral("--many-vdcs: there is no org \"%1\"").arg(m_options.manyVdcsOrg));
            const OrgRow org = byName.value(m_options.manyVdcsOrg);
            for (int i = 1; i <= m_options.manyVdcs; ++i) {
                const QString n = QStringLiteral("%1").arg(i, 4, 10, QLatin1Char('0'));
                if (auto r = addVdc(org, org.name + QStringLiteral("-vdc-") + n, org.name + QStringLiteral("-net-") + n); !r)
                    return r;
            }
        }
        qCInfo(lcSim) << "seeded" << m_options.tenants << "tenant orgs and" << m_options.manyVdcs << "more VDCs";
        return {};
    });
}

Result<void> VcdSim::seedDemo()
{
    const QString seedClient = QStringLiteral("vcd-sim/seed");
    const bool tenantsOnly = m_options.seedTenantsOnly;
    // Entity types with their interfaces.
    for (const rde::TypeInfo &t : tenantsOnly ? QList<rde::TypeInfo>() : rde::knownTypes()) {
        auto existing = m_store->type(t.ref.id());
        if (!existing)
            return existing.error();
        if (existing->has_value())
            continue;
        auto schema = rde::bundledSchema(t.ref.id());
        if (!schema)
            return schema.error();
        TypeRow row{t.ref.id(), t.ref.vendor, t.ref.nss, t.ref.version, t.name, t.description, *schema, t.interfaces, {}};
        if (auto r = m_store->insertType(row); !r)
            return r;
    }

    // The global roles the tenant users hold: CSE's "Kubernetes Cluster
    // Author" and a read-only "Viewer".
    auto addRole = [this](const QString &kind, const QString &orgId, const QString &name, const QString &description,
                       const QStringList &rights, bool publishAll) -> Result<void> {
        auto all = m_store->storedObjects(kind);
        if (!all)
            return all.error();
        for (const QJsonObject &r : *all)
            if (r.value(QLatin1String("name")).toString() == name && r.value(QLatin1String("orgId")).toString() == orgId)
                return {};
        const QString prefix = kind == QLatin1String("rightsBundle") ? QStringLiteral("urn:vcloud:rightsBundle:")
                               : kind == QLatin1String("globalRole") ? QStringLiteral("urn:vcloud:globalRole:")
                                                                     : QStringLiteral("urn:vcloud:role:");
        const QString id = prefix + uuid();
        return m_store->upsertObject(kind, id, orgId,
                                     {{QStringLiteral("id"), id}, {QStringLiteral("name"), name}, {QStringLiteral("description"), description},
                                      {QStringLiteral("orgId"), orgId}, {QStringLiteral("rights"), QJsonArray::fromStringList(rights)},
                                      {QStringLiteral("publishAll"), publishAll}});
    };
    if (auto r = addRole(QStringLiteral("globalRole"), QString(), rde::rights::kClusterAuthorRole,
                      QStringLiteral("Role to create Kubernetes clusters"), rde::rights::clusterAuthorRights(), true);
        !r)
        return r;
    const QStringList viewerRights{rde::rights::kOrgView, rde::rights::kAllVdcs, rde::rights::kNetworkView,
                                   QStringLiteral("vApp Template / Media: View"), QStringLiteral("Catalog: View Published Catalogs"),
                                   rde::rights::entityRight(rde::types::kVmware, rde::types::kClusterNss, rde::rights::Level::View),
                                   rde::rights::entityRight(rde::types::kVmware, rde::types::kConfigNss, rde::rights::Level::View)};
    if (auto r = addRole(QStringLiteral("globalRole"), QString(), roles::kViewer, QStringLiteral("Reads clusters"), viewerRights, true); !r)
        return r;

    // getFullEntity on cse:capvcd:1.0.0 (execution noop) and its behavior
    // access control (FullControl) on every cluster type, as CSE's install.
    if (!tenantsOnly) {
        const QString behaviorId = rde::types::kGetFullEntityBehavior;
        if (auto b = m_store->storedObject(QStringLiteral("behavior"), behaviorId); !b) {
            return b.error();
        } else if (!b->has_value()) {
            const QJsonObject execution{{QStringLiteral("type"), QStringLiteral("noop")}, {QStringLiteral("id"), QStringLiteral("getFullEntity")}};
            if (auto r = m_store->upsertObject(QStringLiteral("behavior"), behaviorId, rde::types::kCapvcdInterface,
                                               {{QStringLiteral("id"), behaviorId}, {QStringLiteral("name"), QStringLiteral("getFullEntity")},
                                                {QStringLiteral("ref"), behaviorId}, {QStringLiteral("execution"), execution}});
                !r)
                return r;
        }
        for (const rde::TypeInfo &t : rde::knownTypes())
            if (t.interfaces.contains(rde::types::kCapvcdInterface))
                if (auto r = m_store->upsertObject(QStringLiteral("behaviorAcl"), t.ref.id() + QLatin1Char('/') + behaviorId, t.ref.id(),
                                                   {{QStringLiteral("behaviorId"), behaviorId},
                                                    {QStringLiteral("accessLevelId"), rde::rights::kFullControlLevel}});
                    !r)
                    return r;
    }

    // Tenant orgs and their users.
    QMap<QString, OrgRow> orgs;
    QMap<QString, UserRow> admins;
    for (const char *name : {"acme", "globex"}) {
        const QString orgName = QString::fromLatin1(name);
        auto found = m_store->orgByName(orgName);
        if (!found)
            return found.error();
        OrgRow org = found->has_value() ? **found
                                        : OrgRow{QStringLiteral("urn:vcloud:org:") + uuid(), orgName,
                                                 orgName.left(1).toUpper() + orgName.mid(1), QStringLiteral("Demo tenant"), true};
        if (!found->has_value())
            if (auto r = m_store->insertOrg(org); !r)
                return r;
        orgs.insert(orgName, org);
        // One VDC with one routed network per tenant org.
        auto vdcs = m_store->vdcs();
        if (!vdcs)
            return vdcs.error();
        const bool hasVdc = std::any_of(vdcs->begin(), vdcs->end(), [&org](const VdcRow &v) { return v.orgId == org.id; });
        if (!hasVdc) {
            const VdcRow vdc{QStringLiteral("urn:vcloud:vdc:") + uuid(), org.id, orgName + QStringLiteral("-vdc")};
            if (auto r = m_store->insertVdc(vdc); !r)
                return r;
            if (auto r = m_store->insertNetwork({QStringLiteral("urn:vcloud:network:") + uuid(), org.id, vdc.id,
                                                 orgName + QStringLiteral("-net")});
                !r)
                return r;
        }
        for (const auto &[suffix, role] : {std::pair{"-admin", roles::kClusterAuthor}, std::pair{"-viewer", roles::kViewer}}) {
            const QString userName = orgName + QLatin1String(suffix);
            auto user = m_store->user(org.id, userName);
            if (!user)
                return user.error();
            UserRow u = user->has_value() ? **user : UserRow{};
            if (!user->has_value()) {
                u.id = QStringLiteral("urn:vcloud:user:") + uuid();
                u.orgId = org.id;
                u.name = userName;
                u.role = role;
                u.salt = randomBytes(8).toHex();
                u.passwordHash = hashPassword(u.salt, QStringLiteral("demo-password"));
                if (auto r = m_store->upsertUser(u); !r)
                    return r;
            }
            if (role == roles::kClusterAuthor)
                admins.insert(orgName, u);
        }
    }

    if (auto r = seedTenants(admins); !r)
        return r;

    if (tenantsOnly) {
        qCInfo(lcSim) << "seeded the tenancy: orgs acme and globex with users, VDCs and networks; no CSE types or entities";
        return {};
    }

    auto system = m_store->orgByName(QStringLiteral("System"));
    if (!system || !system->has_value())
        return makeError(QStringLiteral("seed: the System org is missing"));
    auto administrator = m_store->user((*system)->id, QStringLiteral("administrator"));
    if (!administrator || !administrator->has_value())
        return makeError(QStringLiteral("seed: the administrator is missing"));

    // CSE's server user: System org, exactly the CSE Admin Role (Organization:
    // Traversal only where the offered versions reach VCD 10.5's 38.x), and
    // the rights bundle published to every tenant, as CSE's install makes them.
    const bool traversal = std::any_of(apiVersions().cbegin(), apiVersions().cend(),
                                       [](const QString &v) { return v.section(QLatin1Char('.'), 0, 0).toInt() >= 38; });
    if (auto r = addRole(QStringLiteral("role"), (*system)->id, rde::rights::kCseAdminRole, QStringLiteral("Used for administrative purposes"),
                      rde::rights::cseAdminRights(traversal), false);
        !r)
        return r;
    if (auto r = addRole(QStringLiteral("rightsBundle"), QString(), rde::rights::kRightsBundle,
                      QStringLiteral("Rights bundle with required rights for managing Kubernetes clusters"),
                      rde::rights::rightsBundleRights(), true);
        !r)
        return r;
    auto cseAdmin = m_store->user((*system)->id, QStringLiteral("cse-admin"));
    if (!cseAdmin)
        return cseAdmin.error();
    UserRow serverUser = cseAdmin->has_value() ? **cseAdmin : UserRow{};
    if (!cseAdmin->has_value()) {
        serverUser.id = QStringLiteral("urn:vcloud:user:") + uuid();
        serverUser.orgId = (*system)->id;
        serverUser.name = QStringLiteral("cse-admin");
        serverUser.role = rde::rights::kCseAdminRole;
        serverUser.salt = randomBytes(8).toHex();
        serverUser.passwordHash = hashPassword(serverUser.salt, QStringLiteral("demo-password"));
        if (auto r = m_store->upsertUser(serverUser); !r)
            return r;
    }

    // The single server configuration entity.
    auto configs = m_store->entities({rde::types::config().id(), rde::types::config(QStringLiteral("1.0.0")).id()}, QString());
    if (!configs)
        return configs.error();
    if (configs->isEmpty()) {
        EntityRow cfg = newEntity(rde::types::config(), rde::types::kConfigEntityName, rde::VcdKeConfig::defaults42().json(),
                                  **system, **administrator, true);
        if (auto r = m_store->insertEntity(cfg, seedClient); !r)
            return r;
    }

    // Clusters, only into an empty site.
    auto clusters = m_store->entities({rde::types::cluster(QStringLiteral("1.1.0")).id(), rde::types::cluster().id(),
                                       rde::types::cluster(QStringLiteral("1.3.0")).id()}, QString());
    if (!clusters)
        return clusters.error();
    if (!clusters->isEmpty())
        return {};

    // An API token for each tenant admin, written where the operator can read it.
    QJsonObject tokens;
    auto issued = m_store->inTransaction([&]() -> Result<void> {
        for (auto it = admins.cbegin(); it != admins.cend(); ++it) {
            auto token = m_store->issueApiToken(it->id, QStringLiteral("demo"));
            if (!token)
                return token.error();
            tokens.insert(it.key(), QString::fromLatin1(*token));
        }
        // The server's: key "System/cse-admin".
        auto token = m_store->issueApiToken(serverUser.id, QStringLiteral("cse-server"));
        if (!token)
            return token.error();
        tokens.insert(QStringLiteral("System/cse-admin"), QString::fromLatin1(*token));
        return {};
    });
    if (!issued)
        return issued;
    QFile tokenFile(QDir(m_options.dataDir).filePath(QStringLiteral("demo-api-tokens.json")));
    if (tokenFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        tokenFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        tokenFile.write(QJsonDocument(tokens).toJson());
    }

    struct Demo
    {
        const char *org;
        const char *name;
        const char *k8s;
        int cp;
        int workers;
        const char *state; // provisioned, new, error
    };
    const Demo demos[] = {
        {"acme", "acme-prod", "v1.29.6+vmware.1", 3, 2, "provisioned"},
        {"acme", "acme-dev", "v1.28.11+vmware.2", 1, 1, "provisioned"},
        {"globex", "globex-web", "v1.30.2+vmware.1", 1, 3, "provisioned"},
        {"globex", "globex-new", "v1.30.2+vmware.1", 1, 2, "new"},
        {"globex", "globex-broken", "v1.29.6+vmware.1", 1, 1, "error"},
    };
    const QString site = baseUrl();
    for (const Demo &d : demos) {
        const OrgRow &org = orgs.value(QString::fromLatin1(d.org));
        const UserRow &owner = admins.value(QString::fromLatin1(d.org));
        rde::ClusterSpec spec;
        spec.name = QString::fromLatin1(d.name);
        spec.org = org.name;
        spec.vdc = org.name + QStringLiteral("-vdc");
        spec.network = org.name + QStringLiteral("-net");
        spec.site = site;
        spec.username = owner.name;
        spec.kubernetesVersion = QString::fromLatin1(d.k8s);
        spec.controlPlane.replicas = d.cp;
        spec.workerPools = {rde::MachinePool::named(QStringLiteral("worker-node-pool-1"), d.workers)};
        auto yaml = rde::renderCapiYaml(spec);
        if (!yaml)
            return yaml.error();
        const QString state = QString::fromLatin1(d.state);
        rde::Cluster c = rde::Cluster::create(spec.name, spec.org, spec.vdc, site, *yaml,
                                              state == QLatin1String("new") ? tokens.value(org.name).toString() : QString());
        if (state == QLatin1String("provisioned")) {
            c.setAutoRepairOnErrors(false);
            c.setState(rde::clusterstate::kProvisioned);
            c.setPhase(QStringLiteral("provisioned"));
            c.setValue({QStringLiteral("status"), QStringLiteral("vcdKe"), QStringLiteral("vcdKeVersion")}, QStringLiteral("4.2.0"));
            c.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("ClusterProvisioned"), QStringLiteral("seeded by vcd-sim"));
        } else if (state == QLatin1String("error")) {
            c.setAutoRepairOnErrors(false);
            c.setState(rde::clusterstate::kError);
            c.setPhase(QStringLiteral("error"));
            c.appendVcdKe(rde::Cluster::Log::Error, QStringLiteral("BootstrapClusterCreationError"),
                          QStringLiteral("kind create cluster timed out after 600s on the bootstrap VM"));
        }
        EntityRow row = newEntity(rde::types::cluster(QStringLiteral("1.3.0")), spec.name, c.json(), org, owner,
                                  state != QLatin1String("new"));
        if (auto r = m_store->insertEntity(row, seedClient); !r)
            return r;
        if (state == QLatin1String("provisioned")) {
            InfraRow infra;
            infra.clusterId = row.e.id;
            infra.appliedYaml = *yaml;
            infra.applied = true;
            infra.pivoted = true;
            infra.kubernetesVersion = spec.kubernetesVersion;
            if (auto r = m_store->upsertInfra(infra); !r)
                return r;
        }
    }
    qCInfo(lcSim) << "seeded the demo site: orgs acme and globex, 5 clusters";
    return {};
}

} // namespace cse::sim
