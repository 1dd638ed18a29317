#include "clustermodel.h"

#include "rde/cluster.h"
#include "rde/json.h"
#include "site/operations.h"
#include "site/site.h"

#include <QSet>

namespace cse::items {

ClusterModel::ClusterModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ClusterModel::setSite(site::Site *site)
{
    connect(site, &site::Site::clustersChanged, this, [this, site] { update(site->clusters()); });
    connect(site, &site::Site::replicasChanged, this, [this, site] {
        QHash<QString, QString> names;
        for (const site::ReplicaStatus &r : site->replicas())
            names.insert(r.instanceId, r.name);
        setReplicaNames(names);
    });
    update(site->clusters());
}

int ClusterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ClusterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClusterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Org: return tr("Organization");
    case Vdc: return tr("VDC");
    case State: return tr("State");
    case Phase: return tr("Phase");
    case Owner: return tr("Owner replica");
    case Kubernetes: return tr("Kubernetes");
    case Nodes: return tr("Nodes");
    case AutoRepair: return tr("Auto-repair");
    case LastError: return tr("Last error");
    default: return {};
    }
}

QVariant ClusterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const rde::DefinedEntity &e = m_rows.at(index.row());
    const rde::Cluster c(e.entity);
    switch (role) {
    case IdRole: return e.id;
    case EtagRole: return e.etag;
    case StateRole: return c.state();
    case OrgRole: return e.org.name.isEmpty() ? c.orgName() : e.org.name;
    case OwnerRole: return c.ownerInstanceId();
    case ProgressRole: return site::phaseProgress(c);
    case ToneRole: {
        const QString s = c.state();
        if (s == rde::clusterstate::kError)
            return int(Tone::Bad);
        if (s == rde::clusterstate::kProvisioned)
            return int(c.markForDelete() ? Tone::Busy : Tone::Good);
        if (s.isEmpty())
            return int(Tone::Warning);
        return int(Tone::Busy);
    }
    case Qt::DisplayRole:
    case Qt::ToolTipRole: break;
    default: return {};
    }
    switch (index.column()) {
    case Name: return c.name().isEmpty() ? e.name : c.name();
    case Org: return e.org.name.isEmpty() ? c.orgName() : e.org.name;
    case Vdc: return c.vdcName();
    case State: {
        const QString s = c.state();
        if (!s.isEmpty())
            return c.markForDelete() && s != QLatin1String("deleting") ? s + tr(" (delete requested)") : s;
        return tr("waiting for a server"); // no server has looked at it yet
    }
    case Phase: {
        const QString p = c.phase();
        if (p.isEmpty())
            return QString();
        return QStringLiteral("%1 (%2%)").arg(p).arg(site::phaseProgress(c));
    }
    case Owner: {
        const QString id = c.ownerInstanceId();
        return m_replicaNames.value(id, id);
    }
    case Kubernetes: return c.kubernetesVersion();
    case Nodes: return c.nodePools().isEmpty() ? QString() : QStringLiteral("%1/%2").arg(c.availableNodes()).arg(c.desiredNodes());
    case AutoRepair: return c.autoRepairOnErrors() ? tr("on") : tr("off");
    case LastError: return c.lastError();
    default: return {};
    }
}

void ClusterModel::reindex()
{
    m_rowOf.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows.at(i).id, i);
}

void ClusterModel::setReplicaNames(const QHash<QString, QString> &byInstanceId)
{
    if (byInstanceId == m_replicaNames)
        return;
    m_replicaNames = byInstanceId;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Owner), index(int(m_rows.size()) - 1, Owner), {Qt::DisplayRole});
}

void ClusterModel::update(const QList<rde::DefinedEntity> &entities)
{
    QHash<QString, const rde::DefinedEntity *> incoming;
    for (const rde::DefinedEntity &e : entities)
        incoming.insert(e.id, &e);
    // Remove vanished rows in contiguous blocks, from the bottom up.
    for (int i = int(m_rows.size()) - 1; i >= 0;) {
        if (incoming.contains(m_rows.at(i).id)) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && !incoming.contains(m_rows.at(first - 1).id))
            --first;
        beginRemoveRows({}, first, i);
        m_rows.remove(first, i - first + 1);
        endRemoveRows();
        i = first - 1;
    }
    reindex();
    // Update the rows that stayed: only a changed row emits dataChanged.
    for (int i = 0; i < m_rows.size(); ++i) {
        const rde::DefinedEntity &fresh = *incoming.value(m_rows.at(i).id);
        if (fresh.etag != m_rows.at(i).etag || json::canonical(fresh.toJson()) != json::canonical(m_rows.at(i).toJson())) {
            m_rows[i] = fresh;
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
    // Append the new ones in the order given.
    QList<rde::DefinedEntity> added;
    QSet<QString> seen;
    for (const rde::DefinedEntity &e : entities)
        if (!m_rowOf.contains(e.id) && !seen.contains(e.id)) {
            seen.insert(e.id);
            added.append(e);
        }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows += added;
        reindex();
        endInsertRows();
    }
}

} // namespace cse::items
