// Throttles password guessing at vcd-sim's login endpoints: failed logins are
// counted per user (user@org, known or not) and per source address within a
// sliding window; over either limit, login answers 429 with Retry-After
// until the oldest failure leaves the window. A success clears the user's
// count. The clock is injectable, so tests need no sleeps.
#pragma once

#include <QHash>
#include <QString>
#include <deque>
#include <functional>

namespace cse::sim {

struct LoginLimits
{
    int perUser = 10;     // failures of one user@org within the window
    int perSource = 50;   // failures from one address within the window
    int windowSeconds = 300;
};

class LoginThrottle
{
public:
    using Limits = LoginLimits;
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    explicit LoginThrottle(Limits limits = Limits(), Clock clock = Clock());

    // 0: go ahead; else the seconds to wait (for Retry-After).
    int retryAfter(const QString &user, const QString &source);
    void failed(const QString &user, const QString &source);
    void succeeded(const QString &user);
    const Limits &limits() const { return m_limits; }

private:
    int wait(std::deque<qint64> &times, int limit, qint64 now) const;
    void prune(qint64 now);

    Limits m_limits;
    Clock m_clock;
    QHash<QString, std::deque<qint64>> m_users;
    QHash<QString, std::deque<qint64>> m_sources;
    qint64 m_lastPrune = 0;
};

} // namespace cse::sim
