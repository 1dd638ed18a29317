#include "items/clusterfilter.h"
#include "items/clustermodel.h"
#include "items/eventmodel.h"
#include "rde/cluster.h"

#include <QAbstractItemModelTester>
#include <QIdentityProxyModel>
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
    void oneEntityChangesOnlyItsRow();
    void filters();
    void eventTimeline();
    void activity();
    void proxyChain();
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

void TestClusterModel::oneEntityChangesOnlyItsRow()
{
    items::ClusterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<rde::DefinedEntity> list;
    for (const char *id : {"a", "b", "c", "d", "e"})
        list.append(cluster(QString::fromLatin1(id), QStringLiteral("provisioning")));
    model.update(list);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    list[3] = cluster(QStringLiteral("d"), QStringLiteral("provisioned"), 2);
    model.update(list);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 3);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 3);
    QCOMPARE(inserted.count() + removed.count(), 0);
    // Removing from the middle keeps the id -> row index right.
    list.removeAt(1);
    list.removeAt(1);
    model.update(list);
    QCOMPARE(removed.count(), 1); // one contiguous block
    QCOMPARE(model.rowOf(list.at(1).id), 1);
    QCOMPARE(model.rowOf(list.at(2).id), 2);
    QCOMPARE(model.rowOf(QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:b")), -1);
}

void TestClusterModel::filters()
{
    items::ClusterModel model;
    items::ClusterFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rde::DefinedEntity other = cluster(QStringLiteral("globex-web"), QStringLiteral("error"));
    other.org = {QStringLiteral("globex"), QStringLiteral("urn:vcloud:org:2")};
    rde::Cluster owned(other.entity);
    owned.claim(QStringLiteral("replica-x"), QStringLiteral("w1"));
    other.entity = owned.json();
    model.update({cluster(QStringLiteral("acme-dev"), {}), cluster(QStringLiteral("acme-prod"), QStringLiteral("provisioned")), other});
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setSearchText(QStringLiteral("ACME"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setSearchText({});
    proxy.setStateFilter(QStringLiteral("error"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setStateFilter(items::ClusterFilterModel::waitingState());
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, items::ClusterModel::Name).data().toString(), QStringLiteral("acme-dev"));
    proxy.setStateFilter({});
    proxy.setOrgFilter(QStringLiteral("globex"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setOrgFilter({});
    proxy.setOwnerFilter(QStringLiteral("replica-x"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setOwnerFilter({});
    proxy.sort(items::ClusterModel::Name, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, items::ClusterModel::Name).data().toString(), QStringLiteral("globex-web"));
}

void TestClusterModel::eventTimeline()
{
    items::EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    rde::DefinedEntity e = cluster(QStringLiteral("t"), QStringLiteral("provisioning"));
    rde::Cluster c(e.entity);
    const QDateTime t0(QDate(2026, 1, 1), QTime(10, 0), Qt::UTC);
    c.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("ClusterCreateRequested"), QStringLiteral("a"), {}, {}, t0);
    c.appendVcdKe(rde::Cluster::Log::Error, QStringLiteral("BootstrapVmError"), QStringLiteral("b"), {}, {}, t0.addSecs(10));
    e.entity = c.json();
    model.setCluster(e);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, items::EventModel::Name).data().toString(), QStringLiteral("BootstrapVmError")); // newest first
    QCOMPARE(model.index(0, items::EventModel::Kind).data().toString(), QStringLiteral("error"));
    // One more event: one row inserted at the top, nothing else moves.
    inserted.clear();
    c.appendVcdKe(rde::Cluster::Log::Event, QStringLiteral("PhaseStarted"), QStringLiteral("c"), {}, {}, t0.addSecs(20));
    e.entity = c.json();
    model.setCluster(e);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    model.setCluster({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(resets.count(), 0);
}

void TestClusterModel::activity()
{
    items::ActivityModel model(nullptr, 2);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Error e = makeError(ErrorKind::Forbidden, QStringLiteral("denied"), QStringLiteral("GET /cloudapi/1.0.0/orgs"));
    e.httpStatus = 403;
    e.minorErrorCode = QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN");
    e.requestId = QStringLiteral("req-1");
    model.add(e);
    model.add(e);
    model.add(e);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, items::ActivityModel::MinorCode).data().toString(), QStringLiteral("ACCESS_TO_RESOURCE_IS_FORBIDDEN"));
    QCOMPARE(model.index(0, items::ActivityModel::RequestId).data().toString(), QStringLiteral("req-1"));
    QCOMPARE(model.index(0, items::ActivityModel::Status).data().toString(), QStringLiteral("403"));
}

// The view's chain: model -> sorted filter -> identity proxy (the colour proxy).
void TestClusterModel::proxyChain()
{
    items::ClusterModel model;
    items::ClusterFilterModel filter;
    filter.setSourceModel(&model);
    filter.sort(items::ClusterModel::Name);
    QIdentityProxyModel top;
    top.setSourceModel(&filter);
    QAbstractItemModelTester tester(&top, QAbstractItemModelTester::FailureReportingMode::QtTest);
    int rows = 0;
    connect(&top, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &, int a, int b) { rows += b - a + 1; });
    connect(&top, &QAbstractItemModel::rowsRemoved, this, [&](const QModelIndex &, int a, int b) { rows -= b - a + 1; });
    QList<rde::DefinedEntity> list{cluster(QStringLiteral("e"), QStringLiteral("provisioned")), cluster(QStringLiteral("b"), QStringLiteral("error")),
                                   cluster(QStringLiteral("c"), {}), cluster(QStringLiteral("a"), QStringLiteral("provisioned"))};
    model.update(list);
    QCOMPARE(rows, 4);
    QCOMPARE(top.rowCount(), 4);
    list[2] = cluster(QStringLiteral("c"), QStringLiteral("provisioning"), 3);
    model.update(list);
    model.setReplicaNames({{QStringLiteral("x"), QStringLiteral("y")}});
    list.append(cluster(QStringLiteral("d"), QStringLiteral("provisioned")));
    model.update(list);
    QCOMPARE(rows, 5);
    QCOMPARE(top.rowCount(), 5);
    QCOMPARE(top.index(0, items::ClusterModel::Name).data().toString(), QStringLiteral("a"));
}

QTEST_GUILESS_MAIN(TestClusterModel)
#include "tst_clustermodel.moc"
