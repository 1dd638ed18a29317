#include "site/readiness.h"

#include <QtTest>

using cse::site::ReadinessLine;
using cse::site::ReadinessParser;

class TestReadiness : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lines_data();
    void lines();
    void chunks();
};

void TestReadiness::lines_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("name");
    QTest::newRow("sim") << "vcd-sim listening on https://127.0.0.1:4431" << int(ReadinessLine::Kind::SimListening)
                         << "https://127.0.0.1:4431" << QString();
    QTest::newRow("fingerprint") << "fingerprint: ab:CD:" + QStringLiteral("01:").repeated(29) + "ff"
                                 << int(ReadinessLine::Kind::SimFingerprint)
                                 << "AB:CD:" + QStringLiteral("01:").repeated(29) + "FF" << QString();
    QTest::newRow("replica") << "cse-server: replica r-2 ready; health on http://127.0.0.1:9090"
                             << int(ReadinessLine::Kind::ReplicaReady) << "http://127.0.0.1:9090" << "r-2";
    QTest::newRow("log line") << "cse.sim: seeded the demo site" << int(ReadinessLine::Kind::None) << QString() << QString();
    QTest::newRow("not at start") << "note: vcd-sim listening on x" << int(ReadinessLine::Kind::None) << QString() << QString();
    QTest::newRow("bad fingerprint") << "fingerprint: xyz" << int(ReadinessLine::Kind::None) << QString() << QString();
}

void TestReadiness::lines()
{
    QFETCH(QString, line);
    QFETCH(int, kind);
    QFETCH(QString, value);
    QFETCH(QString, name);
    const ReadinessLine r = cse::site::parseReadinessLine(line);
    QCOMPARE(int(r.kind), kind);
    QCOMPARE(r.value, value);
    QCOMPARE(r.name, name);
}

void TestReadiness::chunks()
{
    ReadinessParser p;
    QVERIFY(!p.feed("some log\nvcd-sim listen"));
    QVERIFY(!p.simReady());
    QVERIFY(p.feed("ing on https://127.0.0.1:1/\nfinger"));
    QVERIFY(!p.simReady());
    QVERIFY(p.simReady(true)); // plain HTTP needs no fingerprint
    QVERIFY(p.feed("print: " + QByteArray("AA:").repeated(31) + "BB\r\n"));
    QVERIFY(p.simReady());
    QCOMPARE(p.simUrl(), QStringLiteral("https://127.0.0.1:1/"));
    QVERIFY(p.feed("cse-server: replica a ready; health on http://127.0.0.1:5\n"));
    QCOMPARE(p.replicas().value(QStringLiteral("a")), QStringLiteral("http://127.0.0.1:5"));
    QVERIFY(p.output().startsWith("some log\n"));
}

QTEST_APPLESS_MAIN(TestReadiness)
#include "tst_readiness.moc"
