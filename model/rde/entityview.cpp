#include "entityview.h"

#include "json.h"

#include <limits>

namespace cse::rde {

QJsonValue EntityView::value(const QStringList &path) const
{
    return json::get(m_json, path);
}

void EntityView::setValue(const QStringList &path, const QJsonValue &v)
{
    m_json = json::set(m_json, path, v);
}

void EntityView::removeValue(const QStringList &path)
{
    m_json = json::remove(m_json, path);
}

bool EntityView::flag(const QStringList &path, bool fallback) const
{
    const QJsonValue v = value(path);
    return v.isBool() ? v.toBool() : fallback;
}

qint64 EntityView::integer(const QStringList &path, qint64 fallback) const
{
    const QJsonValue v = value(path);
    return v.isDouble() ? v.toInteger(fallback) : fallback;
}

std::optional<qint64> EntityView::exactInteger(const QStringList &path, qint64 min, qint64 max, bool *present) const
{
    const QJsonValue v = value(path);
    if (present)
        *present = !v.isUndefined() && !v.isNull();
    if (!v.isDouble())
        return std::nullopt;
    // toInteger answers its default unless the value is an integer that fits qint64 exactly.
    const qint64 sentinel = std::numeric_limits<qint64>::min();
    const qint64 n = v.toInteger(sentinel);
    if (n == sentinel || n < min || n > max)
        return std::nullopt;
    return n;
}

QJsonObject carrySubtree(QJsonObject into, const QJsonObject &from, const QStringList &path)
{
    const QJsonValue v = json::get(from, path);
    if (v.isUndefined())
        return json::remove(std::move(into), path);
    return json::set(std::move(into), path, v);
}

QJsonArray appendRolling(QJsonArray list, const QJsonValue &entry, int limit)
{
    list.append(entry);
    while (list.size() > limit)
        list.removeFirst();
    return list;
}

} // namespace cse::rde
