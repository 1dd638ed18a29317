// Taking a backup of a site: the vcdKeConfig entity, every cluster RDE of
// every known version in every org (through getFullEntity where the type
// offers it, so private fields are kept) and the serverInstance entities for
// reference. Secure fields are dropped unless includeSecrets is set.
//
// collect() is synchronous on a local event loop: for command-line tools;
// the console runs the same work as a BackupJob (jobs.h).
#pragma once

#include "archive.h"
#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <functional>

namespace cse::vcd {
class Client;
}

namespace cse::backup {

using Progress = std::function<void(const QString &line)>;

struct BackupOptions
{
    bool includeSecrets = false;
    bool fullEntity = true; // getFullEntity for types that offer it (plain GET otherwise)
    QString tool;           // recorded in the manifest
    Progress progress;
};

// Needs a connected provider client (System org). Runs a BackupJob to the end.
Result<Archive> collect(vcd::Client &client, const BackupOptions &options);

// Removes every field the type's schema marks x-vcloud-restricted secure,
// inside arrays too. Unknown types: returned unchanged (and false).
bool stripSecure(const QString &typeId, QJsonObject &entity);

// The orgs a provider sees: name -> id.
Result<QList<QPair<QString, QString>>> listOrgs(vcd::Client &client);
void listOrgs(vcd::Client &client, std::function<void(Result<QList<QPair<QString, QString>>>)> done);
// Every value of a paged cloudapi collection (orgs, entity types), page by page.
void listCollection(vcd::Client &client, const QString &path, std::function<void(Result<QJsonArray>)> done);

} // namespace cse::backup
