// One step of work on one owned cluster: read it, check that this replica
// still owns it at the epoch it claimed, do the next idempotent piece of the
// creation or deletion, and record the result with a fenced write (If-Match
// on the entity just read, after checking owner and epoch again). Steps are
// short; waiting for the infrastructure is a step that says "come back later",
// so a slow cluster never holds a worker.
#pragma once

#include "core/result.h"
#include "infrastructure.h"
#include "rde/cluster.h"
#include "rde/vcdkeconfig.h"

#include <QObject>
#include <QHash>
#include <QStringList>
#include <functional>

namespace cse::rde {
struct DefinedEntity;
}
namespace cse::vcd {
class Client;
}

namespace cse::server {

class Clock;

// Creation phases, in order (status.vcdKe.phase; the closed set is rde::Phase).
// "repair" is the pseudo-phase in which auto-repair tears down a failed
// attempt before starting again.
namespace phase {
inline const QString kValidate = rde::phaseName(rde::Phase::Validate);
inline const QString kBootstrapVm = rde::phaseName(rde::Phase::BootstrapVm);
inline const QString kApplyCapiYaml = rde::phaseName(rde::Phase::ApplyCapiYaml);
inline const QString kControlPlane = rde::phaseName(rde::Phase::ControlPlane);
inline const QString kWorkers = rde::phaseName(rde::Phase::Workers);
inline const QString kPivot = rde::phaseName(rde::Phase::Pivot);
inline const QString kCleanupBootstrap = rde::phaseName(rde::Phase::CleanupBootstrap);
inline const QString kProvisioned = rde::phaseName(rde::Phase::Provisioned);
inline const QString kRepair = rde::phaseName(rde::Phase::Repair);
inline const QString kDelete = rde::phaseName(rde::Phase::Delete);
inline const QString kUnknown = rde::phaseName(rde::Phase::Unknown);
const QStringList &creation(); // validate ... provisioned
} // namespace phase

struct StepOutcome
{
    enum Kind {
        Again,   // progress made: run the next step soon
        Wait,    // waiting for the infrastructure or VCD: run again after a poll interval
        Backoff, // auto-repair backoff: run again after delayMs
        Finished,// nothing more to do (provisioned, deleted, final error)
        Lost,    // another replica owns it now (or it is gone): forget it
    };
    StepOutcome(Kind k = Wait, qint64 delay = 0) : kind(k), delayMs(delay) {}
    Kind kind;
    qint64 delayMs;
    QString phase; // the phase this step worked on, one of phase::k* (a metric label: never tenant text)
};

struct OwnerIdentity
{
    QString instanceId;
    QString workerId;
};

class Reconciler : public QObject
{
    Q_OBJECT
public:
    Reconciler(vcd::Client *client, Infrastructure *infra, OwnerIdentity me, const Clock *clock,
               std::function<bool()> fenced, QObject *parent = nullptr);

    void setSettings(const rde::HaSettings &ha) { m_ha = ha; }
    // One step on cluster `id`, which this replica claimed at `epoch`.
    void step(const QString &id, qint64 epoch, std::function<void(StepOutcome)> done);
    // True while VCD refused a write for this entity for good (413, 400) and
    // the entity has not changed since: discovery leaves it alone instead of
    // claiming and writing it again every poll.
    bool refused(const rde::DefinedEntity &e);

Q_SIGNALS:
    void phaseChanged(const QString &clusterId, const QString &clusterName, const QString &from, const QString &to, qint64 epoch);

private:
    struct Job;
    using JobPtr = std::shared_ptr<Job>;
    using Change = std::function<void(rde::Cluster &)>;

    void dispatch(const JobPtr &job);
    void validate(const JobPtr &job);
    void checkUniqueName(const JobPtr &job);
    void validateSpec(const JobPtr &job);
    void checkVdcAndNetwork(const JobPtr &job, const QString &vdc, const QString &network);
    // A change to the infrastructure: never while fenced; a failure ends the step.
    void sideEffect(const JobPtr &job, const QString &what, std::function<void(Done<void>)> call, std::function<void()> then);
    // Looks up the cluster's bootstrap VM; a failed lookup ends the step.
    void withBootstrapVm(const JobPtr &job, std::function<void(const std::optional<VmInfo> &)> then);
    void withInfraState(const JobPtr &job, const QString &what, std::function<void(const InfraState &)> then);
    void scriptFailed(const JobPtr &job, const InfraState &st);
    void bootstrapVm(const JobPtr &job);
    void applyCapiYaml(const JobPtr &job);
    void waitForInfra(const JobPtr &job, bool controlPlaneOnly);
    void pivot(const JobPtr &job);
    void cleanupBootstrap(const JobPtr &job);
    void deleteBootstrapVm(const JobPtr &job);
    // Continues only while the cluster's infrastructure exists; else the phase fails (auto-repair).
    void requireInfra(const JobPtr &job, std::function<void()> then);
    void waitOrTimeout(const JobPtr &job);
    void finishProvisioned(const JobPtr &job);
    void repair(const JobPtr &job);
    void remove(const JobPtr &job);
    void deleteEntity(const JobPtr &job);

    // Fenced write: re-read, check owner and epoch, apply `change`, PUT If-Match.
    void write(const JobPtr &job, Change change, std::function<void(StepOutcome)> then);
    void advance(const JobPtr &job, const QString &next, const QString &event, const QString &detail, Change extra = {});
    void invalid(const JobPtr &job, const QString &detail, const QString &hint);
    void failure(const JobPtr &job, const QString &name, const QString &detail, const QString &hint);
    // An infrastructure call failed: transient errors wait, the rest fail the phase.
    void infraError(const JobPtr &job, const Error &e, const QString &what);
    void finish(const JobPtr &job, StepOutcome outcome);

    vcd::Client *m_client;
    Infrastructure *m_infra;
    OwnerIdentity m_me;
    const Clock *m_clock;
    std::function<bool()> m_fenced;
    rde::HaSettings m_ha;
    QHash<QString, QByteArray> m_refused; // entity id -> digest of the entity a write was refused for
};

} // namespace cse::server
