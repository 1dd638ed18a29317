// Every cluster the console sees, one row each, updated in place by entity
// id (no model resets on refresh). No Widgets: usable by any view.
#pragma once

#include "rde/definedentity.h"

#include <QAbstractTableModel>
#include <QList>

namespace cse::items {

class ClusterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Org, State, Phase, Kubernetes, Nodes, Owner, LastError, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, EtagRole };

    explicit ClusterModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the content with `entities`: rows that vanished are removed,
    // changed rows emit dataChanged, new rows are appended.
    void update(const QList<rde::DefinedEntity> &entities);
    int rowOf(const QString &id) const;
    const rde::DefinedEntity &entityAt(int row) const { return m_rows.at(row); }

private:
    QList<rde::DefinedEntity> m_rows;
};

} // namespace cse::items
