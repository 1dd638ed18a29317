#include "replicamodel.h"

#include "clustermodel.h"
#include "site/site.h"

#include <QSet>

namespace cse::items {

ReplicaModel::ReplicaModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ReplicaModel::setSite(site::Site *site)
{
    connect(site, &site::Site::replicasChanged, this, [this, site] { update(site->replicas()); });
    update(site->replicas());
}

int ReplicaModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReplicaModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReplicaModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Replica");
    case State: return tr("State");
    case Heartbeat: return tr("Heartbeat age");
    case Version: return tr("Version");
    case Host: return tr("Host");
    case ClustersOwned: return tr("Clusters owned");
    case Fenced: return tr("Fenced");
    case Takeovers: return tr("Takeovers");
    case LastTakeover: return tr("Last takeover");
    case LastError: return tr("Last error");
    default: return {};
    }
}

QString ReplicaModel::healthText(site::ReplicaStatus::Health h)
{
    switch (h) {
    case site::ReplicaStatus::Health::Live: return tr("running");
    case site::ReplicaStatus::Health::Fenced: return tr("fenced");
    case site::ReplicaStatus::Health::Draining: return tr("draining");
    case site::ReplicaStatus::Health::Stopped: return tr("stopped");
    case site::ReplicaStatus::Health::Lost: return tr("lost (no heartbeat)");
    }
    return {};
}

QVariant ReplicaModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const site::ReplicaStatus &r = m_rows.at(index.row());
    switch (role) {
    case IdRole: return r.entityId;
    case HealthRole: return int(r.health);
    case AgeMsRole: return r.ageMs;
    case ToneRole:
        switch (r.health) {
        case site::ReplicaStatus::Health::Live: return int(Tone::Good);
        case site::ReplicaStatus::Health::Draining: return int(Tone::Busy);
        case site::ReplicaStatus::Health::Stopped: return int(Tone::Neutral);
        case site::ReplicaStatus::Health::Fenced: return int(Tone::Warning);
        case site::ReplicaStatus::Health::Lost: return int(Tone::Bad);
        }
        return {};
    case Qt::DisplayRole:
    case Qt::ToolTipRole: break;
    default: return {};
    }
    switch (index.column()) {
    case Name: return r.name;
    case State: return healthText(r.health);
    case Heartbeat: return tr("%1 s (#%2)").arg(r.ageMs / 1000).arg(r.heartbeat);
    case Version: return r.version;
    case Host: return r.host;
    case ClustersOwned: return role == Qt::ToolTipRole ? r.clustersOwned.join(QLatin1Char('\n')) : QString::number(r.clustersOwned.size());
    case Fenced: return r.suspect ? tr("yes") : tr("no");
    case Takeovers: return r.takeovers;
    case LastTakeover: return r.lastTakeoverAt;
    case LastError: return r.lastError;
    default: return {};
    }
}

void ReplicaModel::reindex()
{
    m_rowOf.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows.at(i).entityId, i);
}

void ReplicaModel::update(const QList<site::ReplicaStatus> &replicas)
{
    QHash<QString, const site::ReplicaStatus *> incoming;
    for (const site::ReplicaStatus &r : replicas)
        incoming.insert(r.entityId, &r);
    for (int i = int(m_rows.size()) - 1; i >= 0; --i)
        if (!incoming.contains(m_rows.at(i).entityId)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    reindex();
    for (int i = 0; i < m_rows.size(); ++i) {
        const site::ReplicaStatus &fresh = *incoming.value(m_rows.at(i).entityId);
        if (!(fresh == m_rows.at(i))) {
            m_rows[i] = fresh;
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
    QList<site::ReplicaStatus> added;
    QSet<QString> seen;
    for (const site::ReplicaStatus &r : replicas)
        if (!m_rowOf.contains(r.entityId) && !seen.contains(r.entityId)) {
            seen.insert(r.entityId);
            added.append(r);
        }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows += added;
        reindex();
        endInsertRows();
    }
}

} // namespace cse::items
