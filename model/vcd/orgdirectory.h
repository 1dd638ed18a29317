// The site's organizations as the connected user sees them: one paged list
// of /cloudapi/1.0.0/orgs, kept on its own clock (orgs change far less often
// than clusters). The one org directory of the server and the console.
#pragma once

#include "client.h"
#include "server/clock.h"

#include <QObject>
#include <QPointer>

namespace cse::vcd {

struct OrgEntry
{
    QString id;   // urn:vcloud:org:UUID
    QString name;
    bool operator==(const OrgEntry &o) const { return id == o.id && name == o.name; }
};

class OrgDirectory : public QObject
{
    Q_OBJECT
public:
    // CLOCK must outlive the directory; null: the system clock.
    OrgDirectory(Client *client, const server::Clock *clock = nullptr, QObject *parent = nullptr);

    void setRefreshMs(qint64 ms) { m_refreshMs = ms; }
    qint64 refreshMs() const { return m_refreshMs; }

    // Lists the orgs again when the last list is older than refreshMs (or
    // there is none), then calls DONE (at once when the list is fresh). A
    // failed list keeps the previous orgs and is reported through DONE.
    void ensureFresh(Callback<void> done);
    void refreshNow(Callback<void> done);
    void invalidate() { m_fetchedMs = -1; }

    const QList<OrgEntry> &orgs() const { return m_orgs; }
    bool loaded() const { return m_fetchedMs >= 0; }
    QString idOf(const QString &name) const; // case-insensitive, as VCD names orgs

Q_SIGNALS:
    void changed(); // the list differs from the previous one

private:
    QPointer<Client> m_client;
    const server::Clock *m_clock;
    qint64 m_refreshMs = 30000;
    qint64 m_fetchedMs = -1;
    QList<OrgEntry> m_orgs;
    QList<Callback<void>> m_waiters; // one list at a time
};

} // namespace cse::vcd
