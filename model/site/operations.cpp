#include "operations.h"

#include "rde/capiyaml.h"
#include "rde/json.h"

namespace cse::site {

const QStringList &phases()
{
    static const QStringList list{QStringLiteral("validate"),     QStringLiteral("bootstrapVm"),
                                  QStringLiteral("applyCapiYaml"), QStringLiteral("controlPlane"),
                                  QStringLiteral("workers"),       QStringLiteral("pivot"),
                                  QStringLiteral("cleanupBootstrap"), QStringLiteral("provisioned")};
    return list;
}

int phaseProgress(const rde::Cluster &c)
{
    if (c.state() == rde::clusterstate::kProvisioned)
        return 100;
    const int i = int(phases().indexOf(c.phase()));
    if (i < 0)
        return 0;
    return (i + 1) * 100 / int(phases().size());
}

bool isAllowed(Operation op, const rde::Cluster &c)
{
    const QString s = c.state();
    const bool deleting = s == rde::clusterstate::kDeleting || c.markForDelete();
    switch (op) {
    case Operation::Create: return true;
    case Operation::Resize:
    case Operation::Upgrade: return s == rde::clusterstate::kProvisioned && !deleting;
    case Operation::Delete: return !deleting;
    case Operation::ForceDelete: return !c.forceDelete();
    case Operation::Retry: return s == rde::clusterstate::kError && !deleting;
    }
    return false;
}

Result<bool> applyResize(QJsonObject &entity, const QString &pool, int replicas)
{
    rde::Cluster c(entity);
    if (!isAllowed(Operation::Resize, c))
        return makeError(ErrorKind::Invalid, QStringLiteral("only a provisioned cluster can be resized (state: %1)")
                                                 .arg(c.state().isEmpty() ? QStringLiteral("none") : c.state()));
    auto yaml = rde::resizeCapiYaml(c.capiYaml(), pool, replicas);
    if (!yaml)
        return yaml.error();
    if (*yaml == c.capiYaml())
        return false;
    c.setCapiYaml(*yaml);
    entity = c.json();
    return true;
}

Result<bool> applyUpgrade(QJsonObject &entity, const QString &kubernetesVersion)
{
    rde::Cluster c(entity);
    if (!isAllowed(Operation::Upgrade, c))
        return makeError(ErrorKind::Invalid, QStringLiteral("only a provisioned cluster can be upgraded (state: %1)")
                                                 .arg(c.state().isEmpty() ? QStringLiteral("none") : c.state()));
    auto yaml = rde::upgradeCapiYaml(c.capiYaml(), kubernetesVersion);
    if (!yaml)
        return yaml.error();
    if (*yaml == c.capiYaml())
        return false;
    c.setCapiYaml(*yaml);
    entity = c.json();
    return true;
}

Result<bool> applyDelete(QJsonObject &entity, bool force)
{
    rde::Cluster c(entity);
    if (c.markForDelete() && (!force || c.forceDelete()))
        return false;
    c.setMarkForDelete(true, force || c.forceDelete());
    entity = c.json();
    return true;
}

Result<bool> applyRetry(QJsonObject &entity, const QString &ownerToken)
{
    rde::Cluster c(entity);
    if (!isAllowed(Operation::Retry, c))
        return makeError(ErrorKind::Invalid, QStringLiteral("only a cluster in error can be retried (state: %1)")
                                                 .arg(c.state().isEmpty() ? QStringLiteral("none") : c.state()));
    c.setState(QString());
    c.setRepairAttempts(0);
    entity = c.json();
    if (!ownerToken.isEmpty())
        entity = json::set(entity, rde::paths::kSpecVcdKe + QStringList{QStringLiteral("secure"), QStringLiteral("apiToken")},
                           ownerToken);
    return true;
}

QStringList upgradeTargets(const QString &fromVersion)
{
    QStringList out;
    for (const rde::KubernetesRelease &r : rde::supportedReleases())
        if (rde::checkUpgrade(fromVersion, r.kubernetesVersion))
            out.append(r.kubernetesVersion);
    return out;
}

} // namespace cse::site
