#include "clustermodel.h"

#include "rde/cluster.h"
#include "rde/json.h"

#include <QHash>
#include <QSet>

namespace cse::items {

ClusterModel::ClusterModel(QObject *parent)
    : QAbstractTableModel(parent)
{
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
    case State: return tr("State");
    case Phase: return tr("Phase");
    case Kubernetes: return tr("Kubernetes");
    case Nodes: return tr("Nodes");
    case Owner: return tr("Owner replica");
    case LastError: return tr("Last error");
    default: return {};
    }
}

QVariant ClusterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const rde::DefinedEntity &e = m_rows.at(index.row());
    if (role == IdRole)
        return e.id;
    if (role == EtagRole)
        return e.etag;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const rde::Cluster c(e.entity);
    switch (index.column()) {
    case Name: return c.name().isEmpty() ? e.name : c.name();
    case Org: return e.org.name;
    case State: {
        const QString s = c.state();
        if (!s.isEmpty())
            return c.markForDelete() && s != QLatin1String("deleting") ? s + tr(" (delete requested)") : s;
        return e.state == QLatin1String("PRE_CREATED") ? tr("waiting for a server") : e.state;
    }
    case Phase: return c.phase();
    case Kubernetes: return c.kubernetesVersion();
    case Nodes: return c.nodePools().isEmpty() ? QString() : QStringLiteral("%1/%2").arg(c.availableNodes()).arg(c.desiredNodes());
    case Owner: return c.ownerInstanceId();
    case LastError: return c.lastError();
    default: return {};
    }
}

int ClusterModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).id == id)
            return i;
    return -1;
}

void ClusterModel::update(const QList<rde::DefinedEntity> &entities)
{
    QHash<QString, const rde::DefinedEntity *> incoming;
    for (const rde::DefinedEntity &e : entities)
        incoming.insert(e.id, &e);
    // Remove vanished rows, from the bottom up.
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!incoming.contains(m_rows.at(i).id)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    // Update the rows that stayed.
    QSet<QString> present;
    for (int i = 0; i < m_rows.size(); ++i) {
        const rde::DefinedEntity &fresh = *incoming.value(m_rows.at(i).id);
        present.insert(fresh.id);
        if (json::canonical(fresh.toJson()) != json::canonical(m_rows.at(i).toJson()) || fresh.etag != m_rows.at(i).etag) {
            m_rows[i] = fresh;
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
    // Append the new ones in the order given.
    QList<rde::DefinedEntity> added;
    for (const rde::DefinedEntity &e : entities)
        if (!present.contains(e.id))
            added.append(e);
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows += added;
        endInsertRows();
    }
}

} // namespace cse::items
