#include "loginthrottle.h"

#include <QElapsedTimer>

namespace cse::sim {

namespace {
qint64 monotonicMs()
{
    static QElapsedTimer t = [] {
        QElapsedTimer e;
        e.start();
        return e;
    }();
    return t.elapsed();
}
} // namespace

LoginThrottle::LoginThrottle(Limits limits, Clock clock)
    : m_limits(limits), m_clock(clock ? std::move(clock) : Clock(&monotonicMs))
{
}

int LoginThrottle::wait(std::deque<qint64> &times, int limit, qint64 now) const
{
    const qint64 window = qint64(m_limits.windowSeconds) * 1000;
    while (!times.empty() && times.front() <= now - window)
        times.pop_front();
    if (limit <= 0 || int(times.size()) < limit)
        return 0;
    // Free again when the failure that puts us at the limit leaves the window.
    const qint64 freeAt = times.at(times.size() - size_t(limit)) + window;
    return int(qMax<qint64>(1, (freeAt - now + 999) / 1000));
}

int LoginThrottle::retryAfter(const QString &user, const QString &source)
{
    const qint64 now = m_clock();
    prune(now);
    int seconds = 0;
    if (auto it = m_users.find(user); it != m_users.end())
        seconds = qMax(seconds, wait(*it, m_limits.perUser, now));
    if (auto it = m_sources.find(source); it != m_sources.end())
        seconds = qMax(seconds, wait(*it, m_limits.perSource, now));
    return seconds;
}

void LoginThrottle::failed(const QString &user, const QString &source)
{
    const qint64 now = m_clock();
    m_users[user].push_back(now);
    m_sources[source].push_back(now);
    // Keep memory bounded under a flood of distinct names.
    for (auto *map : {&m_users, &m_sources}) {
        auto &times = (*map)[map == &m_users ? user : source];
        while (times.size() > size_t(qMax(m_limits.perUser, m_limits.perSource)) + 1)
            times.pop_front();
    }
}

void LoginThrottle::succeeded(const QString &user)
{
    m_users.remove(user);
}

void LoginThrottle::prune(qint64 now)
{
    const qint64 window = qint64(m_limits.windowSeconds) * 1000;
    if (now - m_lastPrune < window && m_users.size() + m_sources.size() < 100000)
        return;
    m_lastPrune = now;
    for (auto *map : {&m_users, &m_sources})
        for (auto it = map->begin(); it != map->end();) {
            while (!it->empty() && it->front() <= now - window)
                it->pop_front();
            it = it->empty() ? map->erase(it) : std::next(it);
        }
}

} // namespace cse::sim
