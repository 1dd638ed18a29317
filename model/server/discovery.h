// Work discovery at provider scale. Two ways to find the clusters that need
// a server:
// - provider-wide: one filtered list without a tenant context shows every
//   org's clusters (VCD does this for a System user holding the entity type's
//   Administrator View right); each replica lists once a poll and claims by
//   rendezvous over the cluster id.
// - per-org: each org is listed with its tenant context. The orgs are
//   sharded over the live replicas by rendezvous over the org id; an org
//   with work in flight is listed every poll, the idle ones round-robin
//   within a site-wide request budget, so a new cluster in an idle org is
//   seen within (orgs / budget) seconds, and the idle cost stays at the
//   budget however many orgs there are.
#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace cse::server {

// Which orgs one replica lists in one poll of the per-org mode. A token
// bucket of requests: each poll adds budget x poll / sharers; every list
// spends one (lists of busy orgs are made even when the bucket is empty).
class DiscoveryPlanner
{
public:
    struct Plan
    {
        QStringList busy; // listed because they have work in flight
        QStringList idle; // this poll's share of the round-robin
    };

    // ORGS: every org id to list with a tenant context; SHARERS: the live
    // replicas (ME among them); BUSY: orgs with work in flight (listed
    // every poll, whoever's shard they are in); REQUESTSPERPOLL: this
    // replica's budget for one poll (site budget x poll seconds / sharers).
    Plan plan(const QStringList &orgs, const QStringList &sharers, const QString &me, const QSet<QString> &busy,
              double requestsPerPoll);

    double credit() const { return m_credit; }

private:
    double m_credit = 0;
    QStringList m_sharers;     // the replicas m_mine was hashed for
    QString m_me;
    QHash<QString, bool> m_mine; // org id -> in this replica's shard
    QString m_cursor; // the last idle org listed: the round-robin goes on after it
};

} // namespace cse::server
