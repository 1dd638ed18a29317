// The plan of a restore, one row per entity: what it is, where it goes and
// what the restore will do with it (create, update, unchanged, conflict).
// Rows are keyed by kind and original id: a new plan for the same archive
// (after an org mapping changed, or after the restore) updates the rows in
// place; a plan of other entities replaces them.
#pragma once

#include "backup/restore.h"

#include <QAbstractTableModel>
#include <QList>

namespace cse::items {

class PlanModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Entity, Type, Org, Action, Reason, ColumnCount };
    enum Role {
        ActionRole = Qt::UserRole + 1, // backup::Action as int
        KeyRole,                       // "<kind> <original id>"
        SourceOrgRole,                 // the org in the archive (before mapping)
        ToneRole,                      // items::Tone as int
    };

    explicit PlanModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setPlan(const backup::Plan &plan);
    void clear();
    int count(backup::Action action) const;
    static QString actionText(backup::Action action);
    static QString typeText(const QString &kind);
    // Why the item got its action and what to do about it, in the console's
    // words (PlanItem::reason is the command line's).
    static QString reasonText(const backup::PlanItem &item);

private:
    struct Row
    {
        QString key;
        QString name;
        QString kind;
        QString sourceOrg;
        QString targetOrg;
        QString id;
        backup::Action action = backup::Action::Unchanged;
        QString reason;
        bool operator==(const Row &o) const;
    };
    QList<Row> m_rows;
};

} // namespace cse::items
