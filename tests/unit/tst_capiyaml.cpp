#include "rde/capiyaml.h"

#include <QtTest>
#include <yaml-cpp/yaml.h>

using namespace cse;
using namespace cse::rde;

namespace {

ClusterSpec sampleSpec()
{
    ClusterSpec s;
    s.name = QStringLiteral("demo");
    s.org = QStringLiteral("acme");
    s.vdc = QStringLiteral("acme-vdc");
    s.network = QStringLiteral("acme-net");
    s.site = QStringLiteral("https://vcd.example.com");
    s.username = QStringLiteral("acme-admin");
    s.kubernetesVersion = QStringLiteral("v1.28.11+vmware.2");
    s.controlPlane.replicas = 3;
    s.controlPlane.sizingPolicy = QStringLiteral("TKG medium");
    MachinePool a = MachinePool::named(QStringLiteral("workers-a"), 2);
    a.storageProfile = QStringLiteral("gold");
    a.diskSizeGi = 40;
    MachinePool b = MachinePool::named(QStringLiteral("workers-b"), 0);
    b.sizingPolicy = QStringLiteral("TKG large");
    b.storageProfile = QStringLiteral("silver");
    b.diskSizeGi = 80;
    s.workerPools = {a, b};
    s.mhc.maxUnhealthyNodes = 50;
    return s;
}

// All documents, keyed by "Kind/name", as canonical YAML text.
QMap<QString, std::string> documents(const QString &yaml)
{
    QMap<QString, std::string> out;
    for (const YAML::Node &d : YAML::LoadAll(yaml.toStdString())) {
        YAML::Emitter e;
        e << d;
        out.insert(QString::fromStdString(d["kind"].as<std::string>() + "/" + d["metadata"]["name"].as<std::string>()),
                   e.c_str());
    }
    return out;
}

// Documents that differ between two renderings.
QStringList changedDocuments(const QString &a, const QString &b)
{
    const auto x = documents(a), y = documents(b);
    QStringList changed;
    for (auto it = x.cbegin(); it != x.cend(); ++it)
        if (y.value(it.key()) != it.value())
            changed << it.key();
    for (auto it = y.cbegin(); it != y.cend(); ++it)
        if (!x.contains(it.key()))
            changed << it.key();
    return changed;
}

// A minimal readable capiYaml of cluster "x": a control plane object named
// `kcp` and one MachineDeployment per name in `deployments` (2 replicas each).
QString pools(const QString &kcp, const QStringList &deployments)
{
    QString y = QStringLiteral("kind: Cluster\nmetadata: {name: x}\n---\nkind: VCDCluster\nmetadata: {name: x}\n"
                               "---\nkind: VCDMachineTemplate\nmetadata: {name: t}\n"
                               "---\nkind: KubeadmControlPlane\nmetadata: {name: %1}\n"
                               "spec: {replicas: 1, version: v1.29.6+vmware.1, machineTemplate: {infrastructureRef: {name: t}}}\n")
                    .arg(kcp.isEmpty() ? QStringLiteral("{}") : kcp);
    for (const QString &md : deployments)
        y += QStringLiteral("---\nkind: MachineDeployment\nmetadata: {name: %1}\n"
                            "spec: {replicas: 2, template: {spec: {infrastructureRef: {name: t}}}}\n")
                 .arg(md.isEmpty() ? QStringLiteral("{}") : md);
    return y;
}
} // namespace

class TestCapiYaml : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rendersEveryObject();
    void roundTrip();
    void noTokenInYaml();
    void resizeWorkerChangesOnlyThatDeployment();
    void resizeControlPlane();
    void resizeErrors_data();
    void resizeErrors();
    void upgrade();
    void upgradeRules_data();
    void upgradeRules();
    void invalidSpec_data();
    void invalidSpec();
    void badYaml_data();
    void badYaml();
    void poolNamesFromFuzzing_data();
    void poolNamesFromFuzzing();
    void tkgTemplateNames_data();
    void tkgTemplateNames();
    void poolObjectNames();
};

void TestCapiYaml::rendersEveryObject()
{
    auto yaml = renderCapiYaml(sampleSpec());
    QVERIFY2(yaml.ok(), qPrintable(yaml.ok() ? QString() : yaml.error().message));
    const auto docs = documents(*yaml);
    const QStringList expected = {
        QStringLiteral("Cluster/demo"), QStringLiteral("Secret/capi-user-credentials"), QStringLiteral("VCDCluster/demo"),
        QStringLiteral("VCDMachineTemplate/demo-control-plane-node-pool"),
        QStringLiteral("KubeadmControlPlane/demo-control-plane-node-pool"),
        QStringLiteral("VCDMachineTemplate/demo-workers-a"), QStringLiteral("KubeadmConfigTemplate/demo-workers-a"),
        QStringLiteral("MachineDeployment/demo-workers-a"), QStringLiteral("VCDMachineTemplate/demo-workers-b"),
        QStringLiteral("KubeadmConfigTemplate/demo-workers-b"), QStringLiteral("MachineDeployment/demo-workers-b"),
        QStringLiteral("MachineHealthCheck/demo")};
    for (const QString &k : expected)
        QVERIFY2(docs.contains(k), qPrintable(k));
    QCOMPARE(docs.size(), expected.size());

    const auto all = YAML::LoadAll(yaml->toStdString());
    const YAML::Node cluster = all.front();
    QCOMPARE(cluster["metadata"]["namespace"].as<std::string>(), std::string("demo-ns"));
    QCOMPARE(cluster["metadata"]["labels"]["tanzuKubernetesRelease"].as<std::string>(), std::string("v1.28.11---vmware.2-tkg.2"));
    QCOMPARE(cluster["metadata"]["labels"]["cluster-role.tkg.tanzu.vmware.com/management"].as<std::string>(), std::string());
    QCOMPARE(cluster["metadata"]["annotations"]["TKGVERSION"].as<std::string>(), std::string("v2.5.2"));
    QCOMPARE(cluster["spec"]["clusterNetwork"]["pods"]["cidrBlocks"][0].as<std::string>(), std::string("100.96.0.0/11"));
    const YAML::Node mhc = all.back();
    QCOMPARE(mhc["spec"]["maxUnhealthy"].as<std::string>(), std::string("50%"));
    QCOMPARE(mhc["spec"]["nodeStartupTimeout"].as<std::string>(), std::string("900s"));

    ClusterSpec noMhc = sampleSpec();
    noMhc.machineHealthCheck = false;
    QVERIFY(!documents(renderCapiYaml(noMhc).value()).contains(QStringLiteral("MachineHealthCheck/demo")));
}

void TestCapiYaml::roundTrip()
{
    const ClusterSpec spec = sampleSpec();
    const auto summary = parseCapiYaml(renderCapiYaml(spec).value());
    QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().message));
    QCOMPARE(summary->name, spec.name);
    QCOMPARE(summary->ns, QStringLiteral("demo-ns"));
    QCOMPARE(summary->kubernetesVersion, spec.kubernetesVersion);
    QCOMPARE(summary->tkgVersion, QStringLiteral("v2.5.2"));
    QCOMPARE(summary->controlPlane.name, QStringLiteral("control-plane-node-pool"));
    QCOMPARE(summary->controlPlane.replicas, 3);
    QCOMPARE(summary->controlPlane.sizingPolicy, QStringLiteral("TKG medium"));
    QCOMPARE(summary->workerPools.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const MachinePool &got = summary->workerPools.at(i), &want = spec.workerPools.at(i);
        QCOMPARE(got.name, want.name);
        QCOMPARE(got.replicas, want.replicas);
        QCOMPARE(got.sizingPolicy, want.sizingPolicy);
        QCOMPARE(got.storageProfile, want.storageProfile);
        QCOMPARE(got.diskSizeGi, want.diskSizeGi);
        QCOMPARE(got.templateName, findRelease(spec.kubernetesVersion)->ovaTemplate());
    }
    QCOMPARE(summary->totalNodes(), 5);
    // Rendering is deterministic.
    QCOMPARE(renderCapiYaml(spec).value(), renderCapiYaml(spec).value());
}

void TestCapiYaml::noTokenInYaml()
{
    const QString yaml = renderCapiYaml(sampleSpec()).value();
    const YAML::Node secret = YAML::LoadAll(yaml.toStdString()).at(1);
    QCOMPARE(secret["kind"].as<std::string>(), std::string("Secret"));
    QCOMPARE(secret["stringData"]["refreshToken"].as<std::string>(), std::string());
    QCOMPARE(secret["stringData"]["username"].as<std::string>(), std::string("acme-admin"));
}

void TestCapiYaml::resizeWorkerChangesOnlyThatDeployment()
{
    const QString before = renderCapiYaml(sampleSpec()).value();
    const auto after = resizeCapiYaml(before, QStringLiteral("workers-b"), 4);
    QVERIFY(after.ok());
    QCOMPARE(changedDocuments(before, *after), QStringList{QStringLiteral("MachineDeployment/demo-workers-b")});
    const auto summary = parseCapiYaml(*after).value();
    QCOMPARE(summary.workerPools.at(1).replicas, 4);
    QCOMPARE(summary.workerPools.at(0).replicas, 2);
    // Resizing to the same size changes nothing.
    QVERIFY(changedDocuments(before, resizeCapiYaml(before, QStringLiteral("workers-a"), 2).value()).isEmpty());
}

void TestCapiYaml::resizeControlPlane()
{
    const QString before = renderCapiYaml(sampleSpec()).value();
    const auto after = resizeCapiYaml(before, QStringLiteral("control-plane"), 5);
    QVERIFY(after.ok());
    QCOMPARE(changedDocuments(before, *after), QStringList{QStringLiteral("KubeadmControlPlane/demo-control-plane-node-pool")});
    QCOMPARE(parseCapiYaml(*after)->controlPlane.replicas, 5);
}

void TestCapiYaml::resizeErrors_data()
{
    QTest::addColumn<QString>("pool");
    QTest::addColumn<int>("replicas");
    QTest::addColumn<QString>("message");
    QTest::newRow("even control plane") << "control-plane" << 2 << "odd number";
    QTest::newRow("zero control plane") << "control-plane-node-pool" << 0 << "odd number";
    QTest::newRow("negative workers") << "workers-a" << -1 << ">= 0";
    QTest::newRow("unknown pool") << "gpu" << 1 << "no worker pool \"gpu\" (pools: workers-a, workers-b)";
}

void TestCapiYaml::resizeErrors()
{
    QFETCH(QString, pool);
    QFETCH(int, replicas);
    QFETCH(QString, message);
    const auto r = resizeCapiYaml(renderCapiYaml(sampleSpec()).value(), pool, replicas);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
}

void TestCapiYaml::upgrade()
{
    const QString before = renderCapiYaml(sampleSpec()).value();
    const auto after = upgradeCapiYaml(before, QStringLiteral("v1.29.6+vmware.1"));
    QVERIFY2(after.ok(), qPrintable(after.ok() ? QString() : after.error().message));
    const auto s = parseCapiYaml(*after).value();
    QCOMPARE(s.kubernetesVersion, QStringLiteral("v1.29.6+vmware.1"));
    QCOMPARE(s.workerPools.at(0).templateName, findRelease(QStringLiteral("v1.29.6+vmware.1"))->ovaTemplate());
    QCOMPARE(s.workerPools.at(0).replicas, 2); // untouched
    const YAML::Node cluster = YAML::LoadAll(after->toStdString()).front();
    QCOMPARE(cluster["metadata"]["labels"]["tanzuKubernetesRelease"].as<std::string>(), std::string("v1.29.6---vmware.1-tkg.3"));
    // Secret, VCDCluster, KubeadmConfigTemplates and MHC are left alone.
    const QStringList changed = changedDocuments(before, *after);
    for (const QString &k : changed)
        QVERIFY2(!k.startsWith(QLatin1String("Secret")) && !k.startsWith(QLatin1String("VCDCluster"))
                     && !k.startsWith(QLatin1String("KubeadmConfigTemplate")) && !k.startsWith(QLatin1String("MachineHealthCheck")),
                 qPrintable(k));
    QCOMPARE(changed.size(), 1 + 1 + 3 + 2); // Cluster, KCP, 3 templates, 2 deployments
}

void TestCapiYaml::upgradeRules_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("error"); // empty: allowed
    QTest::newRow("next minor") << "v1.27.15+vmware.1" << "v1.28.11+vmware.2" << "";
    QTest::newRow("newer patch") << "v1.29.2+vmware.1" << "v1.29.6+vmware.1" << "";
    QTest::newRow("skip a minor") << "v1.27.15+vmware.1" << "v1.29.6+vmware.1" << "one minor version at a time";
    QTest::newRow("downgrade") << "v1.30.2+vmware.1" << "v1.29.6+vmware.1" << "must be newer";
    QTest::newRow("same") << "v1.29.6+vmware.1" << "v1.29.6+vmware.1" << "must be newer";
    QTest::newRow("unsupported target") << "v1.29.6+vmware.1" << "v1.31.0+vmware.1" << "not a supported release";
}

void TestCapiYaml::upgradeRules()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, error);
    const auto r = checkUpgrade(from, to);
    QCOMPARE(r.ok(), error.isEmpty());
    if (!error.isEmpty())
        QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
}

void TestCapiYaml::invalidSpec_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("message");
    QTest::newRow("name") << 0 << "name \"Demo_1\"";
    QTest::newRow("version") << 1 << "kubernetesVersion \"v1.20.0\"";
    QTest::newRow("even cp") << 2 << "controlPlane.replicas";
    QTest::newRow("dup pool") << 3 << "workerPools[1].name \"workers-a\" is used twice";
    QTest::newRow("no vdc") << 4 << "vdc must not be empty";
    QTest::newRow("small disk") << 5 << "workerPools[0].diskSizeGi";
    QTest::newRow("no pools") << 6 << "at least one worker pool";
}

void TestCapiYaml::invalidSpec()
{
    QFETCH(int, which);
    QFETCH(QString, message);
    ClusterSpec s = sampleSpec();
    switch (which) {
    case 0: s.name = QStringLiteral("Demo_1"); break;
    case 1: s.kubernetesVersion = QStringLiteral("v1.20.0"); break;
    case 2: s.controlPlane.replicas = 2; break;
    case 3: s.workerPools[1].name = QStringLiteral("workers-a"); break;
    case 4: s.vdc.clear(); break;
    case 5: s.workerPools[0].diskSizeGi = 5; break;
    case 6: s.workerPools.clear(); break;
    }
    const auto r = renderCapiYaml(s);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
}

void TestCapiYaml::badYaml_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << "" << "capiYaml is empty";
    QTest::newRow("malformed") << "kind: Cluster\n  bad: [unclosed\n" << "not valid YAML at line";
    QTest::newRow("not objects") << "- a\n- b\n" << "document 1 is not a Kubernetes object";
    QTest::newRow("no KCP") << "kind: Cluster\nmetadata: {name: x}\n---\nkind: VCDCluster\nmetadata: {name: x}\n"
                               "---\nkind: VCDMachineTemplate\nmetadata: {name: x-cp}\n"
                            << "no KubeadmControlPlane object";
    QTest::newRow("KCP without version") << "kind: Cluster\nmetadata: {name: x}\n---\nkind: VCDCluster\nmetadata: {name: x}\n"
                                            "---\nkind: VCDMachineTemplate\nmetadata: {name: x-cp}\n"
                                            "---\nkind: KubeadmControlPlane\nmetadata: {name: x-cp}\nspec: {replicas: 1}\n"
                                         << "KubeadmControlPlane \"x-cp\" lacks spec.version";
    QTest::newRow("dangling template") << "kind: Cluster\nmetadata: {name: x}\n---\nkind: VCDCluster\nmetadata: {name: x}\n"
                                          "---\nkind: VCDMachineTemplate\nmetadata: {name: x-cp}\n"
                                          "---\nkind: KubeadmControlPlane\nmetadata: {name: x-cp}\n"
                                          "spec: {replicas: 1, version: v1.29.6+vmware.1, machineTemplate: {infrastructureRef: {name: x-other}}}\n"
                                       << "refers to VCDMachineTemplate \"x-other\"";
    QTest::newRow("bad replicas") << "kind: Cluster\nmetadata: {name: x}\n---\nkind: VCDCluster\nmetadata: {name: x}\n"
                                     "---\nkind: VCDMachineTemplate\nmetadata: {name: x-cp}\n"
                                     "---\nkind: KubeadmControlPlane\nmetadata: {name: x-cp}\nspec: {replicas: three}\n"
                                  << "malformed spec.replicas";
}

void TestCapiYaml::badYaml()
{
    QFETCH(QString, yaml);
    QFETCH(QString, message);
    const auto r = parseCapiYaml(yaml);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    QVERIFY(!resizeCapiYaml(yaml, QStringLiteral("w"), 1).ok());
}

// Found by tests/fuzz/fuzz_capiyaml: a pool name that stands for two pools
// resized the wrong one (an unnamed MachineDeployment beside an unnamed
// control plane resized the control plane). Names must tell pools apart, and
// resize finds a pool by the same name parseCapiYaml reports.
void TestCapiYaml::poolNamesFromFuzzing_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("pool");     // resized to 3
    QTest::addColumn<QString>("expected"); // "cp", a worker pool's index, or the error text
    QTest::newRow("unnamed control plane") << pools({}, {QStringLiteral("x-w")}) << "w" << "KubeadmControlPlane has no metadata.name";
    QTest::newRow("unnamed deployment") << pools(QStringLiteral("x-cp"), {QString()}) << "" << "MachineDeployment without metadata.name";
    QTest::newRow("worker named like the control plane") << pools(QStringLiteral("x-a"), {QStringLiteral("x-a")}) << "a"
                                                         << "names the node pool \"a\" twice";
    QTest::newRow("same pool with and without prefix") << pools(QStringLiteral("x-cp"), {QStringLiteral("x-w"), QStringLiteral("w")})
                                                       << "w" << "names the node pool \"w\" twice";
    QTest::newRow("prefix inside a pool name") << pools(QStringLiteral("x-cp"), {QStringLiteral("x-w"), QStringLiteral("x-x-w")})
                                               << "x-w" << "1";
    QTest::newRow("worker pool called control-plane") << pools(QStringLiteral("x-cp"), {QStringLiteral("x-control-plane")})
                                                      << "control-plane" << "0";
    QTest::newRow("control-plane alias") << pools(QStringLiteral("x-cp"), {QStringLiteral("x-w")}) << "control-plane" << "cp";
}

void TestCapiYaml::poolNamesFromFuzzing()
{
    QFETCH(QString, yaml);
    QFETCH(QString, pool);
    QFETCH(QString, expected);
    bool isIndex = false;
    const int index = expected.toInt(&isIndex);
    const auto before = parseCapiYaml(yaml);
    if (!isIndex && expected != QLatin1String("cp")) {
        QVERIFY(!before.ok());
        QVERIFY2(before.error().message.contains(expected), qPrintable(before.error().message));
        QVERIFY(!resizeCapiYaml(yaml, pool, 3).ok());
        return;
    }
    QVERIFY2(before.ok(), qPrintable(before.ok() ? QString() : before.error().message));
    const auto after = resizeCapiYaml(yaml, pool, 3);
    QVERIFY2(after.ok(), qPrintable(after.ok() ? QString() : after.error().message));
    const CapiSummary s = parseCapiYaml(*after).value();
    QCOMPARE(s.controlPlane.replicas, expected == QLatin1String("cp") ? 3 : 1);
    for (int i = 0; i < s.workerPools.size(); ++i)
        QCOMPARE(s.workerPools.at(i).replicas, isIndex && i == index ? 3 : 2);
}

void TestCapiYaml::tkgTemplateNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("os");
    QTest::addColumn<QString>("kubernetes");
    QTest::addColumn<QString>("tkgBuild");
    QTest::addColumn<QString>("tkgVersion"); // of the supported release; empty: none
    QTest::newRow("1.30 (govcd tkg_versions.json)") << QStringLiteral("ubuntu-2204-kube-v1.30.2+vmware.1-tkg.1-00b380629c7a9c10afaaa9df46ba2283")
                                                    << true << QStringLiteral("ubuntu-2204") << QStringLiteral("v1.30.2+vmware.1")
                                                    << QStringLiteral("tkg.1") << QStringLiteral("v2.5.2");
    QTest::newRow("1.28 vmware.2") << QStringLiteral("ubuntu-2204-kube-v1.28.11+vmware.2-tkg.2-7820f47053de95b5aaf7e33a17511e47") << true
                                   << QStringLiteral("ubuntu-2204") << QStringLiteral("v1.28.11+vmware.2") << QStringLiteral("tkg.2")
                                   << QStringLiteral("v2.5.2");
    QTest::newRow("older, unsupported") << QStringLiteral("ubuntu-2004-kube-v1.25.7+vmware.2-tkg.1-8a74b9f12e488c54605b3537acb683bc") << true
                                        << QStringLiteral("ubuntu-2004") << QStringLiteral("v1.25.7+vmware.2") << QStringLiteral("tkg.1") << QString();
    QTest::newRow("the old made-up form") << QStringLiteral("ubuntu-2204-kube-v1.30.2+vmware.1-tkg") << false << QString() << QString()
                                          << QString() << QString();
    QTest::newRow("short hash") << QStringLiteral("ubuntu-2204-kube-v1.30.2+vmware.1-tkg.1-00b3") << false << QString() << QString()
                                << QString() << QString();
    QTest::newRow("trailing text") << QStringLiteral("ubuntu-2204-kube-v1.30.2+vmware.1-tkg.1-00b380629c7a9c10afaaa9df46ba2283-copy") << false
                                   << QString() << QString() << QString() << QString();
}

void TestCapiYaml::tkgTemplateNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    const std::optional<TkgTemplateName> t = parseTkgTemplateName(name);
    QCOMPARE(t.has_value(), valid);
    if (!valid)
        return;
    QFETCH(QString, os);
    QFETCH(QString, kubernetes);
    QFETCH(QString, tkgBuild);
    QFETCH(QString, tkgVersion);
    QCOMPARE(t->os, os);
    QCOMPARE(t->kubernetesVersion, kubernetes);
    QCOMPARE(t->tkgBuild, tkgBuild);
    QCOMPARE(t->hash.size(), 32);
    QCOMPARE(t->release ? t->release->tkgVersion : QString(), tkgVersion);
    if (t->release)
        QCOMPARE(t->release->ovaTemplate(), name);
}

// Pools keep their object names (what CAPVCD reports them under) next to
// the short names resize uses; an unprefixed govcd pool stays as it is.
void TestCapiYaml::poolObjectNames()
{
    QString yaml = renderCapiYaml(sampleSpec()).value();
    auto s = parseCapiYaml(yaml);
    QVERIFY(s.ok());
    QCOMPARE(s->controlPlane.objectName, QStringLiteral("demo-control-plane-node-pool"));
    QCOMPARE(s->workerPools.first().objectName, QStringLiteral("demo-workers-a"));
    QCOMPARE(s->workerPools.first().name, QStringLiteral("workers-a"));
    QCOMPARE(s->controlPlane.catalog, QStringLiteral("tkgm_catalog"));
    QVERIFY(parseTkgTemplateName(s->controlPlane.templateName).has_value());
    yaml.replace(QLatin1String("demo-workers-a"), QLatin1String("node-pool-1"));
    s = parseCapiYaml(yaml);
    QVERIFY(s.ok());
    QCOMPARE(s->workerPools.first().objectName, QStringLiteral("node-pool-1"));
    QCOMPARE(s->workerPools.first().name, QStringLiteral("node-pool-1"));
}

QTEST_GUILESS_MAIN(TestCapiYaml)
#include "tst_capiyaml.moc"
