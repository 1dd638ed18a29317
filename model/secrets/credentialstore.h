// Where the console keeps secrets (passwords, API tokens): an interface with
// asynchronous calls, so an OS keychain can answer later. Secrets never go
// to QSettings. The GUI's implementation uses QtKeychain (views/keychainstore.h);
// MemoryStore keeps them for this session only (no keychain answered).
#pragma once

#include "core/result.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <functional>

namespace cse::secrets {

class CredentialStore
{
public:
    virtual ~CredentialStore() = default;
    using Done = std::function<void(Result<void>)>;
    using Read = std::function<void(Result<QString>)>;

    // ErrorKind::NotFound when nothing is stored under `key`;
    // ErrorKind::Unreachable when no keychain answers.
    virtual void read(const QString &key, Read done) = 0;
    virtual void write(const QString &key, const QString &secret, Done done) = 0;
    virtual void remove(const QString &key, Done done) = 0;
    virtual QString describe() const = 0; // for the user: where secrets go
};

class MemoryStore : public CredentialStore
{
public:
    void read(const QString &key, Read done) override;
    void write(const QString &key, const QString &secret, Done done) override;
    void remove(const QString &key, Done done) override;
    QString describe() const override;

private:
    QHash<QString, QString> m_secrets;
};

} // namespace cse::secrets
