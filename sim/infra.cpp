#include "infra.h"

#include "core/logging.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/entityview.h"
#include "rde/json.h"
#include "vapps.h"
#include "vcdsim.h"

#include <QJsonArray>
#include <QUuid>

namespace cse::sim {

namespace {

QJsonObject capvcdEvent(const QString &name, const QString &detail, const QString &resourceId = {},
                        const QString &resourceName = {})
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("occurredAt"), rde::isoTimestamp()},
            {QStringLiteral("vcdResourceId"), resourceId},
            {QStringLiteral("vcdResourceName"), resourceName},
            {QStringLiteral("additionalDetails"), QJsonObject{{QStringLiteral("event"), detail}}}};
}

QJsonObject capvcdError(const QString &name, const QString &detail)
{
    QJsonObject e = capvcdEvent(name, detail);
    e.insert(QStringLiteral("additionalDetails"), QJsonObject{{QStringLiteral("error"), detail}});
    return e;
}

bool hasEvent(const QJsonObject &capvcd, const QString &name)
{
    for (const QJsonValue &v : capvcd.value(QLatin1String("eventSet")).toArray())
        if (v.toObject().value(QLatin1String("name")).toString() == name)
            return true;
    return false;
}

bool sameInfra(const InfraRow &a, const InfraRow &b)
{
    return a.clusterId == b.clusterId && a.bootstrapVm == b.bootstrapVm && a.appliedYaml == b.appliedYaml && a.applied == b.applied
           && a.pivoted == b.pivoted && a.failedStep == b.failedStep && a.kubernetesVersion == b.kubernetesVersion;
}

QString poolOf(const VmRow &vm)
{
    return vm.role.startsWith(QLatin1String("worker:")) ? vm.role.mid(7) : QString();
}

} // namespace

InfraController::InfraController(VcdSim *sim)
    : QObject(sim), m_sim(sim)
{
    connect(&m_timer, &QTimer::timeout, this, &InfraController::tick);
}

void InfraController::start(int stepMs)
{
    m_timer.start(stepMs);
}

void InfraController::tick()
{
    auto rows = m_sim->store().infraRows();
    if (!rows) {
        qCWarning(lcSim) << "infra: cannot list clusters:" << rows.error().message;
        return;
    }
    // A cluster whose last step changed nothing is skipped until its entity,
    // its live VMs or its infrastructure row change: a step that does not act
    // depends on nothing else (VDCs and fault rules matter only when it acts),
    // so at thousands of converged clusters a tick stays cheap.
    auto versions = m_sim->store().infraVersions();
    QHash<QString, Settled> settled;
    for (const InfraRow &row : *rows) {
        if (!row.applied)
            continue;
        const InfraVersion version = versions ? versions->value(row.clusterId) : InfraVersion();
        const auto it = m_settled.constFind(row.clusterId);
        const bool unchanged = versions && it != m_settled.cend() && it->version == version && sameInfra(it->row, row);
        if (unchanged || !step(row))
            settled.insert(row.clusterId, Settled{version, row});
    }
    m_settled = settled;
}

const Result<rde::CapiSummary> &InfraController::parsed(const QString &yaml)
{
    // Each step of a cluster reads its capiYaml, which changes only on
    // resize or upgrade: parse each text once (most of the simulator's CPU
    // went to YAML before).
    auto it = m_parsed.constFind(yaml);
    if (it != m_parsed.cend())
        return *it;
    if (m_parsed.size() >= kParsedCacheSize)
        m_parsed.clear();
    return *m_parsed.insert(yaml, rde::parseCapiYaml(yaml));
}

bool InfraController::step(const InfraRow &rowIn)
{
    Store &store = m_sim->store();
    InfraRow row = rowIn;
    auto found = store.entity(row.clusterId);
    if (!found || !found->has_value())
        return false; // the RDE was deleted directly: its VMs stay behind, as in VCD
    const rde::Cluster cluster((*found)->e.entity);
    QJsonObject capvcd = cluster.subtree(rde::paths::kStatusCapvcd);
    QJsonArray events = capvcd.value(QLatin1String("eventSet")).toArray();
    QJsonArray errors = capvcd.value(QLatin1String("errorSet")).toArray();
    auto event = [&](const QJsonObject &e) { events = rde::appendRolling(events, e); };
    auto fail = [&](const QString &step, const QString &name, const QString &detail) {
        errors = rde::appendRolling(errors, capvcdError(name, detail));
        row.failedStep = step;
    };

    const bool inCluster = row.pivoted || cluster.state() == QLatin1String("provisioned");
    const QString yaml = inCluster ? cluster.capiYaml() : row.appliedYaml;
    const Result<rde::CapiSummary> &desired = parsed(yaml);
    if (!desired) {
        const QString detail = QStringLiteral("capiYaml cannot be applied: %1").arg(desired.error().message);
        const QJsonObject last = errors.isEmpty() ? QJsonObject() : errors.last().toObject();
        if (last.value(QLatin1String("additionalDetails")).toObject().value(QLatin1String("error")).toString() == detail)
            return false;
        errors = rde::appendRolling(errors, capvcdError(QStringLiteral("CapiYamlApplyError"), detail));
    }
    if (!row.failedStep.isEmpty())
        return false; // stuck until the infrastructure is deleted (auto-repair) or re-applied

    auto vmsResult = store.vms(row.clusterId, false);
    if (!vmsResult)
        return false;
    const QList<VmRow> vms = *vmsResult;
    QList<VmRow> cp;
    QMap<QString, QList<VmRow>> workers;
    for (const VmRow &vm : vms) {
        if (vm.role == QLatin1String("controlPlane"))
            cp.append(vm);
        else if (!poolOf(vm).isEmpty())
            workers[poolOf(vm)].append(vm);
    }
    // A new VM's serial counts every VM the cluster ever had (deleted ones too).
    auto serialOfNext = [&] {
        auto allVms = store.vms(row.clusterId, true);
        return allVms ? int(allVms->size()) + 1 : 1;
    };
    const QString name = cluster.name();
    // Node VMs are real vApps/VMs of the legacy API: one vApp named after the
    // cluster in its VDC, tagged CapvcdInfraId=<RDE id> as CAPVCD tags it.
    const QString orgId = (*found)->e.org.id;
    QString vdcId;
    if (auto vdcs = store.vdcs())
        for (const VdcRow &v : *vdcs)
            if (v.orgId == orgId && (vdcId.isEmpty() || v.name == cluster.vdcName()))
                vdcId = v.id;
    bool changedVms = false;
    auto createVm = [&](const QString &role, const QString &vmName) {
        changedVms = true;
        auto made = m_sim->m_legacy->createNodeVapp(orgId, vdcId, name, vmName,
                                                    QJsonObject{{QStringLiteral("CapvcdInfraId"), row.clusterId}}, row.clusterId, role);
        if (!made)
            return false;
        event(capvcdEvent(QStringLiteral("VcdMachineInfraVMPoweredOn"), QStringLiteral("VM %1 powered on").arg(vmName), *made, vmName));
        return true;
    };
    auto deleteVm = [&](const VmRow &vm) {
        changedVms = true;
        (void)m_sim->m_legacy->removeVm(vm.id.mid(vm.id.lastIndexOf(QLatin1Char(':')) + 1));
        (void)store.markVmDeleted(vm.id);
        event(capvcdEvent(QStringLiteral("VcdMachineDeleted"), QStringLiteral("VM %1 deleted").arg(vm.name), vm.id, vm.name));
    };

    bool converged = false;
    if (desired) {
        if (row.kubernetesVersion.isEmpty())
            row.kubernetesVersion = desired->kubernetesVersion;
        const int wantCp = desired->controlPlane.replicas;
        QJsonObject upgrade = capvcd.value(QLatin1String("upgrade")).toObject();
        if (capvcd.value(QLatin1String("phase")).toString().isEmpty() && !hasEvent(capvcd, QStringLiteral("InfraVappAvailable"))) {
            event(capvcdEvent(QStringLiteral("InfraVappAvailable"), QStringLiteral("vApp %1 created").arg(name)));
        } else if (cp.size() < wantCp) {
            if (m_sim->faults().stepFails(QStringLiteral("controlPlane")))
                fail(QStringLiteral("controlPlane"), QStringLiteral("VcdMachineCreationError"),
                     QStringLiteral("control plane VM %1 could not be created (injected fault)").arg(cp.size() + 1));
            else
                createVm(QStringLiteral("controlPlane"), QStringLiteral("%1-control-plane-%2").arg(name).arg(serialOfNext()));
        } else if (cp.size() > wantCp) {
            deleteVm(cp.last());
        } else if (!hasEvent(capvcd, QStringLiteral("ControlplaneReady"))) {
            event(capvcdEvent(QStringLiteral("ControlplaneReady"), QStringLiteral("control plane of %1 is ready").arg(name)));
        } else {
            bool acted = false;
            for (const rde::MachinePool &pool : desired->workerPools) {
                const QList<VmRow> have = workers.value(pool.name);
                if (have.size() < pool.replicas) {
                    if (m_sim->faults().stepFails(QStringLiteral("workers")))
                        fail(QStringLiteral("workers"), QStringLiteral("VcdMachineScriptExecutionError"),
                             QStringLiteral("worker VM in pool %1 failed to bootstrap (injected fault)").arg(pool.name));
                    else
                        createVm(QStringLiteral("worker:") + pool.name, QStringLiteral("%1-%2-%3").arg(name, pool.name).arg(serialOfNext()));
                    acted = true;
                    break;
                }
                if (have.size() > pool.replicas) {
                    deleteVm(have.last());
                    acted = true;
                    break;
                }
            }
            if (!acted) {
                for (auto it = workers.cbegin(); it != workers.cend() && !acted; ++it) {
                    bool known = false;
                    for (const rde::MachinePool &pool : desired->workerPools)
                        known = known || pool.name == it.key();
                    if (!known) {
                        deleteVm(it.value().last());
                        acted = true;
                    }
                }
            }
            if (!acted && row.kubernetesVersion != desired->kubernetesVersion) {
                const QString currentVersion = row.kubernetesVersion;
                if (upgrade.value(QLatin1String("ready")).toBool(true)) {
                    upgrade.insert(QStringLiteral("ready"), false);
                    upgrade.insert(QStringLiteral("previous"), upgrade.value(QLatin1String("current")));
                    event(capvcdEvent(QStringLiteral("ClusterUpgradeStarted"),
                                      QStringLiteral("upgrading from %1 to %2").arg(currentVersion, desired->kubernetesVersion)));
                } else {
                    row.kubernetesVersion = desired->kubernetesVersion;
                    upgrade.insert(QStringLiteral("ready"), true);
                    event(capvcdEvent(QStringLiteral("ClusterUpgradeCompleted"),
                                      QStringLiteral("nodes run %1").arg(desired->kubernetesVersion)));
                }
                acted = true;
            }
            converged = !acted;
        }
        const rde::KubernetesRelease *rel = rde::findRelease(row.kubernetesVersion);
        upgrade.insert(QStringLiteral("current"), QJsonObject{{QStringLiteral("kubernetesVersion"), row.kubernetesVersion},
                                                              {QStringLiteral("tkgVersion"), rel ? rel->tkgVersion : QString()}});
        if (!upgrade.contains(QLatin1String("ready")))
            upgrade.insert(QStringLiteral("ready"), true);
        capvcd.insert(QStringLiteral("upgrade"), upgrade);

        // Node pools as they stand after this step.
        auto now = changedVms ? store.vms(row.clusterId, false) : vmsResult;
        QJsonArray pools;
        auto poolJson = [&](const rde::MachinePool &p, const QString &role) {
            QJsonObject status;
            int available = 0;
            for (const VmRow &vm : now ? *now : QList<VmRow>())
                if (vm.role == role) {
                    status.insert(vm.name, QStringLiteral("Running"));
                    ++available;
                }
            // CAPVCD reports a pool under its MachineDeployment /
            // KubeadmControlPlane name, which govcd reads back as the pool's
            // name (govcd/cse_util.go; its templates name a worker pool
            // "node-pool-1", unprefixed: govcd/cse/4.2/capiyaml_workerpool.tmpl).
            return QJsonObject{{QStringLiteral("name"), p.objectName.isEmpty() ? QStringLiteral("%1-%2").arg(name, p.name) : p.objectName},
                               {QStringLiteral("sizingPolicy"), p.sizingPolicy},
                               {QStringLiteral("placementPolicy"), p.placementPolicy},
                               {QStringLiteral("storageProfile"), p.storageProfile},
                               {QStringLiteral("diskSizeMb"), p.diskSizeGi * 1024},
                               {QStringLiteral("nvidiaGpuEnabled"), false},
                               {QStringLiteral("desiredReplicas"), p.replicas},
                               {QStringLiteral("availableReplicas"), available},
                               {QStringLiteral("nodeStatus"), status}};
        };
        pools.append(poolJson(desired->controlPlane, QStringLiteral("controlPlane")));
        for (const rde::MachinePool &p : desired->workerPools)
            pools.append(poolJson(p, QStringLiteral("worker:") + p.name));
        capvcd.insert(QStringLiteral("nodePool"), pools);
    }

    const bool cpReady = hasEvent(QJsonObject{{QStringLiteral("eventSet"), events}}, QStringLiteral("ControlplaneReady"));
    capvcd.insert(QStringLiteral("phase"), converged ? QStringLiteral("Provisioned") : QStringLiteral("Provisioning"));
    if (!row.failedStep.isEmpty())
        capvcd.insert(QStringLiteral("phase"), QStringLiteral("Failed"));
    capvcd.insert(QStringLiteral("kubernetes"), row.kubernetesVersion);
    capvcd.insert(QStringLiteral("uid"), row.clusterId);
    capvcd.insert(QStringLiteral("capvcdVersion"), QStringLiteral("1.3.0"));
    capvcd.insert(QStringLiteral("createdByVersion"), capvcd.value(QLatin1String("createdByVersion")).toString(QStringLiteral("1.3.0")));
    const quint32 octet = qHash(row.clusterId) % 250 + 2;
    capvcd.insert(QStringLiteral("clusterApiStatus"),
                  QJsonObject{{QStringLiteral("phase"), cpReady ? QStringLiteral("Ready") : QStringLiteral("Not Ready")},
                              {QStringLiteral("apiEndpoints"), cpReady ? QJsonArray{QJsonObject{
                                                                             {QStringLiteral("host"), QStringLiteral("10.10.%1.10").arg(octet)},
                                                                             {QStringLiteral("port"), 6443}}}
                                                                       : QJsonArray{}}});
    capvcd.insert(QStringLiteral("k8sNetwork"),
                  QJsonObject{{QStringLiteral("pods"), QJsonObject{{QStringLiteral("cidrBlocks"), QJsonArray{QStringLiteral("100.96.0.0/11")}}}},
                              {QStringLiteral("services"), QJsonObject{{QStringLiteral("cidrBlocks"), QJsonArray{QStringLiteral("100.64.0.0/13")}}}}});
    capvcd.insert(QStringLiteral("vcdProperties"),
                  QJsonObject{{QStringLiteral("site"), cluster.site()},
                              {QStringLiteral("organizations"), QJsonArray{QJsonObject{{QStringLiteral("name"), cluster.orgName()},
                                                                                       {QStringLiteral("id"), (*found)->e.org.id}}}},
                              {QStringLiteral("orgVdcs"), QJsonArray{QJsonObject{{QStringLiteral("name"), cluster.vdcName()},
                                                                                 {QStringLiteral("id"), QString()},
                                                                                 {QStringLiteral("ovdcNetworkName"), QString()}}}}});
    if (cpReady)
        capvcd.insert(QStringLiteral("private"),
                      QJsonObject{{QStringLiteral("kubeConfig"),
                                   QStringLiteral("apiVersion: v1\nkind: Config\nclusters:\n- name: %1\n  cluster:\n    server: https://10.10.%2.10:6443\n"
                                                  "contexts:\n- name: %1-admin@%1\n  context: {cluster: %1, user: %1-admin}\n"
                                                  "current-context: %1-admin@%1\nusers:\n- name: %1-admin\n  user: {token: sim-%3}\n")
                                       .arg(name).arg(octet).arg(QString::number(qHash(row.clusterId), 16))}});
    capvcd.insert(QStringLiteral("eventSet"), events);
    capvcd.insert(QStringLiteral("errorSet"), errors);

    const bool infraChanged = !sameInfra(row, rowIn);
    if (infraChanged)
        if (auto r = store.upsertInfra(row); !r)
            qCWarning(lcSim) << "infra: cannot save state:" << r.error().message;
    const QByteArray wanted = json::canonical(capvcd);
    // The entity was read at the start of this step, on this thread: when
    // nothing changed since, skip the second read inside the write.
    if (json::canonical(cluster.subtree(rde::paths::kStatusCapvcd)) == wanted)
        return infraChanged || changedVms;
    auto w = m_sim->writeEntityWithRetry(row.clusterId, [&](EntityRow &fresh) {
        if (json::canonical(json::get(fresh.e.entity, rde::paths::kStatusCapvcd)) == wanted)
            return false; // nothing new to say
        fresh.e.entity = json::set(fresh.e.entity, rde::paths::kStatusCapvcd, capvcd);
        return true;
    }, clientId());
    if (!w)
        qCWarning(lcSim) << "infra: cannot write status.capvcd of" << row.clusterId << ":" << w.error().message;
    return true;
}

} // namespace cse::sim
