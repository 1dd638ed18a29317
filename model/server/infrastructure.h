// What the reconciler needs from the infrastructure, independent of the
// transport. Today one implementation drives vcd-sim's simulated
// infrastructure (XsimInfrastructure); a driver on VCD's real vApp API goes
// behind the same interface. Every call is idempotent or reports NotFound,
// so a successor replica can repeat whatever its predecessor left half done.
#pragma once

#include "core/result.h"

#include <QString>
#include <functional>
#include <optional>

namespace cse::vcd {
class Client;
}

namespace cse::server {

template<typename T>
using Done = std::function<void(Result<T>)>;

struct VmInfo
{
    QString id;
    QString name;
    QString role;   // "bootstrap", "controlPlane", "worker:POOL"
    QString state;  // "created", "poweredOn", "deleted"
};

struct InfraState
{
    bool exists = false;     // a capiYaml was applied and not torn down since
    bool applied = false;
    bool pivoted = false;
    QString failedStep;      // non-empty: the infrastructure gave up at this step
};

class Infrastructure
{
public:
    virtual ~Infrastructure() = default;
    // The cluster's bootstrap VM that is not deleted, if any.
    virtual void findBootstrapVm(const QString &clusterId, Done<std::optional<VmInfo>> done) = 0;
    virtual void createBootstrapVm(const QString &clusterId, const QString &name, Done<VmInfo> done) = 0;
    virtual void powerOn(const QString &vmId, Done<void> done) = 0;
    virtual void applyCapiYaml(const QString &vmId, const QString &capiYaml, Done<void> done) = 0;
    virtual void state(const QString &clusterId, Done<InfraState> done) = 0;
    virtual void pivot(const QString &clusterId, Done<void> done) = 0;
    virtual void deleteVm(const QString &vmId, Done<void> done) = 0;           // NotFound counts as done
    virtual void deleteEverything(const QString &clusterId, Done<void> done) = 0; // every VM of the cluster
};

// vcd-sim's /cloudapi/x-sim/1.0.0/ infrastructure (not VCD API).
class XsimInfrastructure : public Infrastructure
{
public:
    explicit XsimInfrastructure(vcd::Client *client) : m_client(client) {}
    void findBootstrapVm(const QString &clusterId, Done<std::optional<VmInfo>> done) override;
    void createBootstrapVm(const QString &clusterId, const QString &name, Done<VmInfo> done) override;
    void powerOn(const QString &vmId, Done<void> done) override;
    void applyCapiYaml(const QString &vmId, const QString &capiYaml, Done<void> done) override;
    void state(const QString &clusterId, Done<InfraState> done) override;
    void pivot(const QString &clusterId, Done<void> done) override;
    void deleteVm(const QString &vmId, Done<void> done) override;
    void deleteEverything(const QString &clusterId, Done<void> done) override;

private:
    vcd::Client *m_client;
};

} // namespace cse::server
