// The FIQL syntax tree, shared by the in-memory evaluator (fiql.cpp) and the
// SQL compiler of entity lists (entitylist.cpp). Not part of the public API.
#pragma once

#include "fiql.h"

#include <QStringList>

namespace cse::sim {

struct FiqlFilter::Node
{
    enum Kind { And, Or, Compare } kind = Compare;
    std::vector<std::shared_ptr<const Node>> children;
    QString key;
    QString op;
    QString value;                // unescaped
    QStringList wildcardParts;    // == / != with an unescaped '*': the literal text between stars
};

} // namespace cse::sim
