#include "discovery.h"

#include "lease.h"

#include <algorithm>

namespace cse::server {

DiscoveryPlanner::Plan DiscoveryPlanner::plan(const QStringList &orgs, const QStringList &sharers, const QString &me,
                                              const QSet<QString> &busy, double requestsPerPoll)
{
    Plan p;
    if (sharers != m_sharers || me != m_me) { // the shards moved: hash again
        m_sharers = sharers;
        m_me = me;
        m_mine.clear();
    }
    QStringList mine;
    for (const QString &org : orgs) {
        if (busy.contains(org)) {
            p.busy.append(org);
            continue;
        }
        auto it = m_mine.constFind(org);
        if (it == m_mine.cend())
            it = m_mine.insert(org, rendezvousPick(sharers, org) == me);
        if (*it)
            mine.append(org);
    }
    // The bucket holds one poll's worth and one request more (so a fraction
    // of a request a poll adds up), and a quiet spell never turns into a
    // burst; busy lists may drive it below zero, down to as much debt.
    const double cap = std::max(0.0, requestsPerPoll) + 1.0;
    m_credit = std::min(m_credit + requestsPerPoll, cap);
    m_credit -= p.busy.size();
    m_credit = std::max(m_credit, -cap);
    if (mine.isEmpty())
        return p;
    std::sort(mine.begin(), mine.end());
    // Round-robin by id: start after the last org listed, wrap around, list
    // each org at most once a poll.
    int start = int(std::upper_bound(mine.cbegin(), mine.cend(), m_cursor) - mine.cbegin()) % int(mine.size());
    for (int i = 0; i < mine.size() && m_credit >= 1.0; ++i) {
        const QString &org = mine.at((start + i) % mine.size());
        p.idle.append(org);
        m_credit -= 1.0;
        m_cursor = org;
    }
    return p;
}

} // namespace cse::server
