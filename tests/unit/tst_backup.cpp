// The backup archive and the restore planner without a site: every flipped
// byte and every truncation is caught and named, a wrong passphrase is told
// apart from damage, secure fields are stripped (inside arrays too), and the
// planner decides create / update / unchanged / conflict as documented.
#include "backup/archive.h"
#include "backup/backup.h"
#include "backup/restore.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;
using namespace cse::backup;

namespace {

const backup::KdfParams kFastKdf{10, 8, 1}; // the cost is stored in the header; tests use a cheap one

rde::DefinedEntity clusterEntity(const QString &org, const QString &name, const QString &token, const QString &state = {})
{
    rde::DefinedEntity e;
    e.id = QStringLiteral("urn:vcloud:entity:vmware:capvcdCluster:%1").arg(name);
    e.entityType = rde::types::cluster(QStringLiteral("1.3.0")).id();
    e.name = name;
    e.org = {org, QStringLiteral("urn:vcloud:org:") + org};
    e.owner = {org + QStringLiteral("-admin"), QStringLiteral("urn:vcloud:user:1")};
    e.state = e.entityState = QStringLiteral("RESOLVED");
    rde::Cluster c = rde::Cluster::create(name, org, org + QStringLiteral("-vdc"), QStringLiteral("https://vcd"),
                                          QStringLiteral("apiVersion: v1\nkind: Cluster\n"), token);
    if (!state.isEmpty())
        c.setState(state);
    c.setValue({QStringLiteral("status"), QStringLiteral("capvcd"), QStringLiteral("private"), QStringLiteral("kubeConfig")},
               QStringLiteral("apiVersion: v1\nkind: Config\n# secret-kubeconfig"));
    e.entity = c.json();
    e.etag = QStringLiteral("\"3\"");
    return e;
}

Archive sample(bool secrets)
{
    Archive a;
    a.manifest.site = QStringLiteral("https://vcd.example.com");
    a.manifest.createdAt = QStringLiteral("2026-01-01T00:00:00.000Z");
    a.manifest.createdBy = QStringLiteral("administrator@System");
    a.manifest.includesSecrets = secrets;
    rde::DefinedEntity cfg;
    cfg.id = QStringLiteral("urn:vcloud:entity:vmware:VCDKEConfig:1");
    cfg.entityType = rde::types::config().id();
    cfg.name = rde::types::kConfigEntityName;
    cfg.org = {QStringLiteral("System"), QStringLiteral("urn:vcloud:org:system")};
    cfg.state = QStringLiteral("RESOLVED");
    cfg.entity = rde::VcdKeConfig::defaults42().json();
    a.entries.append({kind::kConfig, cfg});
    for (const char *n : {"c1", "c2", "c3"}) {
        rde::DefinedEntity e = clusterEntity(QStringLiteral("acme"), QString::fromLatin1(n), QStringLiteral("tok-SECRET-123"));
        if (!secrets)
            stripSecure(e.entityType, e.entity);
        a.entries.append({kind::kCluster, e});
    }
    a.seal();
    return a;
}

auto pass(const QString &p)
{
    return [p]() -> Result<QString> { return p; };
}

} // namespace

class TestBackup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripPlain();
    void roundTripEncrypted();
    void everyFlippedByteIsCorrupt_data();
    void everyFlippedByteIsCorrupt();
    void everyTruncationIsTruncated();
    void wrongPassphraseIsNotCorruption();
    void secretsNeedAPassphrase();
    void stripSecureRemovesTokensAndKubeconfig();
    void planDecidesPerEntity();
    void orgMappingParses_data();
    void orgMappingParses();
    void fileIsPrivate();
};

void TestBackup::roundTripPlain()
{
    const Archive a = sample(false);
    auto bytes = encode(a, std::nullopt);
    QVERIFY(bytes.ok());
    QVERIFY(!bytes->contains("tok-SECRET-123"));
    QVERIFY(!bytes->contains("secret-kubeconfig"));
    auto back = decode(*bytes, {});
    QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
    QCOMPARE(back->entries.size(), 4);
    QCOMPARE(back->manifest.counts.value(kind::kCluster), 3);
    QCOMPARE(back->manifest.entriesSha256, a.manifest.entriesSha256);
    QCOMPARE(back->entries[1].entity.etag, QStringLiteral("\"3\""));
    QCOMPARE(json::canonical(back->entries[2].entity.entity), json::canonical(a.entries[2].entity.entity));
    auto header = inspect(*bytes);
    QVERIFY(header.ok());
    QCOMPARE(header->value(QLatin1String("encrypted")).toBool(), false);
}

void TestBackup::roundTripEncrypted()
{
    const Archive a = sample(true);
    auto bytes = encode(a, QStringLiteral("a good passphrase"), kFastKdf);
    QVERIFY(bytes.ok());
    QVERIFY(!bytes->contains("tok-SECRET-123"));
    QVERIFY(!bytes->contains("\"c1\""));
    auto back = decode(*bytes, pass(QStringLiteral("a good passphrase")));
    QVERIFY(back.ok());
    QCOMPARE(rde::Cluster(back->entries[1].entity.entity)
                 .value({QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("secure"), QStringLiteral("apiToken")})
                 .toString(),
             QStringLiteral("tok-SECRET-123"));
    auto noPass = decode(*bytes, {});
    QVERIFY(!noPass.ok());
    QVERIFY(problemOf(noPass.error()) == Problem::NeedsPassphrase);
}

void TestBackup::everyFlippedByteIsCorrupt_data()
{
    QTest::addColumn<bool>("encrypted");
    QTest::newRow("plain") << false;
    QTest::newRow("encrypted") << true;
}

void TestBackup::everyFlippedByteIsCorrupt()
{
    QFETCH(bool, encrypted);
    auto bytes = encode(sample(encrypted), encrypted ? std::optional<QString>(QStringLiteral("a good passphrase")) : std::nullopt, kFastKdf);
    QVERIFY(bytes.ok());
    // Every byte, two ways: the whole-file SHA-256 catches each before any decryption.
    for (qsizetype i = 0; i < bytes->size(); ++i) {
        for (char mask : {char(0x01), char(0x80)}) {
            QByteArray damaged = *bytes;
            damaged[i] = char(damaged[i] ^ mask);
            auto r = decode(damaged, pass(QStringLiteral("a good passphrase")));
            QVERIFY2(!r.ok(), qPrintable(QStringLiteral("flip at %1 accepted").arg(i)));
            QVERIFY2(problemOf(r.error()) == Problem::Corrupt,
                     qPrintable(QStringLiteral("flip at %1: %2").arg(i).arg(r.error().message)));
            QVERIFY(r.error().message.contains(QLatin1String("corrupt")));
        }
    }
}

void TestBackup::everyTruncationIsTruncated()
{
    auto bytes = encode(sample(false), std::nullopt);
    QVERIFY(bytes.ok());
    for (qsizetype n = 0; n < bytes->size(); ++n) {
        auto r = decode(bytes->left(n), {});
        QVERIFY2(!r.ok(), qPrintable(QString::number(n)));
        QVERIFY2(problemOf(r.error()) == Problem::Truncated, qPrintable(QStringLiteral("%1: %2").arg(n).arg(r.error().message)));
        QVERIFY(r.error().message.contains(QLatin1String("truncated")));
    }
    QVERIFY(problemOf(decode(*bytes + "x", {}).error()) == Problem::Corrupt); // bytes appended
}

void TestBackup::wrongPassphraseIsNotCorruption()
{
    auto bytes = encode(sample(true), QStringLiteral("a good passphrase"), kFastKdf);
    QVERIFY(bytes.ok());
    auto r = decode(*bytes, pass(QStringLiteral("a bad passphrase")));
    QVERIFY(!r.ok());
    QVERIFY(problemOf(r.error()) == Problem::WrongPassphrase);
    QVERIFY(r.error().kind == ErrorKind::Unauthorized);
    QVERIFY(r.error().message.contains(QLatin1String("wrong passphrase")));
    QVERIFY(!r.error().message.contains(QLatin1String("a bad passphrase")));
}

void TestBackup::secretsNeedAPassphrase()
{
    auto r = encode(sample(true), std::nullopt);
    QVERIFY(!r.ok());
    QVERIFY(r.error().kind == ErrorKind::Invalid);
}

void TestBackup::stripSecureRemovesTokensAndKubeconfig()
{
    rde::DefinedEntity e = clusterEntity(QStringLiteral("acme"), QStringLiteral("s"), QStringLiteral("tok-SECRET-123"));
    // spec.projector.operations[].values are private+secure inside an array (1.3.0).
    e.entity = json::set(e.entity, {QStringLiteral("spec"), QStringLiteral("projector")},
                         QJsonObject{{QStringLiteral("operations"),
                                      QJsonArray{QJsonObject{{QStringLiteral("verb"), QStringLiteral("apply")},
                                                             {QStringLiteral("name"), QStringLiteral("op")},
                                                             {QStringLiteral("valueType"), QStringLiteral("yamlString")},
                                                             {QStringLiteral("sequence"), 1},
                                                             {QStringLiteral("values"), QJsonArray{QStringLiteral("array-SECRET")}}}}}});
    QVERIFY(stripSecure(e.entityType, e.entity));
    const QByteArray text = json::canonical(e.entity);
    QVERIFY(!text.contains("tok-SECRET-123"));
    QVERIFY(!text.contains("secret-kubeconfig"));
    QVERIFY(!text.contains("array-SECRET"));
    QVERIFY(text.contains("\"verb\":\"apply\"")); // the rest stays
    QVERIFY(text.contains("capiYaml"));
    QJsonObject unknown{{QStringLiteral("x"), 1}};
    QVERIFY(!stripSecure(QStringLiteral("urn:vcloud:type:nobody:nothing:1.0.0"), unknown));
}

void TestBackup::planDecidesPerEntity()
{
    Archive a = sample(false);
    TargetState t;
    t.orgs = {{QStringLiteral("System"), QStringLiteral("urn:vcloud:org:system")}, {QStringLiteral("acme"), QStringLiteral("urn:vcloud:org:acme2")}};
    t.installedTypes = {rde::types::cluster(QStringLiteral("1.3.0")).id(), rde::types::config().id()};
    // Rebuilt site: config installed with other knobs, no clusters.
    rde::DefinedEntity cfg = a.entries[0].entity;
    cfg.id = QStringLiteral("urn:vcloud:entity:vmware:VCDKEConfig:new");
    rde::VcdKeConfig changed(cfg.entity);
    rde::HaSettings ha = changed.ha();
    ha.leaseSeconds += 5;
    changed.setHa(ha);
    cfg.entity = changed.json();
    t.configs = {cfg};
    Plan p = makePlan(a, t, {});
    QCOMPARE(p.summary(), QStringLiteral("3 create, 1 update, 0 unchanged, 0 conflict"));
    QVERIFY(p.items[0].action == Action::Update);
    QCOMPARE(p.items[1].targetOrgId, QStringLiteral("urn:vcloud:org:acme2"));

    // After the restore: c1 restored (externalId = original id), c2 restored but
    // left PRE_CREATED, c3 restored and edited since.
    auto restored = [&](int i, const QString &state) {
        rde::DefinedEntity e = a.entries[i].entity;
        e.externalId = e.id;
        e.id = e.id + QStringLiteral("-new");
        e.state = state;
        e.org.id = QStringLiteral("urn:vcloud:org:acme2");
        // the target's GET has no secure fields; status moved on
        stripSecure(e.entityType, e.entity);
        e.entity = json::set(e.entity, {QStringLiteral("status"), QStringLiteral("vcdKe"), QStringLiteral("state")},
                             QStringLiteral("provisioned"));
        return e;
    };
    t.configs = {a.entries[0].entity};
    t.clusters = {restored(1, QStringLiteral("RESOLVED")), restored(2, QStringLiteral("PRE_CREATED")), restored(3, QStringLiteral("RESOLVED"))};
    t.clusters[2].entity = json::set(t.clusters[2].entity, {QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("markForDelete")}, true);
    p = makePlan(sample(true), t, {}); // with secrets in the archive: still equal
    QCOMPARE(p.summary(), QStringLiteral("0 create, 1 update, 2 unchanged, 1 conflict"));
    QVERIFY(p.items[1].action == Action::Unchanged);
    QVERIFY(p.items[2].action == Action::Update); // resolve what an interrupted restore left
    QVERIFY(p.items[3].action == Action::Conflict);
    QVERIFY(p.items[3].describe().contains(QLatin1String("changed in the target")));

    // Missing org, mapped org, missing type.
    t.clusters.clear();
    t.orgs.remove(QStringLiteral("acme"));
    p = makePlan(a, t, {});
    QCOMPARE(p.count(Action::Conflict), 3);
    QVERIFY(p.items[1].reason.contains(QLatin1String("--map-org acme=NEW")));
    t.orgs.insert(QStringLiteral("globex"), QStringLiteral("urn:vcloud:org:globex"));
    RestoreOptions o;
    QVERIFY(parseOrgMapping(QStringLiteral("acme=globex"), o.orgMap).ok());
    p = makePlan(a, t, o);
    QCOMPARE(p.count(Action::Create), 3);
    QCOMPARE(p.items[1].targetOrg, QStringLiteral("globex"));
    t.installedTypes.clear();
    p = makePlan(a, t, o);
    QCOMPARE(p.count(Action::Conflict), 3);
    QVERIFY(p.items[1].reason.contains(QLatin1String("cse-server install")));
}

void TestBackup::orgMappingParses_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("ok");
    QTest::newRow("good") << "old=new" << true;
    QTest::newRow("no equals") << "old" << false;
    QTest::newRow("no old") << "=new" << false;
    QTest::newRow("no new") << "old=" << false;
}

void TestBackup::orgMappingParses()
{
    QFETCH(QString, spec);
    QFETCH(bool, ok);
    QMap<QString, QString> m;
    QCOMPARE(parseOrgMapping(spec, m).ok(), ok);
    if (ok)
        QCOMPARE(m.value(QStringLiteral("old")), QStringLiteral("new"));
}

void TestBackup::fileIsPrivate()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.cseb"));
    QVERIFY(writeFile(path, "content").ok());
    QVERIFY(!(QFile(path).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteOther)));
    auto r = readFile(dir.filePath(QStringLiteral("missing")));
    QVERIFY(!r.ok());
    QVERIFY(problemOf(r.error()) == Problem::Io);
}

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
