// Typed view over capvcdCluster 1.1.0 / 1.2.0 / 1.3.0 entity JSON.
#pragma once

#include "core/result.h"
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

// The cluster name rule as VCD/CSE apply it: a DNS-1123 label (what a
// Kubernetes object name and the cluster's VM host names must be), at most
// 63 characters. The reason is in a user's terms (the console shows it at
// the name field; the server writes it into errorSet). Uniqueness within
// the org is the caller's part: it knows the org's clusters.
Result<void> validateClusterName(const QString &name);

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
    QString phase() const;
    void setPhase(const QString &phase);
    QString ownerInstanceId() const;
    QString workerId() const;
    qint64 ownerEpoch() const;
    // Claims the cluster: sets the owner, bumps ownerEpoch, stamps the heartbeat.
    void claim(const QString &instanceId, const QString &workerId, const QDateTime &now = QDateTime::currentDateTimeUtc());
    void releaseOwner();
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
