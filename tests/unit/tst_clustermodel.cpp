#include "items/clustermodel.h"
#include "rde/cluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace cse;

static rde::DefinedEntity cluster(const QString &id, const QString &state, int nodes = 0)
{
    rde::Cluster c = rde::Cluster::create(id, QStringLiteral("acme"), QStringLiteral("vdc"), QStringLiteral("https://v"), {}, {});
    if (!state.isEmpty())
        c.setState(state);
    if (nodes)
        c.setValue({QStringLiteral("status"), QStringLiteral("capvcd"), QStringLiteral("nodePool")},
                   QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("p")}, {QStringLiteral("desiredReplicas"), nodes},
                                          {QStringLiteral("availableReplicas"), nodes - 1}}});
    rde::DefinedEntity e;
    e.id = QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:") + id;
    e.name = id;
    e.entity = c.json();
    e.state = state.isEmpty() ? QStringLiteral("PRE_CREATED") : QStringLiteral("RESOLVED");
    e.org = {QStringLiteral("acme"), QStringLiteral("urn:vcloud:org:1")};
    e.etag = QStringLiteral("\"1\"");
    return e;
}

class TestClusterModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void updatesInPlace();
    void displaysFields();
};

void TestClusterModel::updatesInPlace()
{
    items::ClusterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.update({cluster(QStringLiteral("a"), {}), cluster(QStringLiteral("b"), QStringLiteral("provisioning"))});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.count(), 1);
    // Same data again: nothing happens.
    model.update({cluster(QStringLiteral("a"), {}), cluster(QStringLiteral("b"), QStringLiteral("provisioning"))});
    QCOMPARE(changed.count(), 0);
    // b changes, c appears, a vanishes.
    rde::DefinedEntity b2 = cluster(QStringLiteral("b"), QStringLiteral("provisioned"), 3);
    b2.etag = QStringLiteral("\"2\"");
    model.update({b2, cluster(QStringLiteral("c"), QStringLiteral("error"))});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(model.rowOf(b2.id), 0);
    QCOMPARE(model.index(0, items::ClusterModel::State).data().toString(), QStringLiteral("provisioned"));
    QCOMPARE(model.index(0, 0).data(items::ClusterModel::EtagRole).toString(), QStringLiteral("\"2\""));
    model.update({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(resets.count(), 0);
}

void TestClusterModel::displaysFields()
{
    items::ClusterModel model;
    rde::DefinedEntity e = cluster(QStringLiteral("x"), QStringLiteral("provisioned"), 4);
    rde::Cluster c(e.entity);
    c.appendVcdKe(rde::Cluster::Log::Error, QStringLiteral("BootstrapVmError"), QStringLiteral("no IP"));
    c.setMarkForDelete(true);
    e.entity = c.json();
    model.update({e, cluster(QStringLiteral("y"), {})});
    QCOMPARE(model.index(0, items::ClusterModel::Nodes).data().toString(), QStringLiteral("3/4"));
    QCOMPARE(model.index(0, items::ClusterModel::LastError).data().toString(), QStringLiteral("BootstrapVmError: no IP"));
    QCOMPARE(model.index(0, items::ClusterModel::State).data().toString(), QStringLiteral("provisioned (delete requested)"));
    QCOMPARE(model.index(1, items::ClusterModel::State).data().toString(), QStringLiteral("waiting for a server"));
    QCOMPARE(model.headerData(items::ClusterModel::Org, Qt::Horizontal).toString(), QStringLiteral("Organization"));
}

QTEST_GUILESS_MAIN(TestClusterModel)
#include "tst_clustermodel.moc"
