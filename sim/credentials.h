// How vcd-sim derives what it stores for passwords and tokens. Login, the
// seed and the admin endpoint all go through here, so they cannot drift.
#pragma once

#include <QByteArray>
#include <QString>

namespace cse::sim {

QByteArray randomBytes(int count);
// PBKDF2-SHA256 of the password with the user's salt, hex.
QByteArray hashPassword(const QByteArray &salt, const QString &password);
// What the store keeps for a session or API token: SHA-256, hex.
QByteArray tokenHash(const QByteArray &token);
// A new API token (64 hex digits).
QByteArray newApiToken();

} // namespace cse::sim
