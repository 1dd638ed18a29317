#include "replicatracker.h"

#include "rde/serverinstance.h"

#include <QJsonArray>

namespace cse::site {

bool ReplicaStatus::operator==(const ReplicaStatus &o) const
{
    return entityId == o.entityId && instanceId == o.instanceId && name == o.name && version == o.version
        && host == o.host && state == o.state && suspect == o.suspect && clustersOwned == o.clustersOwned
        && heartbeat == o.heartbeat && takeovers == o.takeovers && lastTakeoverAt == o.lastTakeoverAt
        && lastError == o.lastError && lastChangeMs == o.lastChangeMs && ageMs == o.ageMs && health == o.health
        && etag == o.etag;
}

QString toString(ReplicaStatus::Health h)
{
    switch (h) {
    case ReplicaStatus::Health::Live: return QStringLiteral("live");
    case ReplicaStatus::Health::Fenced: return QStringLiteral("fenced");
    case ReplicaStatus::Health::Draining: return QStringLiteral("draining");
    case ReplicaStatus::Health::Stopped: return QStringLiteral("stopped");
    case ReplicaStatus::Health::Lost: return QStringLiteral("lost");
    }
    return {};
}

QList<ReplicaStatus> ReplicaTracker::observe(const QList<rde::DefinedEntity> &instances, qint64 nowMs)
{
    QList<ReplicaStatus> out;
    QHash<QString, Seen> seen;
    for (const rde::DefinedEntity &e : instances) {
        const rde::ServerInstance si(e.entity);
        Seen s = m_seen.value(e.id, Seen{si.heartbeat(), nowMs});
        if (s.heartbeat != si.heartbeat())
            s = Seen{si.heartbeat(), nowMs};
        seen.insert(e.id, s);
        ReplicaStatus r;
        r.entityId = e.id;
        r.etag = e.etag;
        r.instanceId = si.instanceId();
        r.name = si.name().isEmpty() ? e.name : si.name();
        r.version = si.version();
        r.host = si.host();
        r.state = si.state();
        r.suspect = si.suspect();
        r.clustersOwned = si.clustersOwned();
        r.heartbeat = si.heartbeat();
        r.takeovers = int(si.takeovers());
        r.lastTakeoverAt = si.lastTakeoverAt().isValid() ? si.lastTakeoverAt().toUTC().toString(Qt::ISODate) : QString();
        r.lastError = si.lastError();
        r.lastChangeMs = s.changedAtMs;
        out.append(r);
    }
    m_seen = seen;
    m_current = out;
    return evaluate(nowMs);
}

QList<ReplicaStatus> ReplicaTracker::evaluate(qint64 nowMs)
{
    for (ReplicaStatus &r : m_current) {
        r.ageMs = qMax<qint64>(0, nowMs - r.lastChangeMs);
        if (r.state == QLatin1String("stopped"))
            r.health = ReplicaStatus::Health::Stopped;
        else if (r.ageMs > m_leaseMs)
            r.health = ReplicaStatus::Health::Lost;
        else if (r.suspect)
            r.health = ReplicaStatus::Health::Fenced;
        else if (r.state == QLatin1String("draining"))
            r.health = ReplicaStatus::Health::Draining;
        else
            r.health = ReplicaStatus::Health::Live;
    }
    return m_current;
}

Tolerance ReplicaTracker::tolerance(const QList<ReplicaStatus> &replicas)
{
    Tolerance t;
    for (const ReplicaStatus &r : replicas) {
        if (r.health == ReplicaStatus::Health::Live)
            ++t.live;
        else if (r.health == ReplicaStatus::Health::Fenced)
            ++t.fenced;
        else if (r.health == ReplicaStatus::Health::Lost)
            ++t.lost;
    }
    return t;
}

} // namespace cse::site
