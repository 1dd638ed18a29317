#include "doctor.h"

#include "core/logging.h"
#include "rde/cluster.h"
#include "rde/definedentity.h"
#include "rde/schemavalidator.h"
#include "rde/serverinstance.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"
#include "site/replicatracker.h"
#include "vcd/client.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QSet>
#include <QTimer>

namespace cse::server {

namespace {

const QString kInstall = QStringLiteral("cse-server install --vcd URL --org System ... (registers what is missing; idempotent)");

void checkTypes(vcd::Client &client, QList<Finding> &out)
{
    for (const rde::TypeInfo &t : rde::knownTypes()) {
        auto r = vcd::await<vcd::Reply>([&](auto done) {
            client.send(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/entityTypes/") + t.ref.id()), done);
        });
        if (r)
            continue;
        if (r.error().is(ErrorKind::NotFound) || r.error().is(ErrorKind::Forbidden))
            out.append({QStringLiteral("rde.type-missing"), severity::kError,
                        QStringLiteral("Entity type %1 is not registered").arg(t.ref.id()),
                        QStringLiteral("The server reads and writes %1 entities of this type; without it they cannot "
                                       "be listed, created or repaired.").arg(t.name),
                        kInstall});
        else
            out.append({QStringLiteral("rde.type-unreadable"), severity::kWarning,
                        QStringLiteral("Entity type %1 could not be read").arg(t.ref.id()), r.error().toString(),
                        QStringLiteral("Check that the account is a provider administrator and run the doctor again.")});
    }
}

// The configuration entity; its HA settings for the other checks.
rde::HaSettings checkConfig(vcd::Client &client, QList<Finding> &out)
{
    auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
        client.listEntities(vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kConfigNss, QStringLiteral("1")), done);
    });
    if (!list) {
        out.append({QStringLiteral("config.unreadable"), severity::kWarning, QStringLiteral("The VCDKEConfig entity could not be listed"),
                    list.error().toString(), kInstall});
        return {};
    }
    if (list->isEmpty()) {
        out.append({QStringLiteral("config.missing"), severity::kError, QStringLiteral("No VCDKEConfig entity"),
                    QStringLiteral("The servers read their settings (HA timings, auto-repair, machine health checks) from the "
                                   "vcdKeConfig entity; without it clusters get no server settings."),
                    kInstall});
        return {};
    }
    if (list->size() > 1)
        out.append({QStringLiteral("config.duplicate"), severity::kWarning,
                    QStringLiteral("%1 VCDKEConfig entities").arg(list->size()),
                    QStringLiteral("The servers use the first one they list; the others are ignored and confuse operators."),
                    QStringLiteral("Delete all but one vcdKeConfig entity (keep the one named %1).").arg(rde::types::kConfigEntityName)});
    const rde::DefinedEntity &e = list->first();
    if (auto schema = rde::bundledSchema(e.entityType); schema) {
        const auto errors = rde::SchemaValidator(*schema).validate(e.entity);
        if (!errors.isEmpty()) {
            QStringList lines;
            for (const rde::SchemaError &err : errors)
                lines << err.toString();
            out.append({QStringLiteral("config.invalid"), severity::kError,
                        QStringLiteral("The VCDKEConfig entity does not match its schema %1").arg(e.entityType), lines.join(QLatin1String("; ")),
                        QStringLiteral("Correct the fields named (Cloud Director API explorer, PUT /cloudapi/1.0.0/entities/%1).").arg(e.id)});
        }
    }
    const rde::HaSettings ha = rde::VcdKeConfig(e.entity).ha();
    if (ha.leaseSeconds <= 2 * ha.renewSeconds)
        out.append({QStringLiteral("config.ha-lease"), severity::kError,
                    QStringLiteral("Lease %1 s is not more than twice the renewal interval %2 s").arg(ha.leaseSeconds).arg(ha.renewSeconds),
                    QStringLiteral("A replica that misses a single renewal is declared dead and its clusters are taken over while "
                                   "it still works on them."),
                    QStringLiteral("Set profiles[0].serverConfig leaseSeconds to at least %1 (3 x renewSeconds), or lower renewSeconds.")
                        .arg(3 * ha.renewSeconds)});
    if (ha.pollSeconds <= 0 || ha.pollSeconds > ha.leaseSeconds)
        out.append({QStringLiteral("config.ha-poll"), severity::kWarning,
                    QStringLiteral("Poll interval %1 s is outside 1..leaseSeconds (%2 s)").arg(ha.pollSeconds).arg(ha.leaseSeconds),
                    QStringLiteral("New clusters and takeovers are noticed only every pollSeconds."),
                    QStringLiteral("Set profiles[0].serverConfig pollSeconds between 1 and %1.").arg(ha.leaseSeconds)});
    if (ha.phaseTimeoutSeconds > 0 && ha.phaseTimeoutSeconds < 300)
        out.append({QStringLiteral("config.phase-timeout"), severity::kWarning,
                    QStringLiteral("phaseTimeoutSeconds %1 is shorter than a bootstrap VM needs").arg(ha.phaseTimeoutSeconds),
                    QStringLiteral("Creating a cluster waits minutes on the bootstrap VM; a shorter timeout fails healthy creations."),
                    QStringLiteral("Set profiles[0].serverConfig phaseTimeoutSeconds to 1800 (the default) or at least 300.")});
    return ha;
}

void checkReplicas(vcd::Client &client, const rde::HaSettings &ha, const DoctorOptions &o, QList<Finding> &out)
{
    auto listInstances = [&] {
        return vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
            client.listEntities(vcd::ListQuery::ofType(rde::types::kServerVendor, rde::types::kServerNss, QStringLiteral("1")), done);
        });
    };
    auto first = listInstances();
    if (!first) {
        out.append({QStringLiteral("replicas.unreadable"), severity::kWarning, QStringLiteral("The server replicas could not be listed"),
                    first.error().toString(), kInstall});
        return;
    }
    // Liveness on our own clock: sample until every running replica's
    // heartbeat moved, or one lease passed.
    site::ReplicaTracker tracker(ha.leaseSeconds);
    const qint64 start = o.clock->monotonicMs();
    QList<site::ReplicaStatus> status = tracker.observe(*first, start);
    QSet<QString> moved;
    QHash<QString, qint64> beats;
    for (const rde::DefinedEntity &e : *first)
        beats.insert(e.id, rde::ServerInstance(e.entity).heartbeat());
    auto running = [](const rde::DefinedEntity &e) { return rde::ServerInstance(e.entity).state() == rde::replicastate::kRunning; };
    int toWatch = int(std::count_if(first->cbegin(), first->cend(), running));
    while (moved.size() < toWatch && o.clock->monotonicMs() - start <= qint64(ha.leaseSeconds) * 1000 + o.samplePollMs) {
        QEventLoop loop;
        QTimer::singleShot(o.samplePollMs, &loop, &QEventLoop::quit);
        loop.exec();
        auto again = listInstances();
        if (!again)
            break;
        status = tracker.observe(*again, o.clock->monotonicMs());
        for (const rde::DefinedEntity &e : *again)
            if (running(e) && beats.contains(e.id) && rde::ServerInstance(e.entity).heartbeat() != beats.value(e.id))
                moved.insert(e.id);
        toWatch = int(std::count_if(again->cbegin(), again->cend(), running));
    }
    status = tracker.evaluate(o.clock->monotonicMs());
    QHash<QString, int> names;
    for (const site::ReplicaStatus &r : std::as_const(status)) {
        if (r.isAlive())
            ++names[r.name];
        if (r.health == site::ReplicaStatus::Health::Fenced)
            out.append({QStringLiteral("replicas.fenced"), severity::kWarning, QStringLiteral("Replica %1 is fenced").arg(r.name),
                        QStringLiteral("It could not renew its lease and stopped writing until a renewal succeeds; its clusters "
                                       "wait or are taken over. Last error: %1").arg(r.lastError.isEmpty() ? QStringLiteral("none") : r.lastError),
                        QStringLiteral("Check the replica's connection to Cloud Director (journalctl -u cse-server on its host).")});
        if (r.health == site::ReplicaStatus::Health::Lost && r.state == rde::replicastate::kRunning)
            out.append({QStringLiteral("replicas.lost"), severity::kWarning,
                        QStringLiteral("Replica %1 says it is running but its heartbeat stopped").arg(r.name),
                        QStringLiteral("Its heartbeat did not change for a whole lease (%1 s); the others take its clusters over.")
                            .arg(ha.leaseSeconds),
                        QStringLiteral("Start it again (systemctl restart cse-server on %1) or, if it is gone for good, delete its "
                                       "serverInstance entity.").arg(r.host.isEmpty() ? QStringLiteral("its host") : r.host)});
    }
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        if (it.value() > 1)
            out.append({QStringLiteral("replicas.duplicate-name"), severity::kError,
                        QStringLiteral("%1 live replicas are named %2").arg(it.value()).arg(it.key()),
                        QStringLiteral("A replica's identity is derived from its name: two processes with one name fence each "
                                       "other and fight over the same clusters."),
                        QStringLiteral("Give every replica its own --name (name = in /etc/cse-server/cse-server.conf) and restart them.")});
    const site::Tolerance t = site::ReplicaTracker::tolerance(status);
    if (t.live == 0)
        out.append({QStringLiteral("replicas.none"), severity::kWarning, QStringLiteral("No server replica is running"),
                    QStringLiteral("Nothing builds, repairs or deletes clusters until a replica runs."),
                    QStringLiteral("Start cse-server (systemctl enable --now cse-server) on at least two server VMs.")});
    else if (t.singlePointOfFailure())
        out.append({QStringLiteral("replicas.single"), severity::kInfo, QStringLiteral("One replica runs: no failure is tolerated"),
                    QStringLiteral("If it stops, clusters wait until it is back."),
                    QStringLiteral("Run a second replica with its own --name on another server VM.")});
}

QDateTime lastProgress(const rde::Cluster &c)
{
    QDateTime last;
    for (const auto &log : {c.vcdKeLog(rde::Cluster::Log::Event), c.capvcdLog(rde::Cluster::Log::Event)})
        for (const rde::ClusterEvent &ev : log)
            if (ev.occurredAt.isValid() && (!last.isValid() || ev.occurredAt > last))
                last = ev.occurredAt;
    return last;
}

// Every org's clusters: a provider lists its own org without a tenant
// context and each other org with one, as the replica polls them.
Result<QList<rde::DefinedEntity>> listAllClusters(vcd::Client &client, const QString &ownOrg)
{
    auto orgs = vcd::await<QList<QJsonObject>>([&](auto done) {
        client.listValues(vcd::RequestSpec::get(QStringLiteral("/cloudapi/1.0.0/orgs")), done);
    });
    if (!orgs)
        return orgs.error();
    QStringList contexts{QString()};
    for (const QJsonObject &o : std::as_const(*orgs))
        if (o.value(QLatin1String("name")).toString().compare(ownOrg, Qt::CaseInsensitive) != 0)
            contexts << o.value(QLatin1String("id")).toString();
    QList<rde::DefinedEntity> all;
    QSet<QString> seen;
    for (const QString &context : std::as_const(contexts)) {
        vcd::ListQuery q = vcd::ListQuery::ofType(rde::types::kVmware, rde::types::kClusterNss, QStringLiteral("1"));
        q.tenantContext = context;
        auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) { client.listEntities(q, done); });
        if (!list)
            return list.error();
        for (const rde::DefinedEntity &e : *list)
            if (!seen.contains(e.id)) {
                seen.insert(e.id);
                all.append(e);
            }
    }
    return all;
}

// Whether TOKEN is an API token of a System-org user: the provider's token
// exchange accepts it (issue 19.1: a System token in a tenant's cluster hands
// the org's admins the provider's rights through getFullEntity).
bool isSystemToken(const vcd::Client &client, const QString &token)
{
    vcd::ConnectionOptions o = client.options();
    o.org = QStringLiteral("System");
    o.user.clear();
    o.password.clear();
    o.tenantContext.clear();
    o.tenantContextName.clear();
    o.apiToken = token;
    o.maxRetries = 0;
    vcd::Client probe(o);
    return bool(vcd::await<void>([&](auto done) { probe.connectToSite(done); }));
}

// Clusters of a tenant org whose owner token belongs to a System user. Costs
// one getFullEntity and one token exchange per tenant cluster.
void checkOwnerTokens(vcd::Client &client, const QList<rde::DefinedEntity> &clusters, QList<Finding> &out)
{
    for (const rde::DefinedEntity &e : clusters) {
        if (e.org.name.compare(QLatin1String("System"), Qt::CaseInsensitive) == 0)
            continue;
        auto full = vcd::await<rde::DefinedEntity>([&](auto done) { client.getFullEntity(e.id, done); });
        if (!full)
            continue;
        const rde::Cluster c(full->entity);
        if (!c.hasApiToken() || !isSystemToken(client, c.apiToken()))
            continue;
        qCWarning(lcServer).noquote() << "cluster" << quoteTenant(c.name()) << "of org" << quoteTenant(e.org.name)
                                      << "holds an API token of a System-org user: its org's administrators can read it";
        out.append({QStringLiteral("cluster.system-token"), severity::kError,
                    QStringLiteral("Cluster %1 (org %2) holds a System user's API token").arg(quoteTenant(c.name()), quoteTenant(e.org.name)),
                    QStringLiteral("spec.vcdKe.secure.apiToken is a token of a System-org user. The org's cluster authors can read it "
                                   "through getFullEntity and act as that provider user; the server refuses to build with it."),
                    QStringLiteral("Revoke that token in VCD (User preferences > API tokens), then give the cluster a token of a user of "
                                   "org %1 (edit spec.vcdKe.secure.apiToken, or Retry in the console).").arg(quoteTenant(e.org.name))});
    }
}

void checkClusters(vcd::Client &client, const QString &ownOrg, const rde::HaSettings &ha, const DoctorOptions &o, QList<Finding> &out)
{
    auto list = listAllClusters(client, ownOrg);
    if (!list) {
        out.append({QStringLiteral("clusters.unreadable"), severity::kWarning, QStringLiteral("The clusters could not be listed"),
                    list.error().toString(), QStringLiteral("Check that the account is a provider administrator (--org System).")});
        return;
    }
    checkOwnerTokens(client, *list, out);
    const QDateTime now = o.clock->utcNow();
    for (const rde::DefinedEntity &e : *list) {
        const rde::Cluster c(e.entity);
        const QString who = QStringLiteral("%1 (org %2)").arg(c.name(), c.orgName());
        const QString state = c.state();
        const QDateTime last = lastProgress(c);
        const qint64 idle = last.isValid() ? last.secsTo(now) : -1;
        if (state == rde::clusterstate::kError && c.autoRepairOnErrors() && c.repairAttempts() >= ha.autoRepairMaxAttempts) {
            out.append({QStringLiteral("cluster.repair-exhausted"), severity::kWarning,
                        QStringLiteral("Cluster %1 is in error and auto-repair gave up").arg(who),
                        QStringLiteral("%1 repair attempts of %2 are used. Last error: %3")
                            .arg(c.repairAttempts()).arg(ha.autoRepairMaxAttempts).arg(c.lastError()),
                        QStringLiteral("Fix the cause named in the error, then let the tenant retry (or delete) the cluster.")});
            continue;
        }
        if (c.markForDelete() && ha.phaseTimeoutSeconds > 0 && idle > ha.phaseTimeoutSeconds) {
            out.append({QStringLiteral("cluster.delete-stuck"), severity::kWarning,
                        QStringLiteral("Cluster %1 is marked for delete but makes no progress").arg(who),
                        QStringLiteral("No event for %1 s (phaseTimeoutSeconds %2).").arg(idle).arg(ha.phaseTimeoutSeconds),
                        QStringLiteral("Check that a replica runs; if the cluster's VMs are gone already, set spec.vcdKe.forceDelete.")});
            continue;
        }
        const bool building = state != rde::clusterstate::kProvisioned && state != rde::clusterstate::kError && !state.isEmpty();
        if (building && ha.phaseTimeoutSeconds > 0 && idle > ha.phaseTimeoutSeconds)
            out.append({QStringLiteral("cluster.phase-stuck"), severity::kWarning,
                        QStringLiteral("Cluster %1 is stuck in phase %2").arg(who, c.phase()),
                        QStringLiteral("No event for %1 s, longer than phaseTimeoutSeconds (%2).").arg(idle).arg(ha.phaseTimeoutSeconds),
                        QStringLiteral("Check that a replica runs and read its log (journalctl -u cse-server) for the cluster.")});
    }
}

} // namespace

QJsonObject Finding::toJson() const
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("severity"), severity}, {QStringLiteral("title"), title},
            {QStringLiteral("detail"), detail}, {QStringLiteral("fix"), fix}};
}

int DoctorReport::exitCode() const
{
    int code = 0;
    for (const Finding &f : findings)
        code = qMax(code, f.severity == severity::kError ? 2 : f.severity == severity::kWarning ? 1 : 0);
    return code;
}

QJsonObject DoctorReport::toJson() const
{
    QJsonArray list;
    for (const Finding &f : findings)
        list.append(f.toJson());
    return {{QStringLiteral("findings"), list}};
}

QString DoctorReport::toText() const
{
    if (findings.isEmpty())
        return QStringLiteral("healthy: no findings\n");
    QString out;
    for (const Finding &f : findings)
        out += QStringLiteral("%1 [%2] %3\n  %4\n  fix: %5\n").arg(f.severity.toUpper(), f.id, f.title, f.detail, f.fix);
    return out;
}

Finding connectionFinding(const QUrl &url, const Error &e)
{
    const QString fix = e.is(ErrorKind::Unauthorized)
                            ? QStringLiteral("Check --org, --user and the password or API token file.")
                            : QStringLiteral("Check --vcd and that this host reaches it; for a certificate that is not trusted, "
                                             "pin it (cse-server fingerprint --vcd %1, compare, then --fingerprint) or name its CA "
                                             "with --ca.").arg(url.toString());
    return {QStringLiteral("vcd.unreachable"), severity::kError, QStringLiteral("Cannot log in to %1").arg(url.toString()),
            e.toString(), fix};
}

DoctorReport diagnose(vcd::Client &client, const QString &ownOrg, const DoctorOptions &options)
{
    DoctorReport report;
    checkTypes(client, report.findings);
    const rde::HaSettings ha = checkConfig(client, report.findings);
    checkReplicas(client, ha, options, report.findings);
    checkClusters(client, ownOrg, ha, options, report.findings);
    return report;
}

} // namespace cse::server
