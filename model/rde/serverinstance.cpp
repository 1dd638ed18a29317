#include "serverinstance.h"

namespace cse::rde {

ServerInstance ServerInstance::create(const QString &instanceId, const QString &name, const QString &version,
                                      const QString &host, const QDateTime &start)
{
    const QString t = start.toUTC().toString(Qt::ISODateWithMs);
    return ServerInstance(QJsonObject{{QStringLiteral("instanceId"), instanceId},
                                      {QStringLiteral("name"), name},
                                      {QStringLiteral("version"), version},
                                      {QStringLiteral("host"), host},
                                      {QStringLiteral("startTime"), t},
                                      {QStringLiteral("heartbeat"), 0},
                                      {QStringLiteral("lastRenewTime"), t},
                                      {QStringLiteral("state"), replicastate::kRunning},
                                      {QStringLiteral("suspect"), false},
                                      {QStringLiteral("clustersOwned"), QJsonArray{}},
                                      {QStringLiteral("lastError"), QString()}});
}

QDateTime ServerInstance::startTime() const
{
    return QDateTime::fromString(str({QStringLiteral("startTime")}), Qt::ISODateWithMs);
}

QDateTime ServerInstance::lastRenewTime() const
{
    return QDateTime::fromString(str({QStringLiteral("lastRenewTime")}), Qt::ISODateWithMs);
}

namespace {
QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out << s.toString();
    return out;
}
} // namespace

QStringList ServerInstance::clustersOwned() const
{
    return strings(value({QStringLiteral("clustersOwned")}));
}

QStringList ServerInstance::busyOrgs() const
{
    return strings(value({QStringLiteral("busyOrgs")}));
}

void ServerInstance::renew(const QDateTime &now)
{
    setValue({QStringLiteral("heartbeat")}, heartbeat() + 1);
    setValue({QStringLiteral("lastRenewTime")}, now.toUTC().toString(Qt::ISODateWithMs));
}

void ServerInstance::setClustersOwned(const QStringList &ids)
{
    setValue({QStringLiteral("clustersOwned")}, QJsonArray::fromStringList(ids));
}

void ServerInstance::setBusyOrgs(const QStringList &orgIds)
{
    setValue({QStringLiteral("busyOrgs")}, QJsonArray::fromStringList(orgIds));
}

QDateTime ServerInstance::lastTakeoverAt() const
{
    return QDateTime::fromString(str({QStringLiteral("lastTakeoverAt")}), Qt::ISODateWithMs);
}

void ServerInstance::setTakeovers(qint64 n, const QDateTime &last)
{
    setValue({QStringLiteral("takeovers")}, n);
    if (last.isValid())
        setValue({QStringLiteral("lastTakeoverAt")}, last.toUTC().toString(Qt::ISODateWithMs));
}

} // namespace cse::rde
