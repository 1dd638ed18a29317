// The backup archive and the restore planner without a site: every flipped
// byte and every truncation is caught and named, a wrong passphrase is told
// apart from damage, secure fields are stripped (inside arrays too), and the
// planner decides create / update / unchanged / conflict as documented.
#include "../support/archiveforge.h"
#include "backup/archive.h"
#include "backup/backup.h"
#include "backup/restore.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;
using namespace cse::backup;

namespace {

const QByteArray kSigningKey = QByteArrayLiteral("0123456789abcdef0123456789abcdef-test-key");

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
    void forgedProxyConfigIsNotAuthentic();
    void changedCiphertextIsNeverCalledIntact();
    void forgedScryptCostIsRefusedBeforeDeriving_data();
    void forgedScryptCostIsRefusedBeforeDeriving();
    void formatVersions_data();
    void formatVersions();
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
    auto bytes = encode(a, QStringLiteral("a good passphrase"));
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
    auto bytes = encode(sample(encrypted), encrypted ? std::optional<QString>(QStringLiteral("a good passphrase")) : std::nullopt);
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
    auto bytes = encode(sample(true), QStringLiteral("a good passphrase"));
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

// The checksums are unkeyed: recomputed, they let a forged proxyConfig
// through. A signed archive (HMAC-SHA256 under a key file) does not, nor
// does one whose signature was stripped, and an unsigned one is never
// called authentic.
void TestBackup::forgedProxyConfigIsNotAuthentic()
{
    auto bytes = encode(sample(false), std::nullopt, kSigningKey);
    QVERIFY(bytes.ok());
    auto genuine = decode(*bytes, {}, kSigningKey);
    QVERIFY2(genuine.ok(), genuine.ok() ? "" : qPrintable(genuine.error().message));
    QVERIFY(genuine->authenticity == Authenticity::Key);
    QVERIFY(decode(*bytes, {})->authenticity == Authenticity::Unchecked);

    test::ForgedArchive forged = test::ForgedArchive::parse(*bytes);
    forged.editEntries(test::forgeProxyConfig);
    QVERIFY(forged.bytes().contains("evil.example"));
    // Every unkeyed check holds: without a key the forgery reads (and says it is not authenticated).
    auto unkeyed = decode(forged.bytes(), {});
    QVERIFY2(unkeyed.ok(), unkeyed.ok() ? "" : qPrintable(unkeyed.error().message));
    QVERIFY(unkeyed->authenticity != Authenticity::Key);
    QVERIFY(authenticityText(unkeyed->authenticity).startsWith(QLatin1String("not authenticated")));
    // With the key: refused.
    auto keyed = decode(forged.bytes(), {}, kSigningKey);
    QVERIFY(!keyed.ok());
    QVERIFY(problemOf(keyed.error()) == Problem::NotAuthentic);
    QVERIFY(keyed.error().kind == ErrorKind::Unauthorized);
    QVERIFY(!keyed.error().message.contains(QLatin1String("intact")));
    // The signature stripped (header field and line gone): refused too, with the key.
    forged.header.remove(QStringLiteral("signature"));
    forged.macLine.clear();
    auto stripped = decode(forged.bytes(), {}, kSigningKey);
    QVERIFY(!stripped.ok());
    QVERIFY(problemOf(stripped.error()) == Problem::NotAuthentic);
    QVERIFY(decode(forged.bytes(), {})->authenticity == Authenticity::None);
    // Another key is no better than none.
    auto other = decode(*bytes, {}, QByteArray(40, 'k'));
    QVERIFY(!other.ok());
    QVERIFY(problemOf(other.error()) == Problem::NotAuthentic);

    // An encrypted archive's content cannot be forged without the passphrase:
    // the forged plain copy is the only way, and it is not authenticated.
    auto enc = encode(sample(true), QStringLiteral("a good passphrase"));
    QVERIFY(enc.ok());
    QVERIFY(decode(*enc, pass(QStringLiteral("a good passphrase")))->authenticity == Authenticity::Passphrase);
    test::ForgedArchive downgraded = test::ForgedArchive::parse(*bytes);
    downgraded.header.remove(QStringLiteral("signature"));
    downgraded.macLine.clear();
    downgraded.editEntries(test::forgeProxyConfig);
    auto plainCopy = decode(downgraded.bytes(), pass(QStringLiteral("a good passphrase")));
    QVERIFY(plainCopy.ok());
    QVERIFY(plainCopy->authenticity == Authenticity::None);
}

// A flipped ciphertext byte with the closing SHA-256 recomputed: the GCM tag
// fails, and the message never claims the archive is intact.
void TestBackup::changedCiphertextIsNeverCalledIntact()
{
    auto bytes = encode(sample(true), QStringLiteral("a good passphrase"));
    QVERIFY(bytes.ok());
    test::ForgedArchive forged = test::ForgedArchive::parse(*bytes);
    forged.payload[forged.payload.size() / 2] = char(forged.payload[forged.payload.size() / 2] ^ 0x01);
    auto r = decode(forged.bytes(), pass(QStringLiteral("a good passphrase")));
    QVERIFY(!r.ok());
    QVERIFY(problemOf(r.error()) == Problem::WrongPassphrase);
    QVERIFY2(!r.error().message.contains(QLatin1String("intact")), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(QLatin1String("changed after it was written")), qPrintable(r.error().message));
    // The header is authenticated as well (it is the cipher's additional data).
    test::ForgedArchive header = test::ForgedArchive::parse(*bytes);
    header.header.insert(QStringLiteral("site"), QStringLiteral("https://elsewhere.example"));
    auto h = decode(header.bytes(), pass(QStringLiteral("a good passphrase")));
    QVERIFY(!h.ok());
    QVERIFY(problemOf(h.error()) == Problem::WrongPassphrase);
}

void TestBackup::forgedScryptCostIsRefusedBeforeDeriving_data()
{
    QTest::addColumn<int>("logN");
    QTest::addColumn<int>("r");
    QTest::addColumn<int>("p");
    QTest::newRow("logN 20 (1 GiB)") << 20 << 8 << 1;
    QTest::newRow("logN 20, p 16") << 20 << 8 << 16;
    QTest::newRow("logN 22, r 32") << 22 << 32 << 16;
    QTest::newRow("cheaper than written") << 10 << 8 << 1;
    QTest::newRow("r 1") << 15 << 1 << 1;
}

// The cost in an encrypted archive's header is not authenticated before the
// key exists: any cost but the writer's is refused at once, before the
// passphrase is even asked for.
void TestBackup::forgedScryptCostIsRefusedBeforeDeriving()
{
    QFETCH(int, logN);
    QFETCH(int, r);
    QFETCH(int, p);
    auto bytes = encode(sample(true), QStringLiteral("a good passphrase"));
    QVERIFY(bytes.ok());
    test::ForgedArchive forged = test::ForgedArchive::parse(*bytes);
    QJsonObject kdf = forged.header.value(QLatin1String("kdf")).toObject();
    QCOMPARE(kdf.value(QLatin1String("logN")).toInt(), kWriterKdf.logN);
    kdf.insert(QStringLiteral("logN"), logN);
    kdf.insert(QStringLiteral("r"), r);
    kdf.insert(QStringLiteral("p"), p);
    forged.header.insert(QStringLiteral("kdf"), kdf);
    bool asked = false;
    QElapsedTimer timer;
    timer.start();
    auto result = decode(forged.bytes(), [&asked]() -> Result<QString> {
        asked = true;
        return QStringLiteral("a good passphrase");
    });
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!result.ok());
    QVERIFY(problemOf(result.error()) == Problem::Unsupported);
    QVERIFY(result.error().message.contains(QLatin1String("before deriving any key")));
    QVERIFY(!asked);
}

void TestBackup::formatVersions_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<bool>("encrypted");
    QTest::addColumn<bool>("readable");
    QTest::newRow("1 plain (written before signatures)") << 1 << false << true;
    QTest::newRow("2 plain") << 2 << false << true;
    QTest::newRow("3 plain (newer)") << 3 << false << false;
    QTest::newRow("0 plain") << 0 << false << false;
    QTest::newRow("3 encrypted (newer)") << 3 << true << false;
}

// Old archives are read; newer or unknown versions are refused by name,
// before a passphrase is asked for.
void TestBackup::formatVersions()
{
    QFETCH(int, version);
    QFETCH(bool, encrypted);
    QFETCH(bool, readable);
    auto bytes = encode(sample(encrypted), encrypted ? std::optional<QString>(QStringLiteral("a good passphrase")) : std::nullopt);
    QVERIFY(bytes.ok());
    QCOMPARE(inspect(*bytes)->value(QLatin1String("formatVersion")).toInt(), kFormatVersion);
    test::ForgedArchive old = test::ForgedArchive::parse(*bytes);
    old.header.insert(QStringLiteral("formatVersion"), version);
    auto r = decode(old.bytes(), pass(QStringLiteral("a good passphrase")));
    QCOMPARE(r.ok(), readable);
    if (!readable) {
        QVERIFY(problemOf(r.error()) == Problem::Unsupported);
        QVERIFY2(r.error().message.contains(QStringLiteral("format version %1; this program reads versions 1 to %2").arg(version).arg(kFormatVersion)),
                 qPrintable(r.error().message));
    }
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
