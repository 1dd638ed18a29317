#include "reconciler.h"

#include "clock.h"
#include "core/logging.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/types.h"
#include "vcd/client.h"
#include "vcd/fiql.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

namespace cse::server {

const QStringList &phase::creation()
{
    static const QStringList list{kValidate, kBootstrapVm, kApplyCapiYaml, kControlPlane, kWorkers, kPivot,
                                  kCleanupBootstrap, kProvisioned};
    return list;
}

namespace {
const QString kBootstrapType = QStringLiteral("bootstrapVm");

void markProvisioned(rde::Cluster &c)
{
    c.setState(rde::clusterstate::kProvisioned);
    c.setPhase(phase::kProvisioned);
    c.setAutoRepairOnErrors(false); // a later error must never destroy a working cluster
    c.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("ClusterProvisioned"),
                  QStringLiteral("the cluster is ready; auto-repair is now off"));
}

bool transient(const Error &e)
{
    return e.is(ErrorKind::Unreachable) || e.is(ErrorKind::Canceled) || e.is(ErrorKind::TooMany);
}

QByteArray digest(const QJsonObject &entity)
{
    return QCryptographicHash::hash(QJsonDocument(entity).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256);
}

// A 4xx other than 409/412/429 (and 403/404, which mean "lost"): repeating the write cannot help.
bool permanentWriteError(const Error &e)
{
    return e.is(ErrorKind::Invalid) || e.is(ErrorKind::Unauthorized)
           || (e.is(ErrorKind::Unknown) && e.httpStatus >= 400 && e.httpStatus < 500);
}

QString hintFor(const QString &phaseName)
{
    if (phaseName == phase::kBootstrapVm)
        return QStringLiteral("check the VDC's compute capacity and the bootstrap VM sizing policy in the server configuration");
    if (phaseName == phase::kApplyCapiYaml)
        return QStringLiteral("check spec.capiYaml (templates, sizing policies, storage profiles exist in the VDC)");
    if (phaseName == phase::kControlPlane || phaseName == phase::kWorkers)
        return QStringLiteral("see status.capvcd.errorSet for the infrastructure's own error; check VDC capacity, the "
                              "network and the node templates");
    if (phaseName == phase::kPivot)
        return QStringLiteral("the cluster's API endpoint must be reachable from the bootstrap VM");
    return QStringLiteral("see the event list of the cluster");
}
} // namespace

struct Reconciler::Job
{
    QString id;
    qint64 epoch = 0;
    rde::DefinedEntity entity;
    rde::Cluster cluster;
    QString phase;
    std::function<void(StepOutcome)> done;
    bool finished = false;
};

Reconciler::Reconciler(vcd::Client *client, Infrastructure *infra, OwnerIdentity me, const Clock *clock,
                       std::function<bool()> fenced, QObject *parent)
    : QObject(parent), m_client(client), m_infra(infra), m_me(std::move(me)), m_clock(clock), m_fenced(std::move(fenced))
{
}

bool Reconciler::refused(const rde::DefinedEntity &e)
{
    auto it = m_refused.find(e.id);
    if (it == m_refused.end())
        return false;
    if (*it == digest(e.entity))
        return true;
    m_refused.erase(it); // changed since: worth another try
    return false;
}

void Reconciler::finish(const JobPtr &job, StepOutcome outcome)
{
    if (job->finished)
        return;
    job->finished = true;
    if (outcome.phase.isEmpty())
        outcome.phase = job->phase;
    if (outcome.kind == StepOutcome::Wait && outcome.delayMs == 0)
        outcome.delayMs = qint64(m_ha.pollSeconds) * 1000;
    job->done(outcome);
}

void Reconciler::step(const QString &id, qint64 epoch, std::function<void(StepOutcome)> done)
{
    auto job = std::make_shared<Job>();
    job->id = id;
    job->epoch = epoch;
    job->done = std::move(done);
    QPointer<Reconciler> self(this);
    m_client->getEntity(id, [this, self, job](Result<rde::DefinedEntity> r) {
        if (!self)
            return;
        if (!r) {
            if (r.error().is(ErrorKind::Forbidden) || r.error().is(ErrorKind::NotFound))
                return finish(job, {StepOutcome::Lost});
            return finish(job, {StepOutcome::Wait});
        }
        job->entity = *r;
        job->cluster = rde::Cluster(r->entity);
        if (job->cluster.ownerInstanceId() != m_me.instanceId || job->cluster.ownerEpoch() != job->epoch)
            return finish(job, {StepOutcome::Lost});
        dispatch(job);
    });
}

void Reconciler::dispatch(const JobPtr &job)
{
    const rde::Cluster &c = job->cluster;
    if (c.markForDelete()) {
        job->phase = phase::kDelete;
        return remove(job);
    }
    const rde::State state = c.stateKind();
    if (state == rde::State::Error)
        return finish(job, {StepOutcome::Finished});
    if (state == rde::State::Unknown) {
        job->phase = phase::kUnknown;
        return invalid(job, QStringLiteral("status.vcdKe.state %1 is not a state this server writes").arg(quoteTenant(c.state(), 64)),
                       QStringLiteral("status.vcdKe is the server's: clear status.vcdKe.state and status.vcdKe.phase "
                                      "to start the creation again"));
    }
    if (state == rde::State::Provisioned) {
        job->phase = phase::kProvisioned;
        if (job->entity.state != QLatin1String("RESOLVED"))
            return finishProvisioned(job);
        return finish(job, {StepOutcome::Finished});
    }
    const rde::Phase p = c.phaseKind();
    job->phase = p == rde::Phase::None ? phase::kValidate : rde::phaseName(p);
    switch (p) {
    case rde::Phase::None:
    case rde::Phase::Validate: return validate(job);
    case rde::Phase::BootstrapVm: return bootstrapVm(job);
    case rde::Phase::ApplyCapiYaml: return applyCapiYaml(job);
    case rde::Phase::ControlPlane: return waitForInfra(job, true);
    case rde::Phase::Workers: return waitForInfra(job, false);
    case rde::Phase::Pivot: return pivot(job);
    case rde::Phase::CleanupBootstrap: return cleanupBootstrap(job);
    case rde::Phase::Provisioned: return finishProvisioned(job);
    case rde::Phase::Repair: return repair(job);
    case rde::Phase::Delete: // only ever a label: deletion follows markForDelete
    case rde::Phase::Unknown: break;
    }
    // Ends in error at once (one errorSet entry; an error cluster is never worked on again).
    invalid(job, QStringLiteral("status.vcdKe.phase %1 is not a phase this server knows").arg(quoteTenant(c.phase(), 64)),
            QStringLiteral("status.vcdKe is the server's: clear status.vcdKe.state and status.vcdKe.phase to start the "
                           "creation again"));
}

// ---- fenced writes ----

void Reconciler::write(const JobPtr &job, Change change, std::function<void(StepOutcome)> then)
{
    const QString me = m_me.instanceId;
    const qint64 epoch = job->epoch;
    auto fenced = m_fenced;
    QPointer<Reconciler> self(this);
    m_client->patch(job->id, [me, epoch, fenced, change](QJsonObject &entity) -> Result<bool> {
        if (fenced())
            return makeError(ErrorKind::Canceled, QStringLiteral("this replica is fenced (no recent heartbeat); not writing"));
        rde::Cluster c(entity);
        if (c.ownerInstanceId() != me || c.ownerEpoch() != epoch)
            return makeError(ErrorKind::Conflict, QStringLiteral("superseded: now owned by \"%1\" at epoch %2")
                                                      .arg(c.ownerInstanceId()).arg(c.ownerEpoch()));
        change(c);
        entity = c.json();
        return true;
    }, [this, self, job, then](Result<rde::DefinedEntity> r) {
        if (!self)
            return;
        if (!r) {
            const Error &e = r.error();
            if (e.is(ErrorKind::Conflict) || e.is(ErrorKind::Forbidden) || e.is(ErrorKind::NotFound)) {
                qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "lost at epoch" << job->epoch << "-"
                                           << quoteTenant(e.message, 300);
                return finish(job, {StepOutcome::Lost});
            }
            if (permanentWriteError(e)) {
                // VCD refuses this write as such (413: the entity is too large; 400): the same
                // write would fail again, so the step ends instead of being retried for ever.
                qCWarning(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "write refused, giving up on"
                                              << "the cluster until its entity changes:" << quoteTenant(e.toString(), 300);
                m_refused.insert(job->id, digest(job->entity.entity));
                return finish(job, {StepOutcome::Finished});
            }
            qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "write deferred:"
                                       << quoteTenant(e.toString(), 300);
            return finish(job, {StepOutcome::Wait});
        }
        job->entity = *r;
        job->cluster = rde::Cluster(r->entity);
        then({StepOutcome::Again});
    }, 5);
}

void Reconciler::advance(const JobPtr &job, const QString &next, const QString &event, const QString &detail, Change extra)
{
    const QString from = job->phase;
    write(job, [next, event, detail, extra, now = m_clock->utcNow()](rde::Cluster &c) {
        c.setState(next == phase::kProvisioned ? rde::clusterstate::kProvisioned : rde::clusterstate::kProvisioning);
        c.setPhase(next);
        if (!event.isEmpty())
            c.appendVcdKe(rde::Cluster::Log::Event, event, detail, {}, {}, now);
        if (extra)
            extra(c);
    }, [this, job, from, next](StepOutcome o) {
        if (from != next) {
            qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "phase" << from << "->" << next << "epoch" << job->epoch;
            Q_EMIT phaseChanged(job->id, job->cluster.name(), from, next, job->epoch);
        }
        finish(job, o);
    });
}

void Reconciler::invalid(const JobPtr &job, const QString &detail, const QString &hint)
{
    qCWarning(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "has an invalid spec:" << quoteTenant(detail, 300);
    write(job, [detail, hint](rde::Cluster &c) {
        c.setState(rde::clusterstate::kError);
        c.appendVcdKe(rde::Cluster::Log::Error, QStringLiteral("ClusterSpecInvalid"),
                      QStringLiteral("%1. What to do: %2").arg(detail, hint));
    }, [this, job](StepOutcome) { finish(job, {StepOutcome::Finished}); });
}

void Reconciler::failure(const JobPtr &job, const QString &name, const QString &detail, const QString &hint)
{
    const rde::Cluster &c = job->cluster;
    const int attempts = c.repairAttempts();
    const int max = m_ha.autoRepairMaxAttempts;
    const QString failedPhase = job->phase;
    const QString text = QStringLiteral("%1 failed: %2. What to do: %3").arg(failedPhase, detail, hint);
    if (c.autoRepairOnErrors() && attempts < max) {
        const qint64 backoffMs = qint64(m_ha.autoRepairBackoffSeconds) * 1000 * (qint64(1) << qMin(attempts, 10));
        qCWarning(lcServer).noquote() << "cluster" << quoteTenant(c.name()) << "failed in" << failedPhase << "- auto-repair attempt"
                                      << attempts + 1 << "of" << max << "in" << backoffMs << "ms:" << quoteTenant(detail, 300);
        write(job, [=](rde::Cluster &cl) {
            cl.appendVcdKe(rde::Cluster::Log::Error, name, text);
            QJsonArray history = cl.value(rde::paths::kStatusVcdKe + QStringList{QStringLiteral("repairHistory")}).toArray();
            history.append(QJsonObject{{QStringLiteral("attempt"), attempts + 1}, {QStringLiteral("phase"), failedPhase},
                                       {QStringLiteral("error"), detail}});
            cl.setValue(rde::paths::kStatusVcdKe + QStringList{QStringLiteral("repairHistory")}, history);
            cl.setRepairAttempts(attempts + 1);
            cl.setPhase(phase::kRepair);
            cl.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("AutoRepairAttempt"),
                           QStringLiteral("attempt %1 of %2: removing what the failed attempt made, then starting again in %3 s")
                               .arg(attempts + 1).arg(max).arg(backoffMs / 1000));
        }, [this, job, backoffMs](StepOutcome) { finish(job, {StepOutcome::Backoff, backoffMs}); });
        return;
    }
    qCWarning(lcServer).noquote() << "cluster" << quoteTenant(c.name()) << "failed in" << failedPhase << "- no auto-repair left:" << quoteTenant(detail, 300);
    write(job, [=](rde::Cluster &cl) {
        cl.appendVcdKe(rde::Cluster::Log::Error, name, text);
        cl.setState(rde::clusterstate::kError);
        if (attempts > 0) {
            QStringList lines;
            const QJsonArray history = cl.value(rde::paths::kStatusVcdKe + QStringList{QStringLiteral("repairHistory")}).toArray();
            for (const QJsonValue &v : history) {
                const QJsonObject h = v.toObject();
                lines << QStringLiteral("attempt %1 (%2): %3").arg(h.value(QLatin1String("attempt")).toInt())
                             .arg(h.value(QLatin1String("phase")).toString(), h.value(QLatin1String("error")).toString());
            }
            lines << QStringLiteral("final (%1): %2").arg(failedPhase, detail);
            cl.appendVcdKe(rde::Cluster::Log::Error, QStringLiteral("AutoRepairExhausted"),
                           QStringLiteral("gave up after %1 repair attempts (autoRepairMaxAttempts = %2): %3")
                               .arg(attempts).arg(max).arg(lines.join(QStringLiteral("; "))));
        }
    }, [this, job](StepOutcome) { removeFailedBootstrap(job); });
}

void Reconciler::removeFailedBootstrap(const JobPtr &job)
{
    if (!m_infra)
        return finish(job, {StepOutcome::Finished});
    QPointer<Reconciler> self(this);
    m_infra->findBootstrapVm(job->id, [this, self, job](Result<std::optional<VmInfo>> vm) {
        if (!self)
            return;
        if (!vm || !vm->has_value()) {
            if (!vm)
                qCWarning(lcServer).noquote() << "cluster" << job->cluster.name() << "ended in error; its bootstrap VM cannot be looked up:"
                                              << vm.error().toString();
            return finish(job, {StepOutcome::Finished});
        }
        m_infra->deleteVm(job->id, (*vm)->id, [this, self, job](Result<void> r) {
            if (!self)
                return;
            if (!r)
                qCWarning(lcServer).noquote() << "cluster" << job->cluster.name() << "ended in error; its bootstrap VM is not removed:"
                                              << r.error().toString();
            finish(job, {StepOutcome::Finished});
        });
    });
}

void Reconciler::infraError(const JobPtr &job, const Error &e, const QString &what)
{
    if (transient(e) || e.is(ErrorKind::Conflict)) {
        qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << what << "will be tried again:" << quoteTenant(e.toString(), 300);
        return finish(job, {StepOutcome::Wait});
    }
    failure(job, QStringLiteral("InfrastructureError"), QStringLiteral("%1: %2").arg(what, e.message), hintFor(job->phase));
}

// ---- creation phases ----

// Checks in order; the first that fails ends the cluster in error with one
// errorSet entry. The name comes first: a name that is no DNS-1123 label
// (e.g. "*") never reaches a query.
void Reconciler::validate(const JobPtr &job)
{
    const rde::Cluster &c = job->cluster;
    if (const QString tooLarge = rde::checkClusterEntitySize(job->entity.entity); !tooLarge.isEmpty())
        return invalid(job, tooLarge, QStringLiteral("keep spec.capiYaml and the rest of the entity under 4 MiB; create the cluster again"));
    const QString nameProblem = rde::validateClusterName(c.name());
    if (!nameProblem.isEmpty())
        return invalid(job, QStringLiteral("metadata.name %1 is not a valid cluster name: %2").arg(quoteTenant(c.name(), 64), nameProblem),
                       QStringLiteral("cluster names are DNS-1123 labels (at most 63 characters: a-z, 0-9 and '-', starting and "
                                      "ending with a letter or digit); create the cluster again under such a name"));
    if (job->entity.name != c.name())
        return invalid(job, QStringLiteral("the entity's name %1 differs from metadata.name %2")
                                .arg(quoteTenant(job->entity.name, 64), quoteTenant(c.name(), 64)),
                       QStringLiteral("create the cluster again with one name in both places"));
    QPointer<Reconciler> self(this);
    // The owner's token is a secure field: only the full entity shows whether there is one.
    m_client->getFullEntity(job->id, [this, self, job](Result<rde::DefinedEntity> full) {
        if (!self)
            return;
        if (!full)
            return infraError(job, full.error(), QStringLiteral("reading the cluster's owner token"));
        if (!rde::Cluster(full->entity).hasApiToken())
            return invalid(job, QStringLiteral("no owner API token: spec.vcdKe.secure.apiToken is empty, and the server acts "
                                               "as the cluster's owner with it"),
                           QStringLiteral("create an API token for a user of org \"%1\" who may create vApps in its VDC, put it "
                                          "into spec.vcdKe.secure.apiToken (the console's Retry asks for it) and retry")
                               .arg(job->entity.org.name));
        checkUniqueName(job);
    });
}

// As CAPVCD does before it creates a cluster (it lists name==<cluster> and
// expects nothing): of two clusters with one name in an org, the older one
// (by creation) keeps working and the newer one ends in error.
void Reconciler::checkUniqueName(const JobPtr &job)
{
    vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
    q.filter = vcd::fiql::eqExact(QStringLiteral("name"), job->cluster.name());
    q.tenantContext = job->entity.org.id;
    q.tenantContextName = job->entity.org.name;
    QPointer<Reconciler> self(this);
    m_client->listEntities(q, [this, self, job](Result<QList<rde::DefinedEntity>> list) {
        if (!self)
            return;
        if (!list)
            return infraError(job, list.error(), QStringLiteral("looking for other clusters of this name"));
        auto key = [](const rde::DefinedEntity &e) {
            return qMakePair(QDateTime::fromString(e.creationDate, Qt::ISODateWithMs).toMSecsSinceEpoch(), e.id);
        };
        QString mine = job->entity.creationDate;
        for (const rde::DefinedEntity &e : *list)
            if (e.id == job->id)
                mine = e.creationDate;
        rde::DefinedEntity self_ = job->entity;
        self_.creationDate = mine;
        for (const rde::DefinedEntity &e : *list) {
            if (e.id == job->id || e.name != job->cluster.name())
                continue;
            if (key(e) < key(self_))
                return invalid(job, QStringLiteral("a cluster named %1 already exists in org %2 (%3)")
                                        .arg(quoteTenant(job->cluster.name(), 64), quoteTenant(job->entity.org.name, 64), e.id),
                               QStringLiteral("cluster names are unique in an org: delete this cluster and create it again "
                                              "under another name"));
        }
        validateSpec(job);
    });
}

void Reconciler::validateSpec(const JobPtr &job)
{
    const rde::Cluster &c = job->cluster;
    auto summary = rde::parseCapiYaml(c.capiYaml());
    if (!summary)
        return invalid(job, QStringLiteral("spec.capiYaml cannot be used: %1").arg(summary.error().message),
                       QStringLiteral("correct spec.capiYaml (the console's wizard renders a valid one), then retry"));
    if (!rde::findRelease(summary->kubernetesVersion)) {
        QStringList known;
        for (const rde::KubernetesRelease &r : rde::supportedReleases())
            known << r.kubernetesVersion;
        return invalid(job, QStringLiteral("Kubernetes version \"%1\" is not supported").arg(summary->kubernetesVersion),
                       QStringLiteral("use one of %1").arg(known.join(QStringLiteral(", "))));
    }
    const QString vdc = summary->vdc.isEmpty() ? c.vdcName() : summary->vdc;
    if (vdc.isEmpty())
        return invalid(job, QStringLiteral("no VDC given (metadata.virtualDataCenterName and VCDCluster spec.ovdc are empty)"),
                       QStringLiteral("name the organization VDC the cluster goes into"));
    if (summary->network.isEmpty())
        return invalid(job, QStringLiteral("no network given (VCDCluster spec.ovdcNetwork is empty)"),
                       QStringLiteral("name an organization VDC network of VDC \"%1\"").arg(vdc));
    checkVdcAndNetwork(job, vdc, summary->network);
}

void Reconciler::checkVdcAndNetwork(const JobPtr &job, const QString &vdc, const QString &network)
{
    // As the cluster's owner where the infrastructure has the owner's
    // connection: CSE's own "CSE Admin Role" holds no VDC or network right, so
    // a real VCD answers the server's account 403 (README "What the provider
    // needs on the VCD").
    const QString orgName = job->entity.org.name;
    const QString clusterId = job->id;
    auto listNames = [this, orgName, clusterId](const QString &path, const QString &orgId,
                                                std::function<void(Result<QList<QJsonObject>>)> done) {
        vcd::RequestSpec s = vcd::RequestSpec::get(path);
        if (m_infra && m_infra->actsAsOwner())
            return m_infra->listAsOwner(clusterId, s, std::move(done));
        s.tenantContext = orgId;
        if (!orgId.isEmpty() && !orgName.isEmpty())
            s.headers.append({"X-VMWARE-VCLOUD-AUTH-CONTEXT", orgName.toUtf8()});
        m_client->listValues(s, std::move(done));
    };
    const QString orgId = job->entity.org.id;
    QPointer<Reconciler> self(this);
    listNames(QStringLiteral("/cloudapi/1.0.0/vdcs"), orgId, [=](Result<QList<QJsonObject>> vdcs) {
        if (!self)
            return;
        if (!vdcs)
            return infraError(job, vdcs.error(), QStringLiteral("listing the org's VDCs"));
        bool found = false;
        QStringList names;
        for (const QJsonObject &o : *vdcs) {
            names << o.value(QLatin1String("name")).toString();
            found = found || names.last() == vdc;
        }
        if (!found)
            return invalid(job, QStringLiteral("the VDC \"%1\" does not exist in org \"%2\"").arg(vdc, orgName),
                           names.isEmpty() ? QStringLiteral("the org has no VDC; ask the provider for one")
                                           : QStringLiteral("use one of: %1").arg(names.join(QStringLiteral(", "))));
        listNames(QStringLiteral("/cloudapi/1.0.0/orgVdcNetworks"), orgId, [=](Result<QList<QJsonObject>> nets) {
            if (!self)
                return;
            if (!nets)
                return infraError(job, nets.error(), QStringLiteral("listing the org's networks"));
            QStringList inVdc;
            for (const QJsonObject &o : *nets)
                if (o.value(QLatin1String("orgVdc")).toObject().value(QLatin1String("name")).toString() == vdc)
                    inVdc << o.value(QLatin1String("name")).toString();
            if (!inVdc.contains(network))
                return invalid(job, QStringLiteral("the network \"%1\" does not exist in VDC \"%2\"").arg(network, vdc),
                               inVdc.isEmpty() ? QStringLiteral("create an org VDC network first")
                                               : QStringLiteral("use one of: %1").arg(inVdc.join(QStringLiteral(", "))));
            advance(job, phase::kBootstrapVm, QStringLiteral("ClusterSpecValidated"),
                    QStringLiteral("capiYaml, Kubernetes version, VDC \"%1\" and network \"%2\" checked").arg(vdc, network));
        });
    });
}

void Reconciler::withBootstrapVm(const JobPtr &job, std::function<void(const std::optional<VmInfo> &)> then)
{
    QPointer<Reconciler> self(this);
    m_infra->findBootstrapVm(job->id, [this, self, job, then](Result<std::optional<VmInfo>> found) {
        if (!self)
            return;
        if (!found)
            return infraError(job, found.error(), QStringLiteral("looking for the bootstrap VM"));
        then(*found);
    });
}

void Reconciler::withInfraState(const JobPtr &job, const QString &what, std::function<void(const InfraState &)> then)
{
    QPointer<Reconciler> self(this);
    m_infra->state(job->id, [this, self, job, what, then](Result<InfraState> st) {
        if (!self)
            return;
        if (!st)
            return infraError(job, st.error(), what);
        then(*st);
    });
}

// The bootstrap script reported a failure: its own reason goes into errorSet.
void Reconciler::scriptFailed(const JobPtr &job, const InfraState &st)
{
    failure(job, QStringLiteral("BootstrapScriptError"),
            QStringLiteral("the bootstrap VM failed in phase %1: %2").arg(st.failedStep, st.failureReason), hintFor(job->phase));
}

void Reconciler::sideEffect(const JobPtr &job, const QString &what, std::function<void(Done<void>)> call, std::function<void()> then)
{
    if (m_fenced())
        return finish(job, {StepOutcome::Wait});
    QPointer<Reconciler> self(this);
    call([this, self, job, what, then](Result<void> r) {
        if (!self)
            return;
        if (!r)
            return infraError(job, r.error(), what);
        then();
    });
}

void Reconciler::bootstrapVm(const JobPtr &job)
{
    QPointer<Reconciler> self(this);
    withBootstrapVm(job, [this, self, job](const std::optional<VmInfo> &found) {
        if (found.has_value()) {
            const VmInfo vm = *found;
            bool recorded = false;
            for (const QJsonValue &v : job->cluster.vcdResourceSet())
                recorded = recorded || v.toObject().value(QLatin1String("id")).toString() == vm.id;
            auto powered = [this, job, vm] {
                advance(job, phase::kApplyCapiYaml, QStringLiteral("BootstrapVmReady"),
                        QStringLiteral("bootstrap VM %1 is powered on").arg(vm.name), [vm](rde::Cluster &c) {
                            c.removeVcdResource(vm.id);
                            c.addVcdResource(vm.id, vm.name, kBootstrapType);
                        });
            };
            if (vm.state == QLatin1String("poweredOn"))
                return powered();
            if (!recorded) // record it before the next side effect, so a successor knows it
                return write(job, [vm](rde::Cluster &c) { c.addVcdResource(vm.id, vm.name, kBootstrapType); },
                             [this, job](StepOutcome o) { finish(job, o); });
            return sideEffect(job, QStringLiteral("powering on the bootstrap VM"),
                              [this, cid = job->id, id = vm.id](Done<void> done) { m_infra->powerOn(cid, id, done); }, powered);
        }
        // None exists (a recorded one that is gone is forgotten): create exactly one.
        if (m_fenced())
            return finish(job, {StepOutcome::Wait});
        const QString name = QStringLiteral("EPHEMERAL-TEMP-VM-%1").arg(job->cluster.name());
        m_infra->createBootstrapVm(job->id, name, [this, self, job](Result<VmInfo> vm) {
            if (!self)
                return;
            if (!vm)
                return infraError(job, vm.error(), QStringLiteral("creating the bootstrap VM"));
            const VmInfo made = *vm;
            qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "bootstrap VM" << made.id << "created, epoch" << job->epoch;
            write(job, [made, now = m_clock->utcNow()](rde::Cluster &c) {
                QJsonArray keep;
                for (const QJsonValue &v : c.vcdResourceSet())
                    if (v.toObject().value(QLatin1String("type")).toString() != kBootstrapType)
                        keep.append(v);
                c.setValue(rde::paths::kStatusVcdKe + QStringList{QStringLiteral("vcdResourceSet")}, keep);
                c.addVcdResource(made.id, made.name, kBootstrapType);
                c.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("BootstrapVmCreated"),
                              QStringLiteral("bootstrap VM %1 created").arg(made.name), made.id, made.name, now);
            }, [this, job](StepOutcome o) { finish(job, o); });
        });
    });
}

// The bootstrap VM applies the capiYaml itself (it carries it in its
// cloud-config); this phase follows its guestinfo phase keys and records
// them as events: kind -> InstalledKind, capi -> InstalledCAPI, capiyaml ->
// CapiYamlProcessed.
void Reconciler::applyCapiYaml(const JobPtr &job)
{
    withInfraState(job, QStringLiteral("reading the bootstrap VM"), [this, job](const InfraState &st) {
        // A failure after the capiYaml was applied (the cluster's VMs) belongs to the next phases.
        if (!st.failedStep.isEmpty() && !st.applied)
            return scriptFailed(job, st);
        const QStringList done = st.phasesDone;
        auto events = [done, now = m_clock->utcNow()](rde::Cluster &c) {
            QStringList have;
            for (const rde::ClusterEvent &e : c.vcdKeLog(rde::Cluster::Log::Event))
                have << e.name;
            const QList<QPair<QString, QString>> steps{{QStringLiteral("kind"), QStringLiteral("InstalledKind")},
                                                       {QStringLiteral("capi"), QStringLiteral("InstalledCAPI")}};
            for (const auto &[p, name] : steps)
                if (done.contains(p) && !have.contains(name))
                    c.appendVcdKe(rde::Cluster::Log::Event, name,
                                  p == QLatin1String("kind") ? QStringLiteral("the bootstrap VM runs a KinD cluster")
                                                             : QStringLiteral("Cluster API and CAPVCD are installed in the bootstrap cluster"),
                                  {}, {}, now);
        };
        if (st.applied)
            return advance(job, phase::kControlPlane, QStringLiteral("CapiYamlProcessed"),
                           QStringLiteral("Cluster API objects applied on the bootstrap cluster"), events);
        withBootstrapVm(job, [this, job, done, events](const std::optional<VmInfo> &vm) {
            if (!vm.has_value() || vm->state != QLatin1String("poweredOn")) // back one phase: make or start it
                return advance(job, phase::kBootstrapVm, QString(), QString());
            QStringList have;
            for (const rde::ClusterEvent &e : job->cluster.vcdKeLog(rde::Cluster::Log::Event))
                have << e.name;
            const bool news = (done.contains(QStringLiteral("kind")) && !have.contains(QStringLiteral("InstalledKind")))
                              || (done.contains(QStringLiteral("capi")) && !have.contains(QStringLiteral("InstalledCAPI")));
            if (news)
                return write(job, events, [this, job](StepOutcome) { finish(job, {StepOutcome::Wait}); });
            waitOrTimeout(job);
        });
    });
}

void Reconciler::waitForInfra(const JobPtr &job, bool controlPlaneOnly)
{
    withInfraState(job, QStringLiteral("reading the infrastructure"), [this, job, controlPlaneOnly](const InfraState &st) {
        const rde::Cluster &c = job->cluster;
        if (!st.failedStep.isEmpty()) {
            const QList<rde::ClusterEvent> errors = c.capvcdLog(rde::Cluster::Log::Error);
            const QString cause = !st.failureReason.isEmpty()
                                      ? QStringLiteral("the bootstrap VM failed in phase %1: %2").arg(st.failedStep, st.failureReason)
                                  : errors.isEmpty() ? QStringLiteral("the infrastructure gave up at step %1").arg(st.failedStep)
                                                     : quoteTenant(errors.last().name, 64) + QStringLiteral(": ")
                                                           + quoteTenant(errors.last().detail, 300);
            return failure(job, QStringLiteral("ClusterCreationError"), cause, hintFor(job->phase));
        }
        if (!st.exists)
            return failure(job, QStringLiteral("ClusterCreationError"),
                           QStringLiteral("the cluster's infrastructure is gone (deleted outside the server)"), hintFor(job->phase));
        const QJsonObject capvcd = c.subtree(rde::paths::kStatusCapvcd);
        if (controlPlaneOnly) {
            if (capvcd.value(QLatin1String("clusterApiStatus")).toObject().value(QLatin1String("phase")).toString()
                == QLatin1String("Ready"))
                return advance(job, phase::kWorkers, QStringLiteral("ControlPlaneReady"),
                               QStringLiteral("the control plane answers at its API endpoint"));
            return waitOrTimeout(job);
        }
        if (c.capvcdPhase() == QLatin1String("Provisioned") && c.desiredNodes() > 0 && c.availableNodes() >= c.desiredNodes())
            return advance(job, phase::kPivot, QStringLiteral("WorkersReady"),
                           QStringLiteral("%1 of %2 nodes are running").arg(c.availableNodes()).arg(c.desiredNodes()));
        waitOrTimeout(job);
    });
}

// The phases that wait on the bootstrap VM or on the cluster's nodes: a new
// event (ours or CAPVCD's) is progress. With none for phaseTimeoutSeconds the
// phase has failed like any other, so auto-repair may retry it instead of the
// cluster staying in provisioning for ever.
void Reconciler::waitOrTimeout(const JobPtr &job)
{
    const int limit = m_ha.phaseTimeoutSeconds;
    if (limit > 0) {
        QDateTime last;
        for (const QList<rde::ClusterEvent> &log : {job->cluster.vcdKeLog(rde::Cluster::Log::Event),
                                                    job->cluster.capvcdLog(rde::Cluster::Log::Event)})
            for (const rde::ClusterEvent &e : log)
                if (e.occurredAt.isValid() && (!last.isValid() || e.occurredAt > last))
                    last = e.occurredAt;
        if (last.isValid() && last.secsTo(m_clock->utcNow()) > limit)
            return failure(job, QStringLiteral("BootstrapTimeout"),
                           QStringLiteral("phase \"%1\" made no progress for more than %2 s (phaseTimeoutSeconds)").arg(job->phase).arg(limit),
                           hintFor(job->phase));
    }
    finish(job, {StepOutcome::Wait});
}

void Reconciler::requireInfra(const JobPtr &job, std::function<void()> then)
{
    withInfraState(job, QStringLiteral("reading the infrastructure"), [this, job, then](const InfraState &st) {
        if (!st.exists) // e.g. restored from a backup into a rebuilt site
            return failure(job, QStringLiteral("ClusterCreationError"),
                           QStringLiteral("the cluster's infrastructure is gone (deleted outside the server, or the cluster "
                                          "was restored into a site without it)"),
                           hintFor(job->phase));
        then();
    });
}

// The bootstrap VM runs clusterctl move once the cluster is ready; this
// phase waits for its move key.
void Reconciler::pivot(const JobPtr &job)
{
    withInfraState(job, QStringLiteral("reading the bootstrap VM"), [this, job](const InfraState &st) {
        if (!st.failedStep.isEmpty())
            return scriptFailed(job, st);
        if (st.pivoted)
            return advance(job, phase::kCleanupBootstrap, QStringLiteral("ClusterctlMoveCompleted"),
                           QStringLiteral("clusterctl move done: the cluster manages itself"));
        if (!st.exists || !st.applied) // no bootstrap VM that applied the capiYaml: nothing can move
            return failure(job, QStringLiteral("ClusterCreationError"),
                           QStringLiteral("the bootstrap VM is gone before clusterctl move (deleted outside the server, or "
                                          "the cluster was restored into a site without it)"),
                           hintFor(job->phase));
        waitOrTimeout(job);
    });
}

void Reconciler::cleanupBootstrap(const JobPtr &job)
{
    requireInfra(job, [this, job] { deleteBootstrapVm(job); });
}

void Reconciler::deleteBootstrapVm(const JobPtr &job)
{
    QPointer<Reconciler> self(this);
    withBootstrapVm(job, [this, self, job](const std::optional<VmInfo> &vm) {
        auto done = [this, job] {
            advance(job, phase::kProvisioned, QStringLiteral("BootstrapVmDeleted"), QStringLiteral("the bootstrap VM is gone"),
                    [](rde::Cluster &c) {
                        for (const QJsonValue &v : c.vcdResourceSet())
                            if (v.toObject().value(QLatin1String("type")).toString() == kBootstrapType)
                                c.removeVcdResource(v.toObject().value(QLatin1String("id")).toString());
                        // In the same write as "provisioned": nobody may see a provisioned
                        // cluster that auto-repair could still destroy.
                        markProvisioned(c);
                    });
        };
        if (!vm.has_value())
            return done();
        sideEffect(job, QStringLiteral("deleting the bootstrap VM"),
                   [this, cid = job->id, id = vm->id](Done<void> cb) { m_infra->deleteVm(cid, id, cb); }, done);
    });
}

void Reconciler::finishProvisioned(const JobPtr &job)
{
    auto resolve = [this, job] {
        QPointer<Reconciler> self(this);
        m_client->resolveEntity(job->id, [this, self, job](Result<rde::DefinedEntity> r) {
            if (!self)
                return;
            if (!r)
                return finish(job, {StepOutcome::Wait});
            if (r->state != QLatin1String("RESOLVED"))
                qCWarning(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "did not resolve:" << quoteTenant(r->message, 300);
            qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "provisioned, epoch" << job->epoch;
            finish(job, {StepOutcome::Finished});
        });
    };
    const rde::Cluster &c = job->cluster;
    if (c.state() == rde::clusterstate::kProvisioned && !c.autoRepairOnErrors())
        return resolve();
    write(job, [](rde::Cluster &cl) { markProvisioned(cl); }, [resolve](StepOutcome) { resolve(); });
}

void Reconciler::repair(const JobPtr &job)
{
    if (m_fenced())
        return finish(job, {StepOutcome::Wait});
    QPointer<Reconciler> self(this);
    m_infra->deleteEverything(job->id, [this, self, job](Result<void> r) {
        if (!self)
            return;
        if (!r) {
            const Error &e = r.error();
            // Only a passing fault waits; anything else (the owner's token refused:
            // Unauthorized, Forbidden, Invalid such as invalid_grant, NotFound)
            // would fail the same way for ever, so it costs an attempt, and the
            // last attempt ends the cluster in error with the reason.
            if (transient(e) || e.is(ErrorKind::ServerError) || e.is(ErrorKind::Conflict)) {
                qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name())
                                           << "cannot remove the failed attempt yet:" << quoteTenant(e.toString(), 300);
                return finish(job, {StepOutcome::Wait});
            }
            return failure(job, QStringLiteral("AutoRepairError"),
                           QStringLiteral("cannot remove the failed attempt: %1").arg(quoteTenant(e.message, 300)),
                           e.is(ErrorKind::Unauthorized) || e.is(ErrorKind::Invalid) || e.is(ErrorKind::Forbidden)
                               ? QStringLiteral("the owner's API token (spec.vcdKe.secure.apiToken) is refused: give the "
                                                "cluster a valid token of a user of its org, then retry")
                               : QStringLiteral("remove the cluster's vApps by hand, then retry"));
        }
        advance(job, phase::kValidate, QStringLiteral("AutoRepairCleanedUp"),
                QStringLiteral("the failed attempt's VMs are deleted; creating again (attempt %1)").arg(job->cluster.repairAttempts() + 1),
                [](rde::Cluster &c) { c.setValue(rde::paths::kStatusVcdKe + QStringList{QStringLiteral("vcdResourceSet")}, QJsonArray()); });
    });
}

// ---- deletion ----

void Reconciler::remove(const JobPtr &job)
{
    const rde::Cluster &c = job->cluster;
    if (c.state() != rde::clusterstate::kDeleting) {
        const bool force = c.forceDelete();
        return write(job, [force](rde::Cluster &cl) {
            cl.setState(rde::clusterstate::kDeleting);
            cl.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("ClusterDeleting"),
                           force ? QStringLiteral("force delete: removing every VM of the cluster, half-made ones included")
                                 : QStringLiteral("removing the cluster's VMs, then the entity"));
        }, [this, job](StepOutcome o) {
            qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "deleting, epoch" << job->epoch;
            finish(job, o);
        });
    }
    if (m_fenced())
        return finish(job, {StepOutcome::Wait});
    QPointer<Reconciler> self(this);
    m_infra->deleteEverything(job->id, [this, self, job](Result<void> r) {
        if (!self)
            return;
        if (!r) {
            // Conflict: vApps still appearing; even a force delete waits for them to be gone.
            if (transient(r.error()) || r.error().is(ErrorKind::Conflict) || !job->cluster.forceDelete()) {
                qCWarning(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "VMs not removed yet:" << quoteTenant(r.error().toString(), 300);
                const QList<rde::ClusterEvent> errors = job->cluster.vcdKeLog(rde::Cluster::Log::Error);
                const bool alreadySaid = !errors.isEmpty() && errors.last().name == QLatin1String("ClusterDeleteError");
                if (!transient(r.error()) && !alreadySaid)
                    return write(job, [e = r.error()](rde::Cluster &cl) {
                        cl.appendVcdKe(rde::Cluster::Log::Error, QStringLiteral("ClusterDeleteError"),
                                       QStringLiteral("removing the VMs failed: %1. What to do: it is retried; set "
                                                      "spec.vcdKe.forceDelete to remove the entity regardless").arg(e.message));
                    }, [this, job](StepOutcome) { finish(job, {StepOutcome::Wait}); });
                return finish(job, {StepOutcome::Wait});
            }
            qCWarning(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "force delete goes on despite:" << quoteTenant(r.error().toString(), 300);
        }
        deleteEntity(job);
    });
}

void Reconciler::deleteEntity(const JobPtr &job)
{
    QPointer<Reconciler> self(this);
    auto del = [this, self, job](const QString &etag) {
        m_client->deleteEntity(job->id, etag, [this, self, job](Result<void> r) {
            if (!self)
                return;
            if (r || r.error().is(ErrorKind::Forbidden) || r.error().is(ErrorKind::NotFound)) {
                qCInfo(lcServer).noquote() << "cluster" << quoteTenant(job->cluster.name()) << "deleted, epoch" << job->epoch;
                return finish(job, {StepOutcome::Finished});
            }
            finish(job, {r.error().is(ErrorKind::Conflict) ? StepOutcome::Again : StepOutcome::Wait});
        });
    };
    if (job->entity.state != QLatin1String("PRE_CREATED"))
        return del(job->entity.etag);
    // VCD deletes only resolved entities. Resolve, then re-read (fenced) for the ETag.
    m_client->resolveEntity(job->id, [this, self, job, del](Result<rde::DefinedEntity>) {
        if (!self)
            return;
        m_client->getEntity(job->id, [this, self, job, del](Result<rde::DefinedEntity> fresh) {
            if (!self)
                return;
            if (!fresh)
                return finish(job, {StepOutcome::Wait});
            const rde::Cluster c(fresh->entity);
            if (c.ownerInstanceId() != m_me.instanceId || c.ownerEpoch() != job->epoch)
                return finish(job, {StepOutcome::Lost});
            if (m_fenced())
                return finish(job, {StepOutcome::Wait});
            del(fresh->etag);
        });
    });
}

} // namespace cse::server
