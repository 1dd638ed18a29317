// Every cluster the console sees, one row each, updated in place by entity
// id (a hash from id to row; no model resets on refresh). No Widgets.
#pragma once

#include "rde/definedentity.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace cse::site {
class Site;
}

namespace cse::items {

// How a row should look; views map it to a colour.
enum class Tone { Neutral, Good, Busy, Warning, Bad };

class ClusterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Org, Vdc, State, Phase, Owner, Kubernetes, Nodes, AutoRepair, LastError, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1,
        EtagRole,
        StateRole,     // status.vcdKe.state as written ("" before a server looked)
        OrgRole,
        OwnerRole,
        ProgressRole,  // 0..100: position of the phase
        ToneRole,      // items::Tone as int
    };

    explicit ClusterModel(QObject *parent = nullptr);

    // Follows the site's clustersChanged.
    void setSite(site::Site *site);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the content with `entities`: rows that vanished are removed,
    // changed rows emit dataChanged for that row only, new rows are appended.
    void update(const QList<rde::DefinedEntity> &entities);
    int rowOf(const QString &id) const { return m_rowOf.value(id, -1); }
    const rde::DefinedEntity &entityAt(int row) const { return m_rows.at(row); }
    // Owner replica names by instance id, for display.
    void setReplicaNames(const QHash<QString, QString> &byInstanceId);

private:
    // What data() answers, worked out once per row when the row arrives or
    // changes: sorting and filtering 10,000 rows ask data() millions of times.
    struct Cells
    {
        QString name, org, vdc, state, stateText, phaseText, owner, kubernetes, nodes, autoRepair, lastError;
        int progress = 0;
        Tone tone = Tone::Neutral;
    };
    static Cells cellsOf(const rde::DefinedEntity &e);
    void reindex();
    QList<rde::DefinedEntity> m_rows;
    QList<Cells> m_cells; // parallel to m_rows
    QHash<QString, int> m_rowOf;
    QHash<QString, QString> m_replicaNames;
};

} // namespace cse::items
