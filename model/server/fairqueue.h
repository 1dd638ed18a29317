// The replica's ready queue, fair between tenants: one FIFO per org, the
// orgs served round-robin. A burst of N clusters in one org delays another
// org's next step by at most one step per worker, not by N.
#pragma once

#include <QHash>
#include <QString>
#include <deque>

namespace cse::server {

class FairQueue
{
public:
    void push(const QString &org, const QString &id);
    QString pop();            // empty when the queue is
    bool isEmpty() const { return m_size == 0; }
    int size() const { return m_size; }
    void clear();

private:
    QHash<QString, std::deque<QString>> m_byOrg;
    std::deque<QString> m_turns; // orgs with queued work, in serving order
    int m_size = 0;
};

} // namespace cse::server
