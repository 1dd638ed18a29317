// The server replicas, one row each, updated in place by entity id.
#pragma once

#include "site/replicatracker.h"

#include <QAbstractTableModel>
#include <QHash>

namespace cse::site {
class Site;
}

namespace cse::items {

class ReplicaModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, State, Heartbeat, Version, Host, ClustersOwned, Fenced, Takeovers, LastTakeover, LastError, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, HealthRole, AgeMsRole, ToneRole };

    explicit ReplicaModel(QObject *parent = nullptr);
    void setSite(site::Site *site);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void update(const QList<site::ReplicaStatus> &replicas);
    int rowOf(const QString &entityId) const { return m_rowOf.value(entityId, -1); }
    const site::ReplicaStatus &replicaAt(int row) const { return m_rows.at(row); }
    static QString healthText(site::ReplicaStatus::Health h);

private:
    void reindex();
    QList<site::ReplicaStatus> m_rows;
    QHash<QString, int> m_rowOf;
};

} // namespace cse::items
