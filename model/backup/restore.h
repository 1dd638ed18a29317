// Restoring an archive into the same or a rebuilt site. Planning reads the
// target and decides per entity:
//   create     nothing in the target is this entity (by id, or by externalId
//              = the original id that an earlier restore recorded)
//   update     the target has it but differs where the archive should win:
//              the configuration's content; a restored cluster that never got
//              resolved (an interrupted restore)
//   unchanged  the target has it as archived (a cluster's status is live state
//              and is never rolled back)
//   conflict   it cannot or must not be applied: the cluster's spec was changed
//              in the target since, its org or type is missing there
// Applying creates entities in their org (tenant context) with
// externalId = the original id, resolves what was resolved, and patches the
// configuration with If-Match. Planning writes nothing.
#pragma once

#include "archive.h"
#include "backup.h"

#include <QMap>

namespace cse::vcd {
class Client;
}

namespace cse::backup {

enum class Action { Create, Update, Unchanged, Conflict };
QString toString(Action a);

// Why a plan item got its action: views word it (and what to do about it)
// for their own users; PlanItem::reason is the command line's wording.
enum class Why {
    NotInTarget,     // create
    ConfigDiffers,   // update
    NotResolved,     // update: an earlier restore stopped before resolving it
    SameAsArchived,  // unchanged
    OrgMissing,      // conflict: the (mapped) org is not in the target
    TypeMissing,     // conflict: the entity type is not installed
    ChangedInTarget, // conflict: spec or name changed in the target since
};

struct PlanItem
{
    Action action = Action::Unchanged;
    const Entry *entry = nullptr; // into the archive
    QString kind;
    QString name;
    QString sourceOrg;
    QString targetOrg;            // after --map-org
    QString targetOrgId;
    QString originalId;           // the id in the site the entity was first made in
    QString targetId;             // the matching entity in the target, if any
    QString targetEtag;
    Why why = Why::SameAsArchived;
    QString reason;               // why, and what to do, as the command line says it

    QString describe() const;     // "create  cluster acme/c1 (urn:...)"
};

struct Plan
{
    QList<PlanItem> items;
    QStringList notes; // e.g. server instances kept for reference
    int count(Action a) const;
    QString summary() const; // "3 create, 1 update, 16 unchanged, 0 conflict"
};

// What the target holds, as far as planning needs it.
struct TargetState
{
    QMap<QString, QString> orgs;          // name -> id
    QList<rde::DefinedEntity> clusters;   // every org
    QList<rde::DefinedEntity> configs;
    QStringList installedTypes;           // type ids
};

struct RestoreOptions
{
    QMap<QString, QString> orgMap;        // OLD -> NEW org name
    Progress progress;
};

// The archived configuration, keeping the target's list of registered replicas.
QJsonObject mergeConfig(const QJsonObject &archived, const QJsonObject &target);

// "OLD=NEW" -> orgMap; error on a malformed value.
Result<void> parseOrgMapping(const QString &spec, QMap<QString, QString> &orgMap);
// Every NEW of the mapping names an org of the target (checked before planning).
Result<void> checkOrgMapping(const QMap<QString, QString> &orgMap, const TargetState &target);

// The original id an entity stands for: its externalId when an earlier
// restore recorded one there, else its own id.
QString originalIdOf(const rde::DefinedEntity &e);

// readTarget and apply run a TargetJob / RestoreJob (jobs.h) to the end on a local event loop.
Result<TargetState> readTarget(vcd::Client &client);
Plan makePlan(const Archive &archive, const TargetState &target, const RestoreOptions &options);

struct ApplyReport
{
    int created = 0;
    int updated = 0;
    QStringList failures; // per entity, with the reason
};
ApplyReport apply(vcd::Client &client, const Plan &plan, const RestoreOptions &options);

} // namespace cse::backup
