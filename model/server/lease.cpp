#include "lease.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace cse::server {

namespace {
struct SystemClock : Clock
{
    SystemClock() { m_timer.start(); }
    qint64 monotonicMs() const override { return m_timer.elapsed(); }
    QDateTime utcNow() const override { return QDateTime::currentDateTimeUtc(); }
    QElapsedTimer m_timer;
};
} // namespace

const Clock *Clock::system()
{
    static const SystemClock clock;
    return &clock;
}

Liveness::Liveness(const Clock *clock, qint64 leaseMs)
    : m_clock(clock), m_leaseMs(leaseMs), m_startMs(clock->monotonicMs())
{
}

void Liveness::observe(const QString &instanceId, qint64 heartbeat, const QString &state)
{
    const qint64 now = m_clock->monotonicMs();
    auto it = m_seen.find(instanceId);
    if (it == m_seen.end()) {
        // First sighting: we cannot know how old the heartbeat is, so it gets a whole lease.
        m_seen.insert(instanceId, Seen{heartbeat, state, now});
        return;
    }
    if (it->heartbeat != heartbeat || it->state != state)
        it->lastChangeMs = now;
    it->heartbeat = heartbeat;
    it->state = state;
}

void Liveness::retain(const QSet<QString> &present)
{
    for (auto it = m_seen.begin(); it != m_seen.end();)
        it = present.contains(it.key()) ? std::next(it) : m_seen.erase(it);
}

bool Liveness::isAlive(const QString &instanceId) const
{
    auto it = m_seen.constFind(instanceId);
    if (it == m_seen.cend() || it->state == QLatin1String("stopped"))
        return false;
    return m_clock->monotonicMs() - it->lastChangeMs < m_leaseMs;
}

bool Liveness::mayReplace(const QString &instanceId) const
{
    if (instanceId.isEmpty())
        return true;
    auto it = m_seen.constFind(instanceId);
    if (it == m_seen.cend())
        return watchedForWholeLease();
    return !isAlive(instanceId);
}

QStringList Liveness::alive() const
{
    QStringList out;
    for (auto it = m_seen.cbegin(); it != m_seen.cend(); ++it)
        if (isAlive(it.key()))
            out.append(it.key());
    out.sort();
    return out;
}

qint64 Liveness::silenceMs(const QString &instanceId) const
{
    auto it = m_seen.constFind(instanceId);
    return it == m_seen.cend() ? -1 : m_clock->monotonicMs() - it->lastChangeMs;
}

qint64 Liveness::msUntilNextExpiry(const QString &except) const
{
    const qint64 now = m_clock->monotonicMs();
    qint64 next = -1;
    for (auto it = m_seen.cbegin(); it != m_seen.cend(); ++it) {
        if (it.key() == except || !isAlive(it.key()))
            continue;
        const qint64 left = it->lastChangeMs + m_leaseMs - now;
        if (next < 0 || left < next)
            next = left;
    }
    // A replica never seen before may be replaced once we watched a whole lease.
    if (!watchedForWholeLease()) {
        const qint64 left = m_startMs + m_leaseMs - now;
        if (next < 0 || left < next)
            next = left;
    }
    return next;
}

bool Liveness::watchedForWholeLease() const
{
    return m_clock->monotonicMs() - m_startMs >= m_leaseMs;
}

SelfFence::SelfFence(const Clock *clock, qint64 leaseMs)
    : m_clock(clock), m_leaseMs(leaseMs)
{
}

void SelfFence::renewed()
{
    m_lastRenewMs = m_clock->monotonicMs();
}

bool SelfFence::fenced() const
{
    return m_lastRenewMs < 0 || sinceRenewMs() >= fenceAfterMs();
}

qint64 SelfFence::sinceRenewMs() const
{
    return m_lastRenewMs < 0 ? -1 : m_clock->monotonicMs() - m_lastRenewMs;
}

quint64 rendezvousScore(const QString &instanceId, const QString &clusterId)
{
    // A cryptographic hash, not qHash: qHash is seeded per process.
    const QByteArray digest = QCryptographicHash::hash((instanceId + QLatin1Char('\n') + clusterId).toUtf8(),
                                                       QCryptographicHash::Sha256);
    return qFromBigEndian<quint64>(digest.constData());
}

QString rendezvousPick(const QStringList &instanceIds, const QString &clusterId)
{
    QString best;
    quint64 bestScore = 0;
    for (const QString &id : instanceIds) {
        const quint64 score = rendezvousScore(id, clusterId);
        if (best.isEmpty() || score > bestScore || (score == bestScore && id < best)) {
            best = id;
            bestScore = score;
        }
    }
    return best;
}

} // namespace cse::server
