#include "planmodel.h"

#include "backup/archive.h"
#include "clustermodel.h"

namespace cse::items {

bool PlanModel::Row::operator==(const Row &o) const
{
    return key == o.key && name == o.name && kind == o.kind && sourceOrg == o.sourceOrg && targetOrg == o.targetOrg && id == o.id
           && action == o.action && reason == o.reason;
}

PlanModel::PlanModel(QObject *parent) : QAbstractTableModel(parent) {}

int PlanModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PlanModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Entity: return tr("Entity");
    case Type: return tr("Type");
    case Org: return tr("Organization");
    case Action: return tr("Action");
    case Reason: return tr("Reason");
    default: return {};
    }
}

QString PlanModel::actionText(backup::Action action)
{
    switch (action) {
    case backup::Action::Create: return tr("create");
    case backup::Action::Update: return tr("update");
    case backup::Action::Unchanged: return tr("unchanged");
    case backup::Action::Conflict: return tr("conflict");
    }
    return {};
}

QString PlanModel::typeText(const QString &kind)
{
    if (kind == backup::kind::kCluster)
        return tr("cluster");
    if (kind == backup::kind::kConfig)
        return tr("server configuration");
    if (kind == backup::kind::kServerInstance)
        return tr("server instance");
    return kind;
}

QString PlanModel::reasonText(const backup::PlanItem &i)
{
    switch (i.why) {
    case backup::Why::NotInTarget: return tr("Not on this site: created in %1.").arg(i.targetOrg);
    case backup::Why::ConfigDiffers:
        return tr("The site's server configuration differs: the archived one replaces it (the site's list of registered replicas "
                  "is kept).");
    case backup::Why::NotResolved: return tr("An earlier restore stopped before resolving it: it is resolved now.");
    case backup::Why::SameAsArchived: return tr("The site holds it as archived: nothing to do.");
    case backup::Why::OrgMissing:
        return tr("Organization %1 does not exist on this site. Create it in VCD, or enter an existing organization for %2 in "
                  "the \"Restore into org\" column above.")
            .arg(i.targetOrg, i.sourceOrg);
    case backup::Why::TypeMissing:
        return tr("Its entity type %1 is not registered on this site: the provider installs the CSE server's types first, then "
                  "run the dry run again.")
            .arg(i.entry ? i.entry->entity.entityType : QString());
    case backup::Why::ChangedInTarget: return tr("Changed on this site since the backup (spec or name differ): left as it is.");
    }
    return i.reason;
}

QVariant PlanModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Entity: return r.name;
        case Type: return typeText(r.kind);
        case Org:
            return r.targetOrg.compare(r.sourceOrg, Qt::CaseInsensitive) == 0 || r.sourceOrg.isEmpty()
                       ? r.targetOrg
                       : tr("%1 (from %2)").arg(r.targetOrg, r.sourceOrg);
        case Action: return actionText(r.action);
        case Reason: return r.reason;
        default: return {};
        }
    case Qt::ToolTipRole:
        return index.column() == Entity ? r.id : (index.column() == Reason ? r.reason : QVariant());
    case ActionRole: return int(r.action);
    case KeyRole: return r.key;
    case SourceOrgRole: return r.sourceOrg;
    case ToneRole:
        switch (r.action) {
        case backup::Action::Create: return int(Tone::Busy);
        case backup::Action::Update: return int(Tone::Warning);
        case backup::Action::Unchanged: return int(Tone::Good);
        case backup::Action::Conflict: return int(Tone::Bad);
        }
        return int(Tone::Neutral);
    default: return {};
    }
}

void PlanModel::setPlan(const backup::Plan &plan)
{
    QList<Row> rows;
    rows.reserve(plan.items.size());
    for (const backup::PlanItem &i : plan.items)
        rows.append(Row{i.kind + QLatin1Char(' ') + i.originalId, i.name, i.kind, i.sourceOrg, i.targetOrg, i.originalId, i.action,
                        reasonText(i)});
    bool sameKeys = rows.size() == m_rows.size();
    for (int i = 0; sameKeys && i < rows.size(); ++i)
        sameKeys = rows[i].key == m_rows[i].key;
    if (!sameKeys) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    for (int i = 0; i < rows.size(); ++i) {
        if (rows[i] == m_rows[i])
            continue;
        m_rows[i] = rows[i];
        Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
    }
}

void PlanModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int PlanModel::count(backup::Action action) const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(), [action](const Row &r) { return r.action == action; }));
}

} // namespace cse::items
