#include "profiles.h"

namespace cse::views {

vcd::ConnectionOptions Profile::options(const QString &secret) const
{
    vcd::ConnectionOptions o;
    o.url = url;
    o.org = org;
    if (auth == Auth::ApiToken) {
        o.apiToken = secret;
    } else {
        o.user = user;
        o.password = secret;
    }
    o.fingerprint = fingerprint;
    o.clientId = QStringLiteral("cse-console");
    return o;
}

QStringList ProfileStore::names() const
{
    m_settings->beginGroup(QStringLiteral("profiles"));
    const QStringList out = m_settings->childGroups();
    m_settings->endGroup();
    return out;
}

std::optional<Profile> ProfileStore::load(const QString &name) const
{
    if (!names().contains(name))
        return std::nullopt;
    m_settings->beginGroup(QStringLiteral("profiles/") + name);
    Profile p;
    p.name = name;
    p.url = QUrl(m_settings->value(QStringLiteral("url")).toString());
    p.org = m_settings->value(QStringLiteral("org"), QStringLiteral("System")).toString();
    p.user = m_settings->value(QStringLiteral("user")).toString();
    p.auth = m_settings->value(QStringLiteral("auth")).toString() == QLatin1String("apiToken") ? Profile::Auth::ApiToken
                                                                                                : Profile::Auth::Password;
    p.fingerprint = m_settings->value(QStringLiteral("fingerprint")).toString();
    m_settings->endGroup();
    return p;
}

void ProfileStore::save(const Profile &p)
{
    m_settings->beginGroup(QStringLiteral("profiles/") + p.name);
    m_settings->setValue(QStringLiteral("url"), p.url.toString());
    m_settings->setValue(QStringLiteral("org"), p.org);
    m_settings->setValue(QStringLiteral("user"), p.user);
    m_settings->setValue(QStringLiteral("auth"), p.auth == Profile::Auth::ApiToken ? QStringLiteral("apiToken") : QStringLiteral("password"));
    m_settings->setValue(QStringLiteral("fingerprint"), p.fingerprint);
    m_settings->endGroup();
    m_settings->sync();
}

void ProfileStore::remove(const QString &name)
{
    m_settings->remove(QStringLiteral("profiles/") + name);
    m_settings->sync();
}

QString ProfileStore::last() const
{
    return m_settings->value(QStringLiteral("lastProfile")).toString();
}

void ProfileStore::setLast(const QString &name)
{
    m_settings->setValue(QStringLiteral("lastProfile"), name);
}

} // namespace cse::views
