#include "keychainstore.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <qt6keychain/keychain.h>

namespace cse::views {

namespace {
Error errorOf(const QKeychain::Job *job)
{
    switch (job->error()) {
    case QKeychain::EntryNotFound:
        return makeError(ErrorKind::NotFound, QStringLiteral("no secret is stored under %1").arg(job->key()));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return makeError(ErrorKind::Forbidden, QStringLiteral("the keychain refused access: %1").arg(job->errorString()));
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
    default:
        return makeError(ErrorKind::Unreachable, QStringLiteral("no keychain answered: %1").arg(job->errorString()));
    }
}
} // namespace

KeychainStore::KeychainStore(QString service)
    : m_service(std::move(service))
{
}

void KeychainStore::read(const QString &key, Read done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [done](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError) {
            qCInfo(lcSecrets).noquote() << "keychain read failed:" << j->errorString();
            return done(errorOf(j));
        }
        done(static_cast<QKeychain::ReadPasswordJob *>(j)->textData());
    });
    job->start();
}

void KeychainStore::write(const QString &key, const QString &secret, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, job, [done](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError) {
            qCWarning(lcSecrets).noquote() << "keychain write failed:" << j->errorString();
            return done(errorOf(j));
        }
        done({});
    });
    job->start();
}

void KeychainStore::remove(const QString &key, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [done](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound)
            return done(errorOf(j));
        done({});
    });
    job->start();
}

QString KeychainStore::describe() const
{
    return QCoreApplication::translate("cse::views::KeychainStore", "the system keychain (service \"%1\")").arg(m_service);
}

} // namespace cse::views
