// Turns SIGTERM/SIGINT/SIGHUP into a Qt signal (self-pipe), so that servers
// stop gracefully from the event loop.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace cse {

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminate(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace cse
