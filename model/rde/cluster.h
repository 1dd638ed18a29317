// Typed view over capvcdCluster 1.1.0 / 1.2.0 / 1.3.0 entity JSON.
#pragma once

#include "entityview.h"

#include <QDateTime>
#include <QList>

namespace cse::rde {

namespace paths {
inline const QStringList kSpecVcdKe = {QStringLiteral("spec"), QStringLiteral("vcdKe")};
inline const QStringList kStatusVcdKe = {QStringLiteral("status"), QStringLiteral("vcdKe")};
inline const QStringList kStatusCapvcd = {QStringLiteral("status"), QStringLiteral("capvcd")};
inline const QStringList kCapiYaml = {QStringLiteral("spec"), QStringLiteral("capiYaml")};
} // namespace paths

// Server-side state names (status.vcdKe.state).
namespace clusterstate {
inline const QString kProvisioning = QStringLiteral("provisioning");
inline const QString kProvisioned = QStringLiteral("provisioned");
inline const QString kError = QStringLiteral("error");
inline const QString kDeleting = QStringLiteral("deleting");
} // namespace clusterstate

// The server's creation and deletion phases (status.vcdKe.phase), a closed
// set: the entity is tenant-writable, so anything else is Phase::Unknown and
// is never used as a name (not in a metric label, not in a log line).
enum class Phase {
    None, // empty or absent: a new cluster
    Validate,
    BootstrapVm,
    ApplyCapiYaml,
    ControlPlane,
    Workers,
    Pivot,
    CleanupBootstrap,
    Provisioned,
    Repair, // auto-repair tears down a failed attempt
    Delete,
    Unknown, // a value no server writes
};
Phase phaseFromString(const QString &text);
QString phaseName(Phase p); // "validate", ...; "unknown" for Unknown, "" for None

// status.vcdKe.state, likewise closed.
enum class State { None, Provisioning, Provisioned, Error, Deleting, Unknown };
State stateFromString(const QString &text);

// Cluster names are Kubernetes object names, DNS-1123 labels: 1 to 63
// characters, lower-case letters, digits and '-', starting and ending with a
// letter or digit (CAPVCD and the CSE UI take a cluster name as such; see
// README "Cluster names"). Empty when `name` is one, else the reason, for a
// person. The one rule: the console's wizard and the server's validate phase use it.
QString validateClusterName(const QString &name);

// The cap on a cluster entity's size (compact JSON, capiYaml included): VCD
// refuses list pages past its response limit, so a few huge entities would
// stall an org's discovery. The console refuses to create a larger one and
// the server's validate phase ends one in error. Empty when ENTITY fits,
// else the reason, for a person.
inline constexpr qsizetype kMaxClusterEntityBytes = 4 * 1024 * 1024;
QString checkClusterEntitySize(const QJsonObject &entity);

// Counters the server compares (ownerEpoch) are exact integers in
// [0, kMaxEpoch]: 2^53 - 1 survives every JSON parser unchanged. A value
// outside, a fraction, a string or a huge double is forged.
constexpr qint64 kMaxEpoch = (qint64(1) << 53) - 1;

struct NodePool
{
    QString name;
    QString sizingPolicy;
    QString storageProfile;
    qint64 diskSizeMb = 0;
    int desiredReplicas = 0;
    int availableReplicas = 0;
};

struct ClusterEvent
{
    QString name;
    QString detail;
    QString resourceId;
    QString resourceName;
    QDateTime occurredAt;
};

class Cluster : public EntityView
{
public:
    using EntityView::EntityView;
    static constexpr int kEventWindow = 20;
    enum class Log { Event, Error };

    // A fresh cluster entity as a client creates it.
    static Cluster create(const QString &name, const QString &org, const QString &vdc, const QString &site,
                          const QString &capiYaml, const QString &apiToken, bool autoRepair = true);

    QString name() const { return str({QStringLiteral("metadata"), QStringLiteral("name")}); }
    QString orgName() const { return str({QStringLiteral("metadata"), QStringLiteral("orgName")}); }
    QString vdcName() const { return str({QStringLiteral("metadata"), QStringLiteral("virtualDataCenterName")}); }
    QString site() const { return str({QStringLiteral("metadata"), QStringLiteral("site")}); }

    // spec (users)
    QString capiYaml() const { return str(paths::kCapiYaml); }
    void setCapiYaml(const QString &yaml) { setValue(paths::kCapiYaml, yaml); }
    bool isVcdKeCluster() const;
    bool markForDelete() const;
    bool forceDelete() const;
    bool autoRepairOnErrors() const; // schema default: true
    void setMarkForDelete(bool on, bool force = false);
    void setAutoRepairOnErrors(bool on);
    QString apiToken() const;         // empty when masked
    bool hasApiToken() const { return !apiToken().isEmpty(); }

    // status.vcdKe (the server)
    QString state() const;
    void setState(const QString &state);
    QString phase() const;             // as written: tenant text, never log it unquoted
    Phase phaseKind() const { return phaseFromString(phase()); }
    State stateKind() const { return stateFromString(state()); }
    void setPhase(const QString &phase);
    QString ownerInstanceId() const;
    QString workerId() const;
    // The exact ownerEpoch; -1 when it is forged (out of range, negative, not
    // an integer), which matches no epoch a replica holds; 0 when absent.
    qint64 ownerEpoch() const;
    bool ownerEpochForged() const;
    // The epoch a claim or release writes: one above both the entity's epoch
    // (a forged one counts as 0) and `highestSeen`, saturating at kMaxEpoch (never wraps).
    qint64 nextEpoch(qint64 highestSeen = 0) const;
    // Claims the cluster: sets the owner, bumps ownerEpoch (nextEpoch), stamps the heartbeat.
    void claim(const QString &instanceId, const QString &workerId, const QDateTime &now = QDateTime::currentDateTimeUtc(),
               qint64 highestSeen = 0);
    void releaseOwner();
    // Repairs already made; a forged count (negative, not an integer, huge) reads
    // as kForgedRepairAttempts, so no auto-repair is left.
    static constexpr int kForgedRepairAttempts = 1 << 20;
    int repairAttempts() const;
    void setRepairAttempts(int n);
    QJsonArray vcdResourceSet() const;
    void addVcdResource(const QString &id, const QString &name, const QString &type);
    void removeVcdResource(const QString &id);
    void appendVcdKe(Log kind, const QString &name, const QString &detail, const QString &resourceId = {},
                     const QString &resourceName = {}, const QDateTime &at = QDateTime::currentDateTimeUtc());
    QList<ClusterEvent> vcdKeLog(Log kind) const;

    // status.capvcd (the infrastructure)
    QString capvcdPhase() const;
    QString kubernetesVersion() const;
    QList<NodePool> nodePools() const;
    int desiredNodes() const;
    int availableNodes() const;
    QList<ClusterEvent> capvcdLog(Log kind) const;

    // Convenience: the newest error from either writer, or empty.
    QString lastError() const;
};

} // namespace cse::rde
