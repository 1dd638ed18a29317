#include "fiql.h"

namespace cse::vcd::fiql {

QString quote(const QString &value)
{
    static const QString special = QStringLiteral(";,()\"' =!<>\\");
    bool needs = value.isEmpty();
    for (QChar c : value)
        needs = needs || special.contains(c);
    if (!needs)
        return value;
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

static QString quoteExact(const QString &value)
{
    if (!value.contains(QLatin1Char('*')))
        return quote(value);
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('"'), QLatin1String("\\\""));
    v.replace(QLatin1Char('*'), QLatin1String("\\*"));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

QString eqExact(const QString &key, const QString &value) { return key + QLatin1String("==") + quoteExact(value); }
QString neExact(const QString &key, const QString &value) { return key + QLatin1String("!=") + quoteExact(value); }

static QString term(const QString &key, const char *op, const QString &value)
{
    return key + QLatin1String(op) + quote(value);
}

QString eq(const QString &key, const QString &value) { return term(key, "==", value); }
QString ne(const QString &key, const QString &value) { return term(key, "!=", value); }
QString lt(const QString &key, const QString &value) { return term(key, "=lt=", value); }
QString le(const QString &key, const QString &value) { return term(key, "=le=", value); }
QString gt(const QString &key, const QString &value) { return term(key, "=gt=", value); }
QString ge(const QString &key, const QString &value) { return term(key, "=ge=", value); }
QString eq(const QString &key, bool value) { return key + QLatin1String(value ? "==true" : "==false"); }

QString allOf(const QStringList &terms)
{
    QStringList parts;
    for (const QString &t : terms)
        if (!t.isEmpty())
            parts << (t.contains(QLatin1Char(',')) && !t.startsWith(QLatin1Char('(')) ? QLatin1Char('(') + t + QLatin1Char(')') : t);
    return parts.join(QLatin1Char(';'));
}

QString anyOf(const QStringList &terms)
{
    QStringList parts;
    for (const QString &t : terms)
        if (!t.isEmpty())
            parts << t;
    if (parts.size() <= 1)
        return parts.join(QString());
    return QLatin1Char('(') + parts.join(QLatin1Char(',')) + QLatin1Char(')');
}

} // namespace cse::vcd::fiql
