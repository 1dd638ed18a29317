#include "schemavalidator.h"

#include "json.h"

#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

namespace cse::rde {

namespace {
// Hostile schemas (provider-supplied entity types) must neither overflow the
// stack nor run forever: every check() frame counts toward kMaxDepth (schema
// nesting, data nesting and $ref hops together), and one validation takes at
// most kMaxSteps checks ($ref cycles through allOf/anyOf branch out).
constexpr int kMaxDepth = 256;
constexpr int kMaxSteps = 500'000;

bool isInteger(double d)
{
    return std::isfinite(d) && std::floor(d) == d;
}

bool typeMatches(const QString &type, const QJsonValue &v)
{
    if (type == QLatin1String("integer"))
        return v.isDouble() && isInteger(v.toDouble());
    if (type == QLatin1String("number"))
        return v.isDouble();
    if (type == QLatin1String("string"))
        return v.isString();
    if (type == QLatin1String("boolean"))
        return v.isBool();
    if (type == QLatin1String("object"))
        return v.isObject();
    if (type == QLatin1String("array"))
        return v.isArray();
    if (type == QLatin1String("null"))
        return v.isNull();
    return false;
}

QString brief(const QJsonValue &v)
{
    QByteArray t = json::canonical(v);
    if (t.size() > 60)
        t = t.left(57) + "...";
    return QString::fromUtf8(t);
}

QString numberText(double d)
{
    return QString::number(d, 'g', 17);
}
} // namespace

struct SchemaValidator::Ctx
{
    QList<SchemaError> *errors = nullptr; // null: only the verdict matters
    int maxErrors = 64;
    int depth = 0;
    struct Budget
    {
        int steps = 0;
        bool exhausted = false;
    } *budget = nullptr; // shared by the quiet contexts of one validation

    bool fail(const QString &ptr, const char *keyword, const QString &message)
    {
        if (errors && errors->size() < maxErrors)
            errors->append({ptr, QString::fromLatin1(keyword), message});
        return false;
    }
    bool full() const { return !errors || errors->size() >= maxErrors; }
};

QString SchemaError::toString() const
{
    return QStringLiteral("%1: %2 (%3)")
        .arg(instancePath.isEmpty() ? QStringLiteral("/") : instancePath, message, keyword);
}

SchemaValidator::SchemaValidator(QJsonValue schema)
    : m_root(std::move(schema))
{
}

QList<SchemaError> SchemaValidator::validate(const QJsonValue &instance, int maxErrors) const
{
    QList<SchemaError> errors;
    Ctx ctx;
    Ctx::Budget budget;
    ctx.errors = &errors;
    ctx.maxErrors = qMax(1, maxErrors);
    ctx.budget = &budget;
    check(m_root, instance, QString(), ctx);
    if (budget.exhausted && std::none_of(errors.cbegin(), errors.cend(), [](const SchemaError &e) { return e.keyword == QLatin1String("budget"); }))
        errors.append({QString(), QStringLiteral("budget"),
                       QStringLiteral("validation stopped after %1 steps; the schema is too complex").arg(kMaxSteps)});
    return errors;
}

QString SchemaValidator::describe(const QList<SchemaError> &errors, int limit)
{
    QStringList parts;
    for (int i = 0; i < errors.size() && i < limit; ++i)
        parts << errors.at(i).toString();
    if (errors.size() > limit)
        parts << QStringLiteral("and %1 more").arg(errors.size() - limit);
    return parts.join(QStringLiteral("; "));
}

const QRegularExpression &SchemaValidator::regex(const QString &pattern) const
{
    auto it = m_regexCache.find(pattern);
    if (it == m_regexCache.end()) {
        // ECMA-262 patterns are mostly PCRE-compatible; match Unicode code points.
        QRegularExpression re(pattern, QRegularExpression::UseUnicodePropertiesOption);
        it = m_regexCache.insert(pattern, re);
    }
    return *it;
}

bool SchemaValidator::check(const QJsonValue &schema, const QJsonValue &inst, const QString &ptr, Ctx &ctx) const
{
    if (ctx.budget && (ctx.budget->exhausted || ++ctx.budget->steps > kMaxSteps)) {
        ctx.budget->exhausted = true;
        return ctx.fail(ptr, "budget", QStringLiteral("validation stopped after %1 steps; the schema is too complex").arg(kMaxSteps));
    }
    if (ctx.depth >= kMaxDepth)
        return ctx.fail(ptr, "depth", QStringLiteral("schema and value nest deeper than the limit of %1 (counting $ref hops)").arg(kMaxDepth));
    struct Nest
    {
        int &d;
        explicit Nest(int &x) : d(x) { ++d; }
        ~Nest() { --d; }
    } nest(ctx.depth);
    if (schema.isBool())
        return schema.toBool() || ctx.fail(ptr, "false", QStringLiteral("no value is allowed here"));
    if (!schema.isObject())
        return true; // not a schema: nothing to check
    const QJsonObject s = schema.toObject();

    // draft-7: a "$ref" replaces every sibling keyword.
    const QJsonValue ref = s.value(QLatin1String("$ref"));
    if (ref.isString()) {
        const QString target = ref.toString();
        if (!target.startsWith(QLatin1Char('#')))
            return ctx.fail(ptr, "$ref", QStringLiteral("remote reference \"%1\" is not supported").arg(target));
        const Result<QJsonValue> resolved = json::resolvePointer(m_root, target);
        if (!resolved)
            return ctx.fail(ptr, "$ref", resolved.error().message);
        return check(*resolved, inst, ptr, ctx);
    }

    bool ok = true;
    auto keep = [&](bool r) { ok = ok && r; return !ctx.full() || ok; };

    if (s.contains(QLatin1String("type"))) {
        const QJsonValue t = s.value(QLatin1String("type"));
        QStringList types;
        if (t.isString())
            types << t.toString();
        for (const QJsonValue &x : t.toArray())
            types << x.toString();
        bool any = false;
        for (const QString &type : std::as_const(types))
            any = any || typeMatches(type, inst);
        if (!any && !keep(ctx.fail(ptr, "type", QStringLiteral("expected %1, found %2")
                                                  .arg(types.join(QStringLiteral(" or ")), json::typeName(inst)))))
            return false;
    }
    if (s.contains(QLatin1String("enum"))) {
        const QJsonArray options = s.value(QLatin1String("enum")).toArray();
        bool any = false;
        for (const QJsonValue &o : options)
            any = any || json::equal(o, inst);
        if (!any && !keep(ctx.fail(ptr, "enum", QStringLiteral("expected one of %1, found %2")
                                                  .arg(brief(options), brief(inst)))))
            return false;
    }
    if (s.contains(QLatin1String("const"))) {
        const QJsonValue c = s.value(QLatin1String("const"));
        if (!json::equal(c, inst)
            && !keep(ctx.fail(ptr, "const", QStringLiteral("expected %1, found %2").arg(brief(c), brief(inst)))))
            return false;
    }

    if (inst.isDouble() && !keep(checkNumber(s, inst.toDouble(), ptr, ctx)))
        return false;
    if (inst.isString() && !keep(checkString(s, inst.toString(), ptr, ctx)))
        return false;
    if (inst.isArray() && !keep(checkArray(s, inst, ptr, ctx)))
        return false;
    if (inst.isObject() && !keep(checkObject(s, inst, ptr, ctx)))
        return false;
    keep(checkCombinators(s, inst, ptr, ctx));
    return ok;
}

bool SchemaValidator::checkNumber(const QJsonObject &s, double x, const QString &ptr, Ctx &ctx) const
{
    bool ok = true;
    const QJsonValue min = s.value(QLatin1String("minimum"));
    const QJsonValue max = s.value(QLatin1String("maximum"));
    const QJsonValue exMin = s.value(QLatin1String("exclusiveMinimum"));
    const QJsonValue exMax = s.value(QLatin1String("exclusiveMaximum"));
    if (min.isDouble()) {
        const bool exclusive = exMin.isBool() && exMin.toBool(); // draft-4 form
        if (exclusive ? !(x > min.toDouble()) : !(x >= min.toDouble()))
            ok = ctx.fail(ptr, "minimum", QStringLiteral("expected a number %1 %2, found %3")
                                              .arg(exclusive ? QStringLiteral(">") : QStringLiteral(">="),
                                                   numberText(min.toDouble()), numberText(x)));
    }
    if (max.isDouble()) {
        const bool exclusive = exMax.isBool() && exMax.toBool();
        if (exclusive ? !(x < max.toDouble()) : !(x <= max.toDouble()))
            ok = ctx.fail(ptr, "maximum", QStringLiteral("expected a number %1 %2, found %3")
                                              .arg(exclusive ? QStringLiteral("<") : QStringLiteral("<="),
                                                   numberText(max.toDouble()), numberText(x)));
    }
    if (exMin.isDouble() && !(x > exMin.toDouble()))
        ok = ctx.fail(ptr, "exclusiveMinimum", QStringLiteral("expected a number > %1, found %2")
                                                   .arg(numberText(exMin.toDouble()), numberText(x)));
    if (exMax.isDouble() && !(x < exMax.toDouble()))
        ok = ctx.fail(ptr, "exclusiveMaximum", QStringLiteral("expected a number < %1, found %2")
                                                   .arg(numberText(exMax.toDouble()), numberText(x)));
    const QJsonValue mult = s.value(QLatin1String("multipleOf"));
    if (mult.isDouble() && mult.toDouble() > 0) {
        const double m = mult.toDouble();
        bool multiple;
        if (isInteger(x) && isInteger(m)) {
            multiple = std::fmod(x, m) == 0;
        } else {
            const double q = x / m;
            multiple = std::isfinite(q) && std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
        }
        if (!multiple)
            ok = ctx.fail(ptr, "multipleOf", QStringLiteral("expected a multiple of %1, found %2")
                                                 .arg(numberText(m), numberText(x)));
    }
    return ok;
}

bool SchemaValidator::checkString(const QJsonObject &s, const QString &x, const QString &ptr, Ctx &ctx) const
{
    bool ok = true;
    const qsizetype length = x.toUcs4().size(); // code points, not UTF-16 units
    const QJsonValue minLen = s.value(QLatin1String("minLength"));
    const QJsonValue maxLen = s.value(QLatin1String("maxLength"));
    if (minLen.isDouble() && length < minLen.toDouble())
        ok = ctx.fail(ptr, "minLength", QStringLiteral("expected at least %1 characters, found %2")
                                            .arg(minLen.toInt()).arg(length));
    if (maxLen.isDouble() && length > maxLen.toDouble())
        ok = ctx.fail(ptr, "maxLength", QStringLiteral("expected at most %1 characters, found %2")
                                            .arg(maxLen.toInt()).arg(length));
    const QJsonValue pattern = s.value(QLatin1String("pattern"));
    if (pattern.isString()) {
        const QRegularExpression &re = regex(pattern.toString());
        if (!re.isValid())
            ok = ctx.fail(ptr, "pattern", QStringLiteral("schema pattern \"%1\" is not a valid regular expression")
                                              .arg(pattern.toString()));
        else if (!re.match(x).hasMatch())
            ok = ctx.fail(ptr, "pattern", QStringLiteral("expected text matching \"%1\", found %2")
                                              .arg(pattern.toString(), brief(x)));
    }
    return ok;
}

bool SchemaValidator::checkArray(const QJsonObject &s, const QJsonValue &inst, const QString &ptr, Ctx &ctx) const
{
    const QJsonArray a = inst.toArray();
    bool ok = true;
    const QJsonValue items = s.value(QLatin1String("items"));
    if (items.isArray()) {
        const QJsonArray tuple = items.toArray();
        for (qsizetype i = 0; i < a.size() && i < tuple.size(); ++i)
            ok = check(tuple.at(i), a.at(i), json::pointerAppend(ptr, int(i)), ctx) && ok;
        const QJsonValue additional = s.value(QLatin1String("additionalItems"));
        if (!additional.isUndefined()) {
            for (qsizetype i = tuple.size(); i < a.size(); ++i) {
                if (additional.isBool() && !additional.toBool()) {
                    ok = ctx.fail(json::pointerAppend(ptr, int(i)), "additionalItems",
                                  QStringLiteral("expected at most %1 items, found %2").arg(tuple.size()).arg(a.size()));
                    break;
                }
                ok = check(additional, a.at(i), json::pointerAppend(ptr, int(i)), ctx) && ok;
            }
        }
    } else if (!items.isUndefined()) {
        for (qsizetype i = 0; i < a.size(); ++i)
            ok = check(items, a.at(i), json::pointerAppend(ptr, int(i)), ctx) && ok;
    }
    const QJsonValue minItems = s.value(QLatin1String("minItems"));
    const QJsonValue maxItems = s.value(QLatin1String("maxItems"));
    if (minItems.isDouble() && a.size() < minItems.toDouble())
        ok = ctx.fail(ptr, "minItems", QStringLiteral("expected at least %1 items, found %2").arg(minItems.toInt()).arg(a.size()));
    if (maxItems.isDouble() && a.size() > maxItems.toDouble())
        ok = ctx.fail(ptr, "maxItems", QStringLiteral("expected at most %1 items, found %2").arg(maxItems.toInt()).arg(a.size()));
    if (s.value(QLatin1String("uniqueItems")).toBool()) {
        for (qsizetype i = 0; i < a.size(); ++i)
            for (qsizetype j = i + 1; j < a.size(); ++j)
                if (json::equal(a.at(i), a.at(j))) {
                    ok = ctx.fail(ptr, "uniqueItems", QStringLiteral("expected unique items, items %1 and %2 are equal")
                                                          .arg(i).arg(j));
                    i = a.size();
                    break;
                }
    }
    if (s.contains(QLatin1String("contains"))) {
        const QJsonValue c = s.value(QLatin1String("contains"));
        Ctx quiet;
        quiet.depth = ctx.depth;
        quiet.budget = ctx.budget;
        bool any = false;
        for (const QJsonValue &item : a)
            if (check(c, item, ptr, quiet)) {
                any = true;
                break;
            }
        if (!any)
            ok = ctx.fail(ptr, "contains", QStringLiteral("expected at least one item matching the \"contains\" schema"));
    }
    return ok;
}

bool SchemaValidator::checkObject(const QJsonObject &s, const QJsonValue &inst, const QString &ptr, Ctx &ctx) const
{
    const QJsonObject o = inst.toObject();
    bool ok = true;
    for (const QJsonValue &r : s.value(QLatin1String("required")).toArray()) {
        if (!o.contains(r.toString()))
            ok = ctx.fail(json::pointerAppend(ptr, r.toString()), "required",
                          QStringLiteral("required property \"%1\" is missing").arg(r.toString()));
    }
    const QJsonValue minProps = s.value(QLatin1String("minProperties"));
    const QJsonValue maxProps = s.value(QLatin1String("maxProperties"));
    if (minProps.isDouble() && o.size() < minProps.toDouble())
        ok = ctx.fail(ptr, "minProperties", QStringLiteral("expected at least %1 properties, found %2").arg(minProps.toInt()).arg(o.size()));
    if (maxProps.isDouble() && o.size() > maxProps.toDouble())
        ok = ctx.fail(ptr, "maxProperties", QStringLiteral("expected at most %1 properties, found %2").arg(maxProps.toInt()).arg(o.size()));

    const QJsonObject props = s.value(QLatin1String("properties")).toObject();
    const QJsonObject patternProps = s.value(QLatin1String("patternProperties")).toObject();
    const QJsonValue additional = s.value(QLatin1String("additionalProperties"));
    const QJsonValue propertyNames = s.value(QLatin1String("propertyNames"));
    const QJsonObject deps = s.value(QLatin1String("dependencies")).toObject();

    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString &key = it.key();
        const QString childPtr = json::pointerAppend(ptr, key);
        bool matched = false;
        if (props.contains(key)) {
            matched = true;
            ok = check(props.value(key), it.value(), childPtr, ctx) && ok;
        }
        for (auto p = patternProps.begin(); p != patternProps.end(); ++p) {
            if (regex(p.key()).match(key).hasMatch()) {
                matched = true;
                ok = check(p.value(), it.value(), childPtr, ctx) && ok;
            }
        }
        if (!matched && !additional.isUndefined()) {
            if (additional.isBool() && !additional.toBool())
                ok = ctx.fail(childPtr, "additionalProperties", QStringLiteral("property \"%1\" is not allowed").arg(key));
            else
                ok = check(additional, it.value(), childPtr, ctx) && ok;
        }
        if (!propertyNames.isUndefined()) {
            Ctx quiet;
            quiet.depth = ctx.depth;
        quiet.budget = ctx.budget;
            if (!check(propertyNames, key, childPtr, quiet))
                ok = ctx.fail(childPtr, "propertyNames", QStringLiteral("property name \"%1\" is not allowed").arg(key));
        }
        if (deps.contains(key)) {
            const QJsonValue dep = deps.value(key);
            if (dep.isArray()) {
                for (const QJsonValue &needed : dep.toArray())
                    if (!o.contains(needed.toString()))
                        ok = ctx.fail(json::pointerAppend(ptr, needed.toString()), "dependencies",
                                      QStringLiteral("property \"%1\" is required when \"%2\" is present")
                                          .arg(needed.toString(), key));
            } else {
                ok = check(dep, inst, ptr, ctx) && ok;
            }
        }
        if (ctx.full() && !ok)
            return false;
    }
    return ok;
}

bool SchemaValidator::checkCombinators(const QJsonObject &s, const QJsonValue &inst, const QString &ptr, Ctx &ctx) const
{
    bool ok = true;
    for (const QJsonValue &sub : s.value(QLatin1String("allOf")).toArray())
        ok = check(sub, inst, ptr, ctx) && ok;

    // For anyOf/oneOf, report the errors of the closest alternative.
    auto matchCount = [&](const QJsonArray &alts, QList<SchemaError> *closest) {
        int matches = 0;
        qsizetype best = -1;
        for (const QJsonValue &sub : alts) {
            QList<SchemaError> errs;
            Ctx inner;
            inner.errors = closest ? &errs : nullptr;
            inner.depth = ctx.depth;
            inner.budget = ctx.budget;
            if (check(sub, inst, ptr, inner))
                ++matches;
            else if (closest && (best < 0 || errs.size() < best)) {
                best = errs.size();
                *closest = errs;
            }
        }
        return matches;
    };
    auto addNested = [&](const QList<SchemaError> &errs) {
        if (ctx.errors)
            for (const SchemaError &e : errs)
                if (ctx.errors->size() < ctx.maxErrors)
                    ctx.errors->append(e);
    };

    if (s.contains(QLatin1String("anyOf"))) {
        const QJsonArray alts = s.value(QLatin1String("anyOf")).toArray();
        QList<SchemaError> closest;
        if (matchCount(alts, ctx.errors ? &closest : nullptr) == 0) {
            ok = ctx.fail(ptr, "anyOf", QStringLiteral("value matches none of the %1 alternatives").arg(alts.size()));
            addNested(closest);
        }
    }
    if (s.contains(QLatin1String("oneOf"))) {
        const QJsonArray alts = s.value(QLatin1String("oneOf")).toArray();
        QList<SchemaError> closest;
        const int n = matchCount(alts, ctx.errors ? &closest : nullptr);
        if (n != 1) {
            ok = ctx.fail(ptr, "oneOf", QStringLiteral("expected exactly one of %1 alternatives to match, found %2")
                                            .arg(alts.size()).arg(n));
            if (n == 0)
                addNested(closest);
        }
    }
    if (s.contains(QLatin1String("not"))) {
        Ctx quiet;
        quiet.depth = ctx.depth;
        quiet.budget = ctx.budget;
        if (check(s.value(QLatin1String("not")), inst, ptr, quiet))
            ok = ctx.fail(ptr, "not", QStringLiteral("value must not match the \"not\" schema"));
    }
    if (s.contains(QLatin1String("if"))) {
        Ctx quiet;
        quiet.depth = ctx.depth;
        quiet.budget = ctx.budget;
        const bool cond = check(s.value(QLatin1String("if")), inst, ptr, quiet);
        const QJsonValue branch = s.value(cond ? QLatin1String("then") : QLatin1String("else"));
        if (!branch.isUndefined())
            ok = check(branch, inst, ptr, ctx) && ok;
    }
    return ok;
}

} // namespace cse::rde
