// The legacy XML API subset that go-vcloud-director and CAPVCD use for VMs
// (/api/org, /api/vdc, /api/query, /api/vAppTemplate, /api/vApp, /api/task)
// plus the compute-policy lookups of cloudapi. vApps and their VMs live in
// the store (Store::vapps); every mutation answers 202 with a Task that runs
// queued -> running -> success|error on the --latency-ms clock.
#pragma once

#include "http/httpserver.h"
#include "store.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <functional>
#include <optional>

namespace cse::sim {

class VcdSim;
struct Caller;

class LegacyApi : public QObject
{
    Q_OBJECT
public:
    explicit LegacyApi(VcdSim *sim);

    // The response for the paths this API serves; nullopt for any other path.
    std::optional<http::HttpResponse> route(const http::HttpRequest &req, const Caller *caller);
    // VCD's XML <Error/> answer of the legacy API.
    static http::HttpResponse errorReply(int status, const QString &minor, const QString &message);

    // For the guest simulator and the simulated CAPVCD.
    struct VmRef
    {
        VappRow vapp;
        int index = -1; // in doc["vms"]
    };
    Result<std::optional<VmRef>> findVm(const QString &vmUuid);
    Result<void> save(const VappRow &row);
    // Powers a VM of a vApp document on (deployed, customized, its VM row
    // poweredOn) or off.
    void setPower(QJsonObject &vm, bool on);
    // The VM's guestinfo key as the guest sets it (vmtoolsd info-set): an ExtraConfig upsert.
    static void setExtraConfig(QJsonObject &vm, const QString &key, const QString &value);
    static QString extraConfig(const QJsonObject &vm, const QString &key);
    // A powered-on vApp with one VM, made directly (the simulated CAPVCD's node VMs).
    Result<QString> createNodeVapp(const QString &orgId, const QString &vdcId, const QString &vappName, const QString &vmName,
                                   const QJsonObject &metadata, const QString &clusterId, const QString &role);
    Result<void> removeVm(const QString &vmUuid); // deletes the VM (and its vApp when it is the last one)
    QString nextIp(const QString &networkName);

private:
    using Apply = std::function<Result<void>()>;
    struct Pending
    {
        Apply apply;
        bool canceled = false;
    };
    http::HttpResponse taskResponse(const http::HttpRequest &req, const QString &taskId, int status = 202);
    QString startTask(const QString &operationName, const QString &operation, const QString &ownerHref,
                      const QString &ownerName, const QString &ownerType, const QString &orgId, const QString &faultStep,
                      Apply apply);
    void finishTask(const QString &taskId);

    http::HttpResponse orgList(const http::HttpRequest &req, const Caller &c);
    http::HttpResponse org(const http::HttpRequest &req, const Caller &c, const QString &uuid);
    http::HttpResponse vdc(const http::HttpRequest &req, const Caller &c, const QString &uuid, const QString &rest);
    http::HttpResponse network(const http::HttpRequest &req, const Caller &c, const QString &uuid);
    http::HttpResponse query(const http::HttpRequest &req, const Caller &c);
    http::HttpResponse vappTemplate(const http::HttpRequest &req, const QString &kind, const QString &uuid);
    http::HttpResponse vapp(const http::HttpRequest &req, const Caller &c, const QString &uuid, const QString &rest);
    http::HttpResponse vm(const http::HttpRequest &req, const Caller &c, const QString &uuid, const QString &rest);
    http::HttpResponse task(const http::HttpRequest &req, const Caller &c, const QString &id, const QString &rest);
    http::HttpResponse computePolicies(const http::HttpRequest &req);

    QByteArray vappXml(const http::HttpRequest &req, const VappRow &row);
    QString host(const http::HttpRequest &req) const;

    VcdSim *m_sim;
    QHash<QString, Pending> m_pending;
};

} // namespace cse::sim
