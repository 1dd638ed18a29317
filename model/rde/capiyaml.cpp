#include "capiyaml.h"

#include "cluster.h"

#include <QRegularExpression>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace cse::rde {

namespace {

std::string s(const QString &q) { return q.toStdString(); }
QString q(const std::string &s) { return QString::fromStdString(s); }

const char *kCapiCluster = "cluster.x-k8s.io/v1beta1";
const char *kCapvcd = "infrastructure.cluster.x-k8s.io/v1beta2";
const char *kKcp = "controlplane.cluster.x-k8s.io/v1beta1";
const char *kKubeadmBootstrap = "bootstrap.cluster.x-k8s.io/v1beta1";

YAML::Node meta(const std::string &name, const std::string &ns)
{
    YAML::Node m;
    m["name"] = name;
    m["namespace"] = ns;
    return m;
}

YAML::Node object(const char *apiVersion, const char *kind, const std::string &name, const std::string &ns)
{
    YAML::Node n;
    n["apiVersion"] = apiVersion;
    n["kind"] = kind;
    n["metadata"] = meta(name, ns);
    return n;
}

YAML::Node ref(const char *apiVersion, const char *kind, const std::string &name)
{
    YAML::Node r;
    r["apiVersion"] = apiVersion;
    r["kind"] = kind;
    r["name"] = name;
    return r;
}

struct Version
{
    int major = -1, minor = -1, patch = -1;
};

Version parseVersion(const QString &v)
{
    static const QRegularExpression re(QStringLiteral("^v?(\\d+)\\.(\\d+)\\.(\\d+)"));
    const auto m = re.match(v);
    if (!m.hasMatch())
        return {};
    return {m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt()};
}

bool isDnsLabel(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z]([-a-z0-9]{0,29}[a-z0-9])?$"));
    return re.match(name).hasMatch();
}

std::string emitDocuments(const std::vector<YAML::Node> &docs)
{
    std::string out;
    for (const YAML::Node &d : docs) {
        YAML::Emitter e;
        e.SetIndent(2);
        e << d;
        out += "---\n";
        out += e.c_str();
        out += "\n";
    }
    return out;
}

// Sees only where each document starts; builds nothing.
class DocumentProbe : public YAML::EventHandler
{
public:
    YAML::Mark start;
    void OnDocumentStart(const YAML::Mark &mark) override { start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override {}
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

// yaml-cpp 0.7's LoadAll never returns on some input: a stray ',' where a
// document starts (",", "a: 1\n---\n,") yields an empty document without
// consuming the token, for ever, and the list of documents grows until memory
// runs out (found by tests/fuzz/fuzz_capiyaml). Walk the documents first and
// refuse a stream whose next document starts where the last one did.
Result<void> checkDocumentsAdvance(const std::string &text)
{
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentProbe probe;
    size_t documents = 0;
    int lastPos = -1;
    while (parser.HandleNextDocument(probe)) {
        if (probe.start.pos <= lastPos || ++documents > text.size() + 1)
            return makeError(QStringLiteral("capiYaml is not valid YAML at line %1, column %2: no document can be read there "
                                            "(a ',' or another flow indicator outside brackets?)")
                                 .arg(probe.start.line + 1).arg(probe.start.column + 1));
        lastPos = probe.start.pos;
    }
    return {};
}

Result<std::vector<YAML::Node>> loadDocuments(const QString &yaml)
{
    if (yaml.trimmed().isEmpty())
        return makeError(QStringLiteral("capiYaml is empty"));
    try {
        const std::string text = s(yaml);
        if (auto advancing = checkDocumentsAdvance(text); !advancing)
            return advancing.error();
        std::vector<YAML::Node> docs;
        for (const YAML::Node &d : YAML::LoadAll(text))
            if (d && !d.IsNull())
                docs.push_back(d);
        for (size_t i = 0; i < docs.size(); ++i)
            if (!docs[i].IsMap() || !docs[i]["kind"])
                return makeError(QStringLiteral("capiYaml document %1 is not a Kubernetes object (no \"kind\")").arg(i + 1));
        return docs;
    } catch (const YAML::Exception &e) {
        return makeError(QStringLiteral("capiYaml is not valid YAML at line %1, column %2: %3")
                             .arg(e.mark.line + 1).arg(e.mark.column + 1).arg(q(e.msg)));
    }
}

// Walks maps only; a missing or non-scalar value reads as empty. Never throws.
QString text(const YAML::Node &n, std::initializer_list<const char *> path)
{
    YAML::Node cur = n;
    for (const char *step : path) {
        if (!cur.IsMap())
            return {};
        const YAML::Node next = cur[step];
        if (!next)
            return {};
        cur.reset(next);
    }
    return cur.IsScalar() ? q(cur.Scalar()) : QString();
}

QString kindOf(const YAML::Node &n) { return text(n, {"kind"}); }
QString nameOf(const YAML::Node &n) { return text(n, {"metadata", "name"}); }

std::vector<YAML::Node> ofKind(const std::vector<YAML::Node> &docs, const char *kind)
{
    std::vector<YAML::Node> out;
    for (const YAML::Node &d : docs)
        if (kindOf(d) == QLatin1String(kind))
            out.push_back(d);
    return out;
}

YAML::Node byName(const std::vector<YAML::Node> &docs, const char *kind, const QString &name)
{
    for (const YAML::Node &d : docs)
        if (kindOf(d) == QLatin1String(kind) && nameOf(d) == name)
            return d;
    return YAML::Node(YAML::NodeType::Undefined);
}

// Reads a node's scalar or reports the missing field.
template<typename T>
Result<T> field(const YAML::Node &n, std::initializer_list<const char *> path, const QString &where)
{
    YAML::Node cur = n;
    QStringList seen;
    for (const char *step : path) {
        seen << QString::fromLatin1(step);
        if (!cur.IsMap() || !cur[step])
            return makeError(QStringLiteral("%1 lacks %2").arg(where, seen.join(QLatin1Char('.'))));
        cur.reset(cur[step]);
    }
    try {
        return cur.as<T>();
    } catch (const YAML::Exception &) {
        return makeError(QStringLiteral("%1 has a malformed %2").arg(where, seen.join(QLatin1Char('.'))));
    }
}

MachinePool poolFromTemplate(const YAML::Node &tmpl, const QString &name, int replicas)
{
    MachinePool p;
    p.name = name;
    p.replicas = replicas;
    p.sizingPolicy = text(tmpl, {"spec", "template", "spec", "sizingPolicy"});
    p.placementPolicy = text(tmpl, {"spec", "template", "spec", "placementPolicy"});
    p.storageProfile = text(tmpl, {"spec", "template", "spec", "storageProfile"});
    p.templateName = text(tmpl, {"spec", "template", "spec", "template"});
    p.catalog = text(tmpl, {"spec", "template", "spec", "catalog"});
    p.diskSizeGi = text(tmpl, {"spec", "template", "spec", "diskSize"}).remove(QLatin1String("Gi")).toInt();
    return p;
}

} // namespace

QString KubernetesRelease::ovaTemplate() const
{
    return QStringLiteral("ubuntu-2204-kube-") + ovaVersion;
}

std::optional<TkgTemplateName> parseTkgTemplateName(const QString &name)
{
    // govcd's tkg_versions.json has a few hashes ending in "st": letters too.
    static const QRegularExpression re(QStringLiteral("^([a-z]+-[0-9]+)-kube-(v[0-9]+\\.[0-9]+\\.[0-9]+\\+vmware\\.[0-9]+)-"
                                                      "(tkg\\.[0-9]+)-([0-9a-z]{32})$"));
    const QRegularExpressionMatch m = re.match(name);
    if (!m.hasMatch())
        return std::nullopt;
    TkgTemplateName t;
    t.os = m.captured(1);
    t.kubernetesVersion = m.captured(2);
    t.tkgBuild = m.captured(3);
    t.hash = m.captured(4);
    const QString ova = name.mid(name.indexOf(QLatin1String("-kube-")) + 6);
    for (const KubernetesRelease &r : supportedReleases())
        if (r.ovaVersion == ova)
            t.release = &r;
    return t;
}

const QList<KubernetesRelease> &supportedReleases()
{
    static const QList<KubernetesRelease> all = {
        // OVA versions as go-vcloud-director lists them (govcd/cse/tkg_versions.json).
        {QStringLiteral("v1.30.2+vmware.1"), QStringLiteral("v2.5.2"), QStringLiteral("v1.30.2---vmware.1-tkg.1"),
         QStringLiteral("v1.30.2+vmware.1-tkg.1-00b380629c7a9c10afaaa9df46ba2283")},
        {QStringLiteral("v1.29.6+vmware.1"), QStringLiteral("v2.5.2"), QStringLiteral("v1.29.6---vmware.1-tkg.3"),
         QStringLiteral("v1.29.6+vmware.1-tkg.3-c6934e3c00b6ca9a7c3e56acb773ce3a")},
        {QStringLiteral("v1.28.11+vmware.2"), QStringLiteral("v2.5.2"), QStringLiteral("v1.28.11---vmware.2-tkg.2"),
         QStringLiteral("v1.28.11+vmware.2-tkg.2-7820f47053de95b5aaf7e33a17511e47")},
        {QStringLiteral("v1.27.15+vmware.1"), QStringLiteral("v2.5.2"), QStringLiteral("v1.27.15---vmware.1-tkg.2"),
         QStringLiteral("v1.27.15+vmware.1-tkg.2-138e363d8ee0f5eeda35a0de81a33f9f")},
    };
    return all;
}

const KubernetesRelease *findRelease(const QString &kubernetesVersion)
{
    for (const KubernetesRelease &r : supportedReleases())
        if (r.kubernetesVersion == kubernetesVersion)
            return &r;
    return nullptr;
}

Result<void> checkUpgrade(const QString &fromVersion, const QString &toVersion)
{
    if (!findRelease(toVersion))
        return makeError(QStringLiteral("Kubernetes %1 is not a supported release").arg(toVersion));
    const Version a = parseVersion(fromVersion), b = parseVersion(toVersion);
    if (a.major < 0)
        return makeError(QStringLiteral("current Kubernetes version \"%1\" cannot be read").arg(fromVersion));
    if (b.major != a.major || b.minor < a.minor || (b.minor == a.minor && b.patch <= a.patch))
        return makeError(QStringLiteral("cannot upgrade from %1 to %2: the target must be newer").arg(fromVersion, toVersion));
    if (b.minor > a.minor + 1)
        return makeError(QStringLiteral("cannot upgrade from %1 to %2: upgrade one minor version at a time (to v%3.%4.x first)")
                             .arg(fromVersion, toVersion).arg(a.major).arg(a.minor + 1));
    return {};
}

Result<void> ClusterSpec::validate() const
{
    if (const QString problem = validateClusterName(name); !problem.isEmpty())
        return makeError(QStringLiteral("name \"%1\": %2").arg(name, problem));
    for (const auto &[value, label] : {std::pair{org, "org"}, std::pair{vdc, "vdc"}, std::pair{network, "network"},
                                       std::pair{site, "site"}})
        if (value.trimmed().isEmpty())
            return makeError(QStringLiteral("%1 must not be empty").arg(QString::fromLatin1(label)));
    if (!findRelease(kubernetesVersion))
        return makeError(QStringLiteral("kubernetesVersion \"%1\" is not a supported release").arg(kubernetesVersion));
    if (controlPlane.replicas < 1 || controlPlane.replicas % 2 == 0)
        return makeError(QStringLiteral("controlPlane.replicas must be an odd number >= 1, got %1").arg(controlPlane.replicas));
    if (workerPools.isEmpty())
        return makeError(QStringLiteral("workerPools: at least one worker pool is needed"));
    QStringList seen{controlPlane.name};
    for (int i = 0; i < workerPools.size(); ++i) {
        const MachinePool &p = workerPools.at(i);
        if (!isDnsLabel(p.name))
            return makeError(QStringLiteral("workerPools[%1].name \"%2\" is not a valid name").arg(i).arg(p.name));
        if (seen.contains(p.name))
            return makeError(QStringLiteral("workerPools[%1].name \"%2\" is used twice").arg(i).arg(p.name));
        seen << p.name;
        if (p.replicas < 0)
            return makeError(QStringLiteral("workerPools[%1].replicas must be >= 0, got %2").arg(i).arg(p.replicas));
        if (p.diskSizeGi < 20)
            return makeError(QStringLiteral("workerPools[%1].diskSizeGi must be at least 20, got %2").arg(i).arg(p.diskSizeGi));
    }
    if (controlPlane.diskSizeGi < 20)
        return makeError(QStringLiteral("controlPlane.diskSizeGi must be at least 20, got %1").arg(controlPlane.diskSizeGi));
    if (mhc.maxUnhealthyNodes < 1 || mhc.maxUnhealthyNodes > 100)
        return makeError(QStringLiteral("mhc.maxUnhealthyNodes must be within 1..100"));
    return {};
}

int CapiSummary::totalNodes() const
{
    int n = controlPlane.replicas;
    for (const MachinePool &p : workerPools)
        n += p.replicas;
    return n;
}

Result<QString> renderCapiYaml(const ClusterSpec &spec)
{
    if (auto v = spec.validate(); !v)
        return v.error();
    const KubernetesRelease &rel = *findRelease(spec.kubernetesVersion);
    const std::string name = s(spec.name);
    const std::string ns = name + "-ns";
    std::vector<YAML::Node> docs;

    auto machineTemplate = [&](const MachinePool &p, const std::string &objName) {
        YAML::Node t = object(kCapvcd, "VCDMachineTemplate", objName, ns);
        YAML::Node inner;
        inner["catalog"] = s(spec.catalog);
        inner["template"] = s(p.templateName.isEmpty() ? rel.ovaTemplate() : p.templateName);
        inner["sizingPolicy"] = s(p.sizingPolicy);
        inner["placementPolicy"] = s(p.placementPolicy);
        inner["storageProfile"] = s(p.storageProfile);
        inner["diskSize"] = s(QStringLiteral("%1Gi").arg(p.diskSizeGi));
        inner["enableNvidiaGPU"] = false;
        t["spec"]["template"]["spec"] = inner;
        return t;
    };

    // Cluster
    YAML::Node cluster = object(kCapiCluster, "Cluster", name, ns);
    cluster["metadata"]["labels"]["cluster-role.tkg.tanzu.vmware.com/management"] = "";
    cluster["metadata"]["labels"]["tanzuKubernetesRelease"] = s(rel.tkr);
    cluster["metadata"]["labels"]["tkg.tanzu.vmware.com/cluster-name"] = name;
    cluster["metadata"]["annotations"]["TKGVERSION"] = s(rel.tkgVersion);
    cluster["spec"]["clusterNetwork"]["pods"]["cidrBlocks"].push_back(s(spec.podCidr));
    cluster["spec"]["clusterNetwork"]["services"]["cidrBlocks"].push_back(s(spec.serviceCidr));
    cluster["spec"]["controlPlaneRef"] = ref(kKcp, "KubeadmControlPlane", name + "-" + s(spec.controlPlane.name));
    cluster["spec"]["infrastructureRef"] = ref(kCapvcd, "VCDCluster", name);
    docs.push_back(cluster);

    // Secret with the API user; the token itself is never rendered into the
    // YAML (it lives in spec.vcdKe.secure.apiToken and is injected by the server).
    YAML::Node secret;
    secret["apiVersion"] = "v1";
    secret["kind"] = "Secret";
    secret["metadata"] = meta("capi-user-credentials", ns);
    secret["type"] = "Opaque";
    secret["stringData"]["username"] = s(spec.username);
    secret["stringData"]["refreshToken"] = "";
    docs.push_back(secret);

    // VCDCluster
    YAML::Node vcd = object(kCapvcd, "VCDCluster", name, ns);
    vcd["spec"]["site"] = s(spec.site);
    vcd["spec"]["org"] = s(spec.org);
    vcd["spec"]["ovdc"] = s(spec.vdc);
    vcd["spec"]["ovdcNetwork"] = s(spec.network);
    vcd["spec"]["useAsManagementCluster"] = false;
    vcd["spec"]["userContext"]["secretRef"]["name"] = "capi-user-credentials";
    vcd["spec"]["userContext"]["secretRef"]["namespace"] = ns;
    if (!spec.controlPlaneEndpoint.isEmpty()) {
        vcd["spec"]["controlPlaneEndpoint"]["host"] = s(spec.controlPlaneEndpoint);
        vcd["spec"]["controlPlaneEndpoint"]["port"] = 6443;
    }
    docs.push_back(vcd);

    // Control plane
    const std::string cpName = name + "-" + s(spec.controlPlane.name);
    docs.push_back(machineTemplate(spec.controlPlane, cpName));
    YAML::Node kcp = object(kKcp, "KubeadmControlPlane", cpName, ns);
    kcp["spec"]["replicas"] = spec.controlPlane.replicas;
    kcp["spec"]["version"] = s(spec.kubernetesVersion);
    kcp["spec"]["machineTemplate"]["infrastructureRef"] = ref(kCapvcd, "VCDMachineTemplate", cpName);
    kcp["spec"]["kubeadmConfigSpec"]["clusterConfiguration"]["imageRepository"] = "projects.registry.vmware.com/tkg";
    docs.push_back(kcp);

    // Worker pools
    for (const MachinePool &p : spec.workerPools) {
        const std::string poolName = name + "-" + s(p.name);
        docs.push_back(machineTemplate(p, poolName));
        YAML::Node cfg = object(kKubeadmBootstrap, "KubeadmConfigTemplate", poolName, ns);
        cfg["spec"]["template"]["spec"]["joinConfiguration"]["nodeRegistration"]["criSocket"] =
            "/run/containerd/containerd.sock";
        docs.push_back(cfg);
        YAML::Node md = object(kCapiCluster, "MachineDeployment", poolName, ns);
        md["spec"]["clusterName"] = name;
        md["spec"]["replicas"] = p.replicas;
        md["spec"]["selector"]["matchLabels"] = YAML::Node(YAML::NodeType::Map);
        YAML::Node tspec;
        tspec["clusterName"] = name;
        tspec["version"] = s(spec.kubernetesVersion);
        tspec["bootstrap"]["configRef"] = ref(kKubeadmBootstrap, "KubeadmConfigTemplate", poolName);
        tspec["infrastructureRef"] = ref(kCapvcd, "VCDMachineTemplate", poolName);
        md["spec"]["template"]["spec"] = tspec;
        docs.push_back(md);
    }

    if (spec.machineHealthCheck) {
        YAML::Node mhc = object(kCapiCluster, "MachineHealthCheck", name, ns);
        mhc["metadata"]["labels"]["clusterctl.cluster.x-k8s.io"] = "";
        mhc["spec"]["clusterName"] = name;
        mhc["spec"]["selector"]["matchLabels"]["cluster.x-k8s.io/cluster-name"] = name;
        mhc["spec"]["maxUnhealthy"] = s(QStringLiteral("%1%").arg(spec.mhc.maxUnhealthyNodes));
        mhc["spec"]["nodeStartupTimeout"] = s(spec.mhc.nodeStartupTimeout);
        YAML::Node notReady, unknown;
        notReady["type"] = "Ready";
        notReady["status"] = "False";
        notReady["timeout"] = s(spec.mhc.nodeNotReadyTimeout);
        unknown["type"] = "Ready";
        unknown["status"] = "Unknown";
        unknown["timeout"] = s(spec.mhc.nodeUnknownTimeout);
        mhc["spec"]["unhealthyConditions"].push_back(notReady);
        mhc["spec"]["unhealthyConditions"].push_back(unknown);
        docs.push_back(mhc);
    }
    return q(emitDocuments(docs));
}

static Result<CapiSummary> parseCapiYamlImpl(const QString &yaml)
{
    auto loaded = loadDocuments(yaml);
    if (!loaded)
        return loaded.error();
    const std::vector<YAML::Node> &docs = loaded.value();
    for (const char *kind : {"Cluster", "VCDCluster", "KubeadmControlPlane", "VCDMachineTemplate"})
        if (ofKind(docs, kind).empty())
            return makeError(QStringLiteral("capiYaml has no %1 object").arg(QString::fromLatin1(kind)));
    if (ofKind(docs, "Cluster").size() > 1 || ofKind(docs, "KubeadmControlPlane").size() > 1)
        return makeError(QStringLiteral("capiYaml must describe exactly one Cluster with one KubeadmControlPlane"));

    CapiSummary out;
    const YAML::Node cluster = ofKind(docs, "Cluster").front();
    out.name = nameOf(cluster);
    out.ns = text(cluster, {"metadata", "namespace"});
    if (out.name.isEmpty())
        return makeError(QStringLiteral("capiYaml Cluster has no metadata.name"));
    out.tkgVersion = text(cluster, {"metadata", "annotations", "TKGVERSION"});
    const YAML::Node vcdCluster = ofKind(docs, "VCDCluster").front();
    out.org = text(vcdCluster, {"spec", "org"});
    out.vdc = text(vcdCluster, {"spec", "ovdc"});
    out.network = text(vcdCluster, {"spec", "ovdcNetwork"});

    const YAML::Node kcp = ofKind(docs, "KubeadmControlPlane").front();
    if (nameOf(kcp).isEmpty())
        return makeError(QStringLiteral("capiYaml KubeadmControlPlane has no metadata.name"));
    const QString kcpWhere = QStringLiteral("KubeadmControlPlane \"%1\"").arg(nameOf(kcp));
    auto cpReplicas = field<int>(kcp, {"spec", "replicas"}, kcpWhere);
    if (!cpReplicas)
        return cpReplicas.error();
    auto version = field<std::string>(kcp, {"spec", "version"}, kcpWhere);
    if (!version)
        return version.error();
    out.kubernetesVersion = q(*version);
    auto cpTemplate = field<std::string>(kcp, {"spec", "machineTemplate", "infrastructureRef", "name"}, kcpWhere);
    if (!cpTemplate)
        return cpTemplate.error();
    const QString prefix = out.name + QLatin1Char('-');
    auto poolName = [&prefix](const QString &objName) {
        return objName.startsWith(prefix) ? objName.mid(prefix.size()) : objName;
    };
    const YAML::Node cpTmpl = byName(docs, "VCDMachineTemplate", q(*cpTemplate));
    if (!cpTmpl)
        return makeError(QStringLiteral("%1 refers to VCDMachineTemplate \"%2\", which is not in the capiYaml")
                             .arg(kcpWhere, q(*cpTemplate)));
    out.controlPlane = poolFromTemplate(cpTmpl, poolName(nameOf(kcp)), *cpReplicas);
    out.controlPlane.objectName = nameOf(kcp);

    QStringList poolNames{out.controlPlane.name};
    for (const YAML::Node &md : ofKind(docs, "MachineDeployment")) {
        if (nameOf(md).isEmpty())
            return makeError(QStringLiteral("capiYaml has a MachineDeployment without metadata.name"));
        // Resize finds a pool by its name: two pools of one name cannot be told apart.
        if (poolNames.contains(poolName(nameOf(md))))
            return makeError(QStringLiteral("capiYaml names the node pool \"%1\" twice (MachineDeployment \"%2\")")
                                 .arg(poolName(nameOf(md)), nameOf(md)));
        poolNames << poolName(nameOf(md));
        const QString where = QStringLiteral("MachineDeployment \"%1\"").arg(nameOf(md));
        auto replicas = field<int>(md, {"spec", "replicas"}, where);
        if (!replicas)
            return replicas.error();
        auto tmplName = field<std::string>(md, {"spec", "template", "spec", "infrastructureRef", "name"}, where);
        if (!tmplName)
            return tmplName.error();
        const YAML::Node tmpl = byName(docs, "VCDMachineTemplate", q(*tmplName));
        if (!tmpl)
            return makeError(QStringLiteral("%1 refers to VCDMachineTemplate \"%2\", which is not in the capiYaml")
                                 .arg(where, q(*tmplName)));
        out.workerPools.append(poolFromTemplate(tmpl, poolName(nameOf(md)), *replicas));
        out.workerPools.last().objectName = nameOf(md);
    }
    return out;
}

static Result<QString> resizeCapiYamlImpl(const QString &yaml, const QString &pool, int replicas)
{
    auto loaded = loadDocuments(yaml);
    if (!loaded)
        return loaded.error();
    auto summary = parseCapiYamlImpl(yaml);
    if (!summary)
        return summary.error();
    std::vector<YAML::Node> docs = loaded.value();
    // "control-plane" names the control plane unless a worker pool has that very name.
    const bool workerNamedSo = std::any_of(summary->workerPools.cbegin(), summary->workerPools.cend(),
                                           [&pool](const MachinePool &p) { return p.name == pool; });
    const bool controlPlane = pool == summary->controlPlane.name || (pool == QLatin1String("control-plane") && !workerNamedSo);
    if (controlPlane) {
        if (replicas < 1 || replicas % 2 == 0)
            return makeError(QStringLiteral("control plane replicas must be an odd number >= 1, got %1").arg(replicas));
        for (YAML::Node &d : docs)
            if (kindOf(d) == QLatin1String("KubeadmControlPlane"))
                d["spec"]["replicas"] = replicas;
        return q(emitDocuments(docs));
    }
    if (replicas < 0)
        return makeError(QStringLiteral("worker pool replicas must be >= 0, got %1").arg(replicas));
    // The pool's name as parseCapiYaml reports it: the object name without "<cluster>-".
    const QString prefix = summary->name + QLatin1Char('-');
    auto poolOf = [&prefix](const QString &objName) { return objName.startsWith(prefix) ? objName.mid(prefix.size()) : objName; };
    for (YAML::Node &d : docs) {
        if (kindOf(d) == QLatin1String("MachineDeployment") && poolOf(nameOf(d)) == pool) {
            d["spec"]["replicas"] = replicas;
            return q(emitDocuments(docs));
        }
    }
    QStringList names;
    for (const MachinePool &p : summary->workerPools)
        names << p.name;
    return makeError(QStringLiteral("no worker pool \"%1\" (pools: %2)").arg(pool, names.join(QStringLiteral(", "))));
}

static Result<QString> upgradeCapiYamlImpl(const QString &yaml, const QString &kubernetesVersion)
{
    auto summary = parseCapiYamlImpl(yaml);
    if (!summary)
        return summary.error();
    if (auto ok = checkUpgrade(summary->kubernetesVersion, kubernetesVersion); !ok)
        return ok.error();
    const KubernetesRelease &rel = *findRelease(kubernetesVersion);
    const KubernetesRelease *old = findRelease(summary->kubernetesVersion);
    std::vector<YAML::Node> docs = loadDocuments(yaml).value();
    for (YAML::Node &d : docs) {
        const QString kind = kindOf(d);
        if (kind == QLatin1String("Cluster")) {
            d["metadata"]["labels"]["tanzuKubernetesRelease"] = s(rel.tkr);
            d["metadata"]["annotations"]["TKGVERSION"] = s(rel.tkgVersion);
        } else if (kind == QLatin1String("KubeadmControlPlane")) {
            d["spec"]["version"] = s(kubernetesVersion);
        } else if (kind == QLatin1String("MachineDeployment")) {
            d["spec"]["template"]["spec"]["version"] = s(kubernetesVersion);
        } else if (kind == QLatin1String("VCDMachineTemplate")) {
            // Swap the OVA only where it is the release's default template.
            YAML::Node spec = d["spec"]["template"]["spec"];
            const QString current = text(d, {"spec", "template", "spec", "template"});
            if (!old || current == old->ovaTemplate() || current.contains(summary->kubernetesVersion))
                spec["template"] = s(rel.ovaTemplate());
        }
    }
    return q(emitDocuments(docs));
}

// yaml-cpp reports problems by exception; none may leave this layer.
template<typename F>
static auto guarded(F &&f) -> decltype(f())
{
    try {
        return f();
    } catch (const YAML::Exception &e) {
        return makeError(QStringLiteral("capiYaml cannot be processed: %1").arg(q(e.msg)));
    }
}

Result<CapiSummary> parseCapiYaml(const QString &yaml)
{
    return guarded([&] { return parseCapiYamlImpl(yaml); });
}

Result<QString> resizeCapiYaml(const QString &yaml, const QString &pool, int replicas)
{
    return guarded([&] { return resizeCapiYamlImpl(yaml, pool, replicas); });
}

Result<QString> upgradeCapiYaml(const QString &yaml, const QString &kubernetesVersion)
{
    return guarded([&] { return upgradeCapiYamlImpl(yaml, kubernetesVersion); });
}

} // namespace cse::rde
