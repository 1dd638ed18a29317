#include "store.h"

#include "credentials.h"

#include "core/logging.h"
#include "rde/json.h"

#include <QDir>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUrl>
#include <QUuid>
#include <QVariant>

namespace cse::sim {

Error sqlError(const QString &what, const QString &detail)
{
    Error e = makeError(QStringLiteral("store: %1 failed: %2").arg(what, detail));
    e.httpStatus = 500;
    return e;
}

namespace {

QString text(const QJsonObject &o) { return QString::fromUtf8(json::canonical(o)); }
QJsonObject object(const QVariant &v) { return QJsonDocument::fromJson(v.toString().toUtf8()).object(); }

// Runs one statement; the query is returned for reading rows.
Result<QSqlQuery> run(const QSqlDatabase &db, const QString &sql, const QVariantList &binds = {})
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (binds.isEmpty()) {
        // No parameters: run directly (PostgreSQL cannot PREPARE DDL).
        if (!q.exec(sql))
            return sqlError(sql.section(QLatin1Char(' '), 0, 2), q.lastError().text());
        return q;
    }
    if (!q.prepare(sql))
        return sqlError(sql.section(QLatin1Char(' '), 0, 2), q.lastError().text());
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return sqlError(sql.section(QLatin1Char(' '), 0, 2), q.lastError().text());
    return q;
}

Result<void> runVoid(const QSqlDatabase &db, const QString &sql, const QVariantList &binds = {})
{
    auto r = run(db, sql, binds);
    if (!r)
        return r.error();
    return {};
}

// One row read by `read`, or none.
template<typename T, typename Reader>
Result<std::optional<T>> one(const QSqlDatabase &db, const QString &sql, const QVariantList &binds, Reader read)
{
    auto q = run(db, sql, binds);
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<T>();
    return std::optional<T>(read(*q));
}

// Every row, each read by `read`.
template<typename T, typename Reader>
Result<QList<T>> all(const QSqlDatabase &db, const QString &sql, const QVariantList &binds, Reader read)
{
    auto q = run(db, sql, binds);
    if (!q)
        return q.error();
    QList<T> out;
    while (q->next())
        out.append(read(*q));
    return out;
}

const char *kEntityColumns =
    "id, type_id, name, external_id, entity, state, entity_state, owner_id, owner_name, org_id, org_name, "
    "created, modified, message, etag";

EntityRow readEntity(const QSqlQuery &q)
{
    EntityRow r;
    r.e.id = q.value(0).toString();
    r.e.entityType = q.value(1).toString();
    r.e.name = q.value(2).toString();
    r.e.externalId = q.value(3).isNull() ? QString() : q.value(3).toString();
    r.e.entity = object(q.value(4));
    r.e.state = q.value(5).toString();
    r.e.entityState = q.value(6).toString();
    r.e.owner = {q.value(8).toString(), q.value(7).toString()};
    r.e.org = {q.value(10).toString(), q.value(9).toString()};
    r.e.creationDate = q.value(11).toString();
    r.e.lastModificationDate = q.value(12).toString();
    r.e.message = q.value(13).isNull() ? QString() : q.value(13).toString();
    r.etag = q.value(14).toLongLong();
    return r;
}

QVariant nullable(const QString &s) { return s.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s); }

const char *kVmColumns = "id, cluster_id, name, role, state, created_at, deleted_at";

VmRow readVm(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
            q.value(4).toString(), q.value(5).toString(), q.value(6).toString()};
}

} // namespace

QJsonObject OrgRow::toJson() const
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("name"), name}, {QStringLiteral("displayName"), displayName},
            {QStringLiteral("description"), description}, {QStringLiteral("isEnabled"), enabled}};
}

QJsonObject TypeRow::toJson() const
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("vendor"), vendor}, {QStringLiteral("nss"), nss},
            {QStringLiteral("version"), version}, {QStringLiteral("name"), name},
            {QStringLiteral("description"), description}, {QStringLiteral("schema"), schema},
            {QStringLiteral("interfaces"), QJsonArray::fromStringList(interfaces)},
            {QStringLiteral("hooks"), hooks}, {QStringLiteral("externalId"), QJsonValue::Null},
            {QStringLiteral("readonly"), false}, {QStringLiteral("inheritedVersion"), QJsonValue::Null}};
}

QJsonObject VmRow::toJson() const
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("clusterId"), clusterId}, {QStringLiteral("name"), name},
            {QStringLiteral("role"), role}, {QStringLiteral("state"), state},
            {QStringLiteral("createdAt"), createdAt}, {QStringLiteral("deletedAt"), deletedAt}};
}

QJsonObject WriteAudit::toJson() const
{
    return {{QStringLiteral("seq"), seq}, {QStringLiteral("entityId"), entityId}, {QStringLiteral("etag"), etag},
            {QStringLiteral("time"), time}, {QStringLiteral("clientId"), clientId},
            {QStringLiteral("ownerInstance"), ownerInstance}, {QStringLiteral("ownerEpoch"), ownerEpoch}};
}

Result<Store *> Store::open(const QString &dir, const QString &dbUrl, const QString &connectionName)
{
    std::unique_ptr<Store> s(new Store);
    s->m_connection = connectionName;
    QSqlDatabase db;
    if (dbUrl.isEmpty()) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(QDir(dir).filePath(QStringLiteral("vcd-sim.db")));
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    } else {
        const QUrl url(dbUrl);
        if (url.scheme() != QLatin1String("postgres") && url.scheme() != QLatin1String("postgresql"))
            return makeError(QStringLiteral("--db must look like postgres://USER@HOST:PORT/DB, got \"%1\"").arg(dbUrl));
        s->m_postgres = true;
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        if (!url.password().isEmpty())
            db.setPassword(url.password());
        db.setDatabaseName(url.path().mid(1));
    }
    if (!db.isValid())
        return makeError(QStringLiteral("the Qt SQL driver for %1 is not installed (libqt6sql6-%2)")
                             .arg(s->m_postgres ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite"),
                                  s->m_postgres ? QStringLiteral("psql") : QStringLiteral("sqlite")));
    if (!db.open())
        return makeError(QStringLiteral("cannot open the database: %1").arg(db.lastError().text()));
    if (!s->m_postgres) {
        for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"})
            if (auto r = runVoid(db, QString::fromLatin1(pragma)); !r)
                return r.error();
    }
    if (auto r = s->migrate(); !r)
        return r.error();
    return s.release();
}

Store::~Store()
{
    {
        QSqlDatabase d = QSqlDatabase::database(m_connection, false);
        d.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase Store::db() const
{
    return QSqlDatabase::database(m_connection, false);
}

Result<void> Store::migrate()
{
    const QString serial = m_postgres ? QStringLiteral("BIGSERIAL PRIMARY KEY") : QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT");
    const QStringList ddl = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, display_name TEXT, "
                       "description TEXT, enabled INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS vdcs (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS networks (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, vdc_id TEXT NOT NULL, "
                       "name TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, "
                       "role TEXT NOT NULL, salt TEXT NOT NULL, password_hash TEXT NOT NULL, UNIQUE (org_id, name))"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, id TEXT NOT NULL, user_id TEXT NOT NULL, "
                       "expires_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS api_tokens (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS entity_types (id TEXT PRIMARY KEY, vendor TEXT, nss TEXT, version TEXT, "
                       "name TEXT, description TEXT, schema TEXT, interfaces TEXT, hooks TEXT)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS entities (id TEXT PRIMARY KEY, type_id TEXT NOT NULL, name TEXT, "
                       "external_id TEXT, entity TEXT NOT NULL, state TEXT, entity_state TEXT, owner_id TEXT, owner_name TEXT, "
                       "org_id TEXT, org_name TEXT, created TEXT, modified TEXT, message TEXT, etag BIGINT NOT NULL)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS entities_type ON entities (type_id, org_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, operation_name TEXT, operation TEXT, status TEXT, "
                       "start_time TEXT, end_time TEXT, progress INTEGER, owner_id TEXT, owner_name TEXT, owner_type TEXT, "
                       "org_id TEXT, error TEXT, result TEXT, user_id TEXT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS tasks_owner ON tasks (owner_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS objects (kind TEXT NOT NULL, id TEXT NOT NULL, parent TEXT NOT NULL, doc TEXT NOT NULL, "
                       "PRIMARY KEY (kind, id))"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS vms (id TEXT PRIMARY KEY, cluster_id TEXT, name TEXT, role TEXT, state TEXT, "
                       "created_at TEXT, deleted_at TEXT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS vms_cluster ON vms (cluster_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS infra (cluster_id TEXT PRIMARY KEY, bootstrap_vm TEXT, applied_yaml TEXT, "
                       "applied INTEGER, pivoted INTEGER, failed_step TEXT, k8s_version TEXT)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS audit_writes (seq %1, entity_id TEXT, etag BIGINT, time TEXT, client_id TEXT, "
                       "owner_instance TEXT, owner_epoch BIGINT)").arg(serial),
        QStringLiteral("CREATE INDEX IF NOT EXISTS audit_writes_entity ON audit_writes (entity_id)"),
    };
    // Filtered lists (entitylist.cpp) compile FIQL to SQL; these indexes serve
    // the comparisons clients and the server send (names, states, the work
    // filter's status.vcdKe.state and markForDelete, a replica's instanceId).
    // Each is (expression, type_id) so that it also serves one term of an OR.
    QStringList indexes = {
        QStringLiteral("CREATE INDEX IF NOT EXISTS entities_name ON entities (name, type_id)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS entities_state ON entities (state, type_id)"),
    };
    for (const QString &path : indexedEntityPaths()) {
        const QString name = QStringLiteral("entities_json_") + QString(path).replace(QLatin1Char('.'), QLatin1Char('_')).toLower();
        indexes << QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON entities ((%2), type_id)")
                       .arg(name, jsonValueSql(m_postgres, path.split(QLatin1Char('.'))));
    }
    auto apply = [this](const QStringList &statements) -> Result<void> {
        for (const QString &stmt : statements)
            if (auto r = runVoid(db(), stmt); !r) {
                // Two PostgreSQL cells may race on first start; a concurrent
                // CREATE shows up as a duplicate-type error and is harmless.
                if (!m_postgres || (!r.error().message.contains(QLatin1String("already exists"))
                                    && !r.error().message.contains(QLatin1String("duplicate column"))))
                    return r.error();
            }
        return {};
    };
    if (auto r = apply(ddl); !r)
        return r;
    // Databases made before tasks knew who started them.
    auto cols = run(db(), QStringLiteral("SELECT * FROM tasks WHERE 1 = 0"));
    if (!cols)
        return cols.error();
    if (cols->record().indexOf(QStringLiteral("user_id")) < 0)
        indexes.prepend(QStringLiteral("ALTER TABLE tasks ADD COLUMN user_id TEXT"));
    if (auto r = apply(indexes); !r)
        return r;
    return {};
}

QStringList Store::indexedEntityPaths()
{
    return {QStringLiteral("status.vcdKe.state"), QStringLiteral("spec.vcdKe.markForDelete"), QStringLiteral("instanceId"),
            QStringLiteral("state")};
}

bool Store::isPlainJsonStep(const QString &step)
{
    if (step.isEmpty())
        return false;
    for (const QChar c : step)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('_'))
            return false;
    return true;
}

QString Store::jsonValueSql(bool postgres, const QStringList &steps)
{
    for (const QString &s : steps)
        Q_ASSERT(isPlainJsonStep(s));
    if (postgres)
        return QStringLiteral("(entity::jsonb #>> '{%1}')").arg(steps.join(QLatin1Char(',')));
    return QStringLiteral("json_extract(entity, '$.%1')").arg(steps.join(QLatin1Char('.')));
}

Result<QList<OrgRow>> Store::orgs()
{
    auto q = run(db(), QStringLiteral("SELECT id, name, display_name, description, enabled FROM orgs ORDER BY name"));
    if (!q)
        return q.error();
    QList<OrgRow> out;
    while (q->next())
        out.append({q->value(0).toString(), q->value(1).toString(), q->value(2).toString(), q->value(3).toString(),
                    q->value(4).toInt() != 0});
    return out;
}

Result<std::optional<OrgRow>> Store::orgById(const QString &id)
{
    auto all = orgs();
    if (!all)
        return all.error();
    for (const OrgRow &o : *all)
        if (o.id == id)
            return std::optional<OrgRow>(o);
    return std::optional<OrgRow>();
}

Result<std::optional<OrgRow>> Store::orgByName(const QString &name)
{
    auto all = orgs();
    if (!all)
        return all.error();
    for (const OrgRow &o : *all)
        if (o.name.compare(name, Qt::CaseInsensitive) == 0)
            return std::optional<OrgRow>(o);
    return std::optional<OrgRow>();
}

Result<void> Store::inTransaction(const std::function<Result<void>()> &body)
{
    QSqlDatabase d = db();
    if (!d.transaction())
        return sqlError(QStringLiteral("begin"), d.lastError().text());
    auto r = body();
    if (!r) {
        d.rollback();
        return r;
    }
    if (!d.commit())
        return sqlError(QStringLiteral("commit"), d.lastError().text());
    return {};
}

Result<void> Store::insertOrg(const OrgRow &o)
{
    return runVoid(db(), QStringLiteral("INSERT INTO orgs (id, name, display_name, description, enabled) VALUES (?,?,?,?,?)"),
                   {o.id, o.name, o.displayName, o.description, int(o.enabled)});
}

Result<QList<VdcRow>> Store::vdcs()
{
    return all<VdcRow>(db(), QStringLiteral("SELECT id, org_id, name FROM vdcs ORDER BY name"), {}, [](const QSqlQuery &q) {
        return VdcRow{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
    });
}

Result<void> Store::insertVdc(const VdcRow &v)
{
    return runVoid(db(), QStringLiteral("INSERT INTO vdcs (id, org_id, name) VALUES (?,?,?)"), {v.id, v.orgId, v.name});
}

Result<QList<NetworkRow>> Store::networks()
{
    return all<NetworkRow>(db(), QStringLiteral("SELECT id, org_id, vdc_id, name FROM networks ORDER BY name"), {},
                           [](const QSqlQuery &q) {
                               return NetworkRow{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                                 q.value(3).toString()};
                           });
}

Result<void> Store::insertNetwork(const NetworkRow &n)
{
    return runVoid(db(), QStringLiteral("INSERT INTO networks (id, org_id, vdc_id, name) VALUES (?,?,?,?)"),
                   {n.id, n.orgId, n.vdcId, n.name});
}

static UserRow readUser(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
            q.value(4).toString().toLatin1(), q.value(5).toString().toLatin1()};
}

Result<std::optional<UserRow>> Store::user(const QString &orgId, const QString &name)
{
    return one<UserRow>(db(), QStringLiteral("SELECT id, org_id, name, role, salt, password_hash FROM users WHERE org_id = ? AND name = ?"),
                 {orgId, name}, readUser);
}

Result<std::optional<UserRow>> Store::userById(const QString &id)
{
    return one<UserRow>(db(), QStringLiteral("SELECT id, org_id, name, role, salt, password_hash FROM users WHERE id = ?"), {id}, readUser);
}

Result<void> Store::upsertUser(const UserRow &u)
{
    if (auto r = runVoid(db(), QStringLiteral("DELETE FROM users WHERE id = ?"), {u.id}); !r)
        return r;
    return runVoid(db(), QStringLiteral("INSERT INTO users (id, org_id, name, role, salt, password_hash) VALUES (?,?,?,?,?,?)"),
                   {u.id, u.orgId, u.name, u.role, QString::fromLatin1(u.salt), QString::fromLatin1(u.passwordHash)});
}

Result<void> Store::insertSession(const QByteArray &tokenHash, const SessionRow &s)
{
    return runVoid(db(), QStringLiteral("INSERT INTO sessions (token_hash, id, user_id, expires_at) VALUES (?,?,?,?)"),
                   {QString::fromLatin1(tokenHash), s.id, s.userId, s.expiresAt});
}

Result<std::optional<SessionRow>> Store::session(const QByteArray &tokenHash)
{
    auto q = run(db(), QStringLiteral("SELECT id, user_id, expires_at FROM sessions WHERE token_hash = ?"),
                 {QString::fromLatin1(tokenHash)});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<SessionRow>();
    return std::optional<SessionRow>(SessionRow{q->value(0).toString(), q->value(1).toString(), q->value(2).toLongLong()});
}

Result<void> Store::touchSession(const QByteArray &tokenHash, qint64 expiresAt)
{
    return runVoid(db(), QStringLiteral("UPDATE sessions SET expires_at = ? WHERE token_hash = ?"),
                   {expiresAt, QString::fromLatin1(tokenHash)});
}

Result<void> Store::deleteSession(const QByteArray &tokenHash)
{
    return runVoid(db(), QStringLiteral("DELETE FROM sessions WHERE token_hash = ?"), {QString::fromLatin1(tokenHash)});
}

Result<int> Store::expireAllSessions()
{
    auto q = run(db(), QStringLiteral("DELETE FROM sessions"));
    if (!q)
        return q.error();
    return q->numRowsAffected();
}

Result<void> Store::insertApiToken(const QByteArray &tokenHash, const QString &userId, const QString &name)
{
    return runVoid(db(), QStringLiteral("INSERT INTO api_tokens (token_hash, user_id, name) VALUES (?,?,?)"),
                   {QString::fromLatin1(tokenHash), userId, name});
}

Result<QByteArray> Store::issueApiToken(const QString &userId, const QString &name)
{
    const QByteArray token = newApiToken();
    if (auto r = insertApiToken(tokenHash(token), userId, name); !r)
        return r.error();
    return token;
}

Result<std::optional<QString>> Store::apiTokenUser(const QByteArray &tokenHash)
{
    auto q = run(db(), QStringLiteral("SELECT user_id FROM api_tokens WHERE token_hash = ?"), {QString::fromLatin1(tokenHash)});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<QString>();
    return std::optional<QString>(q->value(0).toString());
}

static TypeRow readType(const QSqlQuery &q)
{
    TypeRow t{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
              q.value(4).toString(), q.value(5).toString(), object(q.value(6)), {}, object(q.value(8))};
    for (const QJsonValue &v : QJsonDocument::fromJson(q.value(7).toString().toUtf8()).array())
        t.interfaces << v.toString();
    return t;
}

Result<QList<TypeRow>> Store::types()
{
    return all<TypeRow>(db(), QStringLiteral("SELECT id, vendor, nss, version, name, description, schema, interfaces, hooks "
                                      "FROM entity_types ORDER BY id"), {}, readType);
}

Result<std::optional<TypeRow>> Store::type(const QString &id)
{
    return one<TypeRow>(db(), QStringLiteral("SELECT id, vendor, nss, version, name, description, schema, interfaces, hooks "
                                      "FROM entity_types WHERE id = ?"), {id}, readType);
}

Result<void> Store::insertType(const TypeRow &t)
{
    return runVoid(db(), QStringLiteral("INSERT INTO entity_types (id, vendor, nss, version, name, description, schema, interfaces, hooks) "
                                        "VALUES (?,?,?,?,?,?,?,?,?)"),
                   {t.id, t.vendor, t.nss, t.version, t.name, t.description, text(t.schema),
                    QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(t.interfaces)).toJson(QJsonDocument::Compact)),
                    text(t.hooks)});
}

Result<void> Store::updateType(const TypeRow &t)
{
    return runVoid(db(), QStringLiteral("UPDATE entity_types SET name = ?, description = ?, schema = ?, interfaces = ?, hooks = ? WHERE id = ?"),
                   {t.name, t.description, text(t.schema),
                    QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(t.interfaces)).toJson(QJsonDocument::Compact)),
                    text(t.hooks), t.id});
}

Result<void> Store::deleteType(const QString &id)
{
    return runVoid(db(), QStringLiteral("DELETE FROM entity_types WHERE id = ?"), {id});
}

Result<int> Store::countEntitiesOfType(const QString &typeId)
{
    auto q = run(db(), QStringLiteral("SELECT COUNT(*) FROM entities WHERE type_id = ?"), {typeId});
    if (!q)
        return q.error();
    q->next();
    return q->value(0).toInt();
}

static QVariantList entityBinds(const EntityRow &r)
{
    const rde::DefinedEntity &e = r.e;
    return {e.id, e.entityType, e.name, nullable(e.externalId), text(e.entity), e.state, e.entityState, e.owner.id,
            e.owner.name, e.org.id, e.org.name, e.creationDate, e.lastModificationDate, nullable(e.message), r.etag};
}

static Result<void> audit(const QSqlDatabase &db, const EntityRow &r, const QString &clientId)
{
    const QJsonObject vcdKe = json::get(r.e.entity, {QStringLiteral("status"), QStringLiteral("vcdKe")}).toObject();
    const QJsonValue epoch = vcdKe.value(QLatin1String("ownerEpoch"));
    return runVoid(db, QStringLiteral("INSERT INTO audit_writes (entity_id, etag, time, client_id, owner_instance, owner_epoch) "
                                      "VALUES (?,?,?,?,?,?)"),
                   {r.e.id, r.etag, rde::isoTimestamp(), clientId, vcdKe.value(QLatin1String("vcdKeInstanceId")).toString(),
                    epoch.isDouble() ? qint64(epoch.toDouble()) : qint64(-1)});
}

Result<void> Store::insertEntity(const EntityRow &row, const QString &clientId)
{
    return insertEntities({row}, clientId);
}

Result<std::optional<EntityRow>> Store::entity(const QString &id)
{
    return one<EntityRow>(db(), QStringLiteral("SELECT %1 FROM entities WHERE id = ?").arg(QLatin1String(kEntityColumns)), {id}, readEntity);
}

SqlFragment Store::entityScope(const QStringList &typeIds, const QString &orgId, const SqlFragment &where) const
{
    QStringList marks;
    SqlFragment f;
    for (const QString &t : typeIds) {
        marks << QStringLiteral("?");
        f.binds << t;
    }
    // Unary '+' keeps SQLite from using an index for that term.
    const QString plus = where.servedByIndex && !m_postgres ? QStringLiteral("+") : QString();
    f.sql = QStringLiteral(" FROM entities WHERE %1type_id IN (%2)").arg(plus, marks.join(QLatin1Char(',')));
    if (!orgId.isEmpty()) {
        f.sql += QStringLiteral(" AND %1org_id = ?").arg(plus);
        f.binds << orgId;
    }
    if (!where.isEmpty()) {
        f.sql += QStringLiteral(" AND (") + where.sql + QLatin1Char(')');
        f.binds += where.binds;
    }
    return f;
}

Result<QList<EntityRow>> Store::entities(const QStringList &typeIds, const QString &orgId, const SqlFragment &where)
{
    if (typeIds.isEmpty())
        return QList<EntityRow>();
    const SqlFragment scope = entityScope(typeIds, orgId, where);
    return versionedRows(QStringLiteral("SELECT id, etag") + scope.sql + QStringLiteral(" ORDER BY created, id"), scope.binds);
}

Result<QVariantList> Store::entityAggregates(const QStringList &typeIds, const QString &orgId, const SqlFragment &where,
                                             const QList<SqlFragment> &aggregates)
{
    QString columns = QStringLiteral("COUNT(*)");
    QVariantList binds;
    for (const SqlFragment &a : aggregates) {
        columns += QStringLiteral(", ") + a.sql;
        binds += a.binds;
    }
    QVariantList out;
    if (typeIds.isEmpty()) {
        out.append(0);
        for (qsizetype i = 0; i < aggregates.size(); ++i)
            out.append(QVariant());
        return out;
    }
    const SqlFragment scope = entityScope(typeIds, orgId, where);
    auto q = run(db(), QStringLiteral("SELECT ") + columns + scope.sql, binds + scope.binds);
    if (!q)
        return q.error();
    if (!q->next())
        return sqlError(QStringLiteral("count"), QStringLiteral("no row"));
    for (int i = 0; i <= aggregates.size(); ++i)
        out.append(q->value(i));
    return out;
}

Result<QList<EntityRow>> Store::entityPage(const QStringList &typeIds, const QString &orgId, const SqlFragment &where,
                                           const SqlFragment &orderBy, int offset, int limit)
{
    if (typeIds.isEmpty())
        return QList<EntityRow>();
    const SqlFragment scope = entityScope(typeIds, orgId, where);
    QString sql = QStringLiteral("SELECT id, etag") + scope.sql + QStringLiteral(" ORDER BY ");
    QVariantList binds = scope.binds;
    if (!orderBy.isEmpty()) {
        sql += orderBy.sql + QStringLiteral(", ");
        binds += orderBy.binds;
    }
    sql += QStringLiteral("created, id LIMIT ? OFFSET ?");
    binds << limit << offset;
    return versionedRows(sql, binds);
}

Result<void> Store::insertEntities(const QList<EntityRow> &rows, const QString &clientId)
{
    return inTransaction([&]() -> Result<void> {
        QSqlDatabase d = db();
        for (const EntityRow &row : rows) {
            auto r = runVoid(d, QStringLiteral("INSERT INTO entities (%1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                                    .arg(QLatin1String(kEntityColumns)), entityBinds(row));
            if (r)
                r = audit(d, row, clientId);
            if (!r)
                return r;
        }
        return {};
    });
}

// `sql` selects (id, etag) pairs; the full rows come from the cache when
// their ETag is unchanged, else are read (in chunks) and cached.
Result<QList<EntityRow>> Store::versionedRows(const QString &sql, const QVariantList &binds)
{
    QList<EntityRow> out;
    using Version = QPair<QString, qint64>;
    auto versions = all<Version>(db(), sql, binds,
                                 [](const QSqlQuery &q) { return Version(q.value(0).toString(), q.value(1).toLongLong()); });
    if (!versions)
        return versions.error();
    QVariantList stale;
    for (const Version &v : *versions) {
        auto cached = m_rowCache.constFind(v.first);
        if (cached == m_rowCache.constEnd() || cached->etag != v.second)
            stale << v.first;
    }
    constexpr int kChunk = 400; // well under SQLite's bound-parameter limit
    for (qsizetype i = 0; i < stale.size(); i += kChunk) {
        const QVariantList chunk = stale.mid(i, kChunk);
        QStringList chunkMarks;
        for (qsizetype j = 0; j < chunk.size(); ++j)
            chunkMarks << QStringLiteral("?");
        auto rows = all<EntityRow>(db(), QStringLiteral("SELECT %1 FROM entities WHERE id IN (%2)")
                                             .arg(QLatin1String(kEntityColumns), chunkMarks.join(QLatin1Char(','))),
                                   chunk, readEntity);
        if (!rows)
            return rows.error();
        for (const EntityRow &r : *rows)
            m_rowCache.insert(r.e.id, r);
    }
    out.reserve(versions->size());
    for (const Version &v : *versions) {
        auto cached = m_rowCache.constFind(v.first);
        if (cached != m_rowCache.constEnd()) // absent: deleted between the two reads
            out.append(*cached);
    }
    return out;
}

Result<qint64> Store::updateEntity(const EntityRow &row, qint64 expectedEtag, const QString &clientId)
{
    QSqlDatabase d = db();
    d.transaction();
    // The ETag check and bump happen in one statement inside one transaction.
    QString sql = QStringLiteral("UPDATE entities SET name = ?, external_id = ?, entity = ?, state = ?, entity_state = ?, "
                                 "modified = ?, message = ?, etag = etag + 1 WHERE id = ?");
    QVariantList binds{row.e.name, nullable(row.e.externalId), text(row.e.entity), row.e.state, row.e.entityState,
                       row.e.lastModificationDate, nullable(row.e.message), row.e.id};
    if (expectedEtag >= 0) {
        sql += QStringLiteral(" AND etag = ?");
        binds << expectedEtag;
    }
    auto q = run(d, sql, binds);
    if (!q) {
        d.rollback();
        return q.error();
    }
    if (q->numRowsAffected() != 1) {
        d.rollback();
        Error e = makeError(QStringLiteral("The entity has been modified since it was read (ETag mismatch)"));
        e.httpStatus = 412;
        e.minorErrorCode = QStringLiteral("PRECONDITION_FAILED");
        return e;
    }
    auto seq = run(d, QStringLiteral("SELECT etag FROM entities WHERE id = ?"), {row.e.id});
    if (!seq || !seq->next()) {
        d.rollback();
        return sqlError(QStringLiteral("read back"), seq ? QStringLiteral("row vanished") : seq.error().message);
    }
    EntityRow written = row;
    written.etag = seq->value(0).toLongLong();
    if (auto a = audit(d, written, clientId); !a) {
        d.rollback();
        return a.error();
    }
    if (!d.commit())
        return sqlError(QStringLiteral("commit"), d.lastError().text());
    return written.etag;
}

Result<void> Store::deleteEntity(const QString &id, qint64 expectedEtag)
{
    QString sql = QStringLiteral("DELETE FROM entities WHERE id = ?");
    QVariantList binds{id};
    if (expectedEtag >= 0) {
        sql += QStringLiteral(" AND etag = ?");
        binds << expectedEtag;
    }
    auto q = run(db(), sql, binds);
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1) {
        Error e = makeError(QStringLiteral("The entity has been modified since it was read (ETag mismatch)"));
        e.httpStatus = 412;
        e.minorErrorCode = QStringLiteral("PRECONDITION_FAILED");
        return e;
    }
    m_rowCache.remove(id);
    return {};
}

Result<void> Store::upsertTask(const TaskRow &t)
{
    if (auto r = runVoid(db(), QStringLiteral("DELETE FROM tasks WHERE id = ?"), {t.id}); !r)
        return r;
    return runVoid(db(), QStringLiteral("INSERT INTO tasks (id, operation_name, operation, status, start_time, end_time, progress, "
                                        "owner_id, owner_name, owner_type, org_id, error, result, user_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
                   {t.id, t.operationName, t.operation, t.status, t.startTime, t.endTime, t.progress, t.ownerId, t.ownerName,
                    t.ownerType, t.orgId, text(t.error), t.resultContent, t.userId});
}

Result<void> Store::upsertObject(const QString &kind, const QString &id, const QString &parent, const QJsonObject &doc)
{
    if (auto r = runVoid(db(), QStringLiteral("DELETE FROM objects WHERE kind = ? AND id = ?"), {kind, id}); !r)
        return r;
    const QString parentOrNone = parent.isNull() ? QStringLiteral("") : parent; // NOT NULL: "" for none
    return runVoid(db(), QStringLiteral("INSERT INTO objects (kind, id, parent, doc) VALUES (?,?,?,?)"),
                   {kind, id, parentOrNone, text(doc)});
}

Result<QList<QJsonObject>> Store::storedObjects(const QString &kind, const QString &parent)
{
    auto q = parent.isEmpty() ? run(db(), QStringLiteral("SELECT doc FROM objects WHERE kind = ? ORDER BY id"), {kind})
                              : run(db(), QStringLiteral("SELECT doc FROM objects WHERE kind = ? AND parent = ? ORDER BY id"), {kind, parent});
    if (!q)
        return q.error();
    QList<QJsonObject> out;
    while (q->next())
        out.append(object(q->value(0)));
    return out;
}

Result<std::optional<QJsonObject>> Store::storedObject(const QString &kind, const QString &id)
{
    auto q = run(db(), QStringLiteral("SELECT doc FROM objects WHERE kind = ? AND id = ?"), {kind, id});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<QJsonObject>();
    return std::optional<QJsonObject>(object(q->value(0)));
}

Result<void> Store::endOwnerTasks(const QString &ownerId, const QString &operationName, const QString &status,
                                  const QJsonObject &error)
{
    return runVoid(db(), QStringLiteral("UPDATE tasks SET status = ?, progress = 100, end_time = ?, error = ? "
                                        "WHERE owner_id = ? AND operation_name = ? AND status IN ('queued', 'running')"),
                   {status, rde::isoTimestamp(), error.isEmpty() ? QString() : text(error), ownerId, operationName});
}

Result<std::optional<TaskRow>> Store::task(const QString &id)
{
    auto q = run(db(), QStringLiteral("SELECT id, operation_name, operation, status, start_time, end_time, progress, owner_id, "
                                      "owner_name, owner_type, org_id, error, result, user_id FROM tasks WHERE id = ?"), {id});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<TaskRow>();
    TaskRow t;
    t.id = q->value(0).toString();
    t.operationName = q->value(1).toString();
    t.operation = q->value(2).toString();
    t.status = q->value(3).toString();
    t.startTime = q->value(4).toString();
    t.endTime = q->value(5).toString();
    t.progress = q->value(6).toInt();
    t.ownerId = q->value(7).toString();
    t.ownerName = q->value(8).toString();
    t.ownerType = q->value(9).toString();
    t.orgId = q->value(10).toString();
    t.error = object(q->value(11));
    t.resultContent = q->value(12).toString();
    t.userId = q->value(13).toString();
    return std::optional<TaskRow>(t);
}

Result<void> Store::insertVm(const VmRow &vm)
{
    return runVoid(db(), QStringLiteral("INSERT INTO vms (%1) VALUES (?,?,?,?,?,?,?)").arg(QLatin1String(kVmColumns)),
                   {vm.id, vm.clusterId, vm.name, vm.role, vm.state, vm.createdAt, vm.deletedAt});
}

Result<void> Store::markVmDeleted(const QString &id)
{
    return runVoid(db(), QStringLiteral("UPDATE vms SET state = 'deleted', deleted_at = ? WHERE id = ? AND state <> 'deleted'"),
                   {rde::isoTimestamp(), id});
}

Result<void> Store::setVmState(const QString &id, const QString &state)
{
    return runVoid(db(), QStringLiteral("UPDATE vms SET state = ? WHERE id = ? AND state <> 'deleted'"), {state, id});
}

Result<QList<VmRow>> Store::vms(const QString &clusterId, bool includeDeleted)
{
    QString sql = QStringLiteral("SELECT %1 FROM vms WHERE cluster_id = ?").arg(QLatin1String(kVmColumns));
    if (!includeDeleted)
        sql += QStringLiteral(" AND state <> 'deleted'");
    sql += QStringLiteral(" ORDER BY created_at, id");
    return all<VmRow>(db(), sql, {clusterId}, readVm);
}

Result<std::optional<VmRow>> Store::vm(const QString &id)
{
    return one<VmRow>(db(), QStringLiteral("SELECT %1 FROM vms WHERE id = ?").arg(QLatin1String(kVmColumns)), {id}, readVm);
}

Result<void> Store::upsertInfra(const InfraRow &r)
{
    if (auto d = runVoid(db(), QStringLiteral("DELETE FROM infra WHERE cluster_id = ?"), {r.clusterId}); !d)
        return d;
    return runVoid(db(), QStringLiteral("INSERT INTO infra (cluster_id, bootstrap_vm, applied_yaml, applied, pivoted, failed_step, "
                                        "k8s_version) VALUES (?,?,?,?,?,?,?)"),
                   {r.clusterId, r.bootstrapVm, r.appliedYaml, int(r.applied), int(r.pivoted), r.failedStep, r.kubernetesVersion});
}

static InfraRow readInfra(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toInt() != 0,
            q.value(4).toInt() != 0, q.value(5).toString(), q.value(6).toString()};
}

Result<std::optional<InfraRow>> Store::infra(const QString &clusterId)
{
    return one<InfraRow>(db(), QStringLiteral("SELECT cluster_id, bootstrap_vm, applied_yaml, applied, pivoted, failed_step, k8s_version "
                                      "FROM infra WHERE cluster_id = ?"), {clusterId}, readInfra);
}

Result<QList<InfraRow>> Store::infraRows()
{
    return all<InfraRow>(db(), QStringLiteral("SELECT cluster_id, bootstrap_vm, applied_yaml, applied, pivoted, failed_step, k8s_version "
                                      "FROM infra ORDER BY cluster_id"), {}, readInfra);
}

Result<QHash<QString, InfraVersion>> Store::infraVersions()
{
    auto q = run(db(), QStringLiteral("SELECT i.cluster_id, COALESCE(e.etag, -1), "
                                      "(SELECT COUNT(*) FROM vms v WHERE v.cluster_id = i.cluster_id AND v.state <> 'deleted') "
                                      "FROM infra i LEFT JOIN entities e ON e.id = i.cluster_id"), {});
    if (!q)
        return q.error();
    QHash<QString, InfraVersion> out;
    while (q->next())
        out.insert(q->value(0).toString(), InfraVersion{q->value(1).toLongLong(), q->value(2).toInt()});
    return out;
}

Result<void> Store::deleteInfra(const QString &clusterId)
{
    return runVoid(db(), QStringLiteral("DELETE FROM infra WHERE cluster_id = ?"), {clusterId});
}

Result<QList<WriteAudit>> Store::writeAudit(const QString &entityId)
{
    QString sql = QStringLiteral("SELECT seq, entity_id, etag, time, client_id, owner_instance, owner_epoch FROM audit_writes");
    QVariantList binds;
    if (!entityId.isEmpty()) {
        sql += QStringLiteral(" WHERE entity_id = ?");
        binds << entityId;
    }
    sql += QStringLiteral(" ORDER BY seq");
    auto q = run(db(), sql, binds);
    if (!q)
        return q.error();
    QList<WriteAudit> out;
    while (q->next())
        out.append({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toLongLong(), q->value(3).toString(),
                    q->value(4).toString(), q->value(5).toString(), q->value(6).toLongLong()});
    return out;
}

Result<QList<VmRow>> Store::vmAudit(const QString &clusterId)
{
    QString sql = QStringLiteral("SELECT %1 FROM vms").arg(QLatin1String(kVmColumns));
    QVariantList binds;
    if (!clusterId.isEmpty()) {
        sql += QStringLiteral(" WHERE cluster_id = ?");
        binds << clusterId;
    }
    sql += QStringLiteral(" ORDER BY created_at, id");
    return all<VmRow>(db(), sql, binds, readVm);
}

Result<QString> Store::integrityCheck()
{
    if (m_postgres)
        return QStringLiteral("ok");
    auto q = run(db(), QStringLiteral("PRAGMA integrity_check"));
    if (!q)
        return q.error();
    QStringList lines;
    while (q->next())
        lines << q->value(0).toString();
    return lines.join(QLatin1Char('\n'));
}

// ---- vApps of the legacy XML API ----

Result<void> Store::ensureVappTable()
{
    if (m_vappTable)
        return {};
    if (auto r = runVoid(db(), QStringLiteral("CREATE TABLE IF NOT EXISTS vapps (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, "
                                              "vdc_id TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL)"));
        !r && (!m_postgres || !r.error().message.contains(QLatin1String("already exists"))))
        return r;
    m_vappTable = true;
    return {};
}

static VappRow readVapp(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
            QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object()};
}

Result<void> Store::upsertVapp(const VappRow &row)
{
    if (auto t = ensureVappTable(); !t)
        return t;
    if (auto d = runVoid(db(), QStringLiteral("DELETE FROM vapps WHERE id = ?"), {row.id}); !d)
        return d;
    const QString doc = QString::fromUtf8(json::canonical(row.doc));
    auto r = runVoid(db(), QStringLiteral("INSERT INTO vapps (id, org_id, vdc_id, name, doc) VALUES (?,?,?,?,?)"),
                     {row.id, row.orgId, row.vdcId, row.name, doc});
    for (auto it = m_vappsContaining.begin(); it != m_vappsContaining.end(); ++it) {
        if (r && doc.contains(it.key().first, Qt::CaseInsensitive) && !doc.contains(it.key().second, Qt::CaseInsensitive))
            it->insert(row.id);
        else
            it->remove(row.id);
    }
    return r;
}

Result<std::optional<VappRow>> Store::vapp(const QString &id)
{
    if (auto t = ensureVappTable(); !t)
        return t.error();
    return one<VappRow>(db(), QStringLiteral("SELECT id, org_id, vdc_id, name, doc FROM vapps WHERE id = ?"), {id}, readVapp);
}

namespace {

// Texts SQL can compare ASCII case-insensitively and that canonical JSON
// writes as they are (no escapes).
bool plainAscii(const QString &s)
{
    for (const QChar ch : s)
        if (ch.unicode() < 0x20 || ch.unicode() > 0x7e || ch == QLatin1Char('"') || ch == QLatin1Char('\\'))
            return false;
    return !s.isEmpty();
}

} // namespace

Result<QList<VappRow>> Store::vapps(const QString &orgId, const VappHint &hint)
{
    if (auto t = ensureVappTable(); !t)
        return t.error();
    QString sql = QStringLiteral("SELECT id, org_id, vdc_id, name, doc FROM vapps WHERE 1 = 1");
    QVariantList binds;
    if (!orgId.isEmpty()) {
        sql += QStringLiteral(" AND org_id = ?");
        binds << orgId;
    }
    if (plainAscii(hint.name)) {
        sql += QStringLiteral(" AND lower(name) = lower(?)");
        binds << hint.name;
    }
    for (const QString &text : hint.docContains)
        if (plainAscii(text)) { // '_' and '%' match more: still a superset
            sql += QStringLiteral(" AND lower(doc) LIKE lower(?)");
            binds << QString(QLatin1Char('%') + text + QLatin1Char('%'));
        }
    return all<VappRow>(db(), sql + QStringLiteral(" ORDER BY name, id"), binds, readVapp);
}

Result<QList<VappRow>> Store::vappsContaining(const QString &with, const QString &without)
{
    if (auto t = ensureVappTable(); !t)
        return t.error();
    const QPair<QString, QString> key(with, without);
    auto cached = m_vappsContaining.constFind(key);
    if (cached == m_vappsContaining.cend() || cached->size() > 400) { // 400: well under SQLite's bound-parameter limit
        auto rows = all<VappRow>(db(), QStringLiteral("SELECT id, org_id, vdc_id, name, doc FROM vapps WHERE lower(doc) LIKE lower(?) "
                                                      "AND lower(doc) NOT LIKE lower(?) ORDER BY name, id"),
                                 QVariantList{QString(QStringLiteral("%") + with + QStringLiteral("%")),
                                              QString(QStringLiteral("%") + without + QStringLiteral("%"))},
                                 readVapp);
        if (!rows)
            return rows;
        QSet<QString> ids;
        for (const VappRow &v : *rows)
            ids.insert(v.id);
        m_vappsContaining.insert(key, ids);
        return rows;
    }
    if (cached->isEmpty())
        return QList<VappRow>();
    QStringList marks;
    QVariantList binds;
    for (const QString &id : *cached) {
        marks << QStringLiteral("?");
        binds << id;
    }
    return all<VappRow>(db(), QStringLiteral("SELECT id, org_id, vdc_id, name, doc FROM vapps WHERE id IN (%1) ORDER BY name, id")
                                  .arg(marks.join(QLatin1Char(','))),
                        binds, readVapp);
}

Result<void> Store::deleteVapp(const QString &id)
{
    if (auto t = ensureVappTable(); !t)
        return t;
    for (QSet<QString> &ids : m_vappsContaining)
        ids.remove(id);
    return runVoid(db(), QStringLiteral("DELETE FROM vapps WHERE id = ?"), {id});
}

} // namespace cse::sim
