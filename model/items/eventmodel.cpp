#include "eventmodel.h"

#include "clustermodel.h"
#include "rde/cluster.h"

#include <QSet>
#include <algorithm>

namespace cse::items {

QString EventModel::Entry::key() const
{
    return QStringLiteral("%1|%2|%3|%4|%5").arg(at.toString(Qt::ISODateWithMs)).arg(int(error)).arg(int(server)).arg(name, detail);
}

EventModel::EventModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Kind: return tr("Kind");
    case Source: return tr("Source");
    case Name: return tr("Name");
    case Detail: return tr("Detail");
    default: return {};
    }
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Entry &e = m_rows.at(index.row());
    if (role == IsErrorRole)
        return e.error;
    if (role == ToneRole)
        return int(e.error ? Tone::Bad : Tone::Neutral);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time: return e.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Kind: return e.error ? tr("error") : tr("event");
    case Source: return e.server ? tr("server") : tr("infrastructure");
    case Name: return e.name;
    case Detail: return e.detail;
    default: return {};
    }
}

QList<EventModel::Entry> EventModel::timeline(const rde::DefinedEntity &cluster)
{
    const rde::Cluster c(cluster.entity);
    QList<Entry> out;
    auto add = [&out](const QList<rde::ClusterEvent> &list, bool error, bool server) {
        for (const rde::ClusterEvent &ev : list)
            out.append({ev.occurredAt, error, server, ev.name, ev.detail});
    };
    add(c.vcdKeLog(rde::Cluster::Log::Event), false, true);
    add(c.vcdKeLog(rde::Cluster::Log::Error), true, true);
    add(c.capvcdLog(rde::Cluster::Log::Event), false, false);
    add(c.capvcdLog(rde::Cluster::Log::Error), true, false);
    std::stable_sort(out.begin(), out.end(), [](const Entry &a, const Entry &b) { return a.at > b.at; });
    return out;
}

void EventModel::setCluster(const rde::DefinedEntity &cluster)
{
    if (cluster.id != m_clusterId && !m_rows.isEmpty()) {
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        endRemoveRows();
    }
    m_clusterId = cluster.id;
    apply(cluster.id.isEmpty() ? QList<Entry>{} : timeline(cluster));
}

void EventModel::apply(const QList<Entry> &entries)
{
    QSet<QString> wanted;
    for (const Entry &e : entries)
        wanted.insert(e.key());
    for (int i = int(m_rows.size()) - 1; i >= 0; --i)
        if (!wanted.contains(m_rows.at(i).key())) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    // Both lists are ordered newest first: walk them together, inserting what is new.
    for (int i = 0; i < entries.size(); ++i) {
        if (i < m_rows.size() && m_rows.at(i).key() == entries.at(i).key())
            continue;
        beginInsertRows({}, i, i);
        m_rows.insert(i, entries.at(i));
        endInsertRows();
    }
}

ActivityModel::ActivityModel(QObject *parent, int limit)
    : QAbstractTableModel(parent), m_limit(limit)
{
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Operation: return tr("Request");
    case Status: return tr("HTTP status");
    case MinorCode: return tr("Minor code");
    case RequestId: return tr("Request id");
    case Message: return tr("Error");
    default: return {};
    }
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (index.column()) {
    case Time: return r.at.toString(QStringLiteral("HH:mm:ss"));
    case Operation: return r.error.operation;
    case Status: return r.error.httpStatus ? QString::number(r.error.httpStatus) : toString(r.error.kind);
    case MinorCode: return r.error.minorErrorCode;
    case RequestId: return r.error.requestId;
    case Message: return r.error.message;
    default: return {};
    }
}

void ActivityModel::add(const cse::Error &error, const QDateTime &at)
{
    if (m_rows.size() >= m_limit) {
        beginRemoveRows({}, 0, 0);
        m_rows.removeFirst();
        endRemoveRows();
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append({at, error});
    endInsertRows();
}

} // namespace cse::items
