// kill -9 of vcd-sim during a burst of concurrent writes: after a restart
// every acknowledged write is there, no ETag went backwards, and SQLite's
// integrity check passes.
#include "../support/simprocess.h"
#include "rde/json.h"
#include "rde/types.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QtTest>
#include <map>

using namespace cse;

namespace {
qint64 etagNumber(const QString &etag)
{
    return QString(etag).remove(QLatin1Char('"')).toLongLong();
}
}

class TestSimDurability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killDuringBurst();
};

void TestSimDurability::killDuringBurst()
{
    QTemporaryDir dir;
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")}, dir.path());
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    const QString type = rde::types::serverInstance().id();
    QStringList ids;
    {
        vcd::Client setup(sim.provider());
        QVERIFY(test::connect(setup).ok());
        for (int i = 0; i < 12; ++i) {
            auto id = vcd::await<QString>([&](auto done) {
                setup.createEntity(type, QStringLiteral("d%1").arg(i),
                                   {{QStringLiteral("instanceId"), QString::number(i)}, {QStringLiteral("name"), QStringLiteral("d")},
                                    {QStringLiteral("state"), QStringLiteral("running")}, {QStringLiteral("heartbeat"), 0}}, done);
            });
            QVERIFY(id.ok());
            ids << *id;
        }
    }

    // 8 writers; each write bumps "heartbeat" by one with If-Match.
    struct Acked
    {
        qint64 heartbeat = 0;
        qint64 etag = 0;
    };
    std::map<QString, Acked> acked;
    int inFlight = 0, acknowledged = 0;
    std::vector<std::unique_ptr<vcd::Client>> writers;
    for (int w = 0; w < 8; ++w) {
        vcd::ConnectionOptions o = sim.provider();
        o.maxRetries = 0;
        o.timeoutMs = 3000;
        writers.push_back(std::make_unique<vcd::Client>(o));
        QVERIFY(test::connect(*writers.back()).ok());
    }
    bool stop = false;
    std::function<void(vcd::Client *)> writeOnce = [&](vcd::Client *c) {
        if (stop)
            return;
        const QString id = ids.at(int(QRandomGenerator::global()->bounded(qsizetype(ids.size()))));
        ++inFlight;
        c->patch(id, [](QJsonObject &e) -> Result<bool> {
            e.insert(QStringLiteral("heartbeat"), e.value(QLatin1String("heartbeat")).toInt() + 1);
            return true;
        }, [&, c, id](Result<rde::DefinedEntity> r) {
            --inFlight;
            if (r) {
                ++acknowledged;
                Acked &a = acked[id];
                const qint64 hb = r->entity.value(QLatin1String("heartbeat")).toInteger();
                a.heartbeat = qMax(a.heartbeat, hb);
                a.etag = qMax(a.etag, etagNumber(r->etag));
            }
            writeOnce(c);
        }, 20);
    };
    for (auto &w : writers)
        writeOnce(w.get());
    QElapsedTimer t;
    t.start();
    QTRY_VERIFY_WITH_TIMEOUT(acknowledged >= 300 || t.elapsed() > 8000, 15000);
    sim.kill9(); // in the middle of the burst
    stop = true;
    QTRY_COMPARE_WITH_TIMEOUT(inFlight, 0, 20000);
    writers.clear();
    QVERIFY2(acknowledged > 50, qPrintable(QStringLiteral("only %1 writes were acknowledged").arg(acknowledged)));

    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::Client check(sim.provider());
    QVERIFY(test::connect(check).ok());
    int verified = 0;
    for (const auto &[id, a] : acked) {
        auto e = vcd::await<rde::DefinedEntity>([&](auto done) { check.getEntity(id, done); });
        QVERIFY(e.ok());
        const qint64 hb = e->entity.value(QLatin1String("heartbeat")).toInteger();
        QVERIFY2(hb >= a.heartbeat, qPrintable(QStringLiteral("%1: acknowledged heartbeat %2, stored %3").arg(id).arg(a.heartbeat).arg(hb)));
        QVERIFY2(etagNumber(e->etag) >= a.etag, qPrintable(QStringLiteral("%1: ETag went back from %2 to %3").arg(id).arg(a.etag).arg(e->etag)));
        ++verified;
    }
    QVERIFY(verified > 0);
    auto integrity = test::call(check, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/integrity"));
    QVERIFY(integrity.ok());
    QCOMPARE(integrity->json().value(QLatin1String("result")).toString(), QStringLiteral("ok"));
    qInfo("acknowledged %d writes before kill -9; all present after restart", acknowledged);
}

QTEST_GUILESS_MAIN(TestSimDurability)
#include "tst_sim_durability.moc"
