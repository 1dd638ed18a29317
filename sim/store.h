// vcd-sim persistence over QtSql: SQLite (WAL) in the data directory, or
// PostgreSQL shared by several vcd-sim processes (like VCD cells).
#pragma once

#include "core/result.h"
#include "rde/definedentity.h"

#include <QJsonArray>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QSqlDatabase>
#include <QStringList>
#include <functional>
#include <optional>

namespace cse::sim {

struct OrgRow
{
    QString id; // urn:vcloud:org:uuid
    QString name;
    QString displayName;
    QString description;
    bool enabled = true;
    QJsonObject toJson() const;
};

namespace roles {
inline const QString kProviderAdmin = QStringLiteral("System Administrator");
inline const QString kClusterAuthor = QStringLiteral("Kubernetes Cluster Author");
inline const QString kViewer = QStringLiteral("Viewer");
} // namespace roles

// An org VDC and its networks, as the cluster wizard needs them.
struct VdcRow
{
    QString id;     // urn:vcloud:vdc:uuid
    QString orgId;
    QString name;
};

struct NetworkRow
{
    QString id;     // urn:vcloud:network:uuid
    QString orgId;
    QString vdcId;
    QString name;
};

struct UserRow
{
    QString id; // urn:vcloud:user:uuid
    QString orgId;
    QString name;
    QString role;
    QByteArray salt;
    QByteArray passwordHash;
};

struct SessionRow
{
    QString id;      // urn:vcloud:session:uuid
    QString userId;
    qint64 expiresAt = 0; // ms since epoch
};

struct TypeRow
{
    QString id;
    QString vendor, nss, version, name, description;
    QJsonObject schema;
    QStringList interfaces;
    QJsonObject hooks;
    QJsonObject toJson() const;
};

struct EntityRow
{
    rde::DefinedEntity e; // id, entityType, name, externalId, entity, states, owner, org, dates, message
    qint64 etag = 0;      // monotonically increasing per entity
    QByteArray etagHeader() const { return '"' + QByteArray::number(etag) + '"'; }
};

struct TaskRow
{
    QString id; // uuid (no urn prefix)
    QString operationName, operation, status;
    QString startTime, endTime;
    int progress = 0;
    QString ownerId, ownerName, ownerType;
    QString orgId;
    QString userId; // who started it: VCD shows a task to its owner and the org's administrators
    QJsonObject error;
    QString resultContent;
};

struct VmRow
{
    QString id;
    QString clusterId;
    QString name;
    QString role; // bootstrap, controlPlane, worker
    QString state; // created, poweredOn, deleted
    QString createdAt, deletedAt;
    QJsonObject toJson() const;
};

// Simulated Cluster API bookkeeping for one cluster entity.
struct InfraRow
{
    QString clusterId;
    QString bootstrapVm;
    QString appliedYaml;    // capiYaml applied to the bootstrap VM
    bool applied = false;
    bool pivoted = false;   // management moved into the cluster
    QString failedStep;     // infrastructure step that failed, if any
    QString kubernetesVersion; // version the nodes run
};

struct InfraVersion
{
    qint64 etag = -1;
    int liveVms = 0;
    bool operator==(const InfraVersion &o) const { return etag == o.etag && liveVms == o.liveVms; }
};

struct WriteAudit
{
    qint64 seq = 0;
    QString entityId;
    qint64 etag = 0;
    QString time;
    QString clientId;
    QString ownerInstance;
    qint64 ownerEpoch = -1;
    QJsonObject toJson() const;
};

// A vApp of the legacy XML API; doc holds its state and its VMs.
struct VappRow
{
    QString id; // uuid (href /api/vApp/vapp-<uuid>)
    QString orgId;
    QString vdcId;
    QString name;
    QJsonObject doc;
};

// A piece of SQL with its bound values, in the order of its '?' marks.
struct SqlFragment
{
    QString sql;
    QVariantList binds;
    // A filter that an index of its own serves (an equality on an indexed
    // column or path, in every branch of an OR): on SQLite, whose planner has
    // no statistics here, the (type_id, org_id) index must not be preferred.
    bool servedByIndex = false;
    bool isEmpty() const { return sql.isEmpty(); }
};

class Store
{
public:
    // dbUrl empty: SQLite file DIR/vcd-sim.db; else postgres://USER@HOST:PORT/DB
    static Result<Store *> open(const QString &dir, const QString &dbUrl, const QString &connectionName);
    ~Store();
    bool isPostgres() const { return m_postgres; }

    // orgs and users
    // BODY in one transaction (committed when it succeeds, else rolled back);
    // BODY must not start one itself.
    Result<void> inTransaction(const std::function<Result<void>()> &body);
    Result<QList<OrgRow>> orgs();
    Result<std::optional<OrgRow>> orgById(const QString &id);
    Result<std::optional<OrgRow>> orgByName(const QString &name); // case-insensitive
    Result<void> insertOrg(const OrgRow &o);
    Result<QList<VdcRow>> vdcs();
    Result<void> insertVdc(const VdcRow &v);
    Result<QList<NetworkRow>> networks();
    Result<void> insertNetwork(const NetworkRow &n);
    Result<std::optional<UserRow>> user(const QString &orgId, const QString &name);
    Result<std::optional<UserRow>> userById(const QString &id);
    Result<void> upsertUser(const UserRow &u);

    // sessions and API tokens (stored as SHA-256 hashes)
    Result<void> insertSession(const QByteArray &tokenHash, const SessionRow &s);
    Result<std::optional<SessionRow>> session(const QByteArray &tokenHash);
    Result<void> touchSession(const QByteArray &tokenHash, qint64 expiresAt);
    Result<void> deleteSession(const QByteArray &tokenHash);
    Result<int> expireAllSessions();
    Result<void> insertApiToken(const QByteArray &tokenHash, const QString &userId, const QString &name);
    // Creates an API token for the user and returns it (only its hash is kept).
    Result<QByteArray> issueApiToken(const QString &userId, const QString &name);
    Result<std::optional<QString>> apiTokenUser(const QByteArray &tokenHash);

    // entity types
    Result<QList<TypeRow>> types();
    Result<std::optional<TypeRow>> type(const QString &id);
    Result<void> insertType(const TypeRow &t);
    Result<void> updateType(const TypeRow &t);
    Result<void> deleteType(const QString &id);
    Result<int> countEntitiesOfType(const QString &typeId);

    // entities; writes are conditional on the ETag (expected < 0: unconditional)
    Result<void> insertEntity(const EntityRow &row, const QString &clientId);
    Result<std::optional<EntityRow>> entity(const QString &id);
    // `where` (optional) narrows the rows further; rows come in creation order.
    Result<QList<EntityRow>> entities(const QStringList &typeIds, const QString &orgId /* empty: all orgs */,
                                      const SqlFragment &where = {});
    // COUNT(*) followed by `aggregates` over the rows entities() would return.
    Result<QVariantList> entityAggregates(const QStringList &typeIds, const QString &orgId, const SqlFragment &where,
                                          const QList<SqlFragment> &aggregates);
    // Rows [offset, offset + limit) of those rows in `orderBy` order, ties in creation order.
    Result<QList<EntityRow>> entityPage(const QStringList &typeIds, const QString &orgId, const SqlFragment &where,
                                        const SqlFragment &orderBy, int offset, int limit);
    // Many new entities in one transaction (seeding large sites in tests and benchmarks).
    Result<void> insertEntities(const QList<EntityRow> &rows, const QString &clientId);
    Result<qint64> updateEntity(const EntityRow &row, qint64 expectedEtag, const QString &clientId); // 412 on mismatch
    Result<void> deleteEntity(const QString &id, qint64 expectedEtag);

    // tasks
    Result<void> upsertTask(const TaskRow &t);
    Result<std::optional<TaskRow>> task(const QString &id);
    // Ends the still running tasks `operationName` of one owner (an entity's
    // create task when it is resolved or deleted).
    Result<void> endOwnerTasks(const QString &ownerId, const QString &operationName, const QString &status,
                               const QJsonObject &error = {});

    // VCD objects kept as JSON documents: "role" (an org's role), "globalRole",
    // "rightsBundle", "interface", "behavior" (parent: its interface id),
    // "behaviorAcl" (parent: the entity type id). Names are unique per kind
    // and parent.
    Result<void> upsertObject(const QString &kind, const QString &id, const QString &parent, const QJsonObject &doc);
    Result<QList<QJsonObject>> storedObjects(const QString &kind, const QString &parent = {}); // empty parent: all
    Result<std::optional<QJsonObject>> storedObject(const QString &kind, const QString &id);

    // simulated infrastructure
    Result<void> insertVm(const VmRow &vm);
    Result<void> markVmDeleted(const QString &id);
    Result<void> setVmState(const QString &id, const QString &state);
    Result<QList<VmRow>> vms(const QString &clusterId, bool includeDeleted);
    Result<std::optional<VmRow>> vm(const QString &id);
    Result<void> upsertInfra(const InfraRow &row);
    Result<std::optional<InfraRow>> infra(const QString &clusterId);
    Result<QList<InfraRow>> infraRows();
    // Per cluster with infrastructure: its entity's ETag (-1: gone) and how
    // many of its VMs are not deleted. While both stay the same, a converged
    // cluster has nothing new for the simulated CAPVCD to act on.
    Result<QHash<QString, InfraVersion>> infraVersions();
    Result<void> deleteInfra(const QString &clusterId);

    // audit
    Result<QList<WriteAudit>> writeAudit(const QString &entityId);
    Result<QList<VmRow>> vmAudit(const QString &clusterId);

    Result<QString> integrityCheck();

    // The SQL that extracts the JSON value at `steps` under `entity` (SQLite:
    // json_extract, its SQL value; PostgreSQL: jsonb #>>, its text); the
    // steps must be plain (isPlainJsonStep), as they are written into the SQL.
    // Expression indexes exist for indexedEntityPaths() in exactly this form.
    static QString jsonValueSql(bool postgres, const QStringList &steps);
    static bool isPlainJsonStep(const QString &step); // [A-Za-z0-9_]+
    static QStringList indexedEntityPaths();

private:
    Store() = default;
    Result<void> migrate();
    SqlFragment entityScope(const QStringList &typeIds, const QString &orgId, const SqlFragment &where) const;
    Result<QList<EntityRow>> versionedRows(const QString &sql, const QVariantList &binds);
    QSqlDatabase db() const;
    QString m_connection;
    bool m_postgres = false;
    // Rows already read, by id; valid while their ETag is unchanged (every
    // write bumps it, in any cell), so lists skip re-reading unchanged rows.
    QHash<QString, EntityRow> m_rowCache;

public:
    // vApps of the legacy XML API (sim/vapps.cpp): one JSON document per vApp
    // with its VMs. The table is created on first use.
    Result<void> upsertVapp(const VappRow &row);
    Result<std::optional<VappRow>> vapp(const QString &id);
    // A hint that narrows vapps() in SQL to a superset of what the caller
    // wants (it still checks every row it gets): a name equal to `name`, a
    // document containing each of `docContains`, ASCII case-insensitive.
    // Texts that are not plain printable ASCII are ignored (no narrowing).
    struct VappHint
    {
        QString name;
        QStringList docContains;
    };
    Result<QList<VappRow>> vapps(const QString &orgId /* empty: all orgs */, const VappHint &hint = {});
    // Only the vApps whose document contains `with` and not `without` (the
    // guest simulator's poll, every step). The ids that qualify are kept in
    // memory after the first call and updated by every write, so the common
    // answer, none, costs no query.
    Result<QList<VappRow>> vappsContaining(const QString &with, const QString &without);
    Result<void> deleteVapp(const QString &id);

private:
    Result<void> ensureVappTable();
    bool m_vappTable = false;
    QHash<QPair<QString, QString>, QSet<QString>> m_vappsContaining;
};

Error sqlError(const QString &what, const QString &detail);

} // namespace cse::sim
