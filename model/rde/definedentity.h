// The VCD envelope around an entity: DefinedEntity JSON plus its ETag.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace cse::rde {

struct NamedRef
{
    QString name;
    QString id;
    QJsonObject toJson() const;
    static NamedRef fromJson(const QJsonObject &o);
};

struct DefinedEntity
{
    QString id;            // urn:vcloud:entity:vendor:nss:uuid
    QString entityType;    // urn:vcloud:type:vendor:nss:x.y.z
    QString name;
    QString externalId;
    QJsonObject entity;    // the typed content
    QString state;         // PRE_CREATED, RESOLVED, RESOLUTION_ERROR
    QString entityState;   // as state, plus IN_DELETION
    NamedRef owner;
    NamedRef org;
    QString creationDate;
    QString lastModificationDate;
    QString message;
    QString etag;          // from the ETag header, not part of the JSON

    QJsonObject toJson() const;
    static DefinedEntity fromJson(const QJsonObject &o, const QString &etag = {});
    // The body a PUT sends: name, externalId and entity (VCD ignores the rest).
    QJsonObject toUpdateJson() const;
};

// Time formats VCD uses.
QString isoTimestamp(const QDateTime &t = QDateTime::currentDateTimeUtc()); // 2006-01-02T15:04:05.000Z

} // namespace cse::rde
