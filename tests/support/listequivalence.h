// Random entity lists compared two ways: compiled to SQL (sim::listEntities
// with ListEvaluation::Sql) and the in-memory evaluator over every entity
// (ListEvaluation::InMemory). Used on SQLite (unit test) and PostgreSQL
// (tst_sim_postgres).
#pragma once

#include "store.h"

#include <QString>

namespace cse::test {

struct ListEquivalenceReport
{
    QString mismatch;   // empty: every list matched; else the first difference, with its filter
    int lists = 0;
    int decidedInSql = 0; // lists the SQL path answered without the in-memory evaluator
};

// Inserts `entities` random entities (through Store::insertEntities) and
// compares `lists` random filtered, sorted, paged lists. The seed makes the
// run repeatable.
ListEquivalenceReport compareRandomLists(sim::Store &store, quint32 seed, int entities, int lists);

} // namespace cse::test
