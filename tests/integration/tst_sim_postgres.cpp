// Two vcd-sim processes on one PostgreSQL database behave as one site: a
// write through one is visible through the other, and an If-Match race
// across them is detected. The test starts its own PostgreSQL server in a
// temporary directory (as user "postgres" when run as root).
#include "../support/listequivalence.h"
#include "../support/simprocess.h"
#include "rde/types.h"
#include "store.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QProcess>
#include <QTcpServer>
#include <QtTest>
#include <unistd.h>

using namespace cse;

class TestSimPostgres : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void twoCellsOneDatabase();
    void sqlListsMatchEvaluator();
    void cleanupTestCase();

private:
    bool run(const QString &tool, const QStringList &args, QString *output = nullptr);
    QString m_bin;
    QTemporaryDir m_dir{QStringLiteral("/tmp/cse-pg-XXXXXX")};
    int m_port = 0;
    bool m_started = false;
};

bool TestSimPostgres::run(const QString &tool, const QStringList &args, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (::geteuid() == 0)
        p.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                                                       m_bin + QLatin1Char('/') + tool} + args);
    else
        p.start(m_bin + QLatin1Char('/') + tool, args);
    const bool ok = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    const QString out = QString::fromLocal8Bit(p.readAll());
    if (output)
        *output = out;
    if (!ok)
        qWarning().noquote() << tool << "failed:" << out;
    return ok;
}

void TestSimPostgres::initTestCase()
{
    const QStringList versions = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY2(!versions.isEmpty(), "PostgreSQL is not installed (the Debian package postgresql; run `make deps`)");
    m_bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(versions.last());
    QVERIFY(m_dir.isValid());
    const QString data = m_dir.filePath(QStringLiteral("pgdata"));
    QDir().mkpath(data);
    if (::geteuid() == 0) {
        QVERIFY(QProcess::execute(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres"), m_dir.path()}) == 0);
        QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                | QFileDevice::ReadOther | QFileDevice::ExeOther);
    }
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_port = probe.serverPort();
    probe.close();
    QVERIFY(run(QStringLiteral("initdb"), {QStringLiteral("-D"), data, QStringLiteral("-A"), QStringLiteral("trust"),
                                           QStringLiteral("-U"), QStringLiteral("cse"), QStringLiteral("--no-sync")}));
    QVERIFY(run(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), data, QStringLiteral("-l"), m_dir.filePath(QStringLiteral("pg.log")),
                                           QStringLiteral("-w"), QStringLiteral("-o"),
                                           QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off").arg(m_port).arg(m_dir.path()),
                                           QStringLiteral("start")}));
    m_started = true;
    QVERIFY(run(QStringLiteral("createdb"), {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                             QString::number(m_port), QStringLiteral("-U"), QStringLiteral("cse"), QStringLiteral("vcdsim")}));
}

void TestSimPostgres::twoCellsOneDatabase()
{
    const QString db = QStringLiteral("postgres://cse@127.0.0.1:%1/vcdsim").arg(m_port);
    test::SimProcess a({QStringLiteral("--db"), db, QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(a.start(), qPrintable(a.error()));
    test::SimProcess b({QStringLiteral("--db"), db, QStringLiteral("--no-controllers")});
    QVERIFY2(b.start(), qPrintable(b.error()));
    QVERIFY(a.url() != b.url());

    vcd::Client ca(a.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    vcd::Client cb(b.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    QVERIFY(test::connect(ca).ok());
    QVERIFY(test::connect(cb).ok()); // users seeded through A log in through B

    const QString type = rde::types::serverInstance().id();
    vcd::Client admin(a.provider());
    QVERIFY(test::connect(admin).ok());
    auto id = vcd::await<QString>([&](auto done) {
        admin.createEntity(type, QStringLiteral("shared"), {{QStringLiteral("instanceId"), QStringLiteral("s")},
                                                           {QStringLiteral("name"), QStringLiteral("s")},
                                                           {QStringLiteral("state"), QStringLiteral("running")},
                                                           {QStringLiteral("heartbeat"), 1}}, done);
    });
    QVERIFY(id.ok());
    vcd::Client adminB(b.provider());
    QVERIFY(test::connect(adminB).ok());
    auto seen = vcd::await<rde::DefinedEntity>([&](auto done) { adminB.getEntity(*id, done); });
    QVERIFY2(seen.ok(), qPrintable(seen.ok() ? QString() : seen.error().toString()));
    QCOMPARE(seen->entity.value(QLatin1String("heartbeat")).toInt(), 1);

    // Both cells get the same ETag; both write: exactly one wins.
    rde::DefinedEntity viaA = vcd::await<rde::DefinedEntity>([&](auto done) { admin.getEntity(*id, done); }).value();
    QCOMPARE(viaA.etag, seen->etag);
    viaA.entity.insert(QStringLiteral("heartbeat"), 2);
    rde::DefinedEntity viaB = *seen;
    viaB.entity.insert(QStringLiteral("heartbeat"), 3);
    std::optional<Result<rde::DefinedEntity>> ra, rb;
    admin.updateEntity(viaA, [&](Result<rde::DefinedEntity> r) { ra.emplace(r); });
    adminB.updateEntity(viaB, [&](Result<rde::DefinedEntity> r) { rb.emplace(r); });
    QTRY_VERIFY(ra && rb);
    QCOMPARE(int(ra->ok()) + int(rb->ok()), 1);
    QCOMPARE((ra->ok() ? *rb : *ra).error().httpStatus, 412);
    const int winner = ra->ok() ? 2 : 3;
    auto after = vcd::await<rde::DefinedEntity>([&](auto done) { cb.getEntity(*id, done); });
    QCOMPARE(after.error().httpStatus, 403); // acme cannot see a System entity through either cell
    QCOMPARE(vcd::await<rde::DefinedEntity>([&](auto done) { adminB.getEntity(*id, done); })->entity.value(QLatin1String("heartbeat")).toInt(),
             winner);
    QVERIFY(a.terminate());
    QVERIFY(b.terminate());
}

// Entity lists compiled to jsonb SQL give what the in-memory evaluator
// gives (same ids, same order) on random entities and filters.
void TestSimPostgres::sqlListsMatchEvaluator()
{
    QVERIFY(m_started);
    QVERIFY(run(QStringLiteral("createdb"), {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                             QString::number(m_port), QStringLiteral("-U"), QStringLiteral("cse"), QStringLiteral("lists")}));
    auto opened = sim::Store::open(QString(), QStringLiteral("postgres://cse@127.0.0.1:%1/lists").arg(m_port), QStringLiteral("pg-lists"));
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    std::unique_ptr<sim::Store> store(*opened);
    bool ok = false;
    const quint32 fromEnv = qEnvironmentVariable("CSE_TEST_SEED").toUInt(&ok);
    const quint32 seed = ok ? fromEnv : QRandomGenerator::system()->generate();
    qInfo("seed %u (CSE_TEST_SEED=%u repeats this run)", seed, seed);
    const test::ListEquivalenceReport r = test::compareRandomLists(*store, seed, 300, 800);
    QVERIFY2(r.mismatch.isEmpty(), qPrintable(r.mismatch));
    QCOMPARE(r.lists, 800);
    qInfo("%d of %d lists decided in SQL alone", r.decidedInSql, r.lists);
    QVERIFY2(r.decidedInSql * 4 > r.lists, "too few random lists were decided in SQL alone");

    // The compiled equality has the form of the store's expression index.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("pg-explain"));
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(m_port);
        db.setUserName(QStringLiteral("cse"));
        db.setDatabaseName(QStringLiteral("lists"));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SET enable_seqscan = off")));
        const QString expr = sim::Store::jsonValueSql(true, {QStringLiteral("status"), QStringLiteral("vcdKe"), QStringLiteral("state")});
        QVERIFY(q.exec(QStringLiteral("EXPLAIN SELECT id FROM entities WHERE %1 = 'provisioning'").arg(expr)));
        QString plan;
        while (q.next())
            plan += q.value(0).toString() + QLatin1Char('\n');
        QVERIFY2(plan.contains(QLatin1String("entities_json_status_vcdke_state")), qPrintable(plan));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("pg-explain"));
}

void TestSimPostgres::cleanupTestCase()
{
    if (m_started)
        run(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("pgdata")), QStringLiteral("-m"),
                                       QStringLiteral("immediate"), QStringLiteral("stop")});
}

QTEST_GUILESS_MAIN(TestSimPostgres)
#include "tst_sim_postgres.moc"
