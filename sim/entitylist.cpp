#include "entitylist.h"

#include "fiql_p.h"
#include "rde/json.h"

#include <algorithm>
#include <cmath>

// How a FIQL comparison becomes SQL, and where SQL stops being exact.
//
// The in-memory evaluator (fiql.cpp) is the reference. For a key it selects a
// value v; a missing value, an object or an array never matches. A '*'
// pattern matches the text of v; otherwise a number v against a literal that
// parses as a number compares numerically, and anything else compares the
// text of v (strings as they are, true/false/null as words, numbers as
// QString::number(v, 'g', 17)) with the literal, by UTF-16 code units.
//
// Columns (name, state, org.name, ...) are always text in the evaluator (a
// NULL column reads as ""; externalId NULL as the JSON null, text "null"), so
// they compile to plain comparisons and equality uses the column's index.
// Paths under `entity.` compile per JSON type of the value: numbers compare
// numerically, strings/booleans/null by their text, objects/arrays/missing
// never match. Text order in SQL is code-point order (SQLite BINARY,
// PostgreSQL COLLATE "C"), equal to UTF-16 order unless one side has a
// character at or above U+D800 where they differ; a literal free of such
// characters cannot expose that difference.
//
// Not exact in SQL (the clause then keeps those rows, the result is marked
// inexact and the in-memory evaluator finishes the list over what SQL kept):
//  - a number compared as text: a '*' pattern, or =lt=/=le=/=gt=/=ge= with a
//    literal that is not a number (the 'g', 17 spelling of a double has no
//    portable SQL equivalent), or a literal that parses as inf/nan;
//  - =lt=/=le=/=gt=/=ge= with a literal holding a character >= U+D800;
//  - a path step SQLite's JSON paths cannot name exactly (empty, or holding
//    '"', '\' or a control character), or on PostgreSQL a step after the first
//    that reads as an integer (jsonb would index into an array, the evaluator
//    does not);
//  - sorting by an `entity.` path whose values mix numbers with other values
//    (the evaluator's order is then not a total order SQL can reproduce), or
//    by a path that touches a secure field.
// Sorting on text columns compares code points, not UTF-16 units: the two
// differ only between characters above U+FFFF and U+E000..U+FFFF in the
// stored data (never in clients' names, states or ids).

namespace cse::sim {

namespace {

using Node = FiqlFilter::Node;

SqlFragment frag(const QString &sql, const QVariantList &binds = {}) { return {sql, binds}; }

SqlFragment cat(std::initializer_list<SqlFragment> parts)
{
    SqlFragment out;
    for (const SqlFragment &p : parts) {
        out.sql += p.sql;
        out.binds += p.binds;
    }
    return out;
}

SqlFragment joined(const QList<SqlFragment> &parts, const QString &sep)
{
    SqlFragment out;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i)
            out.sql += sep;
        out.sql += parts.at(i).sql;
        out.binds += parts.at(i).binds;
    }
    return out;
}

const SqlFragment kTrue = frag(QStringLiteral("1=1"));
const SqlFragment kFalse = frag(QStringLiteral("1=0"));

QString sqlOp(const QString &fiqlOp)
{
    if (fiqlOp == QLatin1String("=="))
        return QStringLiteral("=");
    if (fiqlOp == QLatin1String("!="))
        return QStringLiteral("<>");
    if (fiqlOp == QLatin1String("=lt="))
        return QStringLiteral("<");
    if (fiqlOp == QLatin1String("=le="))
        return QStringLiteral("<=");
    if (fiqlOp == QLatin1String("=gt="))
        return QStringLiteral(">");
    return QStringLiteral(">=");
}

// A literal as a bound text value: never NULL (QtSql binds a null QString as
// NULL, and the parser leaves an empty literal null).
QVariant textBind(const QString &s) { return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s); }

bool isOrdering(const QString &op) { return op != QLatin1String("==") && op != QLatin1String("!="); }

bool hasHighCharacter(const QString &s)
{
    for (const QChar c : s)
        if (c.unicode() >= 0xD800)
            return true;
    return false;
}

// The column a top-level key reads, or empty for `entity.` paths.
QString columnOf(const QString &key)
{
    static const QHash<QString, QString> columns = {
        {QStringLiteral("name"), QStringLiteral("name")},
        {QStringLiteral("id"), QStringLiteral("id")},
        {QStringLiteral("externalId"), QStringLiteral("external_id")},
        {QStringLiteral("entityType"), QStringLiteral("type_id")},
        {QStringLiteral("state"), QStringLiteral("state")},
        {QStringLiteral("entityState"), QStringLiteral("entity_state")},
        {QStringLiteral("org.name"), QStringLiteral("org_name")},
        {QStringLiteral("org.id"), QStringLiteral("org_id")},
        {QStringLiteral("owner.name"), QStringLiteral("owner_name")},
        {QStringLiteral("owner.id"), QStringLiteral("owner_id")},
        {QStringLiteral("creationDate"), QStringLiteral("created")},
        {QStringLiteral("lastModificationDate"), QStringLiteral("modified")},
    };
    return columns.value(key);
}

// The column's value as the evaluator's text.
QString columnText(const QString &column)
{
    if (column == QLatin1String("external_id"))
        return QStringLiteral("COALESCE(external_id, 'null')");
    return QStringLiteral("COALESCE(%1, '')").arg(column);
}

// Wildcard parts as a pattern: SQLite GLOB (case-sensitive) or PostgreSQL
// LIKE with '!' as the escape character.
QString pattern(const QStringList &parts, bool postgres)
{
    QStringList escaped;
    for (QString p : parts) {
        if (postgres) {
            p.replace(QLatin1Char('!'), QStringLiteral("!!")).replace(QLatin1Char('%'), QStringLiteral("!%"))
                .replace(QLatin1Char('_'), QStringLiteral("!_"));
        } else {
            QString out;
            for (const QChar c : p) {
                if (c == QLatin1Char('[') || c == QLatin1Char('*') || c == QLatin1Char('?'))
                    out += QLatin1Char('[') + c + QLatin1Char(']');
                else
                    out += c;
            }
            p = out;
        }
        escaped << p;
    }
    return escaped.join(postgres ? QLatin1Char('%') : QLatin1Char('*'));
}

SqlFragment patternMatch(const SqlFragment &text, bool negate, const QStringList &parts, bool postgres)
{
    const QString op = postgres ? (negate ? QStringLiteral(" NOT LIKE ? ESCAPE '!'") : QStringLiteral(" LIKE ? ESCAPE '!'"))
                                : (negate ? QStringLiteral(" NOT GLOB ?") : QStringLiteral(" GLOB ?"));
    return cat({frag(QStringLiteral("(")), text, frag(op + QLatin1Char(')'), {pattern(parts, postgres)})});
}

// The SQL that reads one JSON path under `entity`: its value (V) and its type (TY).
struct JsonPath
{
    bool ok = false;
    SqlFragment value; // SQLite: json_extract (SQL value); PostgreSQL: text
    SqlFragment type;  // SQLite: json_type names; PostgreSQL: jsonb_typeof names; NULL when missing
};

JsonPath jsonPath(const QStringList &steps, bool postgres)
{
    JsonPath p;
    bool plain = true;
    for (const QString &s : steps)
        plain = plain && Store::isPlainJsonStep(s);
    if (plain) {
        // Written into the SQL (only [A-Za-z0-9_]) so that it matches the
        // store's expression indexes.
        p.value = frag(Store::jsonValueSql(postgres, steps));
        p.type = postgres ? frag(QStringLiteral("jsonb_typeof(entity::jsonb #> '{%1}')").arg(steps.join(QLatin1Char(','))))
                          : frag(QStringLiteral("json_type(entity, '$.%1')").arg(steps.join(QLatin1Char('.'))));
        p.ok = true;
        return p;
    }
    if (postgres) {
        QStringList marks;
        QVariantList binds;
        for (qsizetype i = 0; i < steps.size(); ++i) {
            const QString t = steps.at(i).trimmed();
            if (i > 0 && !t.isEmpty() && (t.at(0).isDigit() || t.at(0) == QLatin1Char('-') || t.at(0) == QLatin1Char('+')))
                return p; // jsonb would read it as an array index
            marks << QStringLiteral("?");
            binds << steps.at(i);
        }
        p.value = frag(QStringLiteral("jsonb_extract_path_text(entity::jsonb, %1)").arg(marks.join(QLatin1Char(','))), binds);
        p.type = frag(QStringLiteral("jsonb_typeof(jsonb_extract_path(entity::jsonb, %1))").arg(marks.join(QLatin1Char(','))), binds);
        p.ok = true;
        return p;
    }
    QString path = QStringLiteral("$");
    for (const QString &s : steps) {
        if (s.isEmpty())
            return p;
        for (const QChar c : s)
            if (c == QLatin1Char('"') || c == QLatin1Char('\\') || c.unicode() < 0x20)
                return p;
        path += QStringLiteral(".\"") + s + QLatin1Char('"');
    }
    p.value = frag(QStringLiteral("json_extract(entity, ?)"), {path});
    p.type = frag(QStringLiteral("json_type(entity, ?)"), {path});
    p.ok = true;
    return p;
}

SqlFragment isNumber(const JsonPath &p, bool postgres)
{
    return cat({frag(QStringLiteral("(")), p.type,
                frag(postgres ? QStringLiteral(" = 'number')") : QStringLiteral(" IN ('integer','real'))"))});
}

// The value as a number, NULL unless it is one.
SqlFragment numberValue(const JsonPath &p, bool postgres)
{
    if (!postgres)
        return cat({frag(QStringLiteral("(CASE WHEN ")), isNumber(p, false), frag(QStringLiteral(" THEN ")), p.value,
                    frag(QStringLiteral(" END)"))});
    return cat({frag(QStringLiteral("(CASE WHEN ")), p.type, frag(QStringLiteral(" = 'number' THEN CAST(")), p.value,
                frag(QStringLiteral(" AS double precision) END)"))});
}

// The evaluator's text of strings, booleans and null; NULL for the rest
// (`objectsToo`: '' for objects and arrays, as the sort sees them).
SqlFragment textValue(const JsonPath &p, bool postgres, bool objectsToo = false)
{
    const QString rest = objectsToo ? QStringLiteral(" WHEN 'object' THEN '' WHEN 'array' THEN '' END)") : QStringLiteral(" END)");
    if (postgres)
        return cat({frag(QStringLiteral("(CASE ")), p.type, frag(QStringLiteral(" WHEN 'string' THEN ")), p.value,
                    frag(QStringLiteral(" WHEN 'boolean' THEN ")), p.value, frag(QStringLiteral(" WHEN 'null' THEN 'null'") + rest)});
    return cat({frag(QStringLiteral("(CASE ")), p.type, frag(QStringLiteral(" WHEN 'text' THEN ")), p.value,
                frag(QStringLiteral(" WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null'") + rest)});
}

// Secure paths are removed from listed entities before the evaluator sees
// them; json::remove also turns a scalar on the way to one into {}. A key on,
// under or above a secure path therefore never matches in those types.
bool touchesSecure(const QStringList &steps, const QStringList &securePaths)
{
    for (const QString &path : securePaths) {
        const QStringList s = path.split(QLatin1Char('.'));
        const qsizetype n = qMin(s.size(), steps.size());
        if (s.mid(0, n) == steps.mid(0, n))
            return true;
    }
    return false;
}

class Compiler
{
public:
    Compiler(bool postgres, const QStringList &typeIds, const QHash<QString, QStringList> &secure)
        : m_pg(postgres), m_types(typeIds), m_secure(secure)
    {
    }

    bool exact = true;

    // An index serves the node: an equality on an indexed column or path, in
    // one conjunct of an AND or in every branch of an OR.
    static bool indexed(const Node &n)
    {
        if (n.kind == Node::And)
            return std::any_of(n.children.begin(), n.children.end(), [](const auto &c) { return indexed(*c); });
        if (n.kind == Node::Or)
            return std::all_of(n.children.begin(), n.children.end(), [](const auto &c) { return indexed(*c); });
        if (n.op != QLatin1String("==") || !n.wildcardParts.isEmpty() || n.value.isEmpty())
            return false;
        if (n.key == QLatin1String("name") || n.key == QLatin1String("state"))
            return true;
        bool numeric = false;
        const double literal = n.value.toDouble(&numeric);
        return n.key.startsWith(QLatin1String("entity.")) && n.value != QLatin1String("null") && (!numeric || std::isfinite(literal))
               && Store::indexedEntityPaths().contains(n.key.mid(7));
    }

    SqlFragment node(const Node &n)
    {
        if (n.kind == Node::Compare)
            return compare(n);
        QList<SqlFragment> parts;
        for (const auto &c : n.children)
            parts << node(*c);
        return cat({frag(QStringLiteral("(")),
                    joined(parts, n.kind == Node::And ? QStringLiteral(" AND ") : QStringLiteral(" OR ")),
                    frag(QStringLiteral(")"))});
    }

    // Types whose secure fields hide `steps` from lists.
    QStringList hidingTypes(const QStringList &steps) const
    {
        QStringList hiding;
        for (const QString &t : m_types)
            if (touchesSecure(steps, m_secure.value(t)))
                hiding << t;
        return hiding;
    }

private:
    // A row the SQL cannot decide: kept, and the evaluator decides.
    SqlFragment undecided(const SqlFragment &rows)
    {
        exact = false;
        return rows;
    }

    SqlFragment compare(const Node &n)
    {
        const QString column = columnOf(n.key);
        if (!column.isEmpty())
            return columnCompare(n, column);
        const QStringList steps = n.key.mid(7).split(QLatin1Char('.'));
        const QStringList hiding = hidingTypes(steps);
        if (hiding.size() == m_types.size())
            return kFalse;
        SqlFragment inner = pathCompare(n, steps);
        if (hiding.isEmpty())
            return inner;
        QStringList marks;
        QVariantList binds;
        for (const QString &t : hiding) {
            marks << QStringLiteral("?");
            binds << t;
        }
        return cat({frag(QStringLiteral("(type_id NOT IN (%1) AND ").arg(marks.join(QLatin1Char(','))), binds), inner,
                    frag(QStringLiteral(")"))});
    }

    SqlFragment columnCompare(const Node &n, const QString &column)
    {
        const SqlFragment text = frag(columnText(column));
        if (!n.wildcardParts.isEmpty())
            return patternMatch(text, n.op == QLatin1String("!="), n.wildcardParts, m_pg);
        if (n.op == QLatin1String("==") && !n.value.isEmpty() && column != QLatin1String("external_id"))
            return frag(QStringLiteral("(%1 = ?)").arg(column), {textBind(n.value)}); // NULL reads as '', never equal: the index serves
        if (!isOrdering(n.op))
            return frag(QStringLiteral("(%1 %2 ?)").arg(text.sql, sqlOp(n.op)), {textBind(n.value)});
        if (hasHighCharacter(n.value))
            return undecided(kTrue);
        return frag(QStringLiteral("(%1%2 %3 ?)").arg(text.sql, collate(), sqlOp(n.op)), {textBind(n.value)});
    }

    SqlFragment pathCompare(const Node &n, const QStringList &steps)
    {
        const JsonPath p = jsonPath(steps, m_pg);
        if (!p.ok)
            return undecided(kTrue);
        if (!n.wildcardParts.isEmpty()) {
            // Numbers match by their 'g', 17 text: left to the evaluator.
            return cat({frag(QStringLiteral("(")), patternMatch(textValue(p, m_pg), n.op == QLatin1String("!="), n.wildcardParts, m_pg),
                        frag(QStringLiteral(" OR ")), undecided(isNumber(p, m_pg)), frag(QStringLiteral(")"))});
        }
        bool numeric = false;
        const double literal = n.value.toDouble(&numeric);
        SqlFragment numbers;
        if (numeric && std::isfinite(literal) && m_pg)
            numbers = cat({frag(QStringLiteral("(")), numberValue(p, m_pg), frag(QStringLiteral(" %1 ?)").arg(sqlOp(n.op)), {literal})});
        else if (numeric && std::isfinite(literal)) // SQLite: V itself, so that an index serves ==; TY keeps true (1) out
            numbers = cat({frag(QStringLiteral("(")), p.value, frag(QStringLiteral(" %1 ? AND ").arg(sqlOp(n.op)), {literal}),
                           isNumber(p, false), frag(QStringLiteral(")"))});
        else if (numeric)
            numbers = undecided(isNumber(p, m_pg));
        else if (n.op == QLatin1String("!="))
            numbers = isNumber(p, m_pg); // a number's text always reads as a number, so never equals this literal
        else if (isOrdering(n.op))
            numbers = undecided(isNumber(p, m_pg));
        // (==, a literal that is no number: no number matches)

        SqlFragment texts;
        if (n.op == QLatin1String("==")) {
            // Equality on the extracted value, so that the expression indexes serve.
            QList<SqlFragment> alts;
            if (m_pg) {
                alts << cat({frag(QStringLiteral("(")), p.value, frag(QStringLiteral(" = ? AND "), {textBind(n.value)}), p.type,
                             frag(QStringLiteral(" IN ('string','boolean'))"))});
            } else {
                alts << cat({frag(QStringLiteral("(")), p.value, frag(QStringLiteral(" = ? AND "), {textBind(n.value)}), p.type,
                             frag(QStringLiteral(" = 'text')"))});
                if (n.value == QLatin1String("true") || n.value == QLatin1String("false"))
                    alts << cat({frag(QStringLiteral("(")), p.value,
                                 frag(QStringLiteral(" = %1 AND ").arg(n.value == QLatin1String("true") ? 1 : 0)), p.type,
                                 frag(QStringLiteral(" = '%1')").arg(n.value))});
            }
            if (n.value == QLatin1String("null"))
                alts << cat({frag(QStringLiteral("(")), p.type, frag(QStringLiteral(" = 'null')"))});
            texts = joined(alts, QStringLiteral(" OR "));
        } else if (!isOrdering(n.op)) {
            texts = cat({frag(QStringLiteral("(")), textValue(p, m_pg), frag(QStringLiteral(" <> ?)"), {textBind(n.value)})});
        } else if (hasHighCharacter(n.value)) {
            texts = undecided(cat({frag(QStringLiteral("(")), textValue(p, m_pg), frag(QStringLiteral(" IS NOT NULL)"))}));
        } else {
            texts = cat({frag(QStringLiteral("(")), textValue(p, m_pg), frag(QStringLiteral("%1 %2 ?)").arg(collate(), sqlOp(n.op)), {textBind(n.value)})});
        }
        if (numbers.isEmpty())
            return cat({frag(QStringLiteral("(")), texts, frag(QStringLiteral(")"))});
        return cat({frag(QStringLiteral("(")), numbers, frag(QStringLiteral(" OR ")), texts, frag(QStringLiteral(")"))});
    }

    QString collate() const { return m_pg ? QStringLiteral(" COLLATE \"C\"") : QString(); }

    bool m_pg;
    QStringList m_types;
    QHash<QString, QStringList> m_secure;
};

EntityRow masked(EntityRow row, const QHash<QString, QStringList> &secure)
{
    for (const QString &path : secure.value(row.e.entityType))
        row.e.entity = json::remove(row.e.entity, path.split(QLatin1Char('.')));
    return row;
}

// The reference: mask, filter, stable-sort and page in memory.
EntityListPage evaluateInMemory(const QList<EntityRow> &rows, const EntityListQuery &q)
{
    QList<EntityRow> kept;
    for (const EntityRow &r : rows) {
        EntityRow m = masked(r, q.securePaths);
        if (q.filter.matches([&m](const QString &key) { return entityField(m, key); }))
            kept.append(std::move(m));
    }
    if (!q.sortKey.isEmpty()) {
        std::stable_sort(kept.begin(), kept.end(), [&](const EntityRow &a, const EntityRow &b) {
            const int c = FiqlFilter::compare(entityField(a, q.sortKey), entityField(b, q.sortKey));
            return q.descending ? c > 0 : c < 0;
        });
    }
    EntityListPage page;
    page.total = int(kept.size());
    page.evaluatedInMemory = true;
    const qint64 first = qint64(q.page - 1) * q.pageSize;
    for (qint64 i = first; i < kept.size() && i < first + q.pageSize; ++i)
        page.rows.append(kept.at(i));
    return page;
}

} // namespace

QJsonValue entityField(const EntityRow &r, const QString &key)
{
    const rde::DefinedEntity &e = r.e;
    if (key.startsWith(QLatin1String("entity.")))
        return FiqlFilter::select(e.entity, key.mid(7));
    if (key == QLatin1String("name"))
        return e.name;
    if (key == QLatin1String("id"))
        return e.id;
    if (key == QLatin1String("externalId"))
        return e.externalId.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(e.externalId);
    if (key == QLatin1String("entityType"))
        return e.entityType;
    if (key == QLatin1String("state"))
        return e.state;
    if (key == QLatin1String("entityState"))
        return e.entityState;
    if (key == QLatin1String("org.name"))
        return e.org.name;
    if (key == QLatin1String("org.id"))
        return e.org.id;
    if (key == QLatin1String("owner.name"))
        return e.owner.name;
    if (key == QLatin1String("owner.id"))
        return e.owner.id;
    if (key == QLatin1String("creationDate"))
        return e.creationDate;
    if (key == QLatin1String("lastModificationDate"))
        return e.lastModificationDate;
    return QJsonValue(QJsonValue::Undefined);
}

CompiledFilter compileEntityFilter(const FiqlFilter &filter, bool postgres, const QStringList &typeIds,
                                   const QHash<QString, QStringList> &securePaths)
{
    CompiledFilter out;
    if (!filter.root())
        return out;
    Compiler c(postgres, typeIds, securePaths);
    out.where = c.node(*filter.root());
    out.where.servedByIndex = Compiler::indexed(*filter.root());
    out.exact = c.exact;
    return out;
}

Result<EntityListPage> listEntities(Store &store, const EntityListQuery &q, ListEvaluation how)
{
    if (how == ListEvaluation::InMemory) {
        auto rows = store.entities(q.typeIds, q.orgId);
        if (!rows)
            return rows.error();
        return evaluateInMemory(*rows, q);
    }
    const bool pg = store.isPostgres();
    const CompiledFilter where = compileEntityFilter(q.filter, pg, q.typeIds, q.securePaths);
    // What SQL cannot decide: narrow in SQL, finish in memory.
    auto finishInMemory = [&]() -> Result<EntityListPage> {
        auto rows = store.entities(q.typeIds, q.orgId, where.where);
        if (!rows)
            return rows.error();
        return evaluateInMemory(*rows, q);
    };
    if (!where.exact)
        return finishInMemory();

    SqlFragment orderBy;
    QList<SqlFragment> aggregates;
    const QString dir = q.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    JsonPath sortPath;
    if (!q.sortKey.isEmpty()) {
        const QString column = columnOf(q.sortKey);
        if (!column.isEmpty()) {
            orderBy = frag(columnText(column) + (pg ? QStringLiteral(" COLLATE \"C\"") : QString()) + dir);
        } else {
            const QStringList steps = q.sortKey.mid(7).split(QLatin1Char('.'));
            if (!Compiler(pg, q.typeIds, q.securePaths).hidingTypes(steps).isEmpty())
                return finishInMemory();
            sortPath = jsonPath(steps, pg);
            if (!sortPath.ok)
                return finishInMemory();
            // Numbers and other values among the matches: the evaluator's order mixes numeric and text comparison.
            aggregates << cat({frag(QStringLiteral("SUM(CASE WHEN ")), isNumber(sortPath, pg), frag(QStringLiteral(" THEN 1 ELSE 0 END)"))})
                       << cat({frag(QStringLiteral("SUM(CASE WHEN ")), sortPath.type, frag(QStringLiteral(" IS NOT NULL AND NOT ")),
                               isNumber(sortPath, pg), frag(QStringLiteral(" THEN 1 ELSE 0 END)"))});
        }
    }
    auto counts = store.entityAggregates(q.typeIds, q.orgId, where.where, aggregates);
    if (!counts)
        return counts.error();
    EntityListPage page;
    page.total = counts->value(0).toInt();
    if (sortPath.ok) {
        const qint64 numbers = counts->value(1).toLongLong(), others = counts->value(2).toLongLong();
        if (numbers > 0 && others > 0)
            return finishInMemory();
        // Missing values last (first when descending), as the evaluator sorts them.
        orderBy = cat({frag(QStringLiteral("(")), sortPath.type, frag(QStringLiteral(" IS NULL)") + dir + QStringLiteral(", ")),
                       numbers > 0 ? numberValue(sortPath, pg) : textValue(sortPath, pg, true),
                       frag((pg && numbers == 0 ? QStringLiteral(" COLLATE \"C\"") : QString()) + dir)});
    }
    const qint64 offset = qint64(q.page - 1) * q.pageSize;
    if (offset >= page.total)
        return page;
    auto rows = store.entityPage(q.typeIds, q.orgId, where.where, orderBy, int(offset), q.pageSize);
    if (!rows)
        return rows.error();
    for (const EntityRow &r : *rows)
        page.rows.append(masked(r, q.securePaths));
    return page;
}

} // namespace cse::sim
