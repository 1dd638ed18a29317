// Filtered, sorted, paged lists of defined entities. The FIQL filter and the
// sort are compiled to SQL (SQLite json_extract / PostgreSQL jsonb, served by
// the store's expression indexes) so that a page costs about what its result
// costs, not what the table holds. What SQL cannot express exactly is named in
// entitylist.cpp; such a list is narrowed in SQL and finished by the in-memory
// evaluator (FiqlFilter::matches, FiqlFilter::compare), which stays the
// reference: both give the same ids in the same order.
#pragma once

#include "fiql.h"
#include "store.h"

#include <QHash>

namespace cse::sim {

struct EntityListQuery
{
    QStringList typeIds;
    QString orgId;            // empty: every org
    FiqlFilter filter;
    QString sortKey;          // empty: creation order
    bool descending = false;
    int page = 1;             // 1-based
    int pageSize = 25;
    // Type id -> dotted paths under `entity` that lists never show (secure
    // fields): a filter or sort sees them as missing.
    QHash<QString, QStringList> securePaths;
};

struct EntityListPage
{
    int total = 0;                  // every match, not just this page
    QList<EntityRow> rows;          // the page, secure fields removed
    bool evaluatedInMemory = false; // the in-memory evaluator decided (fully or in part)
};

enum class ListEvaluation {
    Sql,      // compiled to SQL where exact, the in-memory evaluator for the rest
    InMemory, // every entity of the types read and evaluated in memory (the reference)
};

Result<EntityListPage> listEntities(Store &store, const EntityListQuery &query, ListEvaluation how = ListEvaluation::Sql);

// A DefinedEntity's fields as FIQL keys, without building its JSON
// (Undefined when the key selects nothing).
QJsonValue entityField(const EntityRow &row, const QString &key);

// The filter as a WHERE clause over the entities table. `exact` false: the
// clause is a superset (some comparison could not be decided in SQL) and the
// in-memory evaluator must confirm each row.
struct CompiledFilter
{
    SqlFragment where;
    bool exact = true;
};
CompiledFilter compileEntityFilter(const FiqlFilter &filter, bool postgres, const QStringList &typeIds,
                                   const QHash<QString, QStringList> &securePaths);

} // namespace cse::sim
