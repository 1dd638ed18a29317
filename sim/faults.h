// Fault injection for vcd-sim: per-route latency, 5xx error rate, forced
// 412s, dropped connections, and blocking one client (a partition).
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QRegularExpression>

namespace cse::sim {

struct FaultRule
{
    QRegularExpression route{QStringLiteral(".*")}; // matched against "METHOD /path" or "infra:STEP"
    double errorRate = 0;        // answer errorStatus
    int errorStatus = 503;
    double preconditionRate = 0; // answer 412 to writes that carry If-Match
    int latencyMs = 0;
    double dropRate = 0;         // close the connection without an answer
    QByteArray blockHeader;      // with blockValue: drop every matching request
    QByteArray blockValue;

    static Result<FaultRule> parse(const QString &spec); // "route=RE;error=0.2;status=500;412=0.1;latency=50;drop=0.1;block=Header:Value"
    static Result<FaultRule> fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

struct FaultDecision
{
    int delayMs = 0;
    bool drop = false;
    int status = 0; // 0: no injected error
};

class Faults
{
public:
    void set(const QList<FaultRule> &rules) { m_rules = rules; }
    void add(const FaultRule &rule) { m_rules.append(rule); }
    void clear() { m_rules.clear(); }
    const QList<FaultRule> &rules() const { return m_rules; }
    QJsonArray toJson() const;

    // routeKey: "GET /cloudapi/1.0.0/entities/..." ; headers lower-case.
    FaultDecision decide(const QString &routeKey, const QHash<QByteArray, QByteArray> &headers, bool conditionalWrite) const;
    // For simulated infrastructure steps ("infra:controlPlane", ...): true = the step fails.
    bool stepFails(const QString &step) const;
    // A rule for an infrastructure step with drop > 0: the step hangs (makes no progress).
    bool stepStalls(const QString &step) const;

private:
    bool stepRoll(const QString &step, double FaultRule::*rate) const;
    QList<FaultRule> m_rules;
};

} // namespace cse::sim
