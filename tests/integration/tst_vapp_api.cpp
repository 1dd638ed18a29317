// vcd-sim's legacy XML API driven the way go-vcloud-director drives VCD:
// template query -> compose -> network -> recompose -> reconfigureVm
// ExtraConfig -> power on -> read ExtraConfig -> undeploy -> delete, with
// status codes, media types, task states, 403 across orgs, and the rule
// that a deployed vApp cannot be deleted. Bodies go through model/vcd's
// XML layer, the one the server's driver uses.
#include "../support/simprocess.h"
#include "rde/capiyaml.h"
#include "vcd/vappxml.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace cse;
namespace xml = cse::vcd::xml;

namespace {

QByteArray version(const char *type) { return QByteArray(type) + ";version=37.2"; }

Result<vcd::Reply> xcall(vcd::Client &c, const QByteArray &method, const QString &pathOrUrl, const QByteArray &body = {},
                         const char *contentType = nullptr, QUrlQuery query = {})
{
    vcd::RequestSpec s;
    s.method = method;
    const QUrl url(pathOrUrl);
    s.path = url.isRelative() ? pathOrUrl : url.path();
    s.query = url.hasQuery() ? QUrlQuery(url) : query;
    s.body = body;
    if (contentType)
        s.contentType = version(contentType);
    s.accept = version(xml::mime::kAnyXml);
    s.idempotent = true;
    return vcd::await<vcd::Reply>([&](vcd::Callback<vcd::Reply> done) { c.send(s, done); });
}

QByteArray mediaType(const vcd::Reply &r) { return r.header("content-type").split(';').first(); }

} // namespace

class TestVappApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void goVcloudDirectorFlow();
    void recomposeAcceptsEveryPolicyForm();
    void queryPagesAndFilters();
    void taskCancelAndError();
    void rightsAcrossOrgs();

private:
    // Waits for a task the way govcd does (polls GET /api/task/{id}); returns its last state.
    xml::Task waitTask(vcd::Client &c, const QString &href, QStringList *seen = nullptr);
    QString composeVApp(const QString &name, xml::Vdc *vdcOut = nullptr);
    QString templateVmHref();
    xml::VApp readVApp(vcd::Client &c, const QString &href);

    test::SimProcess m_sim{{QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--latency-ms"), QStringLiteral("60")}};
    std::unique_ptr<vcd::Client> m_admin, m_acme, m_viewer, m_globex;
    xml::Vdc m_vdc;
};

void TestVappApi::initTestCase()
{
    QVERIFY2(m_sim.start(), qPrintable(m_sim.error()));
    m_admin = std::make_unique<vcd::Client>(m_sim.provider());
    m_acme = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    m_viewer = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-viewer")));
    m_globex = std::make_unique<vcd::Client>(m_sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
    for (auto *c : {m_admin.get(), m_acme.get(), m_viewer.get(), m_globex.get()})
        QVERIFY(test::connect(*c).ok());

    // Org -> VDC through the Links, as govcd resolves names client-side.
    auto orgList = xcall(*m_acme, "GET", QStringLiteral("/api/org/"));
    QVERIFY(orgList.ok());
    QCOMPARE(mediaType(*orgList), QByteArray(xml::mime::kOrgList));
    auto orgs = xml::parse(orgList->body);
    QVERIFY(orgs.ok());
    const QList<const xml::Node *> entries = orgs->childrenNamed(QStringLiteral("Org"));
    QCOMPARE(entries.size(), 1); // a tenant sees its own org only
    QCOMPARE(entries.first()->attr(QStringLiteral("name")), QStringLiteral("acme"));
    auto orgReply = xcall(*m_acme, "GET", entries.first()->attr(QStringLiteral("href")));
    QVERIFY(orgReply.ok());
    auto org = xml::readOrg(orgReply->body);
    QVERIFY(org.ok());
    QString vdcHref;
    for (const xml::Link &l : org->links)
        if (l.type == QLatin1String(xml::mime::kVdc) && l.name == QLatin1String("acme-vdc"))
            vdcHref = l.href;
    QVERIFY(!vdcHref.isEmpty());
    auto vdcReply = xcall(*m_acme, "GET", vdcHref);
    QVERIFY(vdcReply.ok());
    QCOMPARE(mediaType(*vdcReply), QByteArray(xml::mime::kVdc));
    auto vdc = xml::readVdc(vdcReply->body);
    QVERIFY(vdc.ok());
    m_vdc = *vdc;
    QCOMPARE(m_vdc.networks.size(), 1);
    QCOMPARE(m_vdc.networks.first().name, QStringLiteral("acme-net"));
    QVERIFY(!m_vdc.storageProfiles.isEmpty());
    bool canCompose = false;
    for (const xml::Link &l : m_vdc.links)
        canCompose = canCompose || (l.rel == QLatin1String("add") && l.type == QLatin1String(xml::mime::kComposeVAppParams));
    QVERIFY(canCompose);
}

xml::Task TestVappApi::waitTask(vcd::Client &c, const QString &href, QStringList *seen)
{
    xml::Task last;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 30000) {
        auto r = xcall(c, "GET", href);
        if (!r)
            return last;
        if (mediaType(*r) != QByteArray(xml::mime::kTask))
            return last;
        auto t = xml::readTask(r->body);
        if (!t)
            return last;
        last = *t;
        if (seen && (seen->isEmpty() || seen->last() != t->status))
            seen->append(t->status);
        if (!t->running())
            return last;
        QTest::qWait(15);
    }
    return last;
}

QString TestVappApi::templateVmHref()
{
    const QString name = rde::supportedReleases().first().ovaTemplate();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("type"), QStringLiteral("vAppTemplate"));
    q.addQueryItem(QStringLiteral("filter"), QStringLiteral("catalogName==tkgm_catalog;name==") + name);
    auto r = xcall(*m_acme, "GET", QStringLiteral("/api/query"), {}, nullptr, q);
    if (!r)
        return {};
    auto records = xml::readQueryRecords(r->body);
    if (!records || records->records.size() != 1)
        return {};
    auto tmpl = xcall(*m_acme, "GET", records->records.first().value(QStringLiteral("href")).toString());
    if (!tmpl)
        return {};
    auto view = xml::readVAppTemplate(tmpl->body);
    if (!view || view->status != xml::status::kPoweredOff || view->vms.isEmpty())
        return {};
    return view->vms.first().href;
}

xml::VApp TestVappApi::readVApp(vcd::Client &c, const QString &href)
{
    auto r = xcall(c, "GET", href);
    if (!r)
        return {};
    auto v = xml::readVApp(r->body);
    return v ? *v : xml::VApp();
}

QString TestVappApi::composeVApp(const QString &name, xml::Vdc *vdcOut)
{
    if (vdcOut)
        *vdcOut = m_vdc;
    auto composed = xcall(*m_acme, "POST", m_vdc.href + QStringLiteral("/action/composeVApp"),
                          xml::writeComposeVAppParams({name, QStringLiteral("test vApp"), false, false}), xml::mime::kComposeVAppParams);
    if (!composed || composed->status != 201)
        return {};
    auto vapp = xml::readVApp(composed->body);
    if (!vapp || vapp->tasks.isEmpty())
        return {};
    if (!waitTask(*m_acme, vapp->tasks.first().href).succeeded())
        return {};
    auto net = xcall(*m_acme, "PUT", vapp->href + QStringLiteral("/networkConfigSection/"),
                     xml::writeNetworkConfigSection({m_vdc.networks.first().name, m_vdc.networks.first().href}),
                     xml::mime::kNetworkConfigSection);
    if (!net || net->status != 202)
        return {};
    auto task = xml::readTask(net->body);
    if (!task || !waitTask(*m_acme, task->href).succeeded())
        return {};
    return vapp->href;
}

void TestVappApi::goVcloudDirectorFlow()
{
    // 1. template query
    const QString source = templateVmHref();
    QVERIFY(!source.isEmpty());

    // 2. compose: 201 with a VApp (status 0) that carries its Task
    auto composed = xcall(*m_acme, "POST", m_vdc.href + QStringLiteral("/action/composeVApp"),
                          xml::writeComposeVAppParams({QStringLiteral("gvcd-flow"), QString(), false, false}),
                          xml::mime::kComposeVAppParams);
    QVERIFY2(composed.ok(), qPrintable(composed ? QString() : composed.error().toString()));
    QCOMPARE(composed->status, 201);
    QCOMPARE(mediaType(*composed), QByteArray(xml::mime::kVApp));
    auto vapp = xml::readVApp(composed->body);
    QVERIFY(vapp.ok());
    QCOMPARE(vapp->status, xml::status::kUnresolved);
    QCOMPARE(vapp->tasks.size(), 1);
    QStringList states;
    xml::Task done = waitTask(*m_acme, vapp->tasks.first().href, &states);
    QCOMPARE(done.status, QStringLiteral("success"));
    QVERIFY2(states.first() == QLatin1String("queued") || states.first() == QLatin1String("running"), qPrintable(states.join(',')));
    const QString href = vapp->href;

    // A second vApp of the same name in the VDC is refused.
    auto dup = xcall(*m_acme, "POST", m_vdc.href + QStringLiteral("/action/composeVApp"),
                     xml::writeComposeVAppParams({QStringLiteral("gvcd-flow"), QString(), false, false}), xml::mime::kComposeVAppParams);
    QVERIFY(!dup.ok());
    QCOMPARE(dup.error().httpStatus, 400);
    // /api errors are VCD's XML <Error message majorErrorCode minorErrorCode/>:
    // the client surfaces the message and the minor code.
    QCOMPARE(dup.error().minorErrorCode, QStringLiteral("DUPLICATE_NAME"));
    QVERIFY2(dup.error().message.contains(QLatin1String("already exists")), qPrintable(dup.error().toString()));
    QVERIFY2(dup.error().toString().contains(QLatin1String("[DUPLICATE_NAME]")), qPrintable(dup.error().toString()));

    // Metadata naming the cluster (the audit records VMs by it).
    auto md = xcall(*m_acme, "PUT", href + QStringLiteral("/metadata/cse.clusterId"), xml::writeMetadataValue(QStringLiteral("urn:test:flow")),
                    xml::mime::kMetadataValue);
    QVERIFY(md.ok());
    QCOMPARE(md->status, 202);
    QVERIFY(waitTask(*m_acme, xml::readTask(md->body)->href).succeeded());
    auto mdRead = xcall(*m_acme, "GET", href + QStringLiteral("/metadata/cse.clusterId"));
    QVERIFY(mdRead.ok());
    QCOMPARE(xml::readMetadataValue(mdRead->body).value(), QStringLiteral("urn:test:flow"));
    // A key the vApp lacks answers 403 (pyvcloud metadata.py), not 404; the
    // list names every key (what CAPVCD reads).
    auto mdMissing = xcall(*m_acme, "GET", href + QStringLiteral("/metadata/cse.role"));
    QVERIFY(!mdMissing.ok());
    QCOMPARE(mdMissing.error().httpStatus, 403);
    QCOMPARE(mdMissing.error().minorErrorCode, QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN"));
    auto mdList = xcall(*m_acme, "GET", href + QStringLiteral("/metadata"));
    QVERIFY(mdList.ok());
    const QList<xml::KeyValue> entries = xml::readMetadata(mdList->body).value();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().key, QStringLiteral("cse.clusterId"));
    QCOMPARE(entries.first().value, QStringLiteral("urn:test:flow"));

    // 3. network: a wrong media type is refused, the right one answers 202 + Task
    const QByteArray netBody = xml::writeNetworkConfigSection({m_vdc.networks.first().name, m_vdc.networks.first().href});
    auto wrongType = xcall(*m_acme, "PUT", href + QStringLiteral("/networkConfigSection/"), netBody, xml::mime::kVApp);
    QVERIFY(!wrongType.ok());
    QCOMPARE(wrongType.error().httpStatus, 415);
    auto net = xcall(*m_acme, "PUT", href + QStringLiteral("/networkConfigSection/"), netBody, xml::mime::kNetworkConfigSection);
    QVERIFY(net.ok());
    QCOMPARE(net->status, 202);
    QCOMPARE(mediaType(*net), QByteArray(xml::mime::kTask));
    QVERIFY(!net->header("location").isEmpty());
    QVERIFY(waitTask(*m_acme, xml::readTask(net->body)->href).succeeded());

    // 4. recompose with the template VM, a sizing policy, the storage profile and a POOL NIC
    auto policies = test::call(*m_acme, "GET", QStringLiteral("/cloudapi/1.0.0/vdcComputePolicies"), {}, {},
                               QUrlQuery(QStringLiteral("filter=name==TKG%20small")));
    QVERIFY(policies.ok());
    const QJsonArray values = policies->json().value(QLatin1String("values")).toArray();
    QCOMPARE(values.size(), 1);
    const QString policyUrn = values.first().toObject().value(QLatin1String("id")).toString();
    QVERIFY(policyUrn.startsWith(QLatin1String("urn:vcloud:vdcComputePolicy:")));
    xml::SourcedVm item;
    item.sourceHref = source;
    item.name = QStringLiteral("bootstrap-vm");
    item.networkName = m_vdc.networks.first().name;
    item.storageProfileHref = m_vdc.storageProfiles.first().href;
    item.sizingPolicyHref = policyUrn;
    item.customizationScript = QStringLiteral("#!/usr/bin/env bash\necho hi\n");
    auto recomposed = xcall(*m_acme, "POST", href + QStringLiteral("/action/recomposeVApp"),
                            xml::writeRecomposeVAppParams({QStringLiteral("gvcd-flow"), {item}}), xml::mime::kRecomposeVAppParams);
    QVERIFY2(recomposed.ok(), qPrintable(recomposed ? QString() : recomposed.error().toString()));
    QCOMPARE(recomposed->status, 202);
    const xml::Task recomposeTask = xml::readTask(recomposed->body).value();
    // The task names no VM: look it up by name in the vApp, as govcd does.
    xml::VApp during = readVApp(*m_acme, href);
    QCOMPARE(during.vms.size(), 1);
    QVERIFY(waitTask(*m_acme, recomposeTask.href).succeeded());
    xml::VApp after = readVApp(*m_acme, href);
    QCOMPARE(after.vms.size(), 1);
    const xml::Vm vm = after.vms.first();
    QCOMPARE(vm.name, QStringLiteral("bootstrap-vm"));
    QCOMPARE(vm.status, xml::status::kPoweredOff);
    QVERIFY(!vm.ipAddress.isEmpty());
    QCOMPARE(vm.network, QStringLiteral("acme-net"));
    QVERIFY(vm.customizationEnabled);

    // 5. reconfigureVm: ExtraConfig guestinfo.userdata (base64 cloud-config).
    // The body replaces the VM's hardware: one that drops the VM's items
    // (CPU, memory, disk, NIC) is refused, naming them.
    xml::Vm bare = vm;
    bare.hardware = xml::Node();
    auto dropped = xcall(*m_acme, "POST", vm.href + QStringLiteral("/action/reconfigureVm"),
                         xml::writeReconfigureVm(bare, {{QStringLiteral("guestinfo.x"), QStringLiteral("1")}}), xml::mime::kVm);
    QVERIFY(!dropped.ok());
    QCOMPARE(dropped.error().httpStatus, 400);
    for (const char *item : {"virtual CPU", "MB of memory", "Hard disk 1", "Network adapter 0"})
        QVERIFY2(dropped.error().message.contains(QLatin1String(item)), qPrintable(dropped.error().message));
    const QString userdata = QString::fromLatin1(QByteArray("#cloud-config\nruncmd: [echo hi]\n").toBase64());
    auto reconf = xcall(*m_acme, "POST", vm.href + QStringLiteral("/action/reconfigureVm"),
                        xml::writeReconfigureVm(vm, {{QStringLiteral("guestinfo.userdata"), userdata},
                                                     {QStringLiteral("guestinfo.userdata.encoding"), QStringLiteral("base64")},
                                                     {QStringLiteral("disk.enableUUID"), QStringLiteral("1")}}),
                        xml::mime::kVm);
    QVERIFY(reconf.ok());
    QCOMPARE(reconf->status, 202);
    QVERIFY(waitTask(*m_acme, xml::readTask(reconf->body)->href).succeeded());
    // Upsert by key; an empty value deletes the key; keys with spaces are refused.
    // The section is read, changed and written back whole (govcd vm.go).
    auto section = xcall(*m_acme, "GET", vm.href + QStringLiteral("/virtualHardwareSection/"));
    QVERIFY(section.ok());
    const xml::Node hardware = xml::readVirtualHardwareSection(section->body).value();
    QCOMPARE(xml::readExtraConfig(hardware).size(), 3);
    auto partial = xcall(*m_acme, "PUT", vm.href + QStringLiteral("/virtualHardwareSection/"),
                         xml::writeVirtualHardwareSection(xml::Node(), {{QStringLiteral("disk.enableUUID"), QString()}}),
                         xml::mime::kVirtualHardwareSection);
    QVERIFY(!partial.ok());
    QCOMPARE(partial.error().httpStatus, 400);
    auto unset = xcall(*m_acme, "PUT", vm.href + QStringLiteral("/virtualHardwareSection/"),
                       xml::writeVirtualHardwareSection(hardware, {{QStringLiteral("disk.enableUUID"), QString()}}), xml::mime::kVirtualHardwareSection);
    QVERIFY(unset.ok());
    QVERIFY(waitTask(*m_acme, xml::readTask(unset->body)->href).succeeded());
    auto badKey = xcall(*m_acme, "POST", vm.href + QStringLiteral("/action/reconfigureVm"),
                        xml::writeReconfigureVm(vm, {{QStringLiteral("bad key"), QStringLiteral("x")}}), xml::mime::kVm);
    QVERIFY(!badKey.ok());
    QCOMPARE(badKey.error().httpStatus, 400);

    // 6. power on, then read ExtraConfig back from GET vm
    auto on = xcall(*m_acme, "POST", vm.href + QStringLiteral("/power/action/powerOn"));
    QVERIFY(on.ok());
    QCOMPARE(on->status, 202);
    QVERIFY(waitTask(*m_acme, xml::readTask(on->body)->href).succeeded());
    auto vmReply = xcall(*m_acme, "GET", vm.href);
    QVERIFY(vmReply.ok());
    QCOMPARE(mediaType(*vmReply), QByteArray(xml::mime::kVm));
    const xml::Vm running = xml::readVm(vmReply->body).value();
    QCOMPARE(running.status, xml::status::kPoweredOn);
    QVERIFY(running.deployed);
    QCOMPARE(running.extraConfigValue(QStringLiteral("guestinfo.userdata")), userdata);
    QCOMPARE(running.extraConfigValue(QStringLiteral("guestinfo.userdata.encoding")), QStringLiteral("base64"));
    QVERIFY(!running.hasExtraConfig(QStringLiteral("disk.enableUUID")));
    // Guest keys come from the VM's own href (CAPVCD's vcdsdk), not from the
    // vApp's Children view; a viewer (no "vApp: Allow All Extra Config")
    // reads the VM without them.
    const xml::VApp withChildren = readVApp(*m_acme, href);
    QCOMPARE(withChildren.vms.size(), 1);
    QVERIFY(withChildren.vms.first().extraConfig.isEmpty());
    auto viewerVm = xcall(*m_viewer, "GET", vm.href);
    QVERIFY(viewerVm.ok());
    QVERIFY(xml::readVm(viewerVm->body).value().extraConfig.isEmpty());
    QVERIFY(!viewerVm->body.contains(userdata.toLatin1()));
    auto viewerSection = xcall(*m_viewer, "GET", vm.href + QStringLiteral("/virtualHardwareSection/"));
    QVERIFY(viewerSection.ok());
    QVERIFY(!viewerSection->body.contains("guestinfo"));
    auto gcs = xcall(*m_acme, "GET", vm.href + QStringLiteral("/guestcustomizationstatus"));
    QVERIFY(gcs.ok());
    QVERIFY(gcs->body.contains("GC_COMPLETE"));
    xml::VApp poweredOn = readVApp(*m_acme, href);
    QCOMPARE(poweredOn.status, xml::status::kPoweredOn);
    QVERIFY(poweredOn.deployed);

    // 7. a deployed vApp cannot be deleted
    auto early = xcall(*m_acme, "DELETE", href);
    QVERIFY(!early.ok());
    QCOMPARE(early.error().httpStatus, 400);

    // 8. undeploy, then delete
    auto undeploy = xcall(*m_acme, "POST", href + QStringLiteral("/action/undeploy"), xml::writeUndeployVAppParams(),
                          xml::mime::kUndeployVAppParams);
    QVERIFY(undeploy.ok());
    QCOMPARE(undeploy->status, 202);
    QVERIFY(waitTask(*m_acme, xml::readTask(undeploy->body)->href).succeeded());
    xml::VApp off = readVApp(*m_acme, href);
    QCOMPARE(off.status, xml::status::kPoweredOff);
    QVERIFY(!off.deployed);
    auto del = xcall(*m_acme, "DELETE", href);
    QVERIFY(del.ok());
    QCOMPARE(del->status, 202);
    QVERIFY(waitTask(*m_acme, xml::readTask(del->body)->href).succeeded());
    auto gone = xcall(*m_acme, "GET", href);
    QVERIFY(!gone.ok());
    QCOMPARE(gone.error().httpStatus, 403);

    // The audit saw the VM made and removed, once.
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("clusterId"), QStringLiteral("urn:test:flow"));
    auto audit = test::call(*m_admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/vms"), {}, {}, q);
    QVERIFY(audit.ok());
    const QJsonArray vms = QJsonDocument::fromJson(audit->body).array();
    QCOMPARE(vms.size(), 1);
    QCOMPARE(vms.first().toObject().value(QLatin1String("state")).toString(), QStringLiteral("deleted"));
}

void TestVappApi::recomposeAcceptsEveryPolicyForm()
{
    const QString href = composeVApp(QStringLiteral("policy-forms"));
    QVERIFY(!href.isEmpty());
    auto policies = test::call(*m_acme, "GET", QStringLiteral("/cloudapi/2.0.0/vdcComputePolicies"), {}, {},
                               QUrlQuery(QStringLiteral("filter=name==TKG%20medium")));
    QVERIFY(policies.ok());
    const QJsonObject policy = policies->json().value(QLatin1String("values")).toArray().first().toObject();
    const QString urn = policy.value(QLatin1String("id")).toString();
    const QStringList forms = {urn, m_sim.url() + QStringLiteral("/cloudapi/1.0.0/vdcComputePolicies/") + urn,
                               policy.value(QLatin1String("href")).toString()};
    QList<xml::SourcedVm> items;
    for (int i = 0; i < forms.size(); ++i) {
        xml::SourcedVm item;
        item.sourceHref = templateVmHref();
        item.name = QStringLiteral("vm-%1").arg(i);
        item.networkName = m_vdc.networks.first().name;
        item.sizingPolicyHref = forms[i];
        items.append(item);
    }
    auto r = xcall(*m_acme, "POST", href + QStringLiteral("/action/recomposeVApp"),
                   xml::writeRecomposeVAppParams({QStringLiteral("policy-forms"), items}), xml::mime::kRecomposeVAppParams);
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().toString()));
    QVERIFY(waitTask(*m_acme, xml::readTask(r->body)->href).succeeded());
    const xml::VApp vapp = readVApp(*m_acme, href);
    QCOMPARE(vapp.vms.size(), 3);
    for (const xml::Vm &vm : vapp.vms) {
        auto raw = xcall(*m_acme, "GET", vm.href);
        QVERIFY(raw.ok());
        QVERIFY(raw->body.contains("TKG medium"));
    }
    // An unknown policy, a NIC on a network the vApp lacks: 400.
    items = {items.first()};
    items.first().name = QStringLiteral("vm-bad");
    items.first().sizingPolicyHref = QStringLiteral("urn:vcloud:vdcComputePolicy:00000000-0000-0000-0000-000000000000");
    auto bad = xcall(*m_acme, "POST", href + QStringLiteral("/action/recomposeVApp"),
                     xml::writeRecomposeVAppParams({QStringLiteral("policy-forms"), items}), xml::mime::kRecomposeVAppParams);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().httpStatus, 400);
    items.first().sizingPolicyHref.clear();
    items.first().networkName = QStringLiteral("other-net");
    bad = xcall(*m_acme, "POST", href + QStringLiteral("/action/recomposeVApp"),
                xml::writeRecomposeVAppParams({QStringLiteral("policy-forms"), items}), xml::mime::kRecomposeVAppParams);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().httpStatus, 400);
}

void TestVappApi::queryPagesAndFilters()
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("type"), QStringLiteral("vAppTemplate"));
    q.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("2"));
    auto first = xcall(*m_acme, "GET", QStringLiteral("/api/query"), {}, nullptr, q);
    QVERIFY(first.ok());
    QCOMPARE(mediaType(*first), QByteArray(xml::mime::kQueryRecords));
    auto page1 = xml::readQueryRecords(first->body);
    QVERIFY(page1.ok());
    QCOMPARE(page1->total, int(rde::supportedReleases().size()));
    QCOMPARE(page1->records.size(), 2);
    QString next;
    for (const xml::Link &l : page1->links)
        if (l.rel == QLatin1String("nextPage"))
            next = l.href;
    QVERIFY(!next.isEmpty());
    auto second = xcall(*m_acme, "GET", next);
    QVERIFY(second.ok());
    QCOMPARE(xml::readQueryRecords(second->body)->page, 2);

    // A sysadmin-only type is refused to a tenant; a filter on vApp metadata finds one vApp.
    QUrlQuery admin;
    admin.addQueryItem(QStringLiteral("type"), QStringLiteral("adminVAppTemplate"));
    auto refused = xcall(*m_acme, "GET", QStringLiteral("/api/query"), {}, nullptr, admin);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().httpStatus, 403);
    QVERIFY(xcall(*m_admin, "GET", QStringLiteral("/api/query"), {}, nullptr, admin).ok());

    const QString href = composeVApp(QStringLiteral("query-me"));
    QVERIFY(!href.isEmpty());
    auto md = xcall(*m_acme, "PUT", href + QStringLiteral("/metadata/cse.clusterId"), xml::writeMetadataValue(QStringLiteral("urn:q:1")),
                    xml::mime::kMetadataValue);
    QVERIFY(md.ok());
    QVERIFY(waitTask(*m_acme, xml::readTask(md->body)->href).succeeded());
    QUrlQuery byMeta;
    byMeta.addQueryItem(QStringLiteral("type"), QStringLiteral("vApp"));
    byMeta.addQueryItem(QStringLiteral("filter"), QStringLiteral("metadata:cse.clusterId==STRING:urn:q:1"));
    auto found = xcall(*m_acme, "GET", QStringLiteral("/api/query"), {}, nullptr, byMeta);
    QVERIFY(found.ok());
    auto records = xml::readQueryRecords(found->body);
    QCOMPARE(records->records.size(), 1);
    QCOMPARE(records->records.first().value(QStringLiteral("name")).toString(), QStringLiteral("query-me"));
    // Another org's query does not see it.
    auto other = xcall(*m_globex, "GET", QStringLiteral("/api/query"), {}, nullptr, byMeta);
    QVERIFY(other.ok());
    QCOMPARE(xml::readQueryRecords(other->body)->total, 0);
}

void TestVappApi::taskCancelAndError()
{
    const QString href = composeVApp(QStringLiteral("tasks"));
    QVERIFY(!href.isEmpty());
    // cancel a running task: aborted, and its change never happens
    auto md = xcall(*m_acme, "PUT", href + QStringLiteral("/metadata/k"), xml::writeMetadataValue(QStringLiteral("v")),
                    xml::mime::kMetadataValue);
    QVERIFY(md.ok());
    const xml::Task task = xml::readTask(md->body).value();
    auto cancel = xcall(*m_acme, "POST", task.href + QStringLiteral("/action/cancel"));
    QVERIFY(cancel.ok());
    QCOMPARE(cancel->status, 204);
    QCOMPARE(waitTask(*m_acme, task.href).status, QStringLiteral("aborted"));
    QTest::qWait(200);
    QVERIFY(!xcall(*m_acme, "GET", href + QStringLiteral("/metadata/k")).ok());
    auto again = xcall(*m_acme, "POST", task.href + QStringLiteral("/action/cancel"));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().httpStatus, 400);

    // an injected failure ends the task in error with an <Error>
    const QByteArray rules = QJsonDocument(QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("infra:metadata")},
                                                                  {QStringLiteral("errorRate"), 1.0}}}).toJson();
    QVERIFY(test::call(*m_admin, "PUT", QStringLiteral("/cloudapi/x-sim/1.0.0/faults"), rules).ok());
    auto failing = xcall(*m_acme, "PUT", href + QStringLiteral("/metadata/k"), xml::writeMetadataValue(QStringLiteral("v")),
                         xml::mime::kMetadataValue);
    QVERIFY(failing.ok());
    const xml::Task failed = waitTask(*m_acme, xml::readTask(failing->body)->href);
    QVERIFY(test::call(*m_admin, "DELETE", QStringLiteral("/cloudapi/x-sim/1.0.0/faults")).ok());
    QCOMPARE(failed.status, QStringLiteral("error"));
    QVERIFY(failed.hasError);
    QVERIFY(!failed.error.message.isEmpty());
    QCOMPARE(failed.error.majorErrorCode, QStringLiteral("500"));
}

void TestVappApi::rightsAcrossOrgs()
{
    const QString href = composeVApp(QStringLiteral("mine"));
    QVERIFY(!href.isEmpty());
    // another org: 403 on read and on every change, as with entities
    for (const auto &[method, suffix] : {std::pair<QByteArray, QString>{"GET", QString()}, {"DELETE", QString()},
                                          {"POST", QStringLiteral("/power/action/powerOn")}}) {
        auto r = xcall(*m_globex, method, href + suffix);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().httpStatus, 403);
        QVERIFY(r.error().is(ErrorKind::Forbidden));
    }
    auto vdc = xcall(*m_globex, "GET", m_vdc.href);
    QVERIFY(!vdc.ok());
    QCOMPARE(vdc.error().httpStatus, 403);
    auto compose = xcall(*m_globex, "POST", m_vdc.href + QStringLiteral("/action/composeVApp"),
                         xml::writeComposeVAppParams({QStringLiteral("intruder"), QString(), false, false}), xml::mime::kComposeVAppParams);
    QVERIFY(!compose.ok());
    QCOMPARE(compose.error().httpStatus, 403);
    // a viewer of the same org reads but cannot change
    QVERIFY(xcall(*m_viewer, "GET", href).ok());
    auto del = xcall(*m_viewer, "DELETE", href);
    QVERIFY(!del.ok());
    QCOMPARE(del.error().httpStatus, 403);
    // the provider sees every org's vApp
    QVERIFY(xcall(*m_admin, "GET", href).ok());
}

QTEST_GUILESS_MAIN(TestVappApi)
#include "tst_vapp_api.moc"
