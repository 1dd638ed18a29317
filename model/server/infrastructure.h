// What the reconciler needs from the infrastructure, independent of the
// transport. The implementation drives VCD's legacy vApp/VM API
// (VappInfrastructure), which vcd-sim serves too. Every call is idempotent or reports NotFound,
// so a successor replica can repeat whatever its predecessor left half done.
#pragma once

#include "core/result.h"

#include "vcd/client.h"
#include "vcd/vappxml.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <functional>
#include <map>
#include <memory>
#include <optional>

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
    bool exists = false;     // the cluster has infrastructure (a bootstrap VM or its own vApp)
    bool applied = false;    // the bootstrap VM applied the capiYaml
    bool pivoted = false;    // Cluster API moved into the cluster (clusterctl move)
    QString failedStep;      // non-empty: the infrastructure gave up at this step
    QString failureReason;   // the bootstrap script's own words for it, when it gave them
    QStringList phasesDone;  // bootstrap phases reported successful, in order (kind, capi, capiyaml, move)
};

// The bootstrap VM carries everything it needs (cloud-init with the capiYaml)
// from creation on; once powered on it works through its phases alone and
// reports them, which state() reads.
class Infrastructure
{
public:
    virtual ~Infrastructure() = default;
    // The cluster's complete bootstrap VM that is not deleted, if any.
    virtual void findBootstrapVm(const QString &clusterId, Done<std::optional<VmInfo>> done) = 0;
    // Creates it, or finishes one a predecessor left half made; powered off.
    virtual void createBootstrapVm(const QString &clusterId, const QString &name, Done<VmInfo> done) = 0;
    virtual void powerOn(const QString &clusterId, const QString &vmId, Done<void> done) = 0;
    virtual void state(const QString &clusterId, Done<InfraState> done) = 0;
    virtual void deleteVm(const QString &clusterId, const QString &vmId, Done<void> done) = 0; // gone counts as done
    virtual void deleteEverything(const QString &clusterId, Done<void> done) = 0; // every vApp of the cluster
    // VCD requests made on the clusters' owners' connections (for metrics).
    virtual vcd::RequestStats requestStats() const { return {}; }
    // A call as the cluster's owner (its API token), for reads the server's
    // own CSE Admin Role has no right to (VDCs, networks). Only where
    // actsAsOwner(); the server's connection serves the others.
    virtual bool actsAsOwner() const { return false; }
    virtual void listAsOwner(const QString &clusterId, vcd::RequestSpec first, Done<QList<QJsonObject>> done);
};

// VCD's legacy vApp/VM XML API (vappinfrastructure.cpp), as the cluster's owner.
class VappInfrastructure : public Infrastructure
{
public:
    explicit VappInfrastructure(vcd::Client *client, int taskPollMs = 3000);
    ~VappInfrastructure() override;
    void findBootstrapVm(const QString &clusterId, Done<std::optional<VmInfo>> done) override;
    void createBootstrapVm(const QString &clusterId, const QString &name, Done<VmInfo> done) override;
    void powerOn(const QString &clusterId, const QString &vmId, Done<void> done) override;
    void state(const QString &clusterId, Done<InfraState> done) override;
    void deleteVm(const QString &clusterId, const QString &vmId, Done<void> done) override;
    void deleteEverything(const QString &clusterId, Done<void> done) override;
    vcd::RequestStats requestStats() const override;
    bool actsAsOwner() const override { return true; }
    void listAsOwner(const QString &clusterId, vcd::RequestSpec first, Done<QList<QJsonObject>> done) override;

    static QString bootstrapName(const QString &clusterName);

private:
    struct Owner;
    void owner(const QString &clusterId, Done<Owner *> done);
    void forget(const QString &clusterId, const Error &e);
    void send(Owner *o, vcd::RequestSpec spec, Done<vcd::Reply> done);
    void waitTask(Owner *o, const QString &href, Done<void> done, int polls = 0);
    void mutate(Owner *o, vcd::RequestSpec spec, Done<void> done);
    void query(Owner *o, const QString &type, const QString &filter, Done<QList<QXmlStreamAttributes>> done);
    void taggedVapps(Owner *o, const QString &key, const QString &clusterId, Done<QStringList> done);
    void namedBootstrap(Owner *o, const QString &clusterId, bool adopt, Done<QStringList> done);
    void bootstrapVapp(Owner *o, const QString &clusterId, Done<std::optional<vcd::xml::VApp>> done);
    // GET of the vApp, its first VM read from the VM's own href.
    void readVapp(Owner *o, const QString &href, Done<vcd::xml::VApp> done);
    void setExtraConfig(Owner *o, const QString &vmHref, const QList<vcd::xml::KeyValue> &changes, Done<void> done);
    void createInVdc(Owner *o, const QString &clusterId, const vcd::xml::Vdc &vdc, const QString &netHref, const QString &spHref,
                     const QString &spName, Done<VmInfo> done, std::function<void(const Error &)> fail);
    void tagAndFill(Owner *o, const QString &clusterId, const QString &vappHref, const QString &netHref, const QString &sourceHref,
                    const QString &policy, const QString &spHref, const QString &spName, Done<VmInfo> done,
                    std::function<void(const Error &)> fail);
    void removeVapp(Owner *o, const QString &href, Done<void> done);
    void removeAll(Owner *o, QStringList hrefs, Done<void> done);
    void clusterVapps(Owner *o, const QString &clusterId, Done<QStringList> done);
    void removeRounds(Owner *o, const QString &clusterId, int round, Done<void> done);
    static VmInfo infoOf(const vcd::xml::VApp &v);

    vcd::Client *m_client;
    int m_taskPollMs;
    std::map<QString, std::unique_ptr<Owner>> m_owners;
    vcd::RequestStats m_retired; // of owners' connections since dropped
    QJsonObject m_bootstrapConfig;
};

} // namespace cse::server
