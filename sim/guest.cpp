#include "guest.h"

#include "core/logging.h"
#include "infra.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "server/bootstrapscript.h"
#include "vapps.h"
#include "vcd/vappxml.h"
#include "vcdsim.h"

#include <QJsonArray>

namespace cse::sim {

namespace gi = cse::server::guestinfo;

namespace {

QHash<QString, QString> envOf(const QByteArray &file)
{
    QHash<QString, QString> env;
    for (const QByteArray &line : file.split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        QString v = QString::fromUtf8(line.mid(eq + 1));
        if (v.startsWith(QLatin1Char('"')) && v.endsWith(QLatin1Char('"')) && v.size() >= 2)
            v = v.mid(1, v.size() - 2);
        env.insert(QString::fromUtf8(line.left(eq)), v);
    }
    return env;
}

} // namespace

GuestSimulator::GuestSimulator(VcdSim *sim, LegacyApi *api) : QObject(api), m_sim(sim), m_api(api)
{
    connect(&m_timer, &QTimer::timeout, this, &GuestSimulator::tick);
}

void GuestSimulator::tick()
{
    if (m_sim->m_stopping)
        return; // the store is closing
    Store &store = m_sim->store();
    // Only vApps with a cloud-config whose script has not ended yet.
    auto vapps = store.vappsContaining(gi::kUserData, gi::kScriptStatus);
    if (!vapps)
        return;
    for (const VappRow &vappIn : *vapps) {
        VappRow vapp = vappIn;
        if (vapp.doc.value(QLatin1String("metadata")).toObject().value(QLatin1String("cse.role")).toString() != QLatin1String("bootstrap")
            && !vapp.doc.value(QLatin1String("deployed")).toBool())
            continue; // nothing runs in it
        QJsonArray vms = vapp.doc.value(QLatin1String("vms")).toArray();
        bool changed = false;
        for (int i = 0; i < vms.size(); ++i) {
            QJsonObject vm = vms[i].toObject();
            if (vm.value(QLatin1String("status")).toInt() != vcd::xml::status::kPoweredOn)
                continue;
            const QString userdata = LegacyApi::extraConfig(vm, gi::kUserData);
            if (userdata.isEmpty() || !LegacyApi::extraConfig(vm, gi::kScriptStatus).isEmpty())
                continue; // not ours, or the script already ended
            QString phase;
            for (const QString &p : gi::phases())
                if (LegacyApi::extraConfig(vm, gi::phaseKey(p)) != gi::kSuccessful) {
                    phase = p;
                    break;
                }
            // Waiting for the cluster (kubectl wait) polls at a fifth of the step rate.
            if (phase == QLatin1String("move") && LegacyApi::extraConfig(vm, gi::phaseKey(phase)) == gi::kInProgress && m_ticks % 5 != 0)
                continue;
            const QHash<QString, QByteArray> files = server::cloudConfigFiles(QByteArray::fromBase64(userdata.toLatin1()));
            if (!files.contains(server::bootstrapfile::kScript))
                continue;
            auto fail = [&](const QString &reason) {
                LegacyApi::setExtraConfig(vm, gi::kScriptStatus, QStringLiteral("1"));
                LegacyApi::setExtraConfig(vm, gi::kFailureReason,
                                          QStringLiteral("%1 phase %2: %3").arg(rde::isoTimestamp(), phase, reason));
                qCInfo(lcSim).noquote() << "guest" << vm.value(QLatin1String("name")).toString() << "failed in phase" << phase;
            };
            const QString state = LegacyApi::extraConfig(vm, gi::phaseKey(phase));
            const QHash<QString, QString> env = envOf(files.value(server::bootstrapfile::kEnv));
            const QString clusterId = env.value(QStringLiteral("CSE_CLUSTER_ID"));
            if (!state.isEmpty() && m_sim->faults().stepStalls(QStringLiteral("guest:") + phase))
                continue; // hangs in this phase (injected fault)
            changed = true;
            if (state.isEmpty() && phase == gi::phases().first()) {
                // bootstrap.sh reads the owner's token from its own key and clears it.
                if (LegacyApi::extraConfig(vm, gi::kCredential).isEmpty()) {
                    fail(QStringLiteral("no API token in %1").arg(gi::kCredential));
                } else {
                    LegacyApi::setExtraConfig(vm, gi::kCredential, QString());
                    LegacyApi::setExtraConfig(vm, gi::phaseKey(phase), gi::kInProgress);
                }
            } else if (state.isEmpty()) {
                LegacyApi::setExtraConfig(vm, gi::phaseKey(phase), gi::kInProgress);
            } else if (m_sim->faults().stepFails(QStringLiteral("guest:") + phase)) {
                fail(QStringLiteral("the %1 step exited 1 (injected fault)").arg(phase));
            } else if (phase == QLatin1String("kind") || phase == QLatin1String("capi")) {
                LegacyApi::setExtraConfig(vm, gi::phaseKey(phase), gi::kSuccessful);
            } else if (phase == QLatin1String("capiyaml")) {
                const QString yaml = QString::fromUtf8(files.value(server::bootstrapfile::kCapiYaml));
                auto summary = rde::parseCapiYaml(yaml);
                if (!summary) {
                    fail(QStringLiteral("kubectl apply failed: %1").arg(summary.error().message));
                } else {
                    // A fresh bootstrap cluster starts from a clean slate: the status a
                    // torn-down earlier attempt left behind is not this attempt's.
                    if (auto prior = store.infra(clusterId); prior && !prior->has_value())
                        (void)m_sim->writeEntityWithRetry(clusterId, [](EntityRow &fresh) {
                            if (!json::get(fresh.e.entity, rde::paths::kStatusCapvcd).isObject())
                                return false;
                            fresh.e.entity = json::set(fresh.e.entity, rde::paths::kStatusCapvcd, QJsonObject());
                            return true;
                        }, InfraController::clientId());
                    InfraRow infra;
                    infra.clusterId = clusterId;
                    infra.bootstrapVm = QStringLiteral("urn:vcloud:vm:") + vm.value(QLatin1String("id")).toString();
                    infra.appliedYaml = yaml;
                    infra.applied = true;
                    if (auto r = store.upsertInfra(infra); !r)
                        fail(r.error().message);
                    else
                        LegacyApi::setExtraConfig(vm, gi::phaseKey(phase), gi::kSuccessful);
                }
            } else if (phase == QLatin1String("move")) {
                auto infra = store.infra(clusterId);
                auto entity = store.entity(clusterId);
                if (!infra || !infra->has_value() || !entity || !entity->has_value()) {
                    fail(QStringLiteral("kubectl wait: the cluster's Cluster API objects are gone"));
                } else if (!(*infra)->failedStep.isEmpty()) {
                    const rde::Cluster c((*entity)->e.entity);
                    const QList<rde::ClusterEvent> errors = c.capvcdLog(rde::Cluster::Log::Error);
                    fail(errors.isEmpty() ? QStringLiteral("the cluster failed at step %1").arg((*infra)->failedStep)
                                          : QStringLiteral("kubectl wait: %1: %2").arg(errors.last().name, errors.last().detail));
                } else {
                    const rde::Cluster c((*entity)->e.entity);
                    const bool kubeconfig = !json::get((*entity)->e.entity, rde::paths::kStatusCapvcd + QStringList{QStringLiteral("private"), QStringLiteral("kubeConfig")})
                                                 .toString().isEmpty();
                    if (c.capvcdPhase() == QLatin1String("Provisioned") && kubeconfig) {
                        InfraRow moved = **infra;
                        moved.pivoted = true;
                        (void)store.upsertInfra(moved);
                        LegacyApi::setExtraConfig(vm, gi::phaseKey(phase), gi::kSuccessful);
                        LegacyApi::setExtraConfig(vm, gi::kScriptStatus, QStringLiteral("0"));
                    } else {
                        changed = false; // still waiting for the cluster
                    }
                }
            }
            vms[i] = vm;
        }
        if (changed) {
            // Re-read: only the guest keys change here; keep anything written meanwhile.
            auto fresh = store.vapp(vapp.id);
            if (!fresh || !fresh->has_value())
                continue;
            VappRow now = **fresh;
            QJsonArray nowVms = now.doc.value(QLatin1String("vms")).toArray();
            for (int i = 0; i < nowVms.size(); ++i)
                for (const QJsonValue &mine : vms)
                    if (mine.toObject().value(QLatin1String("id")) == nowVms[i].toObject().value(QLatin1String("id"))) {
                        QJsonObject o = nowVms[i].toObject();
                        o.insert(QStringLiteral("extraConfig"), mine.toObject().value(QLatin1String("extraConfig")));
                        nowVms[i] = o;
                    }
            now.doc.insert(QStringLiteral("vms"), nowVms);
            if (auto r = m_api->save(now); !r)
                qCWarning(lcSim) << "guest: cannot save" << vapp.name << ":" << r.error().message;
        }
    }
}

} // namespace cse::sim
