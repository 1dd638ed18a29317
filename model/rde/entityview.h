// Base of the typed views: a JSON object plus path helpers. Views never drop
// fields they do not know; setters replace only the addressed value.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <optional>

namespace cse::rde {

class EntityView
{
public:
    EntityView() = default;
    explicit EntityView(QJsonObject json) : m_json(std::move(json)) {}

    const QJsonObject &json() const { return m_json; }
    QJsonValue value(const QStringList &path) const;
    void setValue(const QStringList &path, const QJsonValue &v);
    void removeValue(const QStringList &path);

    QJsonObject subtree(const QStringList &path) const { return value(path).toObject(); }
    void setSubtree(const QStringList &path, const QJsonObject &o) { setValue(path, o); }

protected:
    QString str(const QStringList &path) const { return value(path).toString(); }
    bool flag(const QStringList &path, bool fallback) const;
    // The exact integer at `path` (never through a double: 9007199254740993
    // stays itself); `fallback` when it is absent, not a number, not an
    // integer or outside qint64 (1e300, 1.5, "12", 2^63).
    qint64 integer(const QStringList &path, qint64 fallback = 0) const;
    // Like integer(), but tells apart "absent" (nullopt with *present false)
    // from "present but not an integer within [min, max]" (nullopt, *present true).
    std::optional<qint64> exactInteger(const QStringList &path, qint64 min, qint64 max, bool *present = nullptr) const;

    QJsonObject m_json;
};

// Copies the value at `path` of `from` into `into`; a missing value in
// `from` removes it from `into`. This is how a writer that owns one subtree
// merges its change into a freshly read entity.
QJsonObject carrySubtree(QJsonObject into, const QJsonObject &from, const QStringList &path);

// Appends to a rolling window: the newest `limit` entries are kept.
QJsonArray appendRolling(QJsonArray list, const QJsonValue &entry, int limit = 20);

} // namespace cse::rde
