#include "backup.h"

#include "jobs.h"

#include "core/logging.h"
#include "rde/json.h"
#include "rde/types.h"
#include "vcd/client.h"

#include <QJsonArray>
#include <QSet>

namespace cse::backup {

namespace {

bool isSecure(const QJsonValue &restricted)
{
    if (restricted.isString())
        return restricted.toString() == QLatin1String("secure");
    for (const QJsonValue &v : restricted.toArray())
        if (v.toString() == QLatin1String("secure"))
            return true;
    return false;
}

QJsonObject deref(const QJsonObject &schema, const QJsonObject &root)
{
    if (!schema.contains(QLatin1String("$ref")))
        return schema;
    auto r = json::resolvePointer(root, schema.value(QLatin1String("$ref")).toString());
    return r ? r->toObject() : QJsonObject();
}

QJsonValue strip(const QJsonValue &value, const QJsonObject &schemaIn, const QJsonObject &root, int depth, bool &changed)
{
    if (depth > 48)
        return value;
    const QJsonObject schema = deref(schemaIn, root);
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        const QJsonObject props = schema.value(QLatin1String("properties")).toObject();
        for (auto it = props.begin(); it != props.end(); ++it) {
            if (!o.contains(it.key()))
                continue;
            const QJsonObject child = deref(it.value().toObject(), root);
            if (isSecure(child.value(QLatin1String("x-vcloud-restricted")))) {
                o.remove(it.key());
                changed = true;
            } else {
                o.insert(it.key(), strip(o.value(it.key()), child, root, depth + 1, changed));
            }
        }
        return o;
    }
    if (value.isArray()) {
        const QJsonValue items = schema.value(QLatin1String("items"));
        QJsonArray a = value.toArray();
        for (int i = 0; i < a.size(); ++i) {
            const QJsonObject itemSchema = items.isArray() ? items.toArray().at(i).toObject() : items.toObject();
            if (isSecure(deref(itemSchema, root).value(QLatin1String("x-vcloud-restricted")))) {
                a.removeAt(i--);
                changed = true;
                continue;
            }
            a[i] = strip(a[i], itemSchema, root, depth + 1, changed);
        }
        return a;
    }
    return value;
}

} // namespace

bool stripSecure(const QString &typeId, QJsonObject &entity)
{
    auto schema = rde::bundledSchema(typeId);
    if (!schema)
        return false;
    bool changed = false;
    entity = strip(entity, *schema, *schema, 0, changed).toObject();
    return true;
}

void listCollection(vcd::Client &client, const QString &path, std::function<void(Result<QJsonArray>)> done)
{
    client.listValues(vcd::RequestSpec::get(path), [done](Result<QList<QJsonObject>> r) {
        if (!r)
            return done(r.error());
        QJsonArray out;
        for (const QJsonObject &o : std::as_const(*r))
            out.append(o);
        done(out);
    });
}

void listOrgs(vcd::Client &client, std::function<void(Result<QList<QPair<QString, QString>>>)> done)
{
    listCollection(client, QStringLiteral("/cloudapi/1.0.0/orgs"), [done](Result<QJsonArray> r) {
        if (!r)
            return done(r.error());
        QList<QPair<QString, QString>> out;
        for (const QJsonValue &v : std::as_const(*r))
            out.append({v.toObject().value(QLatin1String("name")).toString(), v.toObject().value(QLatin1String("id")).toString()});
        done(out);
    });
}

Result<QList<QPair<QString, QString>>> listOrgs(vcd::Client &client)
{
    return vcd::await<QList<QPair<QString, QString>>>([&](auto done) { listOrgs(client, done); });
}

Result<Archive> collect(vcd::Client &client, const BackupOptions &options)
{
    BackupJob job(&client, options);
    return runToEnd<Archive>(job, options.progress);
}

} // namespace cse::backup
