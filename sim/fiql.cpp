#include "fiql.h"
#include "fiql_p.h"

#include <QStringList>

namespace cse::sim {

namespace {

const QStringList kTopKeys = {QStringLiteral("name"), QStringLiteral("id"), QStringLiteral("externalId"),
                              QStringLiteral("entityType"), QStringLiteral("state"), QStringLiteral("entityState"),
                              QStringLiteral("org.name"), QStringLiteral("org.id"), QStringLiteral("owner.name"),
                              QStringLiteral("owner.id"), QStringLiteral("creationDate"),
                              QStringLiteral("lastModificationDate")};
const QStringList kOps = {QStringLiteral("=lt="), QStringLiteral("=le="), QStringLiteral("=gt="), QStringLiteral("=ge="),
                          QStringLiteral("=="), QStringLiteral("!=")};

class Parser
{
public:
    Parser(const QString &t, FiqlFilter::KeyCheck known) : m_text(t), m_known(known) {}

    Result<std::shared_ptr<const FiqlFilter::Node>> run()
    {
        if (m_text.size() > FiqlFilter::kMaxLength)
            return fail(QStringLiteral("the filter is %1 characters long; the limit is %2").arg(m_text.size()).arg(FiqlFilter::kMaxLength));
        auto n = orExpr();
        if (!n)
            return n;
        if (m_pos != m_text.size())
            return fail(QStringLiteral("unexpected '%1'").arg(m_text.at(m_pos)));
        return n;
    }

private:
    using NodePtr = std::shared_ptr<const FiqlFilter::Node>;

    Error fail(const QString &what) const
    {
        Error e = makeError(QStringLiteral("invalid filter at position %1: %2").arg(m_pos).arg(what));
        e.kind = ErrorKind::Invalid;
        e.httpStatus = 400;
        e.minorErrorCode = QStringLiteral("BAD_REQUEST");
        return e;
    }

    Result<NodePtr> orExpr() { return list(QLatin1Char(','), FiqlFilter::Node::Or); }
    Result<NodePtr> andExpr() { return list(QLatin1Char(';'), FiqlFilter::Node::And); }

    Result<NodePtr> list(QChar sep, FiqlFilter::Node::Kind kind)
    {
        auto first = kind == FiqlFilter::Node::Or ? andExpr() : factor();
        if (!first)
            return first;
        auto node = std::make_shared<FiqlFilter::Node>();
        node->kind = kind;
        node->children.push_back(*first);
        while (m_pos < m_text.size() && m_text.at(m_pos) == sep) {
            ++m_pos;
            auto next = kind == FiqlFilter::Node::Or ? andExpr() : factor();
            if (!next)
                return next;
            node->children.push_back(*next);
        }
        if (node->children.size() == 1)
            return node->children.front();
        return NodePtr(node);
    }

    Result<NodePtr> factor()
    {
        if (m_pos < m_text.size() && m_text.at(m_pos) == QLatin1Char('(')) {
            if (m_depth >= FiqlFilter::kMaxDepth)
                return fail(QStringLiteral("parentheses nest deeper than the limit of %1").arg(FiqlFilter::kMaxDepth));
            ++m_pos;
            ++m_depth;
            auto inner = orExpr();
            --m_depth;
            if (!inner)
                return inner;
            if (m_pos >= m_text.size() || m_text.at(m_pos) != QLatin1Char(')'))
                return fail(QStringLiteral("expected ')'"));
            ++m_pos;
            return inner;
        }
        return comparison();
    }

    Result<NodePtr> comparison()
    {
        const int keyStart = m_pos;
        while (m_pos < m_text.size() && !QStringLiteral("=!<>;,()").contains(m_text.at(m_pos)))
            ++m_pos;
        const QString key = m_text.mid(keyStart, m_pos - keyStart);
        if (key.isEmpty())
            return fail(QStringLiteral("expected a field name"));
        QString op;
        for (const QString &candidate : kOps)
            if (m_text.mid(m_pos, candidate.size()) == candidate) {
                op = candidate;
                break;
            }
        if (op.isEmpty())
            return fail(QStringLiteral("expected one of ==, !=, =lt=, =le=, =gt=, =ge= after \"%1\"").arg(key));
        if (!m_known(key)) {
            m_pos = keyStart;
            return fail(QStringLiteral("unknown field \"%1\"").arg(key));
        }
        m_pos += op.size();
        const int valueStart = m_pos;
        // The value, unescaped, cut at each unescaped '*' (a wildcard); '\\x'
        // stands for x, so "\\*" is a literal star and "\\\\" a backslash.
        QStringList parts{QString()};
        if (m_pos < m_text.size() && (m_text.at(m_pos) == QLatin1Char('"') || m_text.at(m_pos) == QLatin1Char('\''))) {
            const QChar quote = m_text.at(m_pos++);
            while (m_pos < m_text.size() && m_text.at(m_pos) != quote)
                valueChar(parts);
            if (m_pos >= m_text.size())
                return fail(QStringLiteral("unterminated quoted value"));
            ++m_pos;
        } else {
            while (m_pos < m_text.size() && !QStringLiteral(";,()").contains(m_text.at(m_pos)))
                valueChar(parts);
            if (parts.size() == 1 && parts.front().isEmpty()) {
                m_pos = valueStart;
                return fail(QStringLiteral("expected a value after %1").arg(op));
            }
        }
        auto node = std::make_shared<FiqlFilter::Node>();
        node->kind = FiqlFilter::Node::Compare;
        node->key = key;
        node->op = op;
        node->value = parts.join(QLatin1Char('*'));
        if (parts.size() > 1 && (op == QLatin1String("==") || op == QLatin1String("!=")))
            node->wildcardParts = parts;
        return NodePtr(node);
    }

    void valueChar(QStringList &parts)
    {
        const QChar c = m_text.at(m_pos++);
        if (c == QLatin1Char('\\') && m_pos < m_text.size())
            parts.back() += m_text.at(m_pos++);
        else if (c == QLatin1Char('*'))
            parts.append(QString());
        else
            parts.back() += c;
    }

    QString m_text;
    FiqlFilter::KeyCheck m_known;
    int m_pos = 0;
    int m_depth = 0;
};

// '*' matches any run of characters; linear in practice, never backtracks
// more than one star (no regular expression, so no catastrophic patterns).
bool globMatch(const QStringList &parts, const QString &text)
{
    const QString &first = parts.front(), &last = parts.back();
    if (text.size() < first.size() + last.size() || !text.startsWith(first) || !text.endsWith(last))
        return false;
    qsizetype pos = first.size();
    const qsizetype end = text.size() - last.size();
    for (qsizetype i = 1; i + 1 < parts.size(); ++i) {
        const qsizetype at = text.indexOf(parts.at(i), pos);
        if (at < 0 || at + parts.at(i).size() > end)
            return false;
        pos = at + parts.at(i).size();
    }
    return true;
}

QString scalarText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    if (v.isNull())
        return QStringLiteral("null");
    return {};
}

bool evalCompare(const FiqlFilter::Node &n, const FiqlFilter::Resolver &field)
{
    const QJsonValue v = field(n.key);
    if (v.isUndefined() || v.isObject() || v.isArray())
        return false;
    if (!n.wildcardParts.isEmpty()) {
        const bool m = globMatch(n.wildcardParts, scalarText(v));
        return n.op == QLatin1String("==") ? m : !m;
    }
    int cmp;
    bool numeric = false;
    const double literal = n.value.toDouble(&numeric);
    if (v.isDouble() && numeric)
        cmp = v.toDouble() < literal ? -1 : (v.toDouble() > literal ? 1 : 0);
    else
        cmp = QString::compare(scalarText(v), n.value);
    if (n.op == QLatin1String("=="))
        return cmp == 0;
    if (n.op == QLatin1String("!="))
        return cmp != 0;
    if (n.op == QLatin1String("=lt="))
        return cmp < 0;
    if (n.op == QLatin1String("=le="))
        return cmp <= 0;
    if (n.op == QLatin1String("=gt="))
        return cmp > 0;
    return cmp >= 0;
}

bool eval(const FiqlFilter::Node &n, const FiqlFilter::Resolver &e)
{
    switch (n.kind) {
    case FiqlFilter::Node::And:
        for (const auto &c : n.children)
            if (!eval(*c, e))
                return false;
        return true;
    case FiqlFilter::Node::Or:
        for (const auto &c : n.children)
            if (eval(*c, e))
                return true;
        return false;
    case FiqlFilter::Node::Compare:
        break;
    }
    return evalCompare(n, e);
}

} // namespace

Result<FiqlFilter> FiqlFilter::parse(const QString &text, KeyCheck known)
{
    FiqlFilter f;
    if (text.trimmed().isEmpty())
        return f;
    auto root = Parser(text, known).run();
    if (!root)
        return root.error();
    f.m_root = *root;
    return f;
}

bool FiqlFilter::matches(const QJsonObject &definedEntity) const
{
    return !m_root || eval(*m_root, [&definedEntity](const QString &key) { return select(definedEntity, key); });
}

bool FiqlFilter::matches(const Resolver &field) const
{
    return !m_root || eval(*m_root, field);
}

bool FiqlFilter::isKnownKey(const QString &key)
{
    return kTopKeys.contains(key) || (key.startsWith(QLatin1String("entity.")) && key.size() > 7);
}

QJsonValue FiqlFilter::select(const QJsonObject &e, const QString &key)
{
    QJsonValue cur = e;
    for (const QString &step : key.split(QLatin1Char('.'))) {
        if (!cur.isObject())
            return QJsonValue(QJsonValue::Undefined);
        const QJsonObject o = cur.toObject();
        if (!o.contains(step))
            return QJsonValue(QJsonValue::Undefined);
        cur = o.value(step);
    }
    return cur;
}

int FiqlFilter::compare(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() < b.toDouble() ? -1 : (a.toDouble() > b.toDouble() ? 1 : 0);
    if (a.isUndefined() != b.isUndefined())
        return a.isUndefined() ? 1 : -1; // missing values sort last
    return QString::compare(scalarText(a), scalarText(b));
}

} // namespace cse::sim
