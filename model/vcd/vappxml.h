// VCD's legacy XML API (/api/...): the one place where its documents are
// read (QXmlStreamReader) and written (QXmlStreamWriter). Readers build a
// small element tree, typed views pick what callers need from it; writers
// emit the request bodies in the XSD element order govcd and CAPVCD use.
// Both the server's infrastructure driver and vcd-sim use these.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QXmlStreamAttributes>

namespace cse::vcd::xml {

namespace ns {
inline const QString kVcloud = QStringLiteral("http://www.vmware.com/vcloud/v1.5");
inline const QString kOvf = QStringLiteral("http://schemas.dmtf.org/ovf/envelope/1");
inline const QString kVmw = QStringLiteral("http://www.vmware.com/schema/ovf");
inline const QString kXsi = QStringLiteral("http://www.w3.org/2001/XMLSchema-instance");
} // namespace ns

namespace mime {
inline constexpr const char *kAnyXml = "application/*+xml";
inline constexpr const char *kTask = "application/vnd.vmware.vcloud.task+xml";
inline constexpr const char *kOrgList = "application/vnd.vmware.vcloud.orgList+xml";
inline constexpr const char *kOrg = "application/vnd.vmware.vcloud.org+xml";
inline constexpr const char *kVdc = "application/vnd.vmware.vcloud.vdc+xml";
inline constexpr const char *kNetwork = "application/vnd.vmware.vcloud.orgNetwork+xml";
inline constexpr const char *kQueryRecords = "application/vnd.vmware.vcloud.query.records+xml";
inline constexpr const char *kVAppTemplate = "application/vnd.vmware.vcloud.vAppTemplate+xml";
inline constexpr const char *kVApp = "application/vnd.vmware.vcloud.vApp+xml";
inline constexpr const char *kVm = "application/vnd.vmware.vcloud.vm+xml";
inline constexpr const char *kComposeVAppParams = "application/vnd.vmware.vcloud.composeVAppParams+xml";
inline constexpr const char *kInstantiateVAppTemplateParams = "application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml";
inline constexpr const char *kRecomposeVAppParams = "application/vnd.vmware.vcloud.recomposeVAppParams+xml";
inline constexpr const char *kNetworkConfigSection = "application/vnd.vmware.vcloud.networkconfigsection+xml";
inline constexpr const char *kVirtualHardwareSection = "application/vnd.vmware.vcloud.virtualHardwareSection+xml";
inline constexpr const char *kProductSections = "application/vnd.vmware.vcloud.productSections+xml";
inline constexpr const char *kGuestCustomizationSection = "application/vnd.vmware.vcloud.guestCustomizationSection+xml";
inline constexpr const char *kGuestCustomizationStatus = "application/vnd.vmware.vcloud.guestcustomizationstatussection+xml";
inline constexpr const char *kDeployVAppParams = "application/vnd.vmware.vcloud.deployVAppParams+xml";
inline constexpr const char *kUndeployVAppParams = "application/vnd.vmware.vcloud.undeployVAppParams+xml";
inline constexpr const char *kMetadata = "application/vnd.vmware.vcloud.metadata+xml";
inline constexpr const char *kMetadataValue = "application/vnd.vmware.vcloud.metadata.value+xml";
inline constexpr const char *kError = "application/vnd.vmware.vcloud.error+xml";
} // namespace mime

// VM/vApp status integers (govcd types/v56/types.go).
namespace status {
inline constexpr int kFailedCreation = -1;
inline constexpr int kUnresolved = 0;
inline constexpr int kResolved = 1;
inline constexpr int kPoweredOn = 4;
inline constexpr int kPoweredOff = 8;
} // namespace status

// One parsed element: namespace, local name, attributes, text, children.
struct Node
{
    QString ns;
    QString name;
    QXmlStreamAttributes attrs;
    QString text;
    QList<Node> children;

    QString attr(const QString &localName) const; // any namespace
    const Node *child(const QString &localName) const;
    QList<const Node *> childrenNamed(const QString &localName) const;
    QString childText(const QString &localName) const;
    const Node *find(const QString &localName) const; // depth first, self excluded
};

Result<Node> parse(const QByteArray &xml);

struct Link
{
    QString rel, type, href, name;
};

struct Ref
{
    QString href, name, type, id;
};

struct ErrorInfo
{
    QString message, majorErrorCode, minorErrorCode;
};

struct Task
{
    QString href, id, status, operationName, operation;
    bool hasError = false;
    ErrorInfo error;
    // govcd: queued/preRunning/running/postRunning run; success/aborted end; error fails.
    bool running() const;
    bool succeeded() const { return status == QLatin1String("success"); }
};

struct QueryRecords
{
    int total = 0, page = 1, pageSize = 25;
    QList<QXmlStreamAttributes> records;
    QList<Link> links;
};

struct Org
{
    QString href, id, name;
    QList<Link> links;
};

struct Vdc
{
    QString href, id, name;
    QList<Ref> networks, storageProfiles, resourceEntities;
    QList<Link> links;
};

struct VAppTemplate
{
    QString href, id, name;
    int status = 0;
    QList<Ref> vms;
};

struct KeyValue
{
    QString key, value;
};

struct Vm
{
    QString href, id, name;
    int status = 0;
    bool deployed = false;
    QString ipAddress, network, computerName;
    bool customizationEnabled = false;
    QString customizationScript;
    QList<KeyValue> extraConfig;
    QList<Link> links;
    // The ovf:VirtualHardwareSection as read (System, every Item, ExtraConfig):
    // a change is written back whole (writeVirtualHardwareSection).
    Node hardware;
    QString extraConfigValue(const QString &key) const;
    bool hasExtraConfig(const QString &key) const;
};

struct VApp
{
    QString href, id, name;
    int status = 0;
    bool deployed = false;
    QString networkName; // NetworkConfigSection's first NetworkConfig
    QList<Vm> vms;
    QList<Task> tasks;
    QList<Link> links;
};

Result<ErrorInfo> readError(const QByteArray &xml);
Result<Task> readTask(const QByteArray &xml);
Result<QueryRecords> readQueryRecords(const QByteArray &xml);
Result<Org> readOrg(const QByteArray &xml);
Result<Vdc> readVdc(const QByteArray &xml);
Result<VAppTemplate> readVAppTemplate(const QByteArray &xml);
Result<VApp> readVApp(const QByteArray &xml);
Result<Vm> readVm(const QByteArray &xml);
Result<QString> readMetadataValue(const QByteArray &xml); // MetadataValue/TypedValue/Value
// GET …/metadata: every MetadataEntry's Key and TypedValue/Value.
Result<QList<KeyValue>> readMetadata(const QByteArray &xml);
Result<Node> readVirtualHardwareSection(const QByteArray &xml);
Task taskFrom(const Node &n);
Vm vmFrom(const Node &n);

// ---- request bodies ----

struct ComposeParams
{
    QString name, description;
    bool deploy = false, powerOn = false;
};

struct NetworkConfig
{
    QString networkName, parentHref, fenceMode = QStringLiteral("bridged");
};

// One SourcedItem of RecomposeVAppParams (skeleton A of CAPVCD).
struct SourcedVm
{
    QString sourceHref;       // /api/vAppTemplate/vm-<uuid>
    QString name, description, computerName;
    QString customizationScript;
    QString adminPassword;    // empty: VCD picks one
    QString networkName;      // the vApp network (= org network name)
    QString storageProfileHref, storageProfileName;
    QString sizingPolicyHref, placementPolicyHref; // URN, URL or the policy's href
};

struct RecomposeParams
{
    QString vAppName;
    QList<SourcedVm> items;
};

ComposeParams readComposeParams(const Node &n);
NetworkConfig readNetworkConfig(const Node &n); // the first NetworkConfig
RecomposeParams readRecomposeParams(const Node &n);
QList<KeyValue> readExtraConfig(const Node &n);  // every vmw:ExtraConfig below n
QList<KeyValue> readProductProperties(const Node &n);

QByteArray writeComposeVAppParams(const ComposeParams &p);
QByteArray writeNetworkConfigSection(const NetworkConfig &c);
QByteArray writeRecomposeVAppParams(const RecomposeParams &p);
// VCD replaces the VM's hardware with what the body carries, so both bodies
// carry the section as read (vm.hardware: System, every Item, every
// ExtraConfig) with EXTRACONFIG merged in by key (an empty value deletes the
// key), as go-vcloud-director's vm.go and CAPVCD's vcdsdk vapp.go send it.
// reconfigureVm: the Vm with that section.
QByteArray writeReconfigureVm(const Vm &vm, const QList<KeyValue> &extraConfig);
// PUT …/virtualHardwareSection/: SECTION (from GET of it) with the merge.
QByteArray writeVirtualHardwareSection(const Node &section, const QList<KeyValue> &extraConfig);
QByteArray writeUndeployVAppParams(const QString &powerAction = QStringLiteral("powerOff"));
QByteArray writeDeployVAppParams(bool powerOn, bool forceCustomization);
QByteArray writeMetadataValue(const QString &value);
QByteArray writeProductSections(const QList<KeyValue> &properties);

} // namespace cse::vcd::xml
