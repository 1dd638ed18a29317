#include "fairqueue.h"

namespace cse::server {

void FairQueue::push(const QString &org, const QString &id)
{
    std::deque<QString> &q = m_byOrg[org];
    if (q.empty())
        m_turns.push_back(org); // a new org waits one round at most
    q.push_back(id);
    ++m_size;
}

QString FairQueue::pop()
{
    if (m_turns.empty())
        return {};
    const QString org = m_turns.front();
    m_turns.pop_front();
    auto it = m_byOrg.find(org);
    const QString id = it->front();
    it->pop_front();
    --m_size;
    if (it->empty())
        m_byOrg.erase(it);
    else
        m_turns.push_back(org); // its next item after every other org's
    return id;
}

void FairQueue::clear()
{
    m_byOrg.clear();
    m_turns.clear();
    m_size = 0;
}

} // namespace cse::server
