// systemd notification (Type=notify): READY=1, WATCHDOG=1, STOPPING=1.
// Without libsystemd, or outside systemd, every call does nothing.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace cse::server {

void sdNotify(const QByteArray &state);

// Sends WATCHDOG=1 from the event loop at half the interval systemd asks for
// (WatchdogSec=); a hung event loop therefore gets the process restarted.
class Watchdog : public QObject
{
    Q_OBJECT
public:
    explicit Watchdog(QObject *parent = nullptr);
    bool enabled() const { return m_timer.isActive(); }

private:
    QTimer m_timer;
};

} // namespace cse::server
