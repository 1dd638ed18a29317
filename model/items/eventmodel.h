// The merged event and error timeline of one cluster: the server's
// (status.vcdKe) and the infrastructure's (status.capvcd), newest first.
// Rows are keyed by their content: a refresh inserts and removes rows, never resets.
#pragma once

#include "core/result.h"
#include "rde/definedentity.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace cse::items {

class EventModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Kind, Source, Name, Detail, ColumnCount };
    enum Role { IsErrorRole = Qt::UserRole + 1, ToneRole };

    struct Entry
    {
        QDateTime at;
        bool error = false;
        bool server = true; // vcdKe (server) or capvcd (infrastructure)
        QString name;
        QString detail;
        QString key() const;
    };

    explicit EventModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Shows this cluster's timeline; an empty entity clears.
    void setCluster(const rde::DefinedEntity &cluster);
    QString clusterId() const { return m_clusterId; }
    static QList<Entry> timeline(const rde::DefinedEntity &cluster);

private:
    void apply(const QList<Entry> &entries);
    QString m_clusterId;
    QList<Entry> m_rows;
};

// Every failed request of the session: the activity pane.
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Operation, Status, MinorCode, RequestId, Message, ColumnCount };
    explicit ActivityModel(QObject *parent = nullptr, int limit = 1000);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void add(const cse::Error &error, const QDateTime &at = QDateTime::currentDateTime());

private:
    struct Row
    {
        QDateTime at;
        cse::Error error;
    };
    int m_limit;
    QList<Row> m_rows;
};

} // namespace cse::items
