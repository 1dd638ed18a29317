// Secrets in the OS keychain (Secret Service, KWallet, macOS Keychain,
// Windows Credential Store) through QtKeychain. No Widgets: its own small
// library (cse_keychain), so tests and tools can use it without a GUI.
#pragma once

#include "secrets/credentialstore.h"

namespace cse::views {

class KeychainStore : public secrets::CredentialStore
{
public:
    explicit KeychainStore(QString service = QStringLiteral("cse-console"));
    void read(const QString &key, Read done) override;
    void write(const QString &key, const QString &secret, Done done) override;
    void remove(const QString &key, Done done) override;
    QString describe() const override;

private:
    QString m_service;
};

} // namespace cse::views
