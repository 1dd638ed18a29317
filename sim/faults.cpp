#include "faults.h"

#include <QHash>
#include <QJsonObject>
#include <QRandomGenerator>

namespace cse::sim {

namespace {
bool roll(double rate)
{
    return rate > 0 && QRandomGenerator::global()->generateDouble() < rate;
}

Result<double> rate(const QString &key, const QString &v)
{
    bool ok = false;
    const double d = v.toDouble(&ok);
    if (!ok || d < 0 || d > 1)
        return makeError(QStringLiteral("fault %1=%2: expected a rate between 0 and 1").arg(key, v));
    return d;
}

Result<int> whole(const QString &key, const QString &v, int min, int max)
{
    bool ok = false;
    const int n = v.toInt(&ok);
    if (!ok || n < min || n > max)
        return makeError(QStringLiteral("fault %1=%2: expected a whole number from %3 to %4").arg(key, v).arg(min).arg(max));
    return n;
}
} // namespace

Result<FaultRule> FaultRule::parse(const QString &spec)
{
    // Spec keys that carry a rate, or a whole number within bounds.
    static const QHash<QString, double FaultRule::*> rates = {{QStringLiteral("error"), &FaultRule::errorRate},
                                                               {QStringLiteral("412"), &FaultRule::preconditionRate},
                                                               {QStringLiteral("drop"), &FaultRule::dropRate}};
    struct Whole
    {
        int FaultRule::*field;
        int min;
        int max;
    };
    static const QHash<QString, Whole> wholes = {{QStringLiteral("status"), {&FaultRule::errorStatus, 400, 599}},
                                                 {QStringLiteral("latency"), {&FaultRule::latencyMs, 0, 600000}}};
    FaultRule r;
    for (const QString &part : spec.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const int eq = part.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return makeError(QStringLiteral("fault \"%1\": expected KEY=VALUE parts separated by ';'").arg(part));
        const QString key = part.left(eq).trimmed(), value = part.mid(eq + 1).trimmed();
        if (key == QLatin1String("route")) {
            r.route = QRegularExpression(value);
            if (!r.route.isValid())
                return makeError(QStringLiteral("fault route \"%1\" is not a valid regular expression: %2")
                                     .arg(value, r.route.errorString()));
        } else if (rates.contains(key)) {
            auto d = rate(key, value);
            if (!d)
                return d.error();
            r.*rates.value(key) = *d;
        } else if (wholes.contains(key)) {
            const auto &[field, min, max] = wholes.value(key);
            auto n = whole(key, value, min, max);
            if (!n)
                return n.error();
            r.*field = *n;
        } else if (key == QLatin1String("block")) {
            const int colon = value.indexOf(QLatin1Char(':'));
            if (colon <= 0)
                return makeError(QStringLiteral("fault block=%1: expected HEADER:VALUE").arg(value));
            r.blockHeader = value.left(colon).trimmed().toLower().toUtf8();
            r.blockValue = value.mid(colon + 1).trimmed().toUtf8();
        } else {
            return makeError(QStringLiteral("fault: unknown key \"%1\" (route, error, status, 412, latency, drop, block)").arg(key));
        }
    }
    return r;
}

Result<FaultRule> FaultRule::fromJson(const QJsonObject &o)
{
    QStringList parts;
    auto add = [&](const char *jsonKey, const char *specKey) {
        const QJsonValue v = o.value(QLatin1String(jsonKey));
        if (v.isString())
            parts << QStringLiteral("%1=%2").arg(QLatin1String(specKey), v.toString());
        else if (v.isDouble())
            parts << QStringLiteral("%1=%2").arg(QLatin1String(specKey)).arg(v.toDouble());
    };
    add("route", "route");
    add("errorRate", "error");
    add("errorStatus", "status");
    add("preconditionRate", "412");
    add("latencyMs", "latency");
    add("dropRate", "drop");
    if (o.contains(QLatin1String("blockHeader")))
        parts << QStringLiteral("block=%1:%2").arg(o.value(QLatin1String("blockHeader")).toString(),
                                                   o.value(QLatin1String("blockValue")).toString());
    return parse(parts.join(QLatin1Char(';')));
}

QJsonObject FaultRule::toJson() const
{
    QJsonObject o{{QStringLiteral("route"), route.pattern()}, {QStringLiteral("errorRate"), errorRate},
                  {QStringLiteral("errorStatus"), errorStatus}, {QStringLiteral("preconditionRate"), preconditionRate},
                  {QStringLiteral("latencyMs"), latencyMs}, {QStringLiteral("dropRate"), dropRate}};
    if (!blockHeader.isEmpty()) {
        o.insert(QStringLiteral("blockHeader"), QString::fromUtf8(blockHeader));
        o.insert(QStringLiteral("blockValue"), QString::fromUtf8(blockValue));
    }
    return o;
}

QJsonArray Faults::toJson() const
{
    QJsonArray a;
    for (const FaultRule &r : m_rules)
        a.append(r.toJson());
    return a;
}

FaultDecision Faults::decide(const QString &routeKey, const QHash<QByteArray, QByteArray> &headers, bool conditionalWrite) const
{
    FaultDecision d;
    for (const FaultRule &r : m_rules) {
        if (!r.route.match(routeKey).hasMatch())
            continue;
        if (!r.blockHeader.isEmpty()) {
            if (headers.value(r.blockHeader) == r.blockValue)
                d.drop = true;
            continue; // a block rule affects only the blocked client
        }
        d.delayMs += r.latencyMs;
        if (roll(r.dropRate))
            d.drop = true;
        if (!d.status && roll(r.errorRate))
            d.status = r.errorStatus;
        if (!d.status && conditionalWrite && roll(r.preconditionRate))
            d.status = 412;
    }
    return d;
}

bool Faults::stepFails(const QString &step) const
{
    return stepRoll(step, &FaultRule::errorRate);
}

bool Faults::stepStalls(const QString &step) const
{
    return stepRoll(step, &FaultRule::dropRate);
}

bool Faults::stepRoll(const QString &step, double FaultRule::*rate) const
{
    const QString key = QStringLiteral("infra:") + step;
    for (const FaultRule &r : m_rules)
        // Only rules written for infrastructure steps apply to them.
        if (r.blockHeader.isEmpty() && r.route.pattern().contains(QLatin1String("infra:"))
            && r.route.match(key).hasMatch() && roll(r.*rate))
            return true;
    return false;
}

} // namespace cse::sim
