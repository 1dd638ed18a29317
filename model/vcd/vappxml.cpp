#include "vappxml.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>
#include <functional>

namespace cse::vcd::xml {

// ---- tree ----

QString Node::attr(const QString &localName) const
{
    for (const QXmlStreamAttribute &a : attrs)
        if (a.name() == localName)
            return a.value().toString();
    return {};
}

const Node *Node::child(const QString &localName) const
{
    for (const Node &c : children)
        if (c.name == localName)
            return &c;
    return nullptr;
}

QList<const Node *> Node::childrenNamed(const QString &localName) const
{
    QList<const Node *> out;
    for (const Node &c : children)
        if (c.name == localName)
            out.append(&c);
    return out;
}

QString Node::childText(const QString &localName) const
{
    const Node *c = child(localName);
    return c ? c->text : QString();
}

const Node *Node::find(const QString &localName) const
{
    for (const Node &c : children) {
        if (c.name == localName)
            return &c;
        if (const Node *deeper = c.find(localName))
            return deeper;
    }
    return nullptr;
}

Result<Node> parse(const QByteArray &xml)
{
    QXmlStreamReader r(xml);
    QList<Node> stack;
    std::optional<Node> root;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            Node n;
            n.ns = r.namespaceUri().toString();
            n.name = r.name().toString();
            n.attrs = r.attributes();
            stack.append(n);
        } else if (r.isCharacters() && !stack.isEmpty()) {
            stack.last().text += r.text();
        } else if (r.isEndElement() && !stack.isEmpty()) {
            Node done = stack.takeLast();
            done.text = done.text.trimmed();
            if (stack.isEmpty())
                root = std::move(done);
            else
                stack.last().children.append(std::move(done));
        }
    }
    if (r.hasError())
        return makeError(ErrorKind::Invalid, QStringLiteral("not well-formed XML (line %1): %2").arg(r.lineNumber()).arg(r.errorString()));
    if (!root)
        return makeError(ErrorKind::Invalid, QStringLiteral("empty XML document"));
    return *root;
}

// ---- views ----

namespace {

QList<Link> linksOf(const Node &n)
{
    QList<Link> out;
    for (const Node *l : n.childrenNamed(QStringLiteral("Link")))
        out.append({l->attr(QStringLiteral("rel")), l->attr(QStringLiteral("type")), l->attr(QStringLiteral("href")),
                    l->attr(QStringLiteral("name"))});
    return out;
}

Ref refOf(const Node &n)
{
    return {n.attr(QStringLiteral("href")), n.attr(QStringLiteral("name")), n.attr(QStringLiteral("type")),
            n.attr(QStringLiteral("id"))};
}

QList<Ref> refsIn(const Node &n, const QString &container, const QString &item)
{
    QList<Ref> out;
    if (const Node *c = n.child(container))
        for (const Node *r : c->childrenNamed(item))
            out.append(refOf(*r));
    return out;
}

template<typename T>
Result<T> readAs(const QByteArray &xml, const QString &rootName, const std::function<T(const Node &)> &view)
{
    auto n = parse(xml);
    if (!n)
        return n.error();
    if (n->name != rootName)
        return makeError(ErrorKind::Invalid, QStringLiteral("expected <%1>, got <%2>").arg(rootName, n->name));
    return view(*n);
}

} // namespace

bool Task::running() const
{
    return status == QLatin1String("queued") || status == QLatin1String("preRunning") || status == QLatin1String("running")
           || status == QLatin1String("postRunning");
}

Task taskFrom(const Node &n)
{
    Task t;
    t.href = n.attr(QStringLiteral("href"));
    t.id = n.attr(QStringLiteral("id"));
    t.status = n.attr(QStringLiteral("status"));
    t.operationName = n.attr(QStringLiteral("operationName"));
    t.operation = n.attr(QStringLiteral("operation"));
    if (const Node *e = n.child(QStringLiteral("Error"))) {
        t.hasError = true;
        t.error = {e->attr(QStringLiteral("message")), e->attr(QStringLiteral("majorErrorCode")),
                   e->attr(QStringLiteral("minorErrorCode"))};
    }
    return t;
}

Vm vmFrom(const Node &n)
{
    Vm vm;
    vm.href = n.attr(QStringLiteral("href"));
    vm.id = n.attr(QStringLiteral("id"));
    vm.name = n.attr(QStringLiteral("name"));
    vm.status = n.attr(QStringLiteral("status")).toInt();
    vm.deployed = n.attr(QStringLiteral("deployed")) == QLatin1String("true");
    vm.links = linksOf(n);
    if (const Node *ncs = n.child(QStringLiteral("NetworkConnectionSection"))) {
        const int primary = ncs->childText(QStringLiteral("PrimaryNetworkConnectionIndex")).toInt();
        for (const Node *c : ncs->childrenNamed(QStringLiteral("NetworkConnection")))
            if (c->childText(QStringLiteral("NetworkConnectionIndex")).toInt() == primary) {
                vm.ipAddress = c->childText(QStringLiteral("IpAddress"));
                vm.network = c->attr(QStringLiteral("network"));
            }
    }
    if (const Node *gc = n.child(QStringLiteral("GuestCustomizationSection"))) {
        vm.customizationEnabled = gc->childText(QStringLiteral("Enabled")) == QLatin1String("true");
        vm.customizationScript = gc->childText(QStringLiteral("CustomizationScript"));
        vm.computerName = gc->childText(QStringLiteral("ComputerName"));
    }
    if (const Node *hw = n.child(QStringLiteral("VirtualHardwareSection"))) {
        vm.extraConfig = readExtraConfig(*hw);
        vm.hardware = *hw;
    }
    return vm;
}

QString Vm::extraConfigValue(const QString &key) const
{
    for (const KeyValue &kv : extraConfig)
        if (kv.key == key)
            return kv.value;
    return {};
}

bool Vm::hasExtraConfig(const QString &key) const
{
    for (const KeyValue &kv : extraConfig)
        if (kv.key == key)
            return true;
    return false;
}

Result<ErrorInfo> readError(const QByteArray &xml)
{
    return readAs<ErrorInfo>(xml, QStringLiteral("Error"), [](const Node &n) {
        return ErrorInfo{n.attr(QStringLiteral("message")), n.attr(QStringLiteral("majorErrorCode")),
                         n.attr(QStringLiteral("minorErrorCode"))};
    });
}

Result<Task> readTask(const QByteArray &xml)
{
    return readAs<Task>(xml, QStringLiteral("Task"), taskFrom);
}

Result<QueryRecords> readQueryRecords(const QByteArray &xml)
{
    return readAs<QueryRecords>(xml, QStringLiteral("QueryResultRecords"), [](const Node &n) {
        QueryRecords q;
        q.total = n.attr(QStringLiteral("total")).toInt();
        q.page = n.attr(QStringLiteral("page")).toInt();
        q.pageSize = n.attr(QStringLiteral("pageSize")).toInt();
        q.links = linksOf(n);
        for (const Node &c : n.children)
            if (c.name.endsWith(QLatin1String("Record")))
                q.records.append(c.attrs);
        return q;
    });
}

Result<Org> readOrg(const QByteArray &xml)
{
    return readAs<Org>(xml, QStringLiteral("Org"), [](const Node &n) {
        return Org{n.attr(QStringLiteral("href")), n.attr(QStringLiteral("id")), n.attr(QStringLiteral("name")), linksOf(n)};
    });
}

Result<Vdc> readVdc(const QByteArray &xml)
{
    return readAs<Vdc>(xml, QStringLiteral("Vdc"), [](const Node &n) {
        Vdc v;
        v.href = n.attr(QStringLiteral("href"));
        v.id = n.attr(QStringLiteral("id"));
        v.name = n.attr(QStringLiteral("name"));
        v.links = linksOf(n);
        v.networks = refsIn(n, QStringLiteral("AvailableNetworks"), QStringLiteral("Network"));
        v.storageProfiles = refsIn(n, QStringLiteral("VdcStorageProfiles"), QStringLiteral("VdcStorageProfile"));
        v.resourceEntities = refsIn(n, QStringLiteral("ResourceEntities"), QStringLiteral("ResourceEntity"));
        return v;
    });
}

Result<VAppTemplate> readVAppTemplate(const QByteArray &xml)
{
    return readAs<VAppTemplate>(xml, QStringLiteral("VAppTemplate"), [](const Node &n) {
        VAppTemplate t;
        t.href = n.attr(QStringLiteral("href"));
        t.id = n.attr(QStringLiteral("id"));
        t.name = n.attr(QStringLiteral("name"));
        t.status = n.attr(QStringLiteral("status")).toInt();
        t.vms = refsIn(n, QStringLiteral("Children"), QStringLiteral("Vm"));
        return t;
    });
}

Result<VApp> readVApp(const QByteArray &xml)
{
    return readAs<VApp>(xml, QStringLiteral("VApp"), [](const Node &n) {
        VApp a;
        a.href = n.attr(QStringLiteral("href"));
        a.id = n.attr(QStringLiteral("id"));
        a.name = n.attr(QStringLiteral("name"));
        a.status = n.attr(QStringLiteral("status")).toInt();
        a.deployed = n.attr(QStringLiteral("deployed")) == QLatin1String("true");
        a.links = linksOf(n);
        if (const Node *tasks = n.child(QStringLiteral("Tasks")))
            for (const Node *t : tasks->childrenNamed(QStringLiteral("Task")))
                a.tasks.append(taskFrom(*t));
        if (const Node *ncs = n.child(QStringLiteral("NetworkConfigSection")))
            a.networkName = readNetworkConfig(*ncs).networkName;
        if (const Node *children = n.child(QStringLiteral("Children")))
            for (const Node *vm : children->childrenNamed(QStringLiteral("Vm")))
                a.vms.append(vmFrom(*vm));
        return a;
    });
}

Result<Vm> readVm(const QByteArray &xml)
{
    return readAs<Vm>(xml, QStringLiteral("Vm"), vmFrom);
}

Result<QString> readMetadataValue(const QByteArray &xml)
{
    return readAs<QString>(xml, QStringLiteral("MetadataValue"), [](const Node &n) {
        const Node *typed = n.child(QStringLiteral("TypedValue"));
        return typed ? typed->childText(QStringLiteral("Value")) : n.childText(QStringLiteral("Value"));
    });
}

Result<QList<KeyValue>> readMetadata(const QByteArray &xml)
{
    return readAs<QList<KeyValue>>(xml, QStringLiteral("Metadata"), [](const Node &n) {
        QList<KeyValue> out;
        for (const Node *e : n.childrenNamed(QStringLiteral("MetadataEntry"))) {
            const Node *typed = e->child(QStringLiteral("TypedValue"));
            out.append({e->childText(QStringLiteral("Key")), typed ? typed->childText(QStringLiteral("Value")) : e->childText(QStringLiteral("Value"))});
        }
        return out;
    });
}

Result<Node> readVirtualHardwareSection(const QByteArray &xml)
{
    return readAs<Node>(xml, QStringLiteral("VirtualHardwareSection"), [](const Node &n) { return n; });
}

ComposeParams readComposeParams(const Node &n)
{
    return {n.attr(QStringLiteral("name")), n.childText(QStringLiteral("Description")),
            n.attr(QStringLiteral("deploy")) == QLatin1String("true"), n.attr(QStringLiteral("powerOn")) == QLatin1String("true")};
}

NetworkConfig readNetworkConfig(const Node &n)
{
    NetworkConfig c;
    const Node *cfg = n.name == QLatin1String("NetworkConfig") ? &n : n.find(QStringLiteral("NetworkConfig"));
    if (!cfg)
        return c;
    c.networkName = cfg->attr(QStringLiteral("networkName"));
    if (const Node *conf = cfg->child(QStringLiteral("Configuration"))) {
        if (const Node *parent = conf->child(QStringLiteral("ParentNetwork")))
            c.parentHref = parent->attr(QStringLiteral("href"));
        c.fenceMode = conf->childText(QStringLiteral("FenceMode"));
    }
    return c;
}

RecomposeParams readRecomposeParams(const Node &n)
{
    RecomposeParams p;
    p.vAppName = n.attr(QStringLiteral("name"));
    for (const Node *item : n.childrenNamed(QStringLiteral("SourcedItem"))) {
        SourcedVm vm;
        if (const Node *src = item->child(QStringLiteral("Source"))) {
            vm.sourceHref = src->attr(QStringLiteral("href"));
            vm.name = src->attr(QStringLiteral("name"));
        }
        if (const Node *gp = item->child(QStringLiteral("VmGeneralParams"))) {
            if (!gp->childText(QStringLiteral("Name")).isEmpty())
                vm.name = gp->childText(QStringLiteral("Name"));
            vm.description = gp->childText(QStringLiteral("Description"));
        }
        if (const Node *ip = item->child(QStringLiteral("InstantiationParams"))) {
            if (const Node *gc = ip->child(QStringLiteral("GuestCustomizationSection"))) {
                vm.computerName = gc->childText(QStringLiteral("ComputerName"));
                vm.customizationScript = gc->childText(QStringLiteral("CustomizationScript"));
                vm.adminPassword = gc->childText(QStringLiteral("AdminPassword"));
            }
            if (const Node *ncs = ip->child(QStringLiteral("NetworkConnectionSection")))
                if (const Node *nc = ncs->child(QStringLiteral("NetworkConnection")))
                    vm.networkName = nc->attr(QStringLiteral("network"));
        }
        if (const Node *sp = item->child(QStringLiteral("StorageProfile"))) {
            vm.storageProfileHref = sp->attr(QStringLiteral("href"));
            vm.storageProfileName = sp->attr(QStringLiteral("name"));
        }
        if (const Node *cp = item->child(QStringLiteral("ComputePolicy"))) {
            if (const Node *s = cp->child(QStringLiteral("VmSizingPolicy")))
                vm.sizingPolicyHref = s->attr(QStringLiteral("href"));
            if (const Node *pl = cp->child(QStringLiteral("VmPlacementPolicy")))
                vm.placementPolicyHref = pl->attr(QStringLiteral("href"));
        }
        p.items.append(vm);
    }
    return p;
}

QList<KeyValue> readExtraConfig(const Node &n)
{
    QList<KeyValue> out;
    std::function<void(const Node &)> walk = [&](const Node &x) {
        for (const Node &c : x.children) {
            if (c.name == QLatin1String("ExtraConfig") && c.ns == ns::kVmw)
                out.append({c.attr(QStringLiteral("key")), c.attr(QStringLiteral("value"))});
            else
                walk(c);
        }
    };
    walk(n);
    return out;
}

QList<KeyValue> readProductProperties(const Node &n)
{
    QList<KeyValue> out;
    std::function<void(const Node &)> walk = [&](const Node &x) {
        for (const Node &c : x.children) {
            if (c.name == QLatin1String("Property") && c.ns == ns::kOvf) {
                QString value = c.attr(QStringLiteral("value"));
                if (const Node *v = c.child(QStringLiteral("Value")))
                    value = v->attr(QStringLiteral("value"));
                out.append({c.attr(QStringLiteral("key")), value});
            } else {
                walk(c);
            }
        }
    };
    walk(n);
    return out;
}

// ---- writers ----

namespace {

struct Doc
{
    QByteArray bytes;
    QXmlStreamWriter w{&bytes};
    explicit Doc(const QString &root, bool ovf = false, bool vmw = false)
    {
        w.writeStartDocument();
        w.writeNamespace(ns::kVcloud, QString());
        w.setAutoFormatting(false);
        if (ovf)
            w.writeNamespace(ns::kOvf, QStringLiteral("ovf"));
        if (vmw)
            w.writeNamespace(ns::kVmw, QStringLiteral("vmw"));
        w.writeStartElement(ns::kVcloud, root);
    }
    void text(const QString &name, const QString &value) { w.writeTextElement(ns::kVcloud, name, value); }
    void start(const QString &name) { w.writeStartElement(ns::kVcloud, name); }
    void end() { w.writeEndElement(); }
    QByteArray finish()
    {
        w.writeEndDocument();
        return bytes;
    }
};

void writeExtraConfig(QXmlStreamWriter &w, const QList<KeyValue> &items)
{
    for (const KeyValue &kv : items) {
        w.writeEmptyElement(ns::kVmw, QStringLiteral("ExtraConfig"));
        w.writeAttribute(ns::kVmw, QStringLiteral("key"), kv.key);
        w.writeAttribute(ns::kVmw, QStringLiteral("value"), kv.value);
        w.writeAttribute(ns::kOvf, QStringLiteral("required"), QStringLiteral("true"));
    }
}

QString boolText(bool b) { return b ? QStringLiteral("true") : QStringLiteral("false"); }

} // namespace

QByteArray writeComposeVAppParams(const ComposeParams &p)
{
    Doc d(QStringLiteral("ComposeVAppParams"), true);
    d.w.writeAttribute(QStringLiteral("name"), p.name);
    d.w.writeAttribute(QStringLiteral("deploy"), boolText(p.deploy));
    d.w.writeAttribute(QStringLiteral("powerOn"), boolText(p.powerOn));
    d.text(QStringLiteral("Description"), p.description);
    d.text(QStringLiteral("AllEULAsAccepted"), QStringLiteral("true"));
    return d.finish();
}

QByteArray writeNetworkConfigSection(const NetworkConfig &c)
{
    Doc d(QStringLiteral("NetworkConfigSection"), true);
    d.w.writeTextElement(ns::kOvf, QStringLiteral("Info"), QStringLiteral("Configuration parameters for logical networks"));
    d.start(QStringLiteral("NetworkConfig"));
    d.w.writeAttribute(QStringLiteral("networkName"), c.networkName);
    d.start(QStringLiteral("Configuration"));
    d.start(QStringLiteral("ParentNetwork"));
    d.w.writeAttribute(QStringLiteral("href"), c.parentHref);
    d.end();
    d.text(QStringLiteral("FenceMode"), c.fenceMode);
    d.end();
    d.text(QStringLiteral("IsDeployed"), QStringLiteral("false"));
    d.end();
    return d.finish();
}

QByteArray writeRecomposeVAppParams(const RecomposeParams &p)
{
    Doc d(QStringLiteral("RecomposeVAppParams"), true);
    d.w.writeAttribute(QStringLiteral("name"), p.vAppName);
    d.w.writeAttribute(QStringLiteral("deploy"), QStringLiteral("false"));
    d.w.writeAttribute(QStringLiteral("powerOn"), QStringLiteral("false"));
    for (const SourcedVm &vm : p.items) {
        d.start(QStringLiteral("SourcedItem"));
        d.start(QStringLiteral("Source"));
        d.w.writeAttribute(QStringLiteral("href"), vm.sourceHref);
        d.w.writeAttribute(QStringLiteral("name"), vm.name);
        d.end();
        d.start(QStringLiteral("VmGeneralParams"));
        d.text(QStringLiteral("Name"), vm.name);
        d.text(QStringLiteral("Description"), vm.description);
        d.text(QStringLiteral("NeedsCustomization"), QStringLiteral("true"));
        d.text(QStringLiteral("RegenerateBiosUuid"), QStringLiteral("true"));
        d.end();
        d.text(QStringLiteral("VAppScopedLocalId"), vm.name);
        d.start(QStringLiteral("InstantiationParams"));
        d.start(QStringLiteral("GuestCustomizationSection"));
        d.w.writeTextElement(ns::kOvf, QStringLiteral("Info"), QStringLiteral("Specifies Guest OS Customization Settings"));
        d.text(QStringLiteral("Enabled"), QStringLiteral("true"));
        d.text(QStringLiteral("AdminPasswordEnabled"), QStringLiteral("true"));
        d.text(QStringLiteral("AdminPasswordAuto"), boolText(vm.adminPassword.isEmpty()));
        if (!vm.adminPassword.isEmpty())
            d.text(QStringLiteral("AdminPassword"), vm.adminPassword);
        d.text(QStringLiteral("ResetPasswordRequired"), QStringLiteral("false"));
        if (!vm.customizationScript.isEmpty())
            d.text(QStringLiteral("CustomizationScript"), vm.customizationScript);
        d.text(QStringLiteral("ComputerName"), vm.computerName.isEmpty() ? vm.name : vm.computerName);
        d.end();
        d.start(QStringLiteral("NetworkConnectionSection"));
        d.w.writeTextElement(ns::kOvf, QStringLiteral("Info"), QStringLiteral("Network config for sourced item"));
        d.text(QStringLiteral("PrimaryNetworkConnectionIndex"), QStringLiteral("0"));
        d.start(QStringLiteral("NetworkConnection"));
        d.w.writeAttribute(QStringLiteral("network"), vm.networkName);
        d.w.writeAttribute(QStringLiteral("needsCustomization"), QStringLiteral("false"));
        d.text(QStringLiteral("NetworkConnectionIndex"), QStringLiteral("0"));
        d.text(QStringLiteral("IsConnected"), QStringLiteral("true"));
        d.text(QStringLiteral("IpAddressAllocationMode"), QStringLiteral("POOL"));
        d.text(QStringLiteral("NetworkAdapterType"), QStringLiteral("VMXNET3"));
        d.end();
        d.end();
        d.end(); // InstantiationParams
        if (!vm.storageProfileHref.isEmpty()) {
            d.start(QStringLiteral("StorageProfile"));
            d.w.writeAttribute(QStringLiteral("href"), vm.storageProfileHref);
            if (!vm.storageProfileName.isEmpty())
                d.w.writeAttribute(QStringLiteral("name"), vm.storageProfileName);
            d.end();
        }
        if (!vm.sizingPolicyHref.isEmpty() || !vm.placementPolicyHref.isEmpty()) {
            d.start(QStringLiteral("ComputePolicy"));
            if (!vm.placementPolicyHref.isEmpty()) {
                d.start(QStringLiteral("VmPlacementPolicy"));
                d.w.writeAttribute(QStringLiteral("href"), vm.placementPolicyHref);
                d.end();
            }
            if (!vm.sizingPolicyHref.isEmpty()) {
                d.start(QStringLiteral("VmSizingPolicy"));
                d.w.writeAttribute(QStringLiteral("href"), vm.sizingPolicyHref);
                d.end();
            }
            d.end();
        }
        d.end(); // SourcedItem
    }
    d.text(QStringLiteral("AllEULAsAccepted"), QStringLiteral("true"));
    return d.finish();
}

namespace {

// Writes N and its subtree as read (attributes keep their namespaces).
void writeNode(QXmlStreamWriter &w, const Node &n)
{
    w.writeStartElement(n.ns, n.name);
    for (const QXmlStreamAttribute &a : n.attrs)
        w.writeAttribute(a);
    if (!n.text.isEmpty())
        w.writeCharacters(n.text);
    for (const Node &c : n.children)
        writeNode(w, c);
    w.writeEndElement();
}

// The hardware section's children, its ExtraConfig merged with CHANGES.
void writeHardwareBody(QXmlStreamWriter &w, const Node &section, const QList<KeyValue> &changes)
{
    QList<KeyValue> extra;
    bool wroteInfo = false;
    for (const Node &c : section.children) {
        if (c.name == QLatin1String("ExtraConfig") && c.ns == ns::kVmw) {
            extra.append({c.attr(QStringLiteral("key")), c.attr(QStringLiteral("value"))});
            continue;
        }
        wroteInfo = wroteInfo || c.name == QLatin1String("Info");
        writeNode(w, c);
    }
    if (!wroteInfo)
        w.writeTextElement(ns::kOvf, QStringLiteral("Info"), QStringLiteral("Virtual hardware requirements"));
    for (const KeyValue &kv : changes) {
        bool found = false;
        for (KeyValue &e : extra)
            if (e.key == kv.key) {
                e.value = kv.value;
                found = true;
            }
        if (!found)
            extra.append(kv);
    }
    writeExtraConfig(w, extra);
}

void declareSectionNamespaces(QXmlStreamWriter &w)
{
    w.writeNamespace(ns::kOvf, QStringLiteral("ovf"));
    w.writeNamespace(ns::kVmw, QStringLiteral("vmw"));
    w.writeNamespace(QStringLiteral("http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"),
                     QStringLiteral("rasd"));
}

} // namespace

QByteArray writeReconfigureVm(const Vm &vm, const QList<KeyValue> &extraConfig)
{
    QByteArray bytes;
    QXmlStreamWriter w(&bytes);
    w.writeStartDocument();
    w.writeNamespace(ns::kVcloud, QString());
    declareSectionNamespaces(w);
    w.writeStartElement(ns::kVcloud, QStringLiteral("Vm"));
    w.writeAttribute(QStringLiteral("href"), vm.href);
    w.writeAttribute(QStringLiteral("name"), vm.name);
    w.writeStartElement(ns::kOvf, QStringLiteral("VirtualHardwareSection"));
    writeHardwareBody(w, vm.hardware, extraConfig);
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndDocument();
    return bytes;
}

QByteArray writeVirtualHardwareSection(const Node &section, const QList<KeyValue> &extraConfig)
{
    QByteArray bytes;
    QXmlStreamWriter w(&bytes);
    w.writeStartDocument();
    w.writeNamespace(ns::kVcloud, QStringLiteral("vcloud"));
    declareSectionNamespaces(w);
    w.writeStartElement(ns::kOvf, QStringLiteral("VirtualHardwareSection"));
    for (const QXmlStreamAttribute &a : section.attrs)
        w.writeAttribute(a);
    writeHardwareBody(w, section, extraConfig);
    w.writeEndElement();
    w.writeEndDocument();
    return bytes;
}

QByteArray writeUndeployVAppParams(const QString &powerAction)
{
    Doc d(QStringLiteral("UndeployVAppParams"));
    d.text(QStringLiteral("UndeployPowerAction"), powerAction);
    return d.finish();
}

QByteArray writeDeployVAppParams(bool powerOn, bool forceCustomization)
{
    Doc d(QStringLiteral("DeployVAppParams"));
    d.w.writeAttribute(QStringLiteral("powerOn"), boolText(powerOn));
    d.w.writeAttribute(QStringLiteral("forceCustomization"), boolText(forceCustomization));
    return d.finish();
}

QByteArray writeMetadataValue(const QString &value)
{
    QByteArray bytes;
    QXmlStreamWriter w(&bytes);
    w.writeStartDocument();
    w.writeNamespace(ns::kVcloud, QString());
    w.writeNamespace(ns::kXsi, QStringLiteral("xsi"));
    w.writeStartElement(ns::kVcloud, QStringLiteral("MetadataValue"));
    w.writeStartElement(ns::kVcloud, QStringLiteral("TypedValue"));
    w.writeAttribute(ns::kXsi, QStringLiteral("type"), QStringLiteral("MetadataStringValue"));
    w.writeTextElement(ns::kVcloud, QStringLiteral("Value"), value);
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndDocument();
    return bytes;
}

QByteArray writeProductSections(const QList<KeyValue> &properties)
{
    Doc d(QStringLiteral("ProductSectionList"), true);
    d.w.writeStartElement(ns::kOvf, QStringLiteral("ProductSection"));
    d.w.writeTextElement(ns::kOvf, QStringLiteral("Info"), QStringLiteral("Custom properties"));
    for (const KeyValue &kv : properties) {
        d.w.writeStartElement(ns::kOvf, QStringLiteral("Property"));
        d.w.writeAttribute(ns::kOvf, QStringLiteral("key"), kv.key);
        d.w.writeAttribute(ns::kOvf, QStringLiteral("type"), QStringLiteral("string"));
        d.w.writeAttribute(ns::kOvf, QStringLiteral("userConfigurable"), QStringLiteral("true"));
        d.w.writeAttribute(ns::kOvf, QStringLiteral("value"), QString());
        d.w.writeTextElement(ns::kOvf, QStringLiteral("Label"), kv.key);
        d.w.writeEmptyElement(ns::kOvf, QStringLiteral("Value"));
        d.w.writeAttribute(ns::kOvf, QStringLiteral("value"), kv.value);
        d.w.writeEndElement();
    }
    d.w.writeEndElement();
    return d.finish();
}

} // namespace cse::vcd::xml
