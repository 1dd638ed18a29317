#include "clustermodel.h"

#include "rde/cluster.h"
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

ClusterModel::Cells ClusterModel::cellsOf(const rde::DefinedEntity &e)
{
    const rde::Cluster c(e.entity);
    Cells x;
    x.name = c.name().isEmpty() ? e.name : c.name();
    x.org = e.org.name.isEmpty() ? c.orgName() : e.org.name;
    x.vdc = c.vdcName();
    x.state = c.state();
    x.progress = site::phaseProgress(c);
    x.owner = c.ownerInstanceId();
    if (!x.state.isEmpty())
        x.stateText = c.markForDelete() && x.state != QLatin1String("deleting") ? x.state + tr(" (delete requested)") : x.state;
    else
        x.stateText = tr("waiting for a server"); // no server has looked at it yet
    const QString phase = c.phase();
    if (!phase.isEmpty())
        x.phaseText = QStringLiteral("%1 (%2%)").arg(phase).arg(x.progress);
    x.kubernetes = c.kubernetesVersion();
    if (!c.nodePools().isEmpty())
        x.nodes = QStringLiteral("%1/%2").arg(c.availableNodes()).arg(c.desiredNodes());
    x.autoRepair = c.autoRepairOnErrors() ? tr("on") : tr("off");
    x.lastError = c.lastError();
    if (x.state == rde::clusterstate::kError)
        x.tone = Tone::Bad;
    else if (x.state == rde::clusterstate::kProvisioned)
        x.tone = c.markForDelete() ? Tone::Busy : Tone::Good;
    else if (x.state.isEmpty())
        x.tone = Tone::Warning;
    else
        x.tone = Tone::Busy;
    return x;
}

QVariant ClusterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Cells &x = m_cells.at(index.row());
    switch (role) {
    case IdRole: return m_rows.at(index.row()).id;
    case EtagRole: return m_rows.at(index.row()).etag;
    case StateRole: return x.state;
    case OrgRole: return x.org;
    case OwnerRole: return x.owner;
    case ProgressRole: return x.progress;
    case ToneRole: return int(x.tone);
    case Qt::DisplayRole:
    case Qt::ToolTipRole: break;
    default: return {};
    }
    switch (index.column()) {
    case Name: return x.name;
    case Org: return x.org;
    case Vdc: return x.vdc;
    case State: return x.stateText;
    case Phase: return x.phaseText;
    case Owner: return m_replicaNames.value(x.owner, x.owner);
    case Kubernetes: return x.kubernetes;
    case Nodes: return x.nodes;
    case AutoRepair: return x.autoRepair;
    case LastError: return x.lastError;
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
        m_cells.remove(first, i - first + 1);
        endRemoveRows();
        i = first - 1;
    }
    reindex();
    // Update the rows that stayed: only a changed row emits dataChanged.
    // Lists carry no ETags, so the content decides (QJsonObject compares
    // structurally without serialising; a number spelled differently only
    // costs one needless dataChanged).
    for (int i = 0; i < m_rows.size(); ++i) {
        const rde::DefinedEntity &fresh = *incoming.value(m_rows.at(i).id);
        if (fresh.etag != m_rows.at(i).etag || fresh.toJson() != m_rows.at(i).toJson()) {
            m_rows[i] = fresh;
            m_cells[i] = cellsOf(fresh);
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
        QList<Cells> cells;
        cells.reserve(added.size());
        for (const rde::DefinedEntity &e : std::as_const(added))
            cells.append(cellsOf(e));
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows += added;
        m_cells += cells;
        reindex();
        endInsertRows();
    }
}

} // namespace cse::items
