#include "credentialstore.h"

#include <QCoreApplication>

namespace cse::secrets {

void MemoryStore::read(const QString &key, Read done)
{
    if (!m_secrets.contains(key))
        return done(makeError(ErrorKind::NotFound, QStringLiteral("no secret is stored for %1").arg(key)));
    done(m_secrets.value(key));
}

void MemoryStore::write(const QString &key, const QString &secret, Done done)
{
    m_secrets.insert(key, secret);
    done({});
}

void MemoryStore::remove(const QString &key, Done done)
{
    m_secrets.remove(key);
    done({});
}

QString MemoryStore::describe() const
{
    return QCoreApplication::translate("cse::secrets::MemoryStore", "this session only (no keychain answered)");
}

} // namespace cse::secrets
