// FIQL filters as VCD's cloudapi accepts them: ==, !=, =lt=, =le=, =gt=,
// =ge=; ';' AND (binds tighter), ',' OR; parentheses; '*' wildcards in ==
// and !=. In a value (quoted or not) a backslash makes the next character
// literal: "\*" matches a star, "\\" a backslash, "\"" a quote inside "...".
// Limits (400 naming the limit): kMaxLength characters, kMaxDepth nested
// parentheses.
#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <functional>
#include <memory>
#include <vector>

namespace cse::sim {

class FiqlFilter
{
public:
    static constexpr int kMaxLength = 16384;
    static constexpr int kMaxDepth = 32;
    // Keys: name, id, externalId, entityType, state, entityState, org.name,
    // org.id, owner.name, owner.id, creationDate, lastModificationDate, or a
    // dotted path under "entity." (a missing path matches nothing).
    using KeyCheck = bool (*)(const QString &key);
    static Result<FiqlFilter> parse(const QString &text, KeyCheck known = &FiqlFilter::isKnownKey);
    bool matches(const QJsonObject &definedEntity) const;
    // The same test against any record: `field` returns what a key selects
    // (Undefined when nothing), so records need not be turned into JSON first.
    using Resolver = std::function<QJsonValue(const QString &key)>;
    bool matches(const Resolver &field) const;
    bool isEmpty() const { return !m_root; }

    static bool isKnownKey(const QString &key);
    // The value a key selects from a DefinedEntity JSON (Undefined if none).
    static QJsonValue select(const QJsonObject &definedEntity, const QString &key);
    // Orders two values as FIQL's comparisons do (numbers, then strings).
    static int compare(const QJsonValue &a, const QJsonValue &b);

    struct Node; // fiql_p.h
    // The parsed tree (nullptr when the filter is empty), for compilers.
    const Node *root() const { return m_root.get(); }

private:
    std::shared_ptr<const Node> m_root;
};

} // namespace cse::sim
