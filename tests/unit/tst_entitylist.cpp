// Entity lists compiled to SQL give what the in-memory evaluator gives: the
// same ids in the same order, on random entities and random filters (SQLite
// here; PostgreSQL in tst_sim_postgres). The seed is printed; set
// CSE_TEST_SEED to repeat a run.
#include "../support/listequivalence.h"
#include "entitylist.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;
using namespace cse::sim;

class TestEntityList : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void randomFiltersMatchEvaluator();
    void clientFiltersCompileExactly_data();
    void clientFiltersCompileExactly();
    void valuesAreBoundNotWritten();
    void sqliteUsesTheIndexes();
    void pagesAndSorts();
};

static quint32 testSeed()
{
    bool ok = false;
    const quint32 fromEnv = qEnvironmentVariable("CSE_TEST_SEED").toUInt(&ok);
    return ok ? fromEnv : QRandomGenerator::system()->generate();
}

void TestEntityList::randomFiltersMatchEvaluator()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = Store::open(dir.path(), QString(), QStringLiteral("entitylist-random"));
    QVERIFY2(store, store ? "" : qPrintable(store.error().message));
    std::unique_ptr<Store> owned(*store);
    const quint32 seed = testSeed();
    qInfo("seed %u (CSE_TEST_SEED=%u repeats this run)", seed, seed);
    const test::ListEquivalenceReport r = test::compareRandomLists(*owned, seed, 400, 1500);
    QVERIFY2(r.mismatch.isEmpty(), qPrintable(r.mismatch));
    QCOMPARE(r.lists, 1500);
    qInfo("%d of %d lists decided in SQL alone", r.decidedInSql, r.lists);
    // Random filters mix types on purpose, so many need the evaluator; still
    // a good share must be decided in SQL for this test to test SQL.
    QVERIFY2(r.decidedInSql * 4 > r.lists, "too few random lists were decided in SQL alone");
}

void TestEntityList::clientFiltersCompileExactly_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("indexed"); // served by the store's own indexes (SQLite then prefers them)
    // What the server (model/server/replica.cpp, installer.cpp) and the console send.
    QTest::newRow("work filter") << QStringLiteral(
        "entity.spec.vcdKe.isVCDKECluster==true;(state==PRE_CREATED,entity.status.vcdKe.state==provisioning,"
        "entity.status.vcdKe.state==deleting,entity.spec.vcdKe.markForDelete==true)") << true;
    QTest::newRow("config by name") << QStringLiteral("name==vcdKeConfig") << true;
    QTest::newRow("own instance") << QStringLiteral("entity.instanceId==6f1b8c1e") << true;
    QTest::newRow("name prefix") << QStringLiteral("name==prod-*") << false;
    QTest::newRow("org and owner") << QStringLiteral("org.name==acme;owner.name!=bob") << false;
    QTest::newRow("epoch") << QStringLiteral("entity.status.vcdKe.ownerEpoch=ge=3") << false;
    QTest::newRow("dates") << QStringLiteral("lastModificationDate=gt=2026-01-01T00:00:00.000Z") << false;
}

void TestEntityList::clientFiltersCompileExactly()
{
    QFETCH(QString, filter);
    QFETCH(bool, indexed);
    auto f = FiqlFilter::parse(filter);
    QVERIFY(f);
    const QStringList types{QStringLiteral("urn:vcloud:type:vmware:capvcdCluster:1.2.0")};
    for (const bool postgres : {false, true}) {
        const CompiledFilter c = compileEntityFilter(*f, postgres, types, {});
        QVERIFY2(c.exact, qPrintable(c.where.sql));
        QVERIFY(!c.where.sql.isEmpty());
        QCOMPARE(c.where.servedByIndex, indexed);
    }
}

void TestEntityList::valuesAreBoundNotWritten()
{
    // A value that would break out of an SQL string literal stays a bound value.
    auto f = FiqlFilter::parse(QStringLiteral("name==\"x' OR 1=1 --\",entity.a b==\"'\";entity.status.vcdKe.state=lt=\"z'\""));
    QVERIFY(f);
    for (const bool postgres : {false, true}) {
        const CompiledFilter c = compileEntityFilter(*f, postgres, {QStringLiteral("t")}, {});
        QVERIFY(!c.where.sql.contains(QLatin1String("OR 1=1")));
        QVERIFY(!c.where.sql.contains(QLatin1String("a b")));
        QVERIFY(c.where.binds.contains(QStringLiteral("x' OR 1=1 --")));
        QCOMPARE(c.where.sql.count(QLatin1Char('?')), c.where.binds.size());
    }
}

// The server's work filter and a replica's own-instance lookup are answered
// from the expression indexes, not by scanning every entity of the type.
void TestEntityList::sqliteUsesTheIndexes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto opened = Store::open(dir.path(), QString(), QStringLiteral("entitylist-plan"));
    QVERIFY(opened);
    std::unique_ptr<Store> store(*opened);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("entitylist-plan-raw"));
    db.setDatabaseName(dir.filePath(QStringLiteral("vcd-sim.db")));
    QVERIFY(db.open());
    for (const QString &filter : {QStringLiteral("entity.spec.vcdKe.isVCDKECluster==true;(state==PRE_CREATED,"
                                                 "entity.status.vcdKe.state==provisioning,entity.status.vcdKe.state==deleting,"
                                                 "entity.spec.vcdKe.markForDelete==true)"),
                                  QStringLiteral("entity.instanceId==abc"), QStringLiteral("name==vcdKeConfig")}) {
        const CompiledFilter c = compileEntityFilter(*FiqlFilter::parse(filter), false, {QStringLiteral("t")}, {});
        QVERIFY(c.where.servedByIndex);
        // The scope as Store writes it for such a filter ('+': not from the type index).
        QSqlQuery q(db);
        QVERIFY(q.prepare(QStringLiteral("EXPLAIN QUERY PLAN SELECT id, etag FROM entities WHERE +type_id IN (?) AND +org_id = ? AND (%1) "
                                         "ORDER BY created, id LIMIT 25").arg(c.where.sql)));
        q.addBindValue(QStringLiteral("t"));
        q.addBindValue(QStringLiteral("o"));
        for (const QVariant &b : c.where.binds)
            q.addBindValue(b);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QString plan;
        while (q.next())
            plan += q.value(3).toString() + QLatin1Char('\n');
        QVERIFY2(!plan.contains(QLatin1String("SCAN entities")), qPrintable(filter + QLatin1Char('\n') + plan));
        QVERIFY2(plan.contains(QLatin1String("USING INDEX entities_")), qPrintable(plan));
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("entitylist-plan-raw"));
}

void TestEntityList::pagesAndSorts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto opened = Store::open(dir.path(), QString(), QStringLiteral("entitylist-pages"));
    QVERIFY(opened);
    std::unique_ptr<Store> store(*opened);
    const QString type = QStringLiteral("urn:vcloud:type:test:t:1.0.0");
    QList<EntityRow> rows;
    for (int i = 0; i < 30; ++i) {
        EntityRow r;
        r.e.id = QStringLiteral("urn:vcloud:entity:test:t:%1").arg(i, 3, 10, QLatin1Char('0'));
        r.e.entityType = type;
        r.e.name = QStringLiteral("n%1").arg(i % 7);
        r.e.entity = {{QStringLiteral("k"), 30 - i}, {QStringLiteral("s"), i % 3 ? QStringLiteral("on") : QStringLiteral("off")}};
        r.e.state = QStringLiteral("RESOLVED");
        r.e.creationDate = QStringLiteral("2026-01-01T00:00:00.000Z");
        r.etag = 1;
        rows << r;
    }
    QVERIFY(store->insertEntities(rows, QStringLiteral("t")));
    EntityListQuery q;
    q.typeIds = {type};
    q.filter = *FiqlFilter::parse(QStringLiteral("entity.s==on"));
    q.sortKey = QStringLiteral("entity.k");
    q.pageSize = 4;
    q.page = 2;
    auto page = listEntities(*store, q);
    QVERIFY(page);
    QVERIFY(!page->evaluatedInMemory);
    QCOMPARE(page->total, 20);
    QStringList ids;
    for (const EntityRow &r : page->rows)
        ids << r.e.id.right(3);
    // entity.s==on: i % 3 != 0; sorted by k = 30 - i ascending: i = 29, 28, 26, 25 | 23, 22, 20, 19 ...
    QCOMPARE(ids, (QStringList{QStringLiteral("023"), QStringLiteral("022"), QStringLiteral("020"), QStringLiteral("019")}));
    q.page = 6; // past the end: empty, total kept
    page = listEntities(*store, q);
    QVERIFY(page);
    QCOMPARE(page->total, 20);
    QVERIFY(page->rows.isEmpty());
}

QTEST_GUILESS_MAIN(TestEntityList)
#include "tst_entitylist.moc"
