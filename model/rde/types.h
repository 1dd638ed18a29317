// The entity types CSE Console knows: ids, interfaces, bundled schemas.
#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace cse::rde {

struct TypeRef
{
    QString vendor;
    QString nss;
    QString version;

    QString id() const; // urn:vcloud:type:vendor:nss:version
    static Result<TypeRef> parse(const QString &typeId);
    bool operator==(const TypeRef &o) const { return vendor == o.vendor && nss == o.nss && version == o.version; }
};

struct TypeInfo
{
    TypeRef ref;
    QString name;            // display name
    QString description;
    QStringList interfaces;  // urn:vcloud:interface:...
    QString schemaResource;  // Qt resource path of the bundled schema
};

namespace types {
inline const QString kVmware = QStringLiteral("vmware");
inline const QString kClusterNss = QStringLiteral("capvcdCluster");
inline const QString kConfigNss = QStringLiteral("VCDKEConfig");
inline const QString kServerVendor = QStringLiteral("cseconsole");
inline const QString kServerNss = QStringLiteral("serverInstance");
inline const QString kConfigEntityName = QStringLiteral("vcdKeConfig");

inline const QString kK8sInterface = QStringLiteral("urn:vcloud:interface:vmware:k8s:1.0.0");
inline const QString kCapvcdInterface = QStringLiteral("urn:vcloud:interface:cse:capvcd:1.0.0");
inline const QString kConfigInterface = QStringLiteral("urn:vcloud:interface:vmware:VCDKEConfig:1.0.0");
inline const QString kServerInterface = QStringLiteral("urn:vcloud:interface:cseconsole:serverInstance:1.0.0");
inline const QString kGetFullEntityBehavior = QStringLiteral("urn:vcloud:behavior-interface:getFullEntity:cse:capvcd:1.0.0");

TypeRef cluster(const QString &version = QStringLiteral("1.2.0"));
TypeRef config(const QString &version = QStringLiteral("1.1.0"));
TypeRef serverInstance();
} // namespace types

// Every type the project ships a schema for (capvcdCluster 1.1/1.2/1.3,
// VCDKEConfig 1.0/1.1, serverInstance 1.0).
const QList<TypeInfo> &knownTypes();
const TypeInfo *findType(const QString &typeId);
Result<QJsonObject> bundledSchema(const QString &typeId);

// Paths (dotted, inside the entity JSON) of the fields a schema marks with
// x-vcloud-restricted containing `secure`. Arrays are not descended.
QStringList securePaths(const QJsonObject &schema);

} // namespace cse::rde
