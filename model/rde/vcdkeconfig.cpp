#include "vcdkeconfig.h"

namespace cse::rde {

QStringList VcdKeConfig::profile(const QStringList &rest) const
{
    return QStringList{QStringLiteral("profiles"), QStringLiteral("0")} + rest;
}

VcdKeConfig VcdKeConfig::defaults42()
{
    auto nv = [](const char *n, const char *v) {
        return QJsonObject{{QStringLiteral("name"), QString::fromLatin1(n)}, {QStringLiteral("version"), QString::fromLatin1(v)}};
    };
    const HaSettings ha;
    QJsonObject server{{QStringLiteral("rdePollIntervalInMin"), 1},
                       {QStringLiteral("heartbeatWatcherTimeoutInMin"), 10},
                       {QStringLiteral("staleHeartbeatIntervalInMin"), 30},
                       {QStringLiteral("leaseSeconds"), ha.leaseSeconds},
                       {QStringLiteral("renewSeconds"), ha.renewSeconds},
                       {QStringLiteral("pollSeconds"), ha.pollSeconds},
                       {QStringLiteral("workersPerReplica"), ha.workersPerReplica},
                       {QStringLiteral("autoRepairMaxAttempts"), ha.autoRepairMaxAttempts},
                       {QStringLiteral("autoRepairBackoffSeconds"), ha.autoRepairBackoffSeconds},
                       {QStringLiteral("phaseTimeoutSeconds"), ha.phaseTimeoutSeconds},
                       {QStringLiteral("discoveryRequestsPerSecond"), ha.discoveryRequestsPerSecond},
                       {QStringLiteral("discoveryMode"), ha.discoveryMode}};
    QJsonObject capi{{QStringLiteral("coreCapiVersion"), QStringLiteral("v1.4.0")},
                     {QStringLiteral("controlPlaneProvider"), nv("kubeadm", "v1.4.0")},
                     {QStringLiteral("bootstrapProvider"), nv("kubeadm", "v1.4.0")},
                     {QStringLiteral("infraProvider"),
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("capvcd")},
                                  {QStringLiteral("version"), QStringLiteral("v1.3.0")},
                                  {QStringLiteral("capvcdRde"), QJsonObject{{QStringLiteral("vendor"), QStringLiteral("vmware")},
                                                                            {QStringLiteral("nss"), QStringLiteral("capvcdCluster")},
                                                                            {QStringLiteral("version"), QStringLiteral("1.3.0")}}}}},
                     {QStringLiteral("certManagerVersion"), QStringLiteral("v1.11.1")}};
    QJsonObject bootstrap{{QStringLiteral("sizingPolicy"), QStringLiteral("TKG small")},
                          {QStringLiteral("dockerVersion"), QString()},
                          {QStringLiteral("kindVersion"), QStringLiteral("v0.19.0")},
                          {QStringLiteral("kindestNodeVersion"), QStringLiteral("v1.27.1")},
                          {QStringLiteral("kubectlVersion"), QString()},
                          {QStringLiteral("clusterctl"), QJsonObject{{QStringLiteral("version"), QStringLiteral("v1.4.0")},
                                                                     {QStringLiteral("clusterctlyaml"), QString()}}},
                          {QStringLiteral("capiEcosystem"), capi},
                          {QStringLiteral("proxyConfig"), QJsonObject{}},
                          {QStringLiteral("certificateAuthorities"), QJsonArray{}}};
    const MhcSettings mhc;
    QJsonObject k8s{{QStringLiteral("csi"), QJsonArray{nv("cloud-director-named-disk-csi-driver", "1.6.0")}},
                    {QStringLiteral("cpi"), nv("cloud-provider-for-cloud-director", "1.6.0")},
                    {QStringLiteral("cni"), nv("antrea", "1.13.1")},
                    {QStringLiteral("rdeProjectorVersion"), QStringLiteral("0.7.0")},
                    {QStringLiteral("mhc"), QJsonObject{{QStringLiteral("maxUnhealthyNodes"), mhc.maxUnhealthyNodes},
                                                        {QStringLiteral("nodeStartupTimeout"), mhc.nodeStartupTimeout},
                                                        {QStringLiteral("nodeNotReadyTimeout"), mhc.nodeNotReadyTimeout},
                                                        {QStringLiteral("nodeUnknownTimeout"), mhc.nodeUnknownTimeout}}},
                    {QStringLiteral("certificateAuthorities"), QJsonArray{}}};
    QJsonObject profile{{QStringLiteral("name"), QStringLiteral("production")},
                        {QStringLiteral("active"), true},
                        {QStringLiteral("vcdKeInstances"), QJsonArray{}},
                        {QStringLiteral("serverConfig"), server},
                        {QStringLiteral("bootstrapClusterConfig"), bootstrap},
                        {QStringLiteral("K8Config"), k8s},
                        {QStringLiteral("containerRegistryUrl"), QStringLiteral("projects.registry.vmware.com")}};
    return VcdKeConfig(QJsonObject{{QStringLiteral("profiles"), QJsonArray{profile}}});
}

QString VcdKeConfig::profileName() const { return str(profile({QStringLiteral("name")})); }

HaSettings VcdKeConfig::ha() const
{
    HaSettings h;
    const QJsonObject s = subtree(profile({QStringLiteral("serverConfig")}));
    auto read = [&s](const char *key, int &field) {
        const QJsonValue v = s.value(QLatin1String(key));
        if (v.isDouble() && v.toDouble() >= 0)
            field = v.toInt();
    };
    read("leaseSeconds", h.leaseSeconds);
    read("renewSeconds", h.renewSeconds);
    read("pollSeconds", h.pollSeconds);
    read("workersPerReplica", h.workersPerReplica);
    read("autoRepairMaxAttempts", h.autoRepairMaxAttempts);
    read("autoRepairBackoffSeconds", h.autoRepairBackoffSeconds);
    read("phaseTimeoutSeconds", h.phaseTimeoutSeconds);
    read("discoveryRequestsPerSecond", h.discoveryRequestsPerSecond);
    const QString mode = s.value(QLatin1String("discoveryMode")).toString();
    if (mode == QLatin1String("auto") || mode == QLatin1String("providerWide") || mode == QLatin1String("perOrg"))
        h.discoveryMode = mode;
    return h;
}

void VcdKeConfig::setHa(const HaSettings &h)
{
    const QStringList path = profile({QStringLiteral("serverConfig")});
    QJsonObject s = subtree(path);
    s.insert(QStringLiteral("leaseSeconds"), h.leaseSeconds);
    s.insert(QStringLiteral("renewSeconds"), h.renewSeconds);
    s.insert(QStringLiteral("pollSeconds"), h.pollSeconds);
    s.insert(QStringLiteral("workersPerReplica"), h.workersPerReplica);
    s.insert(QStringLiteral("autoRepairMaxAttempts"), h.autoRepairMaxAttempts);
    s.insert(QStringLiteral("autoRepairBackoffSeconds"), h.autoRepairBackoffSeconds);
    s.insert(QStringLiteral("phaseTimeoutSeconds"), h.phaseTimeoutSeconds);
    s.insert(QStringLiteral("discoveryRequestsPerSecond"), h.discoveryRequestsPerSecond);
    s.insert(QStringLiteral("discoveryMode"), h.discoveryMode);
    setSubtree(path, s);
}

MhcSettings VcdKeConfig::mhc() const
{
    MhcSettings m;
    const QJsonObject o = subtree(profile({QStringLiteral("K8Config"), QStringLiteral("mhc")}));
    if (o.value(QLatin1String("maxUnhealthyNodes")).isDouble())
        m.maxUnhealthyNodes = o.value(QLatin1String("maxUnhealthyNodes")).toDouble();
    auto read = [&o](const char *key, QString &field) {
        const QString v = o.value(QLatin1String(key)).toString();
        if (!v.isEmpty())
            field = v;
    };
    read("nodeStartupTimeout", m.nodeStartupTimeout);
    read("nodeNotReadyTimeout", m.nodeNotReadyTimeout);
    read("nodeUnknownTimeout", m.nodeUnknownTimeout);
    return m;
}

QString VcdKeConfig::containerRegistryUrl() const
{
    const QString v = str(profile({QStringLiteral("containerRegistryUrl")}));
    return v.isEmpty() ? QStringLiteral("projects.registry.vmware.com") : v;
}

QList<RegisteredInstance> VcdKeConfig::instances() const
{
    QList<RegisteredInstance> out;
    for (const QJsonValue &v : value(profile({QStringLiteral("vcdKeInstances")})).toArray()) {
        const QJsonObject o = v.toObject();
        out.append({o.value(QLatin1String("name")).toString(), o.value(QLatin1String("version")).toString(),
                    o.value(QLatin1String("vcdKeInstanceId")).toString()});
    }
    return out;
}

bool VcdKeConfig::registerInstance(const RegisteredInstance &instance)
{
    if (value({QStringLiteral("profiles")}).toArray().isEmpty())
        return false;
    const QStringList path = profile({QStringLiteral("vcdKeInstances")});
    QJsonArray list = value(path).toArray();
    const QJsonObject entry{{QStringLiteral("name"), instance.name},
                            {QStringLiteral("version"), instance.version},
                            {QStringLiteral("vcdKeInstanceId"), instance.instanceId}};
    qsizetype found = -1;
    for (qsizetype i = 0; i < list.size() && found < 0; ++i)
        if (list.at(i).toObject().value(QLatin1String("vcdKeInstanceId")).toString() == instance.instanceId)
            found = i;
    if (found >= 0 && list.at(found).toObject() == entry)
        return false;
    if (found >= 0)
        list.replace(found, entry);
    else
        list.append(entry);
    setValue(path, list);
    return true;
}

} // namespace cse::rde
