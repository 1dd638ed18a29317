#include "clusterfilter.h"

#include "clustermodel.h"

namespace cse::items {

ClusterFilterModel::ClusterFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ClusterFilterModel::setSearchText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void ClusterFilterModel::setStateFilter(const QString &state)
{
    m_state = state;
    invalidateFilter();
}

void ClusterFilterModel::setOrgFilter(const QString &org)
{
    m_org = org;
    invalidateFilter();
}

void ClusterFilterModel::setOwnerFilter(const QString &instanceId)
{
    m_owner = instanceId;
    invalidateFilter();
}

bool ClusterFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *m = sourceModel();
    const QModelIndex first = m->index(sourceRow, 0, sourceParent);
    if (!m_state.isEmpty()) {
        const QString state = first.data(ClusterModel::StateRole).toString();
        if (m_state == waitingState() ? !state.isEmpty() : state != m_state)
            return false;
    }
    if (!m_org.isEmpty() && first.data(ClusterModel::OrgRole).toString() != m_org)
        return false;
    if (!m_owner.isEmpty() && first.data(ClusterModel::OwnerRole).toString() != m_owner)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column : {int(ClusterModel::Name), int(ClusterModel::Org), int(ClusterModel::Vdc), int(ClusterModel::LastError),
                       int(ClusterModel::Kubernetes)})
        if (m->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace cse::items
