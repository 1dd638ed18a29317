// Cluster API YAML (spec.capiYaml): render from a cluster spec, read back,
// and apply resize / upgrade by changing only the fields concerned.
#pragma once

#include "core/result.h"
#include "vcdkeconfig.h"

#include <QList>
#include <optional>
#include <QString>

namespace cse::rde {

struct KubernetesRelease
{
    QString kubernetesVersion; // OVA version, e.g. v1.30.2+vmware.1
    QString tkgVersion;        // e.g. v2.5.2
    QString tkr;               // e.g. v1.30.2---vmware.1-tkg.1
    QString ovaVersion;        // e.g. v1.30.2+vmware.1-tkg.1-00b380629c7a9c10afaaa9df46ba2283
    // The OVA's name as uploaded to a catalog: ubuntu-2204-kube-OVAVERSION.
    QString ovaTemplate() const;
};

// What a TKG OVA's name tells: ubuntu-2204-kube-v1.30.2+vmware.1-tkg.1-<32
// hex> is the OS release, the Kubernetes version, the TKG build and a hash
// (the keys of go-vcloud-director's govcd/cse/tkg_versions.json are the part
// after "kube-"). release is the supported release of that OVA, or null.
struct TkgTemplateName
{
    QString os;                // ubuntu-2204
    QString kubernetesVersion; // v1.30.2+vmware.1
    QString tkgBuild;          // tkg.1
    QString hash;
    const KubernetesRelease *release = nullptr;
};
// nullopt: NAME is not a TKG OVA name.
std::optional<TkgTemplateName> parseTkgTemplateName(const QString &name);

// Kubernetes/TKG pairs CSE 4.2 supports, newest first.
const QList<KubernetesRelease> &supportedReleases();
const KubernetesRelease *findRelease(const QString &kubernetesVersion);
// An upgrade goes to a newer patch of the same minor or to the next minor.
Result<void> checkUpgrade(const QString &fromVersion, const QString &toVersion);

struct MachinePool
{
    QString name;
    int replicas = 1;
    QString sizingPolicy = QStringLiteral("TKG small");
    QString placementPolicy;
    QString storageProfile = QStringLiteral("*");
    int diskSizeGi = 20;
    QString templateName; // OVA; filled from the release when empty
    QString catalog;      // VCDMachineTemplate spec.template.spec.catalog (read back only)
    QString objectName;   // the MachineDeployment / KubeadmControlPlane name (read back only)

    static MachinePool named(const QString &name, int replicas)
    {
        MachinePool p;
        p.name = name;
        p.replicas = replicas;
        return p;
    }
};

struct StorageClassOptions
{
    QString vcdStorageProfileName;
    QString k8sStorageClassName = QStringLiteral("default-storage-class-1");
    bool useDeleteReclaimPolicy = true;
    QString fileSystem = QStringLiteral("ext4");
};

struct ClusterSpec
{
    QString name;
    QString org;
    QString vdc;
    QString network;
    QString site;                 // https://vcd-host
    QString kubernetesVersion = QStringLiteral("v1.30.2+vmware.1");
    QString catalog = QStringLiteral("tkgm_catalog"); // CSE 4.2's example catalog name
    QString username;             // owner of the API token (Secret capi-user-credentials)
    MachinePool controlPlane = MachinePool::named(QStringLiteral("control-plane-node-pool"), 1);
    QList<MachinePool> workerPools{MachinePool::named(QStringLiteral("worker-node-pool-1"), 1)};
    QString podCidr = QStringLiteral("100.96.0.0/11");
    QString serviceCidr = QStringLiteral("100.64.0.0/13");
    QString controlPlaneEndpoint; // empty: assigned by the load balancer
    bool machineHealthCheck = true;
    MhcSettings mhc;
    bool hasDefaultStorageClass = false;
    StorageClassOptions defaultStorageClass;

    // Checks names, counts and versions; the error names the field.
    Result<void> validate() const;
};

// What reading a capiYaml tells.
struct CapiSummary
{
    QString name;
    QString ns;
    QString kubernetesVersion;
    QString tkgVersion;
    QString org;       // VCDCluster spec.org
    QString vdc;       // VCDCluster spec.ovdc
    QString network;   // VCDCluster spec.ovdcNetwork
    MachinePool controlPlane;
    QList<MachinePool> workerPools;
    int totalNodes() const;
};

Result<QString> renderCapiYaml(const ClusterSpec &spec);
Result<CapiSummary> parseCapiYaml(const QString &yaml);
// pool: a worker pool name, or the control plane pool name (or "control-plane").
Result<QString> resizeCapiYaml(const QString &yaml, const QString &pool, int replicas);
Result<QString> upgradeCapiYaml(const QString &yaml, const QString &kubernetesVersion);

} // namespace cse::rde
