#include "sdnotify.h"

#ifdef CSE_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace cse::server {

void sdNotify(const QByteArray &state)
{
#ifdef CSE_HAVE_SYSTEMD
    sd_notify(0, state.constData());
#else
    Q_UNUSED(state);
#endif
}

Watchdog::Watchdog(QObject *parent)
    : QObject(parent)
{
#ifdef CSE_HAVE_SYSTEMD
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        connect(&m_timer, &QTimer::timeout, this, [] { sdNotify("WATCHDOG=1"); });
        m_timer.start(int(qMax<uint64_t>(usec / 2000, 100)));
    }
#endif
}

} // namespace cse::server
