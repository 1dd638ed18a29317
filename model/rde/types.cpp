#include "types.h"

#include "json.h"

#include <QFile>
#include <QRegularExpression>

static void initSchemaResources()
{
    // The schemas live in the static model library; make sure the linker keeps them.
    Q_INIT_RESOURCE(cse_schemas);
}

namespace cse::rde {

QString TypeRef::id() const
{
    return QStringLiteral("urn:vcloud:type:%1:%2:%3").arg(vendor, nss, version);
}

Result<TypeRef> TypeRef::parse(const QString &typeId)
{
    static const QRegularExpression re(
        QStringLiteral("^urn:vcloud:type:([A-Za-z0-9_-]+):([A-Za-z0-9_-]+):(\\d+\\.\\d+\\.\\d+)$"));
    const auto m = re.match(typeId);
    if (!m.hasMatch())
        return makeError(QStringLiteral("\"%1\" is not an entity type id (urn:vcloud:type:VENDOR:NSS:X.Y.Z)").arg(typeId));
    return TypeRef{m.captured(1), m.captured(2), m.captured(3)};
}

namespace types {
TypeRef cluster(const QString &version) { return {kVmware, kClusterNss, version}; }
TypeRef config(const QString &version) { return {kVmware, kConfigNss, version}; }
TypeRef serverInstance() { return {kServerVendor, kServerNss, QStringLiteral("1.0.0")}; }
} // namespace types

const QList<TypeInfo> &knownTypes()
{
    using namespace types;
    static const QList<TypeInfo> all = {
        {cluster(QStringLiteral("1.1.0")), QStringLiteral("capvcdCluster"), QStringLiteral("CSE 4.0 cluster"),
         {kK8sInterface}, QStringLiteral(":/schemas/capvcdCluster-1.1.0.json")},
        {cluster(QStringLiteral("1.2.0")), QStringLiteral("capvcdCluster"), QStringLiteral("CSE 4.1 cluster"),
         {kK8sInterface, kCapvcdInterface}, QStringLiteral(":/schemas/capvcdCluster-1.2.0.json")},
        {cluster(QStringLiteral("1.3.0")), QStringLiteral("capvcdCluster"), QStringLiteral("CSE 4.2 cluster"),
         {kK8sInterface, kCapvcdInterface}, QStringLiteral(":/schemas/capvcdCluster-1.3.0.json")},
        {config(QStringLiteral("1.0.0")), QStringLiteral("VCDKEConfig"), QStringLiteral("CSE 4.0 server configuration"),
         {kConfigInterface}, QStringLiteral(":/schemas/VCDKEConfig-1.0.0.json")},
        {config(QStringLiteral("1.1.0")), QStringLiteral("VCDKEConfig"), QStringLiteral("CSE 4.1/4.2 server configuration"),
         {kConfigInterface}, QStringLiteral(":/schemas/VCDKEConfig-1.1.0.json")},
        {serverInstance(), QStringLiteral("serverInstance"), QStringLiteral("CSE Console server replica (lease)"),
         {kServerInterface}, QStringLiteral(":/schemas/serverInstance-1.0.0.json")},
    };
    return all;
}

const TypeInfo *findType(const QString &typeId)
{
    for (const TypeInfo &t : knownTypes())
        if (t.ref.id() == typeId)
            return &t;
    return nullptr;
}

Result<QJsonObject> bundledSchema(const QString &typeId)
{
    initSchemaResources();
    const TypeInfo *t = findType(typeId);
    if (!t)
        return makeError(QStringLiteral("no bundled schema for entity type %1").arg(typeId));
    QFile f(t->schemaResource);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot open bundled schema %1").arg(t->schemaResource));
    return json::parseObject(f.readAll(), t->schemaResource);
}

static bool isSecure(const QJsonValue &restricted)
{
    if (restricted.isString())
        return restricted.toString() == QLatin1String("secure");
    for (const QJsonValue &v : restricted.toArray())
        if (v.toString() == QLatin1String("secure"))
            return true;
    return false;
}

static void collectSecure(const QJsonObject &schema, const QJsonObject &root, const QString &prefix, QStringList &out, int depth)
{
    if (depth > 32)
        return;
    QJsonObject s = schema;
    if (s.contains(QLatin1String("$ref"))) {
        const auto r = json::resolvePointer(root, s.value(QLatin1String("$ref")).toString());
        if (!r)
            return;
        s = r->toObject();
    }
    const QJsonObject props = s.value(QLatin1String("properties")).toObject();
    for (auto it = props.begin(); it != props.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        const QJsonObject child = it.value().toObject();
        if (isSecure(child.value(QLatin1String("x-vcloud-restricted"))))
            out << path;
        else
            collectSecure(child, root, path, out, depth + 1);
    }
}

QStringList securePaths(const QJsonObject &schema)
{
    QStringList out;
    collectSecure(schema, schema, QString(), out, 0);
    return out;
}

} // namespace cse::rde
