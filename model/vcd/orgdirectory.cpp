#include "orgdirectory.h"

#include "core/logging.h"

#include <utility>

namespace cse::vcd {

OrgDirectory::OrgDirectory(Client *client, const server::Clock *clock, QObject *parent)
    : QObject(parent), m_client(client), m_clock(clock ? clock : server::Clock::system())
{
}

QString OrgDirectory::idOf(const QString &name) const
{
    for (const OrgEntry &o : m_orgs)
        if (o.name.compare(name, Qt::CaseInsensitive) == 0)
            return o.id;
    return {};
}

void OrgDirectory::ensureFresh(Callback<void> done)
{
    if (m_fetchedMs >= 0 && m_clock->monotonicMs() - m_fetchedMs < m_refreshMs)
        return done({});
    refreshNow(std::move(done));
}

void OrgDirectory::refreshNow(Callback<void> done)
{
    m_waiters.append(std::move(done));
    if (m_waiters.size() > 1)
        return; // joins the list under way
    if (!m_client) {
        auto waiters = std::exchange(m_waiters, {});
        for (auto &w : waiters)
            w(makeError(ErrorKind::Invalid, QStringLiteral("not connected")));
        return;
    }
    QPointer<OrgDirectory> self(this);
    m_client->listValues(RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs")), [this, self](Result<QList<QJsonObject>> r) {
        if (!self)
            return;
        if (r) {
            QList<OrgEntry> list;
            list.reserve(r->size());
            for (const QJsonObject &o : std::as_const(*r))
                list.append({o.value(QLatin1String("id")).toString(), o.value(QLatin1String("name")).toString()});
            m_fetchedMs = m_clock->monotonicMs();
            const bool differs = list != m_orgs;
            m_orgs = std::move(list);
            if (differs)
                Q_EMIT changed();
        }
        auto waiters = std::exchange(m_waiters, {});
        for (auto &w : waiters)
            w(r ? Result<void>() : Result<void>(r.error()));
    });
}

} // namespace cse::vcd
