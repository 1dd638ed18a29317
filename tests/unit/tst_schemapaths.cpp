// Schema fidelity of the bundled capvcdCluster types: every field the real
// CSE types declare is declared here too, with the same JSON type; the
// restricted (private/secure) annotations sit where CSE puts them; seeded,
// infrastructure-written and sample entities validate.
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/schemavalidator.h"
#include "rde/types.h"
#include "vcdsim.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace cse;
using namespace cse::rde;

namespace {

// One schema node per path. Paths are dotted; "[]" is an array's items,
// ".*" an object's additionalProperties schema.
struct Node
{
    QString type; // "string", "object", ...; alternatives joined by '|', sorted; "any" when untyped
    QJsonObject schema;
};
using PathMap = QMap<QString, Node>;

QString typeOf(const QJsonObject &s)
{
    const QJsonValue t = s.value(QLatin1String("type"));
    if (t.isString())
        return t.toString();
    QStringList alts;
    if (t.isArray()) {
        for (const QJsonValue &v : t.toArray())
            alts << v.toString();
    } else {
        for (const char *key : {"anyOf", "oneOf"})
            for (const QJsonValue &v : s.value(QLatin1String(key)).toArray())
                alts << typeOf(v.toObject()).split(QLatin1Char('|'));
    }
    if (alts.isEmpty())
        return QStringLiteral("any");
    alts.sort();
    alts.removeDuplicates();
    return alts.join(QLatin1Char('|'));
}

void walk(const QJsonObject &root, QJsonObject s, const QString &path, PathMap &out, int depth = 0)
{
    QVERIFY2(depth < 40, qPrintable(QStringLiteral("schema too deep (a $ref cycle?) at ") + path));
    if (s.contains(QLatin1String("$ref"))) {
        const auto target = json::resolvePointer(root, s.value(QLatin1String("$ref")).toString());
        QVERIFY2(target.ok(), qPrintable(QStringLiteral("unresolved $ref at ") + path));
        s = target->toObject();
    }
    if (!path.isEmpty()) {
        QVERIFY2(!out.contains(path), qPrintable(QStringLiteral("path declared twice: ") + path));
        out.insert(path, {typeOf(s), s});
    }
    const QJsonObject props = s.value(QLatin1String("properties")).toObject();
    for (auto it = props.begin(); it != props.end(); ++it)
        walk(root, it.value().toObject(), path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(), out, depth + 1);
    if (s.value(QLatin1String("items")).isObject())
        walk(root, s.value(QLatin1String("items")).toObject(), path + QStringLiteral("[]"), out, depth + 1);
    if (s.value(QLatin1String("additionalProperties")).isObject())
        walk(root, s.value(QLatin1String("additionalProperties")).toObject(), path + QStringLiteral(".*"), out, depth + 1);
}

PathMap pathsOf(const QString &typeId)
{
    PathMap out;
    auto schema = bundledSchema(typeId);
    if (!schema)
        qFatal("no bundled schema for %s", qPrintable(typeId));
    walk(*schema, *schema, QString(), out);
    return out;
}

QString clusterType(const char *version) { return types::cluster(QString::fromLatin1(version)).id(); }

QJsonObject loadData(const QString &name)
{
    QFile f(QStringLiteral(CSE_TEST_DATA "/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(name));
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList steps(const char *dotted) { return QString::fromLatin1(dotted).split(QLatin1Char('.')); }

// ---- The expected (path: JSON type) lists --------------------------------

// Declared by capvcdCluster 1.1.0, 1.2.0 and 1.3.0.
const QStringList kCommon = {
    QStringLiteral("apiVersion: string"),
    QStringLiteral("kind: string"),
    QStringLiteral("metadata: object"),
    QStringLiteral("metadata.name: string"),
    QStringLiteral("metadata.orgName: string"),
    QStringLiteral("metadata.virtualDataCenterName: string"),
    QStringLiteral("metadata.site: string"),
    QStringLiteral("spec: object"),
    QStringLiteral("spec.capiYaml: string"),
    QStringLiteral("spec.yamlSet: array"),
    QStringLiteral("spec.yamlSet[]: string"),
    QStringLiteral("spec.vcdKe: object"),
    QStringLiteral("spec.vcdKe.isVCDKECluster: boolean"),
    QStringLiteral("spec.vcdKe.markForDelete: boolean"),
    QStringLiteral("spec.vcdKe.forceDelete: boolean"),
    QStringLiteral("spec.vcdKe.autoRepairOnErrors: boolean"),
    QStringLiteral("spec.vcdKe.defaultStorageClassOptions: object"),
    QStringLiteral("spec.vcdKe.defaultStorageClassOptions.vcdStorageProfileName: string"),
    QStringLiteral("spec.vcdKe.defaultStorageClassOptions.k8sStorageClassName: string"),
    QStringLiteral("spec.vcdKe.defaultStorageClassOptions.useDeleteReclaimPolicy: boolean"),
    QStringLiteral("spec.vcdKe.defaultStorageClassOptions.fileSystem: string"),
    QStringLiteral("spec.vcdKe.secure: object"),
    QStringLiteral("spec.vcdKe.secure.apiToken: string"),
    QStringLiteral("status: object"),
    // status.vcdKe, written by the server
    QStringLiteral("status.vcdKe: object"),
    QStringLiteral("status.vcdKe.state: string"),
    QStringLiteral("status.vcdKe.vcdKeVersion: string"),
    QStringLiteral("status.vcdKe.vcdKeInstanceId: string"),
    QStringLiteral("status.vcdKe.workerId: string"),
    QStringLiteral("status.vcdKe.heartbeatString: string"),
    QStringLiteral("status.vcdKe.heartbeatTimestamp: string"),
    QStringLiteral("status.vcdKe.eventSet: array"),
    QStringLiteral("status.vcdKe.eventSet[]: object"),
    QStringLiteral("status.vcdKe.eventSet[].name: string"),
    QStringLiteral("status.vcdKe.eventSet[].occurredAt: string"),
    QStringLiteral("status.vcdKe.eventSet[].vcdResourceId: string"),
    QStringLiteral("status.vcdKe.eventSet[].vcdResourceName: string"),
    QStringLiteral("status.vcdKe.eventSet[].additionalDetails: object"),
    QStringLiteral("status.vcdKe.errorSet: array"),
    QStringLiteral("status.vcdKe.errorSet[]: object"),
    QStringLiteral("status.vcdKe.errorSet[].name: string"),
    QStringLiteral("status.vcdKe.errorSet[].occurredAt: string"),
    QStringLiteral("status.vcdKe.errorSet[].vcdResourceId: string"),
    QStringLiteral("status.vcdKe.errorSet[].vcdResourceName: string"),
    QStringLiteral("status.vcdKe.errorSet[].additionalDetails: object"),
    QStringLiteral("status.vcdKe.vcdResourceSet: array"),
    QStringLiteral("status.vcdKe.vcdResourceSet[]: object"),
    QStringLiteral("status.vcdKe.vcdResourceSet[].id: string"),
    QStringLiteral("status.vcdKe.vcdResourceSet[].name: string"),
    QStringLiteral("status.vcdKe.vcdResourceSet[].type: string"),
    QStringLiteral("status.vcdKe.defaultStorageClass: object"), // free-form in our 1.1.0, typed from 1.2.0
    QStringLiteral("status.vcdKe.phase: string"),               // our additions: phase, ownerEpoch, repairAttempts
    QStringLiteral("status.vcdKe.ownerEpoch: integer"),
    QStringLiteral("status.vcdKe.repairAttempts: integer"),
    // status.capvcd, written by the infrastructure (CAPVCD)
    QStringLiteral("status.capvcd: object"),
    QStringLiteral("status.capvcd.phase: string"),
    QStringLiteral("status.capvcd.kubernetes: string"),
    QStringLiteral("status.capvcd.uid: string"),
    QStringLiteral("status.capvcd.parentUid: string"),
    QStringLiteral("status.capvcd.useAsManagementCluster: boolean"),
    QStringLiteral("status.capvcd.clusterApiStatus: object"),
    QStringLiteral("status.capvcd.clusterApiStatus.phase: string"),
    QStringLiteral("status.capvcd.clusterApiStatus.apiEndpoints: array"),
    QStringLiteral("status.capvcd.clusterApiStatus.apiEndpoints[]: object"), // untyped {host, port} in the real types
    QStringLiteral("status.capvcd.clusterApiStatus.apiEndpoints[].host: string"),
    QStringLiteral("status.capvcd.clusterApiStatus.apiEndpoints[].port: integer"),
    QStringLiteral("status.capvcd.nodePool: array"),
    QStringLiteral("status.capvcd.nodePool[]: object"),
    QStringLiteral("status.capvcd.nodePool[].name: string"),
    QStringLiteral("status.capvcd.nodePool[].sizingPolicy: string"),
    QStringLiteral("status.capvcd.nodePool[].placementPolicy: string"),
    QStringLiteral("status.capvcd.nodePool[].storageProfile: string"),
    QStringLiteral("status.capvcd.nodePool[].diskSizeMb: integer"),
    QStringLiteral("status.capvcd.nodePool[].nvidiaGpuEnabled: boolean"),
    QStringLiteral("status.capvcd.nodePool[].desiredReplicas: integer"),
    QStringLiteral("status.capvcd.nodePool[].availableReplicas: integer"),
    QStringLiteral("status.capvcd.nodePool[].nodeStatus: object"),
    QStringLiteral("status.capvcd.nodePool[].nodeStatus.*: string"),
    QStringLiteral("status.capvcd.k8sNetwork: object"),
    QStringLiteral("status.capvcd.k8sNetwork.pods: object"),
    QStringLiteral("status.capvcd.k8sNetwork.pods.cidrBlocks: array"),
    QStringLiteral("status.capvcd.k8sNetwork.pods.cidrBlocks[]: string"),
    QStringLiteral("status.capvcd.k8sNetwork.services: object"),
    QStringLiteral("status.capvcd.k8sNetwork.services.cidrBlocks: array"),
    QStringLiteral("status.capvcd.k8sNetwork.services.cidrBlocks[]: string"),
    QStringLiteral("status.capvcd.vcdProperties: object"),
    QStringLiteral("status.capvcd.vcdProperties.site: string"),
    QStringLiteral("status.capvcd.vcdProperties.organizations: array"),
    QStringLiteral("status.capvcd.vcdProperties.organizations[]: object"),
    QStringLiteral("status.capvcd.vcdProperties.organizations[].name: string"),
    QStringLiteral("status.capvcd.vcdProperties.organizations[].id: string"),
    QStringLiteral("status.capvcd.vcdProperties.orgVdcs: array"),
    QStringLiteral("status.capvcd.vcdProperties.orgVdcs[]: object"),
    QStringLiteral("status.capvcd.vcdProperties.orgVdcs[].name: string"),
    QStringLiteral("status.capvcd.vcdProperties.orgVdcs[].id: string"),
    QStringLiteral("status.capvcd.vcdProperties.orgVdcs[].ovdcNetworkName: string"),
    QStringLiteral("status.capvcd.upgrade: object"),
    QStringLiteral("status.capvcd.upgrade.current: object"),
    QStringLiteral("status.capvcd.upgrade.current.kubernetesVersion: string"),
    QStringLiteral("status.capvcd.upgrade.current.tkgVersion: string"),
    QStringLiteral("status.capvcd.upgrade.previous: object"),
    QStringLiteral("status.capvcd.upgrade.previous.kubernetesVersion: string"),
    QStringLiteral("status.capvcd.upgrade.previous.tkgVersion: string"),
    QStringLiteral("status.capvcd.upgrade.ready: boolean"),
    QStringLiteral("status.capvcd.capvcdVersion: string"),
    QStringLiteral("status.capvcd.createdByVersion: string"),
    QStringLiteral("status.capvcd.private: object"),
    QStringLiteral("status.capvcd.private.kubeConfig: string"),
    QStringLiteral("status.capvcd.eventSet: array"),
    QStringLiteral("status.capvcd.eventSet[]: object"),
    QStringLiteral("status.capvcd.eventSet[].name: string"),
    QStringLiteral("status.capvcd.eventSet[].occurredAt: string"),
    QStringLiteral("status.capvcd.eventSet[].vcdResourceId: string"),
    QStringLiteral("status.capvcd.eventSet[].vcdResourceName: string"),
    QStringLiteral("status.capvcd.eventSet[].additionalDetails: object"),
    QStringLiteral("status.capvcd.errorSet: array"),
    QStringLiteral("status.capvcd.errorSet[]: object"),
    QStringLiteral("status.capvcd.errorSet[].name: string"),
    QStringLiteral("status.capvcd.errorSet[].occurredAt: string"),
    QStringLiteral("status.capvcd.errorSet[].vcdResourceId: string"),
    QStringLiteral("status.capvcd.errorSet[].vcdResourceName: string"),
    QStringLiteral("status.capvcd.errorSet[].additionalDetails: object"),
    QStringLiteral("status.capvcd.vcdResourceSet: array"),
    QStringLiteral("status.capvcd.vcdResourceSet[]: object"),
    QStringLiteral("status.capvcd.clusterResourceSet: object"),
    QStringLiteral("status.capvcd.clusterResourceSetBindings: array"),
    QStringLiteral("status.capvcd.clusterResourceSetBindings[]: object"),
    QStringLiteral("status.capvcd.clusterResourceSetBindings[].clusterResourceSetName: string"),
    QStringLiteral("status.capvcd.clusterResourceSetBindings[].kind: string"),
    QStringLiteral("status.capvcd.clusterResourceSetBindings[].name: string"),
    QStringLiteral("status.capvcd.clusterResourceSetBindings[].lastAppliedTime: string"),
    QStringLiteral("status.capvcd.clusterResourceSetBindings[].applied: boolean"),
    QStringLiteral("status.cpi: object"),
    QStringLiteral("status.cpi.name: string"),
    QStringLiteral("status.cpi.version: string"),
    QStringLiteral("status.csi: object"),
};

// Added in 1.2.0 (CSE 4.1).
const QStringList kSince120 = {
    QStringLiteral("status.vcdKe.defaultStorageClass.vcdStorageProfileName: string"),
    QStringLiteral("status.vcdKe.defaultStorageClass.k8sStorageClassName: string"),
    QStringLiteral("status.vcdKe.defaultStorageClass.fileSystem: string"),
    QStringLiteral("status.vcdKe.defaultStorageClass.useDeleteReclaimPolicy: boolean"),
};

// Added in 1.3.0 (CSE 4.2): the RDE projector.
const QStringList kSince130 = {
    QStringLiteral("spec.projector: object"),
    QStringLiteral("spec.projector.operations: array"),
    QStringLiteral("spec.projector.operations[]: object"),
    QStringLiteral("spec.projector.operations[].verb: string"),
    QStringLiteral("spec.projector.operations[].name: string"),
    QStringLiteral("spec.projector.operations[].valueType: string"),
    QStringLiteral("spec.projector.operations[].values: array"),
    QStringLiteral("spec.projector.operations[].values[]: object|string"),
    QStringLiteral("spec.projector.operations[].sequence: integer"),
    QStringLiteral("spec.projector.operations[].retryUntilSuccess: boolean"),
    QStringLiteral("status.projector: object"),
    QStringLiteral("status.projector.name: string"),
    QStringLiteral("status.projector.version: string"),
    QStringLiteral("status.projector.lastAppliedTimestamp: string"),
    QStringLiteral("status.projector.lastAppliedSequence: integer"),
    QStringLiteral("status.projector.errorSet: array"),
    QStringLiteral("status.projector.errorSet[]: object"),
    QStringLiteral("status.projector.eventSet: array"),
    QStringLiteral("status.projector.eventSet[]: object"),
    QStringLiteral("status.projector.operations: array"),
    QStringLiteral("status.projector.operations[]: object"),
    QStringLiteral("status.projector.operations[].verb: string"),
    QStringLiteral("status.projector.operations[].name: string"),
    QStringLiteral("status.projector.operations[].valueType: string"),
    QStringLiteral("status.projector.operations[].output: string"),
    QStringLiteral("status.projector.operations[].sequence: integer"),
    QStringLiteral("status.projector.operations[].forceDelete: boolean"),
    QStringLiteral("status.projector.retrySet: array"),
    QStringLiteral("status.projector.retrySet[]: object"),
    QStringLiteral("status.projector.retrySet[].operation: object"),
    QStringLiteral("status.projector.retrySet[].operation.verb: string"),
    QStringLiteral("status.projector.retrySet[].operation.name: string"),
    QStringLiteral("status.projector.retrySet[].operation.valueType: string"),
    QStringLiteral("status.projector.retrySet[].operation.values: array"),
    QStringLiteral("status.projector.retrySet[].operation.values[]: object|string"),
    QStringLiteral("status.projector.retrySet[].operation.sequence: integer"),
    QStringLiteral("status.projector.retrySet[].operation.retryUntilSuccess: boolean"),
    QStringLiteral("status.projector.retrySet[].createTimeStamp: string"),
};

// Paths carrying x-vcloud-restricted, with the sorted list of its values.
const QStringList kRestrictedCommon = {
    QStringLiteral("spec.vcdKe.secure.apiToken: private,secure"),
    QStringLiteral("status: protected"),
    QStringLiteral("status.capvcd.private.kubeConfig: private,secure"),
};
const QStringList kRestrictedSince130 = {
    QStringLiteral("spec.projector: private"),
    QStringLiteral("spec.projector.operations[].values[]: private,secure"),
    QStringLiteral("status.projector.retrySet[].operation.values[]: private,secure"),
};

QStringList restrictedOf(const QJsonValue &v)
{
    QStringList out;
    if (v.isString())
        out << v.toString();
    for (const QJsonValue &x : v.toArray())
        out << x.toString();
    out.sort();
    return out;
}

} // namespace

class TestSchemaPaths : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pathsAndTypes_data();
    void pathsAndTypes();
    void keywords_data();
    void keywords();
    void restricted_data();
    void restricted();
    void samplesValidate_data();
    void samplesValidate();
    void wrongTypesRejected_data();
    void wrongTypesRejected();
    void seededAndInfraWrittenEntitiesValidate();
};

void TestSchemaPaths::pathsAndTypes_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("capvcdCluster 1.1.0") << clusterType("1.1.0") << kCommon;
    QTest::newRow("capvcdCluster 1.2.0") << clusterType("1.2.0") << kCommon + kSince120;
    QTest::newRow("capvcdCluster 1.3.0") << clusterType("1.3.0") << kCommon + kSince120 + kSince130;
}

void TestSchemaPaths::pathsAndTypes()
{
    QFETCH(QString, type);
    QFETCH(QStringList, expected);
    const PathMap actual = pathsOf(type);
    QMap<QString, QString> want;
    for (const QString &row : expected) {
        const int colon = row.indexOf(QStringLiteral(": "));
        QVERIFY2(colon > 0 && !want.contains(row.left(colon)), qPrintable(QStringLiteral("bad or repeated row: ") + row));
        want.insert(row.left(colon), row.mid(colon + 2));
    }
    QStringList problems;
    for (auto it = want.cbegin(); it != want.cend(); ++it) {
        if (!actual.contains(it.key()))
            problems << QStringLiteral("missing %1 (%2)").arg(it.key(), it.value());
        else if (actual.value(it.key()).type != it.value())
            problems << QStringLiteral("%1 is %2, expected %3").arg(it.key(), actual.value(it.key()).type, it.value());
    }
    for (auto it = actual.cbegin(); it != actual.cend(); ++it)
        if (!want.contains(it.key()))
            problems << QStringLiteral("not in the list: %1 (%2)").arg(it.key(), it->type);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n   "))));
}

// Bounds, defaults, enums and required lists the reference states for the
// fields that were missing.
void TestSchemaPaths::keywords_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("keyword");
    QTest::addColumn<QJsonValue>("value");
    const QJsonValue verbs = QJsonArray{QStringLiteral("apply"), QStringLiteral("create")};
    const QJsonValue valueTypes = QJsonArray{QStringLiteral("yamlLink"), QStringLiteral("yamlString")};
    const QString v13 = clusterType("1.3.0");
    for (const char *v : {"1.1.0", "1.2.0", "1.3.0"}) {
        QTest::addRow("%s apiEndpoints port max", v) << clusterType(v) << "status.capvcd.clusterApiStatus.apiEndpoints[].port"
                                                   << "maximum" << QJsonValue(65535);
        QTest::addRow("%s autoRepairOnErrors default", v) << clusterType(v) << "spec.vcdKe.autoRepairOnErrors"
                                                        << "default" << QJsonValue(true);
    }
    QTest::newRow("spec verb") << v13 << "spec.projector.operations[].verb" << "enum" << verbs;
    QTest::newRow("spec valueType") << v13 << "spec.projector.operations[].valueType" << "enum" << valueTypes;
    QTest::newRow("spec sequence min") << v13 << "spec.projector.operations[].sequence" << "minimum" << QJsonValue(1);
    QTest::newRow("spec retry default") << v13 << "spec.projector.operations[].retryUntilSuccess" << "default" << QJsonValue(false);
    QTest::newRow("spec required") << v13 << "spec.projector.operations[]" << "required"
                                   << QJsonValue(QJsonArray{QStringLiteral("verb"), QStringLiteral("values"),
                                                            QStringLiteral("valueType"), QStringLiteral("sequence")});
    QTest::newRow("status lastAppliedSequence min") << v13 << "status.projector.lastAppliedSequence" << "minimum" << QJsonValue(1);
    QTest::newRow("status lastAppliedSequence default") << v13 << "status.projector.lastAppliedSequence" << "default" << QJsonValue(1);
    QTest::newRow("status verb") << v13 << "status.projector.operations[].verb" << "enum" << verbs;
    QTest::newRow("status valueType") << v13 << "status.projector.operations[].valueType" << "enum" << valueTypes;
    QTest::newRow("retry verb") << v13 << "status.projector.retrySet[].operation.verb" << "enum" << verbs;
    QTest::newRow("retry valueType") << v13 << "status.projector.retrySet[].operation.valueType" << "enum" << valueTypes;
}

void TestSchemaPaths::keywords()
{
    QFETCH(QString, type);
    QFETCH(QString, path);
    QFETCH(QString, keyword);
    QFETCH(QJsonValue, value);
    const PathMap paths = pathsOf(type);
    QVERIFY2(paths.contains(path), qPrintable(path));
    const QJsonValue actual = paths.value(path).schema.value(keyword);
    QVERIFY2(json::equal(actual, value), qPrintable(QStringLiteral("%1 %2 = %3").arg(path, keyword, QString::fromUtf8(json::canonical(actual)))));
}

void TestSchemaPaths::restricted_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("securePaths");
    const QStringList reported = {QStringLiteral("spec.vcdKe.secure.apiToken"), QStringLiteral("status.capvcd.private.kubeConfig")};
    QTest::newRow("capvcdCluster 1.1.0") << clusterType("1.1.0") << kRestrictedCommon << reported;
    QTest::newRow("capvcdCluster 1.2.0") << clusterType("1.2.0") << kRestrictedCommon << reported;
    QTest::newRow("capvcdCluster 1.3.0") << clusterType("1.3.0") << kRestrictedCommon + kRestrictedSince130 << reported;
}

void TestSchemaPaths::restricted()
{
    QFETCH(QString, type);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, securePaths);
    const PathMap paths = pathsOf(type);
    QStringList actual;
    QStringList secureOutsideArrays;
    for (auto it = paths.cbegin(); it != paths.cend(); ++it) {
        const QStringList r = restrictedOf(it->schema.value(QLatin1String("x-vcloud-restricted")));
        if (r.isEmpty())
            continue;
        actual << it.key() + QStringLiteral(": ") + r.join(QLatin1Char(','));
        if (r.contains(QLatin1String("secure")) && !it.key().contains(QLatin1String("[]")))
            secureOutsideArrays << it.key();
    }
    actual.sort();
    expected.sort();
    QCOMPARE(actual, expected);

    // rde::securePaths() does not descend into arrays: it reports the secure
    // fields outside arrays and nothing else. The projector's values[]
    // (1.3.0) are secure too but cannot be named by a dotted path, so
    // vcd-sim does not mask them on GET and Client::updateEntity does not
    // treat them as secure.
    QStringList reported = rde::securePaths(bundledSchema(type).value());
    reported.sort();
    secureOutsideArrays.sort();
    QCOMPARE(reported, securePaths);
    QCOMPARE(reported, secureOutsideArrays);
}

void TestSchemaPaths::samplesValidate_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("entity");
    const QJsonObject projected = loadData(QStringLiteral("cluster-1.3.0-projected.json"));
    QTest::newRow("1.1.0 error") << clusterType("1.1.0") << loadData(QStringLiteral("cluster-1.1.0-error.json"));
    QTest::newRow("1.2.0 creating") << clusterType("1.2.0") << loadData(QStringLiteral("cluster-1.2.0-creating.json"));
    QTest::newRow("1.2.0 provisioned") << clusterType("1.2.0") << loadData(QStringLiteral("cluster-1.2.0-provisioned.json"));
    QTest::newRow("1.3.0 projector") << clusterType("1.3.0") << loadData(QStringLiteral("cluster-1.3.0-projector.json"));
    QTest::newRow("1.3.0 projected") << clusterType("1.3.0") << projected;
    // What CAPVCD writes into status.capvcd is the same for every version.
    const QJsonObject older = json::remove(json::remove(projected, {QStringLiteral("spec"), QStringLiteral("projector")}),
                                           {QStringLiteral("status"), QStringLiteral("projector")});
    QTest::newRow("1.2.0 with CAPVCD status") << clusterType("1.2.0") << older;
    QTest::newRow("1.1.0 with CAPVCD status") << clusterType("1.1.0") << older;
}

void TestSchemaPaths::samplesValidate()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, entity);
    QVERIFY(!entity.isEmpty());
    const auto errs = SchemaValidator(bundledSchema(type).value()).validate(entity);
    QVERIFY2(errs.isEmpty(), qPrintable(SchemaValidator::describe(errs)));
}

void TestSchemaPaths::wrongTypesRejected_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("entity");
    QTest::addColumn<QString>("pointer");
    const QJsonObject good = loadData(QStringLiteral("cluster-1.3.0-projected.json"));
    for (const char *v : {"1.1.0", "1.2.0", "1.3.0"}) {
        QTest::addRow("%s parentUid", v) << clusterType(v) << json::set(good, steps("status.capvcd.parentUid"), 7)
                                       << "/status/capvcd/parentUid";
        QTest::addRow("%s useAsManagementCluster", v)
            << clusterType(v) << json::set(good, steps("status.capvcd.useAsManagementCluster"), QStringLiteral("true"))
            << "/status/capvcd/useAsManagementCluster";
        QTest::addRow("%s vcdResourceSet item", v)
            << clusterType(v) << json::set(good, steps("status.capvcd.vcdResourceSet.0"), QStringLiteral("vApp"))
            << "/status/capvcd/vcdResourceSet/0";
        QTest::addRow("%s clusterResourceSet", v)
            << clusterType(v) << json::set(good, steps("status.capvcd.clusterResourceSet"), QJsonArray{})
            << "/status/capvcd/clusterResourceSet";
        QTest::addRow("%s binding applied", v)
            << clusterType(v) << json::set(good, steps("status.capvcd.clusterResourceSetBindings.1.applied"), QStringLiteral("no"))
            << "/status/capvcd/clusterResourceSetBindings/1/applied";
        QTest::addRow("%s binding lastAppliedTime", v)
            << clusterType(v) << json::set(good, steps("status.capvcd.clusterResourceSetBindings.0.lastAppliedTime"), 1700000000)
            << "/status/capvcd/clusterResourceSetBindings/0/lastAppliedTime";
        QTest::addRow("%s apiEndpoints port", v)
            << clusterType(v) << json::set(good, steps("status.capvcd.clusterApiStatus.apiEndpoints.0.port"), QStringLiteral("6443"))
            << "/status/capvcd/clusterApiStatus/apiEndpoints/0/port";
    }
    for (const char *v : {"1.2.0", "1.3.0"})
        QTest::addRow("%s defaultStorageClass", v)
            << clusterType(v) << json::set(good, steps("status.vcdKe.defaultStorageClass.useDeleteReclaimPolicy"), QStringLiteral("yes"))
            << "/status/vcdKe/defaultStorageClass/useDeleteReclaimPolicy";
    const QString v13 = clusterType("1.3.0");
    QTest::newRow("spec value a number") << v13 << json::set(good, steps("spec.projector.operations.0.values.1"), 42)
                                         << "/spec/projector/operations/0/values/1";
    QTest::newRow("spec sequence 0") << v13 << json::set(good, steps("spec.projector.operations.1.sequence"), 0)
                                     << "/spec/projector/operations/1/sequence";
    QTest::newRow("spec without valueType") << v13 << json::remove(good, steps("spec.projector.operations.0.valueType"))
                                            << "/spec/projector/operations/0/valueType";
    QTest::newRow("status lastAppliedSequence 0") << v13 << json::set(good, steps("status.projector.lastAppliedSequence"), 0)
                                                  << "/status/projector/lastAppliedSequence";
    QTest::newRow("status operation output") << v13 << json::set(good, steps("status.projector.operations.0.output"), QJsonArray{})
                                             << "/status/projector/operations/0/output";
    QTest::newRow("status operation verb") << v13 << json::set(good, steps("status.projector.operations.0.verb"), QStringLiteral("delete"))
                                           << "/status/projector/operations/0/verb";
    QTest::newRow("retry value a boolean") << v13 << json::set(good, steps("status.projector.retrySet.0.operation.values.0"), true)
                                           << "/status/projector/retrySet/0/operation/values/0";
    QTest::newRow("retry createTimeStamp") << v13 << json::set(good, steps("status.projector.retrySet.0.createTimeStamp"), 5)
                                           << "/status/projector/retrySet/0/createTimeStamp";
    QTest::newRow("projector errorSet item") << v13 << json::set(good, steps("status.projector.errorSet.0"), QStringLiteral("boom"))
                                             << "/status/projector/errorSet/0";
}

void TestSchemaPaths::wrongTypesRejected()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, entity);
    QFETCH(QString, pointer);
    const auto errs = SchemaValidator(bundledSchema(type).value()).validate(entity);
    QVERIFY2(!errs.isEmpty(), qPrintable(pointer));
    QCOMPARE(errs.first().instancePath, pointer);
}

// The demo seed, then the simulated infrastructure writing status.capvcd of
// the provisioned clusters: every entity validates against its type.
void TestSchemaPaths::seededAndInfraWrittenEntitiesValidate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    sim::SimOptions options;
    options.dataDir = dir.path();
    options.port = 0;
    options.plainHttp = true;
    options.adminPassword = QStringLiteral("schema-paths-pw");
    options.seedDemo = true;
    options.latencyMs = 20;
    sim::VcdSim vcd;
    const auto started = vcd.start(options);
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));

    QStringList typeIds;
    for (const TypeInfo &t : knownTypes())
        typeIds << t.ref.id();
    auto clusterRows = [&] {
        QList<sim::EntityRow> out;
        auto all = vcd.store().entities({clusterType("1.1.0"), clusterType("1.2.0"), clusterType("1.3.0")}, QString());
        if (all)
            out = *all;
        return out;
    };
    QCOMPARE(clusterRows().size(), 5);
    auto provisionedWithCapvcd = [&] {
        int n = 0;
        for (const sim::EntityRow &row : clusterRows())
            if (!json::get(row.e.entity, QStringView(u"status.capvcd.clusterApiStatus.apiEndpoints")).toArray().isEmpty())
                ++n;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(provisionedWithCapvcd(), 3, 20000);

    auto rows = vcd.store().entities(typeIds, QString());
    QVERIFY(rows.ok());
    QVERIFY(rows->size() >= 6); // five clusters and the server configuration
    for (const sim::EntityRow &row : *rows) {
        auto schema = bundledSchema(row.e.entityType);
        QVERIFY2(schema.ok(), qPrintable(row.e.entityType));
        const auto errs = SchemaValidator(*schema).validate(row.e.entity);
        QVERIFY2(errs.isEmpty(), qPrintable(row.e.name + QStringLiteral(": ") + SchemaValidator::describe(errs)));
    }
    vcd.shutdown(0);
}

QTEST_GUILESS_MAIN(TestSchemaPaths)
#include "tst_schemapaths.moc"
