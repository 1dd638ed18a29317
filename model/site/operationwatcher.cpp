#include "operationwatcher.h"

#include "site.h"

namespace cse::site {

OperationWatcher::OperationWatcher(Site *site, Operation op, const QString &clusterId, QObject *parent)
    : QObject(parent), m_site(site), m_op(op), m_id(clusterId)
{
    connect(site, &Site::clustersChanged, this, &OperationWatcher::evaluate);
    connect(site, &Site::refreshed, this, &OperationWatcher::evaluate);
}

void OperationWatcher::setClusterId(const QString &id)
{
    m_id = id;
    evaluate();
}

void OperationWatcher::cancel()
{
    m_finished = true;
    disconnect(m_site, nullptr, this, nullptr);
}

void OperationWatcher::fail(const QString &message)
{
    finish(false, message);
}

void OperationWatcher::finish(bool ok, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_site)
        disconnect(m_site, nullptr, this, nullptr);
    Q_EMIT finished(ok, message);
}

void OperationWatcher::evaluate()
{
    if (m_finished || !m_site || m_id.isEmpty())
        return;
    const auto entity = m_site->cluster(m_id);
    const bool deleting = m_op == Operation::Delete || m_op == Operation::ForceDelete;
    if (!entity) {
        if (deleting)
            finish(true, tr("deleted"));
        return; // a new cluster may not be listed yet
    }
    const rde::Cluster c(entity->entity);
    const QString state = c.state();
    if (deleting) {
        Q_EMIT progress(state == rde::clusterstate::kDeleting ? 50 : 10,
                        state == rde::clusterstate::kDeleting ? tr("deleting") : tr("delete requested; waiting for a server"));
        return;
    }
    if (state == rde::clusterstate::kError) {
        // A retry starts from error: only an error after it left error counts.
        if (m_op != Operation::Retry || m_seenLeavingError) {
            const QString err = c.lastError();
            finish(false, err.isEmpty() ? tr("the cluster went to state error") : err);
        }
        Q_EMIT progress(0, tr("waiting for a server to pick up the retry"));
        return;
    }
    m_seenLeavingError = true;
    if (state.isEmpty()) {
        Q_EMIT progress(0, tr("waiting for a server"));
        return;
    }
    const int pct = phaseProgress(c);
    if (state == rde::clusterstate::kProvisioned) {
        if (m_op == Operation::Resize && m_expectedNodes >= 0
            && (c.desiredNodes() != m_expectedNodes || c.availableNodes() != m_expectedNodes)) {
            Q_EMIT progress(50, tr("%1 of %2 nodes available").arg(c.availableNodes()).arg(m_expectedNodes));
            return;
        }
        if (m_op == Operation::Upgrade && !m_expectedVersion.isEmpty() && c.kubernetesVersion() != m_expectedVersion) {
            Q_EMIT progress(50, tr("upgrading to %1").arg(m_expectedVersion));
            return;
        }
        Q_EMIT progress(100, tr("provisioned"));
        finish(true, tr("provisioned"));
        return;
    }
    Q_EMIT progress(pct, tr("%1: %2").arg(state, c.phase()));
}

} // namespace cse::site
