#include "credentials.h"

#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>

namespace cse::sim {

QByteArray randomBytes(int count)
{
    QByteArray b(count, Qt::Uninitialized);
    for (char &c : b)
        c = char(QRandomGenerator::system()->bounded(256));
    return b;
}

QByteArray hashPassword(const QByteArray &salt, const QString &password)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt, 2000, 32).toHex();
}

QByteArray tokenHash(const QByteArray &token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex();
}

QByteArray newApiToken()
{
    return randomBytes(32).toHex();
}

} // namespace cse::sim
