// Cluster operations as entity edits, in one place each: the site layer and
// its tests call these; views never edit entity JSON themselves.
#pragma once

#include "core/result.h"
#include "rde/cluster.h"

#include <QJsonObject>
#include <QStringList>

namespace cse::site {

enum class Operation { Create, Resize, Upgrade, Delete, ForceDelete, Retry };

// The lifecycle phases a server walks through, in order.
const QStringList &phases();
// Position of the cluster's phase in phases(), as percent (0 when unknown).
int phaseProgress(const rde::Cluster &c);

// Which operations a cluster's state allows.
bool isAllowed(Operation op, const rde::Cluster &c);

// Edits of the entity content (Client::patch change functions).
Result<bool> applyResize(QJsonObject &entity, const QString &pool, int replicas);
Result<bool> applyUpgrade(QJsonObject &entity, const QString &kubernetesVersion);
Result<bool> applyDelete(QJsonObject &entity, bool force);
// Retry after error: the server starts over when a user clears the state
// together with repairAttempts. The one place that knows how. A non-empty
// ownerToken becomes the cluster's owner API token.
Result<bool> applyRetry(QJsonObject &entity, const QString &ownerToken = {});

// The valid next releases for an upgrade from `fromVersion` (newest first).
QStringList upgradeTargets(const QString &fromVersion);

} // namespace cse::site
