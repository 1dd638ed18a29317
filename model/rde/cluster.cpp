#include "cluster.h"

#include <QJsonDocument>

namespace cse::rde {

namespace {
struct PhaseEntry
{
    Phase phase;
    const char *name;
};
constexpr PhaseEntry kPhases[] = {
    {Phase::Validate, "validate"},       {Phase::BootstrapVm, "bootstrapVm"},
    {Phase::ApplyCapiYaml, "applyCapiYaml"}, {Phase::ControlPlane, "controlPlane"},
    {Phase::Workers, "workers"},         {Phase::Pivot, "pivot"},
    {Phase::CleanupBootstrap, "cleanupBootstrap"}, {Phase::Provisioned, "provisioned"},
    {Phase::Repair, "repair"},           {Phase::Delete, "delete"},
};

QStringList vcdKe(const char *key)
{
    return paths::kStatusVcdKe + QStringList{QString::fromLatin1(key)};
}
QStringList specVcdKe(const char *key)
{
    return paths::kSpecVcdKe + QStringList{QString::fromLatin1(key)};
}
QStringList capvcd(const char *key)
{
    return paths::kStatusCapvcd + QStringList{QString::fromLatin1(key)};
}
QString logKey(Cluster::Log kind)
{
    return kind == Cluster::Log::Event ? QStringLiteral("eventSet") : QStringLiteral("errorSet");
}

QList<ClusterEvent> readLog(const QJsonArray &list, const QString &detailKey)
{
    QList<ClusterEvent> out;
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        const QJsonObject details = o.value(QLatin1String("additionalDetails")).toObject();
        // CSE uses "Detailed Event"/"Detailed Error"; CAPVCD "event"/"error".
        QString detail = details.value(detailKey).toString();
        if (detail.isEmpty() && !details.isEmpty())
            detail = details.begin().value().toString();
        out.append({o.value(QLatin1String("name")).toString(), detail,
                    o.value(QLatin1String("vcdResourceId")).toString(),
                    o.value(QLatin1String("vcdResourceName")).toString(),
                    QDateTime::fromString(o.value(QLatin1String("occurredAt")).toString(), Qt::ISODateWithMs)});
    }
    return out;
}
} // namespace

Phase phaseFromString(const QString &text)
{
    if (text.isEmpty())
        return Phase::None;
    for (const PhaseEntry &e : kPhases)
        if (text == QLatin1String(e.name))
            return e.phase;
    return Phase::Unknown;
}

QString phaseName(Phase p)
{
    for (const PhaseEntry &e : kPhases)
        if (e.phase == p)
            return QString::fromLatin1(e.name);
    return p == Phase::None ? QString() : QStringLiteral("unknown");
}

QString checkClusterEntitySize(const QJsonObject &entity)
{
    const qsizetype bytes = QJsonDocument(entity).toJson(QJsonDocument::Compact).size();
    if (bytes <= kMaxClusterEntityBytes)
        return QString();
    return QStringLiteral("the cluster entity is %1 bytes, over the cap of %2 bytes (4 MiB)").arg(bytes).arg(kMaxClusterEntityBytes);
}

QString validateClusterName(const QString &name)
{
    constexpr int kMax = 63;
    if (name.isEmpty())
        return QStringLiteral("the cluster name is empty");
    if (name.size() > kMax)
        return QStringLiteral("the cluster name has %1 characters; at most %2 are allowed").arg(name.size()).arg(kMax);
    auto alnum = [](QChar c) { return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9')); };
    for (const QChar c : name)
        if (!alnum(c) && c != QLatin1Char('-'))
            return QStringLiteral("the cluster name may contain only lower-case letters a-z, digits and '-'%1")
                .arg(c.isUpper() ? QStringLiteral(" (no upper-case letters)")
                     : c.isSpace() ? QStringLiteral(" (no spaces)")
                                   : QString());
    if (!alnum(name.front()) || !alnum(name.back()))
        return QStringLiteral("the cluster name must start and end with a letter or a digit");
    return {};
}

State stateFromString(const QString &text)
{
    if (text.isEmpty())
        return State::None;
    if (text == clusterstate::kProvisioning)
        return State::Provisioning;
    if (text == clusterstate::kProvisioned)
        return State::Provisioned;
    if (text == clusterstate::kError)
        return State::Error;
    if (text == clusterstate::kDeleting)
        return State::Deleting;
    return State::Unknown;
}

Cluster Cluster::create(const QString &name, const QString &org, const QString &vdc, const QString &site,
                        const QString &capiYaml, const QString &apiToken, bool autoRepair)
{
    QJsonObject vcdKeSpec{{QStringLiteral("isVCDKECluster"), true},
                          {QStringLiteral("markForDelete"), false},
                          {QStringLiteral("forceDelete"), false},
                          {QStringLiteral("autoRepairOnErrors"), autoRepair}};
    if (!apiToken.isEmpty())
        vcdKeSpec.insert(QStringLiteral("secure"), QJsonObject{{QStringLiteral("apiToken"), apiToken}});
    return Cluster(QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("capvcd.vmware.com/v1.1")},
        {QStringLiteral("kind"), QStringLiteral("CAPVCDCluster")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name},
                                                 {QStringLiteral("orgName"), org},
                                                 {QStringLiteral("virtualDataCenterName"), vdc},
                                                 {QStringLiteral("site"), site}}},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("capiYaml"), capiYaml},
                                             {QStringLiteral("vcdKe"), vcdKeSpec}}},
    });
}

bool Cluster::isVcdKeCluster() const { return flag(specVcdKe("isVCDKECluster"), false); }
bool Cluster::markForDelete() const { return flag(specVcdKe("markForDelete"), false); }
bool Cluster::forceDelete() const { return flag(specVcdKe("forceDelete"), false); }
bool Cluster::autoRepairOnErrors() const { return flag(specVcdKe("autoRepairOnErrors"), true); }

void Cluster::setMarkForDelete(bool on, bool force)
{
    setValue(specVcdKe("markForDelete"), on);
    setValue(specVcdKe("forceDelete"), on && force);
}

void Cluster::setAutoRepairOnErrors(bool on) { setValue(specVcdKe("autoRepairOnErrors"), on); }

QString Cluster::apiToken() const
{
    return str(paths::kSpecVcdKe + QStringList{QStringLiteral("secure"), QStringLiteral("apiToken")});
}

QString Cluster::state() const { return str(vcdKe("state")); }
void Cluster::setState(const QString &state) { setValue(vcdKe("state"), state); }
QString Cluster::phase() const { return str(vcdKe("phase")); }
void Cluster::setPhase(const QString &phase) { setValue(vcdKe("phase"), phase); }
QString Cluster::ownerInstanceId() const { return str(vcdKe("vcdKeInstanceId")); }
QString Cluster::workerId() const { return str(vcdKe("workerId")); }
qint64 Cluster::ownerEpoch() const
{
    bool present = false;
    const std::optional<qint64> e = exactInteger(vcdKe("ownerEpoch"), 0, kMaxEpoch, &present);
    return e ? *e : present ? -1 : 0;
}

bool Cluster::ownerEpochForged() const { return ownerEpoch() < 0; }

qint64 Cluster::nextEpoch(qint64 highestSeen) const
{
    const qint64 base = qMax<qint64>(qMax<qint64>(ownerEpoch(), 0), qBound<qint64>(0, highestSeen, kMaxEpoch));
    return base >= kMaxEpoch ? kMaxEpoch : base + 1;
}

void Cluster::claim(const QString &instanceId, const QString &worker, const QDateTime &now, qint64 highestSeen)
{
    QJsonObject s = subtree(paths::kStatusVcdKe);
    s.insert(QStringLiteral("vcdKeInstanceId"), instanceId);
    s.insert(QStringLiteral("workerId"), worker);
    s.insert(QStringLiteral("ownerEpoch"), nextEpoch(highestSeen));
    s.insert(QStringLiteral("heartbeatString"), QStringLiteral("%1/%2").arg(instanceId, worker));
    s.insert(QStringLiteral("heartbeatTimestamp"), now.toUTC().toString(Qt::ISODateWithMs));
    setSubtree(paths::kStatusVcdKe, s);
}

void Cluster::releaseOwner()
{
    QJsonObject s = subtree(paths::kStatusVcdKe);
    s.insert(QStringLiteral("vcdKeInstanceId"), QString());
    s.insert(QStringLiteral("workerId"), QString());
    s.insert(QStringLiteral("ownerEpoch"), nextEpoch());
    setSubtree(paths::kStatusVcdKe, s);
}

int Cluster::repairAttempts() const
{
    bool present = false;
    const std::optional<qint64> n = exactInteger(vcdKe("repairAttempts"), 0, kForgedRepairAttempts, &present);
    return n ? int(*n) : present ? kForgedRepairAttempts : 0;
}
void Cluster::setRepairAttempts(int n) { setValue(vcdKe("repairAttempts"), n); }
QJsonArray Cluster::vcdResourceSet() const { return value(vcdKe("vcdResourceSet")).toArray(); }

void Cluster::addVcdResource(const QString &id, const QString &name, const QString &type)
{
    QJsonArray set = vcdResourceSet();
    for (const QJsonValue &v : std::as_const(set))
        if (v.toObject().value(QLatin1String("id")).toString() == id)
            return;
    set.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("name"), name}, {QStringLiteral("type"), type}});
    setValue(vcdKe("vcdResourceSet"), set);
}

void Cluster::removeVcdResource(const QString &id)
{
    QJsonArray kept;
    for (const QJsonValue &v : vcdResourceSet())
        if (v.toObject().value(QLatin1String("id")).toString() != id)
            kept.append(v);
    setValue(vcdKe("vcdResourceSet"), kept);
}

void Cluster::appendVcdKe(Log kind, const QString &name, const QString &detail, const QString &resourceId,
                          const QString &resourceName, const QDateTime &at)
{
    const QString key = logKey(kind);
    const QString detailKey = kind == Log::Event ? QStringLiteral("Detailed Event") : QStringLiteral("Detailed Error");
    const QJsonObject entry{{QStringLiteral("name"), name},
                            {QStringLiteral("occurredAt"), at.toUTC().toString(Qt::ISODateWithMs)},
                            {QStringLiteral("vcdResourceId"), resourceId},
                            {QStringLiteral("vcdResourceName"), resourceName},
                            {QStringLiteral("additionalDetails"), QJsonObject{{detailKey, detail}}}};
    const QStringList path = paths::kStatusVcdKe + QStringList{key};
    setValue(path, appendRolling(value(path).toArray(), entry, kEventWindow));
}

QList<ClusterEvent> Cluster::vcdKeLog(Log kind) const
{
    return readLog(value(paths::kStatusVcdKe + QStringList{logKey(kind)}).toArray(),
                   kind == Log::Event ? QStringLiteral("Detailed Event") : QStringLiteral("Detailed Error"));
}

QString Cluster::capvcdPhase() const { return str(capvcd("phase")); }

QString Cluster::kubernetesVersion() const
{
    const QString v = str(capvcd("kubernetes"));
    if (!v.isEmpty())
        return v;
    return str(paths::kStatusCapvcd + QStringList{QStringLiteral("upgrade"), QStringLiteral("current"),
                                                  QStringLiteral("kubernetesVersion")});
}

QList<NodePool> Cluster::nodePools() const
{
    QList<NodePool> out;
    for (const QJsonValue &v : value(capvcd("nodePool")).toArray()) {
        const QJsonObject o = v.toObject();
        NodePool p;
        p.name = o.value(QLatin1String("name")).toString();
        p.sizingPolicy = o.value(QLatin1String("sizingPolicy")).toString();
        p.storageProfile = o.value(QLatin1String("storageProfile")).toString();
        p.diskSizeMb = qint64(o.value(QLatin1String("diskSizeMb")).toDouble());
        p.desiredReplicas = o.value(QLatin1String("desiredReplicas")).toInt();
        p.availableReplicas = o.value(QLatin1String("availableReplicas")).toInt();
        out.append(p);
    }
    return out;
}

int Cluster::desiredNodes() const
{
    int n = 0;
    for (const NodePool &p : nodePools())
        n += p.desiredReplicas;
    return n;
}

int Cluster::availableNodes() const
{
    int n = 0;
    for (const NodePool &p : nodePools())
        n += p.availableReplicas;
    return n;
}

QList<ClusterEvent> Cluster::capvcdLog(Log kind) const
{
    return readLog(value(paths::kStatusCapvcd + QStringList{logKey(kind)}).toArray(),
                   kind == Log::Event ? QStringLiteral("event") : QStringLiteral("error"));
}

QString Cluster::lastError() const
{
    const QList<ClusterEvent> a = vcdKeLog(Log::Error);
    const QList<ClusterEvent> b = capvcdLog(Log::Error);
    const ClusterEvent *newest = nullptr;
    for (const QList<ClusterEvent> *l : {&a, &b})
        if (!l->isEmpty() && (!newest || l->last().occurredAt > newest->occurredAt))
            newest = &l->last();
    if (!newest)
        return {};
    return newest->detail.isEmpty() ? newest->name : newest->name + QStringLiteral(": ") + newest->detail;
}

} // namespace cse::rde
