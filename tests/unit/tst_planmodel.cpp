// The restore plan as a table: rows per entity from backup::makePlan, an
// org mapping that changes updates the rows in place, a plan of other
// entities replaces them; QAbstractItemModelTester watches every change.
#include "backup/archive.h"
#include "backup/restore.h"
#include "items/planmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace cse;

namespace {
const QString kType120 = QStringLiteral("urn:vcloud:type:vmware:capvcdCluster:1.2.0");
const QString kConfigType = QStringLiteral("urn:vcloud:type:vmware:VCDKEConfig:1.1.0");

rde::DefinedEntity cluster(const QString &name, const QString &org, const QString &uuid)
{
    rde::DefinedEntity e;
    e.id = QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:") + uuid;
    e.entityType = kType120;
    e.name = name;
    e.org.id = QStringLiteral("urn:vcloud:org:") + org;
    e.org.name = org;
    e.state = QStringLiteral("RESOLVED");
    e.entity = QJsonObject{{QStringLiteral("spec"), QJsonObject{{QStringLiteral("capiYaml"), name}}}};
    return e;
}

backup::Archive archive()
{
    backup::Archive a;
    rde::DefinedEntity config;
    config.id = QStringLiteral("urn:vcloud:entity:vmware:VCDKEConfig:cfg");
    config.entityType = kConfigType;
    config.name = QStringLiteral("vcdKeConfig");
    config.org.id = QStringLiteral("urn:vcloud:org:System");
    config.org.name = QStringLiteral("System");
    config.entity = QJsonObject{{QStringLiteral("profiles"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("p")}}}}};
    a.entries.append({backup::kind::kConfig, config});
    a.entries.append({backup::kind::kCluster, cluster(QStringLiteral("alpha"), QStringLiteral("acme"), QStringLiteral("1"))});
    a.entries.append({backup::kind::kCluster, cluster(QStringLiteral("beta"), QStringLiteral("acme"), QStringLiteral("2"))});
    a.entries.append({backup::kind::kCluster, cluster(QStringLiteral("gamma"), QStringLiteral("globex"), QStringLiteral("3"))});
    rde::DefinedEntity server;
    server.id = QStringLiteral("urn:vcloud:entity:cseconsole:serverInstance:s1");
    server.name = QStringLiteral("replica-1");
    a.entries.append({backup::kind::kServerInstance, server});
    a.seal();
    return a;
}

// A rebuilt site: orgs acme and initech (no globex), the types installed, beta already restored.
backup::TargetState target()
{
    backup::TargetState t;
    t.orgs = {{QStringLiteral("System"), QStringLiteral("urn:vcloud:org:System")},
              {QStringLiteral("acme"), QStringLiteral("urn:vcloud:org:acme2")},
              {QStringLiteral("initech"), QStringLiteral("urn:vcloud:org:initech")}};
    t.installedTypes = {kType120, kConfigType};
    rde::DefinedEntity beta = cluster(QStringLiteral("beta"), QStringLiteral("acme"), QStringLiteral("new-2"));
    beta.externalId = QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:2");
    t.clusters.append(beta);
    return t;
}

int rowOf(const QAbstractItemModel &m, const QString &name)
{
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.index(r, items::PlanModel::Entity).data().toString() == name)
            return r;
    return -1;
}
} // namespace

class TestPlanModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rows_data();
    void rows();
    void mappingUpdatesInPlace();
    void otherPlanReplacesRows();
};

void TestPlanModel::rows_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("org");
    QTest::addColumn<int>("action");
    QTest::newRow("config") << "vcdKeConfig" << "server configuration" << "System" << int(backup::Action::Create);
    QTest::newRow("new cluster") << "alpha" << "cluster" << "acme" << int(backup::Action::Create);
    QTest::newRow("restored before") << "beta" << "cluster" << "acme" << int(backup::Action::Unchanged);
    QTest::newRow("org missing") << "gamma" << "cluster" << "globex" << int(backup::Action::Conflict);
}

void TestPlanModel::rows()
{
    QFETCH(QString, name);
    QFETCH(QString, type);
    QFETCH(QString, org);
    QFETCH(int, action);
    const backup::Archive a = archive();
    items::PlanModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPlan(backup::makePlan(a, target(), {}));
    QCOMPARE(model.rowCount(), 4); // the server instance is a note, not a row
    QCOMPARE(model.columnCount(), int(items::PlanModel::ColumnCount));
    const int r = rowOf(model, name);
    QVERIFY(r >= 0);
    QCOMPARE(model.index(r, items::PlanModel::Type).data().toString(), type);
    QCOMPARE(model.index(r, items::PlanModel::Org).data().toString(), org);
    QCOMPARE(model.index(r, 0).data(items::PlanModel::ActionRole).toInt(), action);
    QCOMPARE(model.index(r, items::PlanModel::Action).data().toString(), items::PlanModel::actionText(backup::Action(action)));
    // Every row says why (create and unchanged too: issue 22.12), in the console's words: no command-line hints.
    const QString reason = model.index(r, items::PlanModel::Reason).data().toString();
    QVERIFY2(!reason.isEmpty(), qPrintable(name));
    QVERIFY2(!reason.contains(QLatin1String("--")) && !reason.contains(QLatin1String("cse-server")), qPrintable(reason));
}

void TestPlanModel::mappingUpdatesInPlace()
{
    const backup::Archive a = archive();
    items::PlanModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPlan(backup::makePlan(a, target(), {}));
    QCOMPARE(model.count(backup::Action::Conflict), 1);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    backup::RestoreOptions mapped;
    QVERIFY(backup::parseOrgMapping(QStringLiteral("globex=initech"), mapped.orgMap).ok());
    model.setPlan(backup::makePlan(a, target(), mapped));
    QCOMPARE(resets.size(), 0);
    QCOMPARE(changed.size(), 1); // only gamma's row
    const int gamma = rowOf(model, QStringLiteral("gamma"));
    QCOMPARE(changed.first().at(0).toModelIndex().row(), gamma);
    QCOMPARE(model.index(gamma, items::PlanModel::Org).data().toString(), QStringLiteral("initech (from globex)"));
    QCOMPARE(model.index(gamma, 0).data(items::PlanModel::SourceOrgRole).toString(), QStringLiteral("globex"));
    QCOMPARE(model.count(backup::Action::Conflict), 0);
    QCOMPARE(model.count(backup::Action::Create), 3);

    // The same plan again: nothing changes.
    model.setPlan(backup::makePlan(a, target(), mapped));
    QCOMPARE(changed.size(), 1);
}

void TestPlanModel::otherPlanReplacesRows()
{
    const backup::Archive a = archive();
    items::PlanModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPlan(backup::makePlan(a, target(), {}));
    backup::Archive other;
    other.entries.append({backup::kind::kCluster, cluster(QStringLiteral("delta"), QStringLiteral("acme"), QStringLiteral("4"))});
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setPlan(backup::makePlan(other, target(), {}));
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("delta"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestPlanModel)
#include "tst_planmodel.moc"
