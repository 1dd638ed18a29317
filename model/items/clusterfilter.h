// Sorting and filtering of the clusters table: a search text (name, org,
// VDC, error) and exact filters by state, organization and owner replica.
#pragma once

#include <QSortFilterProxyModel>

namespace cse::items {

class ClusterFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    // A state filter value that matches clusters no server has looked at.
    static QString waitingState() { return QStringLiteral("-"); }

    explicit ClusterFilterModel(QObject *parent = nullptr);
    void setSearchText(const QString &text);
    QString searchText() const { return m_text; } // as applied (trimmed)
    void setStateFilter(const QString &state); // empty: any
    void setOrgFilter(const QString &org);     // empty: any
    void setOwnerFilter(const QString &instanceId); // empty: any

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QString m_state;
    QString m_org;
    QString m_owner;
};

} // namespace cse::items
