// Time for the replica's lease and fencing logic, injectable so unit tests
// drive it by hand instead of sleeping.
#pragma once

#include <QDateTime>
#include <QElapsedTimer>

namespace cse::server {

class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 monotonicMs() const = 0; // never jumps; only differences mean anything
    virtual QDateTime utcNow() const = 0;   // wall clock, for timestamps people read

    static const Clock *system();
};

// A clock that moves only when told to (tests).
class ManualClock : public Clock
{
public:
    qint64 monotonicMs() const override { return m_ms; }
    QDateTime utcNow() const override { return m_epoch.addMSecs(m_ms); }
    void advance(qint64 ms) { m_ms += ms; }

private:
    qint64 m_ms = 1000;
    QDateTime m_epoch = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
};

} // namespace cse::server
