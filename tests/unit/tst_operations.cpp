// Cluster operations as entity edits: allowed states, resize, upgrade,
// delete, retry, phase progress.
#include "rde/capiyaml.h"
#include "site/operations.h"

#include <QtTest>

using namespace cse;
using site::Operation;

static rde::Cluster provisioned()
{
    rde::ClusterSpec spec;
    spec.name = QStringLiteral("c1");
    spec.org = QStringLiteral("acme");
    spec.vdc = QStringLiteral("acme-vdc");
    spec.network = QStringLiteral("acme-net");
    spec.site = QStringLiteral("https://vcd.example.com");
    spec.kubernetesVersion = rde::supportedReleases().last().kubernetesVersion;
    auto yaml = rde::renderCapiYaml(spec);
    rde::Cluster c = rde::Cluster::create(spec.name, spec.org, spec.vdc, spec.site, yaml.valueOr(QString()), {});
    c.setState(rde::clusterstate::kProvisioned);
    return c;
}

class TestOperations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void allowed_data();
    void allowed();
    void resizeAndUpgrade();
    void deleteAndRetry();
    void progress();
};

void TestOperations::allowed_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<bool>("markedForDelete");
    QTest::addColumn<QList<int>>("ops"); // Resize, Upgrade, Delete, ForceDelete, Retry
    QTest::newRow("provisioned") << "provisioned" << false << QList<int>{1, 1, 1, 1, 0};
    QTest::newRow("provisioning") << "provisioning" << false << QList<int>{0, 0, 1, 1, 0};
    QTest::newRow("error") << "error" << false << QList<int>{0, 0, 1, 1, 1};
    QTest::newRow("no server yet") << "" << false << QList<int>{0, 0, 1, 1, 0};
    QTest::newRow("delete requested") << "provisioned" << true << QList<int>{0, 0, 0, 1, 0};
    QTest::newRow("deleting") << "deleting" << false << QList<int>{0, 0, 0, 1, 0};
}

void TestOperations::allowed()
{
    QFETCH(QString, state);
    QFETCH(bool, markedForDelete);
    QFETCH(QList<int>, ops);
    rde::Cluster c = provisioned();
    c.setState(state);
    if (markedForDelete)
        c.setMarkForDelete(true);
    const QList<Operation> all{Operation::Resize, Operation::Upgrade, Operation::Delete, Operation::ForceDelete, Operation::Retry};
    for (int i = 0; i < all.size(); ++i)
        QVERIFY2(site::isAllowed(all.at(i), c) == bool(ops.at(i)), qPrintable(QStringLiteral("operation %1").arg(i)));
}

void TestOperations::resizeAndUpgrade()
{
    rde::Cluster c = provisioned();
    QJsonObject e = c.json();
    auto r = site::applyResize(e, QStringLiteral("worker-node-pool-1"), 3);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QVERIFY(*r);
    auto summary = rde::parseCapiYaml(rde::Cluster(e).capiYaml());
    QVERIFY(summary);
    QCOMPARE(summary->workerPools.first().replicas, 3);
    // The same size again: nothing to write.
    r = site::applyResize(e, QStringLiteral("worker-node-pool-1"), 3);
    QVERIFY(r && !*r);

    const QString from = rde::supportedReleases().last().kubernetesVersion;
    const QStringList targets = site::upgradeTargets(from);
    QVERIFY(!targets.isEmpty());
    QVERIFY(!targets.contains(from));
    for (const rde::KubernetesRelease &rel : rde::supportedReleases())
        QCOMPARE(targets.contains(rel.kubernetesVersion), bool(rde::checkUpgrade(from, rel.kubernetesVersion)));
    r = site::applyUpgrade(e, targets.last());
    QVERIFY(r && *r);
    QCOMPARE(rde::parseCapiYaml(rde::Cluster(e).capiYaml())->kubernetesVersion, targets.last());

    // Not provisioned: refused with a reason.
    rde::Cluster busy(e);
    busy.setState(rde::clusterstate::kProvisioning);
    QJsonObject b = busy.json();
    r = site::applyResize(b, QStringLiteral("worker-node-pool-1"), 1);
    QVERIFY(!r);
    QVERIFY(r.error().is(ErrorKind::Invalid));
}

void TestOperations::deleteAndRetry()
{
    rde::Cluster c = provisioned();
    QJsonObject e = c.json();
    QVERIFY(*site::applyDelete(e, false));
    QVERIFY(rde::Cluster(e).markForDelete());
    QVERIFY(!rde::Cluster(e).forceDelete());
    QVERIFY(!*site::applyDelete(e, false));
    QVERIFY(*site::applyDelete(e, true));
    QVERIFY(rde::Cluster(e).forceDelete());

    rde::Cluster failed = provisioned();
    failed.setState(rde::clusterstate::kError);
    failed.setRepairAttempts(3);
    QJsonObject f = failed.json();
    QVERIFY(*site::applyRetry(f));
    QCOMPARE(rde::Cluster(f).state(), QString());
    QCOMPARE(rde::Cluster(f).repairAttempts(), 0);
    QVERIFY(!site::applyRetry(f)); // no longer in error
}

void TestOperations::progress()
{
    rde::Cluster c = provisioned();
    QCOMPARE(site::phaseProgress(c), 100);
    c.setState(rde::clusterstate::kProvisioning);
    c.setPhase(QStringLiteral("validate"));
    QCOMPARE(site::phaseProgress(c), 12);
    c.setPhase(QStringLiteral("workers"));
    QCOMPARE(site::phaseProgress(c), 62);
    c.setPhase(QStringLiteral("unknown"));
    QCOMPARE(site::phaseProgress(c), 0);
}

QTEST_APPLESS_MAIN(TestOperations)
#include "tst_operations.moc"
