#include "definedentity.h"

namespace cse::rde {

QJsonObject NamedRef::toJson() const
{
    return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("id"), id}};
}

NamedRef NamedRef::fromJson(const QJsonObject &o)
{
    return {o.value(QLatin1String("name")).toString(), o.value(QLatin1String("id")).toString()};
}

QJsonObject DefinedEntity::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("entityType"), entityType);
    o.insert(QStringLiteral("name"), name);
    o.insert(QStringLiteral("externalId"), externalId.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(externalId));
    o.insert(QStringLiteral("entity"), entity);
    o.insert(QStringLiteral("state"), state);
    o.insert(QStringLiteral("entityState"), entityState);
    o.insert(QStringLiteral("owner"), owner.toJson());
    o.insert(QStringLiteral("org"), org.toJson());
    o.insert(QStringLiteral("creationDate"), creationDate);
    o.insert(QStringLiteral("lastModificationDate"), lastModificationDate);
    o.insert(QStringLiteral("message"), message.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(message));
    return o;
}

DefinedEntity DefinedEntity::fromJson(const QJsonObject &o, const QString &etag)
{
    DefinedEntity e;
    e.id = o.value(QLatin1String("id")).toString();
    e.entityType = o.value(QLatin1String("entityType")).toString();
    e.name = o.value(QLatin1String("name")).toString();
    const QJsonValue ext = o.value(QLatin1String("externalId"));
    e.externalId = ext.isString() ? ext.toString() : QString();
    e.entity = o.value(QLatin1String("entity")).toObject();
    e.state = o.value(QLatin1String("state")).toString();
    e.entityState = o.value(QLatin1String("entityState")).toString();
    e.owner = NamedRef::fromJson(o.value(QLatin1String("owner")).toObject());
    e.org = NamedRef::fromJson(o.value(QLatin1String("org")).toObject());
    e.creationDate = o.value(QLatin1String("creationDate")).toString();
    e.lastModificationDate = o.value(QLatin1String("lastModificationDate")).toString();
    const QJsonValue msg = o.value(QLatin1String("message"));
    e.message = msg.isString() ? msg.toString() : QString();
    e.etag = etag;
    return e;
}

QJsonObject DefinedEntity::toUpdateJson() const
{
    QJsonObject o{{QStringLiteral("name"), name}, {QStringLiteral("entity"), entity}};
    if (!externalId.isNull())
        o.insert(QStringLiteral("externalId"), externalId);
    return o;
}

QString isoTimestamp(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

} // namespace cse::rde
