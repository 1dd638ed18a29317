// Connection profiles, kept in QSettings without secrets: URL, org,
// provider or tenant, user, how to authenticate, and the pinned SHA-256
// certificate fingerprint (trust on first use). Secrets go to a
// CredentialStore under secretKey().
#pragma once

#include "vcd/connectionoptions.h"

#include <QSettings>
#include <QString>
#include <QStringList>

namespace cse::views {

struct Profile
{
    enum class Auth { Password, ApiToken };
    QString name;
    QUrl url;
    QString org = QStringLiteral("System");
    QString user;
    Auth auth = Auth::Password;
    QString fingerprint; // pinned on first contact; empty: not yet trusted

    bool isProvider() const { return org.compare(QLatin1String("system"), Qt::CaseInsensitive) == 0; }
    QString secretKey() const { return QStringLiteral("profile/") + name; }
    vcd::ConnectionOptions options(const QString &secret) const;
};

class ProfileStore
{
public:
    explicit ProfileStore(QSettings *settings) : m_settings(settings) {}
    QStringList names() const;
    std::optional<Profile> load(const QString &name) const;
    void save(const Profile &p);
    void remove(const QString &name);
    QString last() const;
    void setLast(const QString &name);

private:
    QSettings *m_settings;
};

} // namespace cse::views
