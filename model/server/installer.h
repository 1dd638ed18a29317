// `cse-server install`: registers what a CSE server needs on a VCD, as CSE's
// installer does — the interfaces, the getFullEntity behavior and its
// FullControl access on the cluster types, the entity types with their
// schemas, the "Kubernetes Clusters Rights Bundle" (published to all
// tenants), the global role "Kubernetes Cluster Author", the server's "CSE
// Admin Role" (with our serverInstance type's rights) and the single
// vcdKeConfig entity with the HA knobs. Idempotent: whatever exists is left
// as it is (missing rights are added), so running it twice changes nothing.
#pragma once

#include "core/result.h"

#include <QStringList>

namespace cse::vcd {
class Client;
}

namespace cse::server {

struct InstallReport
{
    QStringList lines;   // one per item: what was found or done
    int created = 0;
    int changed = 0;
};

// Runs to completion on a local event loop (command-line use). The client
// must be connected as a provider administrator.
Result<InstallReport> install(vcd::Client &client);

} // namespace cse::server
