// Backup and restore end to end: real vcd-sim and cse-server processes on
// loopback. A site with clusters in mixed states is backed up, destroyed
// (kill -9, data directory deleted), rebuilt with `vcd-sim --seed tenants` and
// `cse-server install`, restored, and resumed by fresh replicas. Damaged
// archives, a wrong passphrase and dry runs are checked against vcd-sim's
// write audit: the target must be unchanged.
#include "../support/archiveforge.h"
#include "../support/serverprocess.h"
#include "../support/simprocess.h"
#include "backup/archive.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>
#include <QtTest>

using namespace cse;
using cse::test::call;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run runServer(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
              int timeoutMs = 300000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice()); // never a terminal: no prompt
    p.start(QStringLiteral(CSE_SERVER_BIN), args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QProcessEnvironment withPassphrase(const QString &passphrase)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("CSE_BACKUP_PASSPHRASE"));
    if (!passphrase.isEmpty())
        env.insert(QStringLiteral("CSE_BACKUP_PASSPHRASE"), passphrase);
    return env;
}

QString writeFile(const QString &path, const QByteArray &content, bool privateFile = true)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(content);
    f.close();
    f.setPermissions(privateFile ? (QFileDevice::ReadOwner | QFileDevice::WriteOwner)
                                 : (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
    return path;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}


// A rebuilt-style site: vcd-sim with the tenancy only, then `cse-server install`.
class Site
{
public:
    explicit Site(int latencyMs)
        : sim({QStringLiteral("--seed"), QStringLiteral("tenants"), QStringLiteral("--latency-ms"), QString::number(latencyMs)})
    {
    }

    bool start()
    {
        if (!sim.start()) {
            qWarning("%s", qPrintable(sim.error()));
            return false;
        }
        writeFile(dir.filePath(QStringLiteral("admin-password")), sim.adminPassword().toUtf8());
        admin = std::make_unique<vcd::Client>(sim.provider());
        acme = std::make_unique<vcd::Client>(sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
        globex = std::make_unique<vcd::Client>(sim.tenant(QStringLiteral("globex"), QStringLiteral("globex-admin")));
        return test::connect(*admin).ok() && test::connect(*acme).ok() && test::connect(*globex).ok();
    }

    QStringList connection() const
    {
        return {QStringLiteral("--vcd"), sim.url(), QStringLiteral("--org"), QStringLiteral("System"), QStringLiteral("--user"),
                QStringLiteral("administrator"), QStringLiteral("--password-file"), dir.filePath(QStringLiteral("admin-password")),
                QStringLiteral("--fingerprint"), sim.fingerprint()};
    }

    Run cli(const QString &command, const QStringList &args, const QString &passphrase = {})
    {
        return runServer(QStringList{command} + args + connection(), withPassphrase(passphrase));
    }

    bool install() { return cli(QStringLiteral("install"), {}).code == 0; }

    bool setHa(const rde::HaSettings &ha) { return test::setHaSettings(*admin, ha).ok(); }

    vcd::Client &tenant(const QString &org) { return org == QLatin1String("acme") ? *acme : *globex; }

    // Registers each org admin's API token (given values, so that a rebuilt site
    // can have the same ones back, as VCD's own recovery would bring them).
    bool registerTokens(const QHash<QString, QString> &tokens)
    {
        for (auto it = tokens.cbegin(); it != tokens.cend(); ++it)
            if (!test::createApiToken(*admin, it.key(), it.key() + QStringLiteral("-admin"), it.value()))
                return false;
        return true;
    }

    QString create(const QString &org, const QString &name, const QString &token, const QString &network = {})
    {
        rde::ClusterSpec spec;
        spec.name = name;
        spec.org = org;
        spec.vdc = org + QStringLiteral("-vdc");
        spec.network = network.isEmpty() ? org + QStringLiteral("-net") : network;
        spec.site = sim.url();
        spec.workerPools = {rde::MachinePool::named(QStringLiteral("workers"), 1)};
        const QString yaml = rde::renderCapiYaml(spec).value();
        auto id = vcd::await<QString>([&](auto done) {
            tenant(org).createEntity(rde::types::cluster().id(), name,
                                     rde::Cluster::create(name, org, spec.vdc, spec.site, yaml, token, true).json(), done);
        });
        return id ? *id : QString();
    }

    std::optional<rde::DefinedEntity> entity(const QString &id)
    {
        auto e = vcd::await<rde::DefinedEntity>([&](auto done) { admin->getEntity(id, done); });
        if (!e)
            return std::nullopt;
        return *e;
    }
    rde::Cluster cluster(const QString &id)
    {
        auto e = entity(id);
        return e ? rde::Cluster(e->entity) : rde::Cluster();
    }
    QJsonObject full(const QString &id)
    {
        auto e = vcd::await<rde::DefinedEntity>([&](auto done) { admin->getFullEntity(id, done); });
        return e ? e->entity : QJsonObject();
    }
    bool gone(const QString &id)
    {
        auto e = vcd::await<rde::DefinedEntity>([&](auto done) { admin->getEntity(id, done); });
        return !e && e.error().is(ErrorKind::Forbidden);
    }
    bool mark(const QString &org, const QString &id, bool force)
    {
        auto r = vcd::await<rde::DefinedEntity>([&](auto cb) {
            tenant(org).patch(id, [force](QJsonObject &e) -> Result<bool> {
                rde::Cluster c(e);
                c.setMarkForDelete(true, force);
                e = c.json();
                return true;
            }, cb);
        });
        return r.ok();
    }
    // Every cluster of both tenant orgs, as the admin lists them per org.
    QList<rde::DefinedEntity> clusters()
    {
        QList<rde::DefinedEntity> out;
        for (vcd::Client *c : {acme.get(), globex.get()}) {
            auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
                c->listEntities(vcd::ListQuery::ofType(QStringLiteral("vmware"), QStringLiteral("capvcdCluster"), QStringLiteral("1")), done);
            });
            if (list)
                out += *list;
        }
        return out;
    }

    QJsonArray audit(const QString &what, const QString &key = {}, const QString &id = {})
    {
        QUrlQuery q;
        if (!key.isEmpty())
            q.addQueryItem(key, id);
        auto r = call(*admin, "GET", QStringLiteral("/cloudapi/x-sim/1.0.0/audit/") + what, {}, {}, q);
        return r ? QJsonDocument::fromJson(r->body).array() : QJsonArray();
    }
    int allWrites() { return int(audit(QStringLiteral("writes")).size()); }
    QJsonArray vms(const QString &clusterId) { return audit(QStringLiteral("vms"), QStringLiteral("clusterId"), clusterId); }
    QJsonArray writes(const QString &entityId) { return audit(QStringLiteral("writes"), QStringLiteral("entityId"), entityId); }

    test::SimProcess sim;
    QTemporaryDir dir;
    std::unique_ptr<vcd::Client> admin, acme, globex;
};

int countRole(const QJsonArray &vms, const QString &role, bool liveOnly = false)
{
    int n = 0;
    for (const QJsonValue &v : vms) {
        const QJsonObject o = v.toObject();
        if (o.value(QLatin1String("role")).toString() == role
            && (!liveOnly || o.value(QLatin1String("deletedAt")).toString().isEmpty()))
            ++n;
    }
    return n;
}

int serverWrites(const QJsonArray &writes)
{
    int n = 0;
    for (const QJsonValue &w : writes)
        n += w.toObject().value(QLatin1String("clientId")).toString().startsWith(QLatin1String("cse-server/")) ? 1 : 0;
    return n;
}

QByteArray kubeConfigOf(const QJsonObject &entity)
{
    return json::canonical(json::get(entity, {QStringLiteral("status"), QStringLiteral("capvcd"), QStringLiteral("private"),
                                              QStringLiteral("kubeConfig")}));
}

QByteArray nodePoolsOf(const QJsonObject &entity)
{
    return json::canonical(json::get(entity, {QStringLiteral("status"), QStringLiteral("capvcd"), QStringLiteral("nodePool")}));
}

// What a cluster looked like when it was backed up, and where it should end.
struct Expected
{
    QString org;
    QString name;
    QString state;
    QString phase;
    bool markForDelete = false;
    QByteArray spec;
    QByteArray nodePools;
    QByteArray kubeConfig;
    QString target; // "provisioned (unchanged)", "provisioned (resumed)", "error", "deleted"
};

} // namespace

class TestBackupRestore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void disasterRecoveryToARebuiltSite();
    void damagedArchivesAreRejectedAndNothingIsWritten_data();
    void damagedArchivesAreRejectedAndNothingIsWritten();
    void secretsOnlyWhenAskedFor();
    void dryRunAndRepeatedRestoreWriteNothing();
    void mapOrgRestoresIntoAnotherOrg();
    void signedArchivesAndForgeries();
    void manifestNamesTheTokenUser();
    void consoleBacksUpWithoutADisplay();
    void cleanupTestCase();

private:
    // A small site (no replicas, nothing moves by itself) shared by the
    // archive checks: three clusters with a known token.
    std::unique_ptr<Site> m_small;
    QTemporaryDir m_tmp;
    QString m_token;
    QString m_plain;     // archive without secrets
    QString m_encrypted; // archive with secrets
    const QString m_passphrase = QStringLiteral("correct horse battery staple");
};

void TestBackupRestore::initTestCase()
{
    m_small = std::make_unique<Site>(20);
    QVERIFY(m_small->start());
    QVERIFY(m_small->install());
    m_token = QStringLiteral("known-test-token-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QVERIFY(!m_small->create(QStringLiteral("acme"), QStringLiteral("small-a"), m_token).isEmpty());
    QVERIFY(!m_small->create(QStringLiteral("acme"), QStringLiteral("small-b"), m_token).isEmpty());
    QVERIFY(!m_small->create(QStringLiteral("globex"), QStringLiteral("small-c"), m_token).isEmpty());
    m_plain = m_tmp.filePath(QStringLiteral("plain.cseb"));
    m_encrypted = m_tmp.filePath(QStringLiteral("encrypted.cseb"));
    Run plain = m_small->cli(QStringLiteral("backup"), {m_plain});
    QVERIFY2(plain.code == 0, qPrintable(plain.err));
    QVERIFY2(plain.out.contains(QLatin1String("3 cluster(s), 1 configuration(s)")), qPrintable(plain.out));
    Run enc = m_small->cli(QStringLiteral("backup"), {m_encrypted, QStringLiteral("--include-secrets")}, m_passphrase);
    QVERIFY2(enc.code == 0, qPrintable(enc.err));
    // Secrets never reach the output of the tools.
    QVERIFY(!QString(plain.out + plain.err + enc.out + enc.err).contains(m_token));
    QVERIFY(!QString(enc.out + enc.err).contains(m_passphrase));
}

void TestBackupRestore::cleanupTestCase()
{
    m_small.reset();
}

void TestBackupRestore::secretsOnlyWhenAskedFor()
{
    // Without --include-secrets: no token anywhere in the bytes, and the archive is plain (readable without passphrase).
    const QByteArray plain = readAll(m_plain);
    QVERIFY(plain.size() > 1000);
    QVERIFY(!plain.contains(m_token.toUtf8()));
    QVERIFY(!plain.contains("apiToken"));
    QVERIFY(plain.contains("small-a")); // the content itself is there
    Run verified = runServer({QStringLiteral("verify"), m_plain}, withPassphrase({}));
    QCOMPARE(verified.code, 0);
    QVERIFY(verified.out.contains(QLatin1String("small-c")));
    // With it: encrypted, so neither the token nor any entity name is readable.
    const QByteArray enc = readAll(m_encrypted);
    QVERIFY(!enc.contains(m_token.toUtf8()));
    QVERIFY(!enc.contains("small-a\""));
    QVERIFY(!(QFile(m_encrypted).permissions()
              & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther)));
    // ... and the token is in it, for whoever has the passphrase.
    auto archive = backup::decode(enc, [this]() -> Result<QString> { return m_passphrase; });
    QVERIFY(archive.ok());
    QVERIFY(archive->manifest.includesSecrets);
    bool found = false;
    for (const backup::Entry &e : archive->entries)
        found = found || rde::Cluster(e.entity.entity).value({QStringLiteral("spec"), QStringLiteral("vcdKe"), QStringLiteral("secure"),
                                                             QStringLiteral("apiToken")}).toString() == m_token;
    QVERIFY(found);

    // Passphrase sources: a loose file is refused, none at all is a clear error, never the command line.
    const QString out = m_tmp.filePath(QStringLiteral("never.cseb"));
    const QString loose = writeFile(m_tmp.filePath(QStringLiteral("loose-pass")), m_passphrase.toUtf8(), false);
    Run r = m_small->cli(QStringLiteral("backup"), {out, QStringLiteral("--include-secrets"), QStringLiteral("--passphrase-file"), loose});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("chmod 600")), qPrintable(r.err));
    r = m_small->cli(QStringLiteral("backup"), {out, QStringLiteral("--include-secrets")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("CSE_BACKUP_PASSPHRASE")) && r.err.contains(QLatin1String("--passphrase-file")), qPrintable(r.err));
    r = m_small->cli(QStringLiteral("backup"), {out, QStringLiteral("--include-secrets"), QStringLiteral("--passphrase"), m_passphrase});
    QVERIFY(r.code != 0);
    QVERIFY(!QFile::exists(out));
    // A private passphrase file works.
    const QString tight = writeFile(m_tmp.filePath(QStringLiteral("tight-pass")), m_passphrase.toUtf8() + "\n");
    r = runServer({QStringLiteral("verify"), m_encrypted, QStringLiteral("--passphrase-file"), tight}, withPassphrase({}));
    QVERIFY2(r.code == 0, qPrintable(r.err));
}

void TestBackupRestore::damagedArchivesAreRejectedAndNothingIsWritten_data()
{
    QTest::addColumn<QString>("damage");   // flip:OFFSET (negative: from the end), cut:BYTES, passphrase
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("says");
    QTest::newRow("flip first byte") << "flip:0" << 4 << "corrupt";
    QTest::newRow("flip in header") << "flip:40" << 4 << "corrupt";
    QTest::newRow("flip header size digit") << "flip:header-payloadBytes" << 4 << "corrupt";
    QTest::newRow("flip in payload") << "flip:middle" << 4 << "corrupt";
    QTest::newRow("flip last payload byte") << "flip:-73" << 4 << "corrupt";
    QTest::newRow("flip in checksum line") << "flip:-10" << 4 << "corrupt";
    QTest::newRow("flip final newline") << "flip:-1" << 4 << "corrupt";
    QTest::newRow("cut half") << "cut:half" << 3 << "truncated";
    QTest::newRow("cut last byte") << "cut:1" << 3 << "truncated";
    QTest::newRow("cut in header") << "keep:30" << 3 << "truncated";
    QTest::newRow("empty") << "keep:0" << 3 << "truncated";
    QTest::newRow("wrong passphrase") << "passphrase" << 5 << "wrong passphrase";
}

void TestBackupRestore::damagedArchivesAreRejectedAndNothingIsWritten()
{
    QFETCH(QString, damage);
    QFETCH(int, exitCode);
    QFETCH(QString, says);
    QByteArray bytes = readAll(m_encrypted);
    QVERIFY(!bytes.isEmpty());
    QString passphrase = m_passphrase;
    const QString how = damage.section(QLatin1Char(':'), 1);
    if (damage.startsWith(QLatin1String("flip:"))) {
        qsizetype at = 0;
        if (how == QLatin1String("middle"))
            at = bytes.size() / 2;
        else if (how == QLatin1String("header-payloadBytes"))
            at = bytes.indexOf("\"payloadBytes\":") + 16;
        else
            at = how.toLongLong() < 0 ? bytes.size() + how.toLongLong() : how.toLongLong();
        bytes[at] = char(bytes[at] ^ 0x01);
    } else if (damage.startsWith(QLatin1String("cut:"))) {
        bytes.chop(how == QLatin1String("half") ? bytes.size() / 2 : how.toInt());
    } else if (damage.startsWith(QLatin1String("keep:"))) {
        bytes.truncate(how.toInt());
    } else {
        passphrase = QStringLiteral("not the passphrase");
    }
    const QString file = writeFile(m_tmp.filePath(QStringLiteral("damaged.cseb")), bytes);
    const int before = m_small->allWrites();
    QVERIFY(before > 0);
    const Run r = m_small->cli(QStringLiteral("restore"), {file}, passphrase);
    QCOMPARE(r.code, exitCode);
    QVERIFY2(r.err.contains(says), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("nothing was written")), qPrintable(r.err));
    QVERIFY(!r.err.contains(m_passphrase));
    QCOMPARE(m_small->allWrites(), before); // the target is unchanged
    // verify says the same without a site.
    const Run v = runServer({QStringLiteral("verify"), file}, withPassphrase(passphrase));
    QCOMPARE(v.code, exitCode);
}

void TestBackupRestore::dryRunAndRepeatedRestoreWriteNothing()
{
    const int before = m_small->allWrites();
    Run dry = m_small->cli(QStringLiteral("restore"), {m_encrypted, QStringLiteral("--dry-run")}, m_passphrase);
    QVERIFY2(dry.code == 0, qPrintable(dry.err));
    QVERIFY2(dry.out.contains(QLatin1String("plan: 0 create, 0 update, 4 unchanged, 0 conflict")), qPrintable(dry.out));
    QVERIFY(dry.out.contains(QLatin1String("dry run: nothing written")));
    QCOMPARE(m_small->allWrites(), before);
    // Restoring into the site it came from changes nothing.
    Run again = m_small->cli(QStringLiteral("restore"), {m_plain});
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QVERIFY2(again.out.contains(QLatin1String("restored: 0 created, 0 updated, 4 unchanged")), qPrintable(again.out));
    QCOMPARE(m_small->allWrites(), before);
    // A cluster edited since the backup is a conflict, left alone (exit 6).
    const QString id = m_small->clusters().first().id;
    const QString org = m_small->entity(id)->org.name;
    QVERIFY(m_small->mark(org, id, false));
    const int afterEdit = m_small->allWrites();
    Run conflict = m_small->cli(QStringLiteral("restore"), {m_plain});
    QCOMPARE(conflict.code, 6);
    QVERIFY2(conflict.out.contains(QLatin1String("1 conflict")), qPrintable(conflict.out));
    QVERIFY(conflict.out.contains(QLatin1String("changed in the target since the backup")));
    QCOMPARE(m_small->allWrites(), afterEdit);
    QVERIFY(m_small->cluster(id).markForDelete()); // the newer edit wins
}

// A plain archive's checksums can be recomputed by anyone who can write it;
// with --key-file a forged proxyConfig is refused (exit 7) and nothing is
// written; a plain copy standing in for an encrypted archive is refused
// when a passphrase file was given; a forged scrypt cost is refused fast.
void TestBackupRestore::signedArchivesAndForgeries()
{
    const QString key = writeFile(m_tmp.filePath(QStringLiteral("signing-key")), QByteArrayLiteral("8f3c2d1e0b9a8f7e6d5c4b3a29180716-key"));
    const QString signedFile = m_tmp.filePath(QStringLiteral("signed.cseb"));
    Run made = m_small->cli(QStringLiteral("backup"), {signedFile, QStringLiteral("--key-file"), key});
    QVERIFY2(made.code == 0, qPrintable(made.err));
    QVERIFY(!made.out.contains(QLatin1String("not signed")));
    Run ok = runServer({QStringLiteral("verify"), signedFile, QStringLiteral("--key-file"), key}, withPassphrase({}));
    QVERIFY2(ok.code == 0, qPrintable(ok.err));
    QVERIFY2(ok.out.contains(QLatin1String("authentic: its HMAC-SHA256")), qPrintable(ok.out));

    test::ForgedArchive forged = test::ForgedArchive::parse(readAll(signedFile));
    forged.editEntries(test::forgeProxyConfig);
    const QString forgedFile = writeFile(m_tmp.filePath(QStringLiteral("forged.cseb")), forged.bytes());
    const int before = m_small->allWrites();
    Run refused = m_small->cli(QStringLiteral("restore"), {forgedFile, QStringLiteral("--key-file"), key});
    QCOMPARE(refused.code, 7);
    QVERIFY2(refused.err.contains(QLatin1String("not authentic")) && refused.err.contains(QLatin1String("nothing was written")),
             qPrintable(refused.err));
    QCOMPARE(m_small->allWrites(), before);
    Run verifyForged = runServer({QStringLiteral("verify"), forgedFile, QStringLiteral("--key-file"), key}, withPassphrase({}));
    QCOMPARE(verifyForged.code, 7);
    // Without the key the forgery's checksums hold, and verify says that this proves nothing.
    Run unkeyed = runServer({QStringLiteral("verify"), forgedFile}, withPassphrase({}));
    QCOMPARE(unkeyed.code, 0);
    QVERIFY2(unkeyed.out.contains(QLatin1String("not authenticated")), qPrintable(unkeyed.out));

    // A plain forgery in place of the encrypted archive: refused where a passphrase file was given.
    test::ForgedArchive downgraded = test::ForgedArchive::parse(readAll(m_plain));
    downgraded.editEntries(test::forgeProxyConfig);
    const QString downgradedFile = writeFile(m_tmp.filePath(QStringLiteral("downgraded.cseb")), downgraded.bytes());
    const QString pass = writeFile(m_tmp.filePath(QStringLiteral("pass-for-forgery")), m_passphrase.toUtf8());
    Run down = m_small->cli(QStringLiteral("restore"), {downgradedFile, QStringLiteral("--passphrase-file"), pass});
    QCOMPARE(down.code, 7);
    QCOMPARE(m_small->allWrites(), before);

    // A forged scrypt cost (logN 20, p 16: 16 GiB) is refused at once.
    test::ForgedArchive costly = test::ForgedArchive::parse(readAll(m_encrypted));
    QJsonObject kdf = costly.header.value(QLatin1String("kdf")).toObject();
    kdf.insert(QStringLiteral("logN"), 20);
    kdf.insert(QStringLiteral("p"), 16);
    costly.header.insert(QStringLiteral("kdf"), kdf);
    const QString costlyFile = writeFile(m_tmp.filePath(QStringLiteral("costly.cseb")), costly.bytes());
    QElapsedTimer timer;
    timer.start();
    Run cost = runServer({QStringLiteral("verify"), costlyFile}, withPassphrase(m_passphrase));
    QCOMPARE(cost.code, 4);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed()))); // a process start, no derivation
    QVERIFY2(cost.err.contains(QLatin1String("before deriving any key")), qPrintable(cost.err));

    // Every exit code is in --help.
    for (const QString &command : {QStringLiteral("backup"), QStringLiteral("verify"), QStringLiteral("restore")}) {
        Run help = runServer({command, QStringLiteral("--help")});
        QCOMPARE(help.code, 0);
        for (const char *code : {"0 done", "1 VCD", "2 usage", "3 the archive is truncated", "4 it is corrupt", "5 wrong, missing",
                                 "6 restore", "7 not authentic"})
            QVERIFY2(help.out.simplified().contains(QLatin1String(code)), qPrintable(command + QLatin1String(": ") + code));
    }
}

// After an API token login the manifest names the VCD user and org the
// token belongs to (it read "by @").
void TestBackupRestore::manifestNamesTheTokenUser()
{
    auto token = test::createApiToken(*m_small->admin, QStringLiteral("System"), QStringLiteral("administrator"));
    QVERIFY(token.ok());
    const QString tokenFile = writeFile(m_tmp.filePath(QStringLiteral("admin-token")), token->toUtf8());
    const QString file = m_tmp.filePath(QStringLiteral("by-token.cseb"));
    Run r = runServer({QStringLiteral("backup"), file, QStringLiteral("--vcd"), m_small->sim.url(), QStringLiteral("--org"),
                       QStringLiteral("System"), QStringLiteral("--token-file"), tokenFile, QStringLiteral("--fingerprint"),
                       m_small->sim.fingerprint()},
                      withPassphrase({}));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("by administrator@System")), qPrintable(r.out));
    auto archive = backup::decode(readAll(file), {});
    QVERIFY(archive.ok());
    QCOMPARE(archive->manifest.createdBy, QStringLiteral("administrator@System"));
    QVERIFY(!r.out.contains(*token) && !r.err.contains(*token));
}

void TestBackupRestore::mapOrgRestoresIntoAnotherOrg()
{
    Site target(20);
    QVERIFY(target.start());
    QVERIFY(target.install());
    // A mapping to an org the target does not have is an error before any planning
    // (it used to plan 2 conflicts and exit 0); --map-org sends acme's clusters to globex.
    const int before = target.allWrites();
    Run plan = target.cli(QStringLiteral("restore"), {m_plain, QStringLiteral("--dry-run"), QStringLiteral("--map-org"),
                                                      QStringLiteral("acme=nosuchorg")});
    QCOMPARE(plan.code, 2);
    QVERIFY2(plan.err.contains(QLatin1String("--map-org acme=nosuchorg: the target has no such org")) && plan.err.contains(QLatin1String("globex")),
             qPrintable(plan.err));
    QVERIFY2(!plan.out.contains(QLatin1String("plan:")), qPrintable(plan.out));
    QCOMPARE(target.allWrites(), before);
    Run bad = target.cli(QStringLiteral("restore"), {m_plain, QStringLiteral("--map-org"), QStringLiteral("acme")});
    QCOMPARE(bad.code, 2);
    Run mapped = target.cli(QStringLiteral("restore"), {m_plain, QStringLiteral("--map-org"), QStringLiteral("acme=globex")});
    QVERIFY2(mapped.code == 0, qPrintable(mapped.err + mapped.out));
    QVERIFY2(mapped.out.contains(QLatin1String("restored: 3 created")), qPrintable(mapped.out));
    const QList<rde::DefinedEntity> all = target.clusters();
    QCOMPARE(all.size(), 3);
    for (const rde::DefinedEntity &e : all) {
        QCOMPARE(e.org.name, QStringLiteral("globex"));
        QVERIFY(e.externalId.startsWith(QLatin1String("urn:vcloud:entity:vmware:capvcdCluster:")));
        QCOMPARE(rde::Cluster(e.entity).orgName(), QStringLiteral("globex"));
    }
    // Idempotent with the mapping too.
    const int writes = target.allWrites();
    Run again = target.cli(QStringLiteral("restore"), {m_plain, QStringLiteral("--map-org"), QStringLiteral("acme=globex")});
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QVERIFY2(again.out.contains(QLatin1String("restored: 0 created")), qPrintable(again.out));
    QCOMPARE(target.allWrites(), writes);
    QCOMPARE(target.clusters().size(), 3);
}

void TestBackupRestore::consoleBacksUpWithoutADisplay()
{
#ifndef CSE_CONSOLE_BIN
    QSKIP("built without the GUI (CSE_BUILD_GUI=OFF)");
#else
    QProcessEnvironment env = withPassphrase({});
    for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(v));
    const QString file = m_tmp.filePath(QStringLiteral("console.cseb"));
    auto console = [&](const QStringList &args) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(QStringLiteral(CSE_CONSOLE_BIN), args + m_small->connection());
        p.waitForFinished(120000);
        return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                   QString::fromUtf8(p.readAllStandardError())};
    };
    const Run b = console({QStringLiteral("--backup"), file});
    QVERIFY2(b.code == 0, qPrintable(b.err));
    QVERIFY2(b.out.contains(QLatin1String("3 cluster(s)")), qPrintable(b.out));
    const int writes = m_small->allWrites();
    const Run r = console({QStringLiteral("--restore=") + file, QStringLiteral("--dry-run")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("dry run: nothing written")), qPrintable(r.out));
    QCOMPARE(m_small->allWrites(), writes);
#endif
}

void TestBackupRestore::disasterRecoveryToARebuiltSite()
{
    const rde::HaSettings k = test::fastHaSettings();
    QHash<QString, Expected> expected; // by original id
    const QString archive = m_tmp.filePath(QStringLiteral("site.cseb"));
    // The server builds clusters as their owners: each org admin's real API token.
    QHash<QString, QString> tokens;
    for (const QString &org : {QStringLiteral("acme"), QStringLiteral("globex")})
        tokens.insert(org, QUuid::createUuid().toString(QUuid::Id128) + QUuid::createUuid().toString(QUuid::Id128));
    {
        Site site(250);
        QVERIFY(site.start());
        QVERIFY(site.registerTokens(tokens));
        QVERIFY(site.install());
        QVERIFY(site.setHa(k));
        std::vector<std::unique_ptr<test::ServerProcess>> replicas;
        for (const char *name : {"dr1", "dr2"}) {
            replicas.push_back(std::make_unique<test::ServerProcess>(site.sim, QString::fromLatin1(name)));
            QVERIFY2(replicas.back()->start(), qPrintable(replicas.back()->error()));
        }
        auto orgOf = [](int i) { return i % 2 ? QStringLiteral("acme") : QStringLiteral("globex"); };
        // 8 provisioned (2 of them marked for delete later), 2 in error.
        QStringList provisioned, errors, mid, fresh;
        for (int i = 0; i < 8; ++i)
            provisioned << site.create(orgOf(i), QStringLiteral("prov%1").arg(i), tokens.value(orgOf(i)));
        for (int i = 0; i < 2; ++i)
            errors << site.create(orgOf(i), QStringLiteral("err%1").arg(i), tokens.value(orgOf(i)), QStringLiteral("no-such-net"));
        QVERIFY(!provisioned.contains(QString()) && !errors.contains(QString()));
        QTRY_VERIFY_WITH_TIMEOUT([&] {
            for (const QString &id : provisioned)
                if (site.cluster(id).state() != rde::clusterstate::kProvisioned)
                    return false;
            for (const QString &id : errors)
                if (site.cluster(id).state() != rde::clusterstate::kError)
                    return false;
            return true;
        }(), 240000);
        // 8 more, staggered, frozen mid-creation by killing every replica as
        // soon as the last one is claimed: the earlier ones are further along.
        for (int i = 0; i < 8; ++i) {
            mid << site.create(orgOf(i), QStringLiteral("mid%1").arg(i), tokens.value(orgOf(i)));
            QTest::qWait(500);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!site.cluster(mid.last()).phase().isEmpty(), 120000);
        for (auto &r : replicas)
            r->kill9();
        // A replica killed right after recording "pivot" or "cleanupBootstrap" leaves
        // exactly this behind; those phases pass too quickly to hit by timing, so two
        // frozen clusters whose phase another one shares are set to them (the
        // infrastructure is gone after the disaster anyway: only the recorded phase matters).
        QHash<QString, int> phaseCount;
        for (const QString &id : mid)
            ++phaseCount[site.cluster(id).phase()];
        int forced = 0;
        for (const QString &id : mid) {
            const rde::Cluster c = site.cluster(id);
            if (forced == 2 || c.state() != rde::clusterstate::kProvisioning || phaseCount.value(c.phase()) < 2)
                continue;
            --phaseCount[c.phase()];
            const QString phase = forced == 0 ? QStringLiteral("pivot") : QStringLiteral("cleanupBootstrap");
            auto r = vcd::await<rde::DefinedEntity>([&](auto cb) {
                site.admin->patch(id, [&](QJsonObject &e) -> Result<bool> {
                    rde::Cluster cl(e);
                    cl.setPhase(phase);
                    e = cl.json();
                    return true;
                }, cb);
            });
            QVERIFY(r.ok());
            ++forced;
        }
        // 2 never claimed, 2 marked for delete (one forced) with no replica to act.
        for (int i = 0; i < 2; ++i)
            fresh << site.create(orgOf(i), QStringLiteral("new%1").arg(i), tokens.value(orgOf(i)));
        QVERIFY(site.mark(orgOf(6), provisioned[6], false));
        QVERIFY(site.mark(orgOf(7), provisioned[7], true));

        QSet<QString> midPhases;
        for (const QString &id : provisioned + errors + mid + fresh) {
            const auto e = site.entity(id);
            QVERIFY(e);
            const rde::Cluster c(e->entity);
            Expected x;
            x.org = e->org.name;
            x.name = e->name;
            x.state = c.state();
            x.phase = c.phase();
            x.markForDelete = c.markForDelete();
            x.spec = json::canonical(e->entity.value(QLatin1String("spec")).toObject());
            const QJsonObject full = site.full(id);
            x.nodePools = nodePoolsOf(full);
            x.kubeConfig = kubeConfigOf(full);
            if (x.markForDelete)
                x.target = QStringLiteral("deleted");
            else if (x.state == rde::clusterstate::kError)
                x.target = QStringLiteral("error");
            else if (x.state == rde::clusterstate::kProvisioned)
                x.target = QStringLiteral("provisioned (unchanged)");
            else {
                x.target = QStringLiteral("provisioned (resumed)");
                midPhases.insert(x.phase.isEmpty() ? QStringLiteral("(unclaimed)") : x.phase);
            }
            expected.insert(id, x);
            qInfo("frozen: %s state \"%s\" phase \"%s\"%s -> expect %s", qPrintable(x.name), qPrintable(x.state), qPrintable(x.phase),
                  x.markForDelete ? " markForDelete" : "", qPrintable(x.target));
        }
        QCOMPARE(expected.size(), 20);
        qInfo("frozen creation phases: %s", qPrintable(QStringList(midPhases.values()).join(QStringLiteral(", "))));
        QVERIFY2(midPhases.size() >= 4, "the clusters should be frozen in several creation phases");

        Run b = site.cli(QStringLiteral("backup"), {archive, QStringLiteral("--include-secrets")}, m_passphrase);
        QVERIFY2(b.code == 0, qPrintable(b.err));
        QVERIFY2(b.out.contains(QLatin1String("20 cluster(s), 1 configuration(s), 2 server instance(s)")), qPrintable(b.out));
        for (const QString &t : tokens)
            QVERIFY(!readAll(archive).contains(t.toUtf8()));

        // The disaster: the database is gone.
        const QString data = site.sim.dataDir();
        site.sim.kill9();
        QVERIFY(QDir(data).removeRecursively());
        QVERIFY(!QDir(data).exists());
    }

    // The rebuilt site: tenancy back, CSE installed, nothing else.
    Site site(150);
    QVERIFY(site.start());
    auto types = call(*site.admin, "GET", QStringLiteral("/cloudapi/1.0.0/entityTypes/"));
    QVERIFY(types.ok());
    QCOMPARE(types->json().value(QLatin1String("values")).toArray().size(), 0); // --seed tenants: no CSE types
    QVERIFY(site.install());
    QCOMPARE(site.clusters().size(), 0);
    QVERIFY(site.registerTokens(tokens)); // users come back with their tokens (VCD's own recovery)
    int writes = site.allWrites();
    Run dry = site.cli(QStringLiteral("restore"), {archive, QStringLiteral("--dry-run")}, m_passphrase);
    QVERIFY2(dry.code == 0, qPrintable(dry.err));
    QVERIFY2(dry.out.contains(QLatin1String("plan: 20 create, 1 update, 0 unchanged, 0 conflict")), qPrintable(dry.out));
    QCOMPARE(site.allWrites(), writes);

    Run restored = site.cli(QStringLiteral("restore"), {archive}, m_passphrase);
    QVERIFY2(restored.code == 0, qPrintable(restored.err + restored.out));
    QVERIFY2(restored.out.contains(QLatin1String("restored: 20 created, 1 updated")), qPrintable(restored.out));
    QVERIFY(restored.out.contains(QLatin1String("[21/21]")));
    QVERIFY(restored.out.indexOf(QLatin1String("plan:")) < restored.out.indexOf(QLatin1String("[1/21]")));

    writes = site.allWrites();
    Run again = site.cli(QStringLiteral("restore"), {archive}, m_passphrase);
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QVERIFY2(again.out.contains(QLatin1String("restored: 0 created, 0 updated, 21 unchanged")), qPrintable(again.out));
    QCOMPARE(site.allWrites(), writes);

    QHash<QString, QString> newId; // original -> restored
    for (const rde::DefinedEntity &e : site.clusters())
        newId.insert(e.externalId, e.id);
    QCOMPARE(newId.size(), 20);
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        QVERIFY2(newId.contains(it.key()), qPrintable(it.value().name));

    // Replicas (the restored configuration's knobs apply).
    std::vector<std::unique_ptr<test::ServerProcess>> replicas;
    for (const char *name : {"dr3", "dr4"}) {
        replicas.push_back(std::make_unique<test::ServerProcess>(site.sim, QString::fromLatin1(name)));
        QVERIFY2(replicas.back()->start(), qPrintable(replicas.back()->error()));
    }
    auto reached = [&](const Expected &x, const QString &id) {
        if (x.target == QLatin1String("deleted"))
            return site.gone(id);
        const auto e = site.entity(id);
        if (!e)
            return false;
        const rde::Cluster c(e->entity);
        if (x.target == QLatin1String("error"))
            return c.state() == rde::clusterstate::kError;
        return c.state() == rde::clusterstate::kProvisioned && e->state == QLatin1String("RESOLVED");
    };
    // Clusters frozen in "pivot" or "cleanupBootstrap" have no infrastructure in the new
    // site: the replica notices (requireInfra) and rebuilds them through auto-repair.
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            if (!reached(it.value(), newId.value(it.key())))
                return false;
        return true;
    }(), 300000);

    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const Expected &x = it.value();
        const QString id = newId.value(it.key());
        const QString label = QStringLiteral("%1 (%2, frozen in phase \"%3\")").arg(x.name, x.target, x.phase);
        qInfo("restored: %s -> state \"%s\" phase \"%s\", %d bootstrap VM(s), %d live VM(s)", qPrintable(label),
              qPrintable(site.cluster(id).state()), qPrintable(site.cluster(id).phase()),
              countRole(site.vms(id), QStringLiteral("bootstrap")), int(site.vms(id).size()));
        if (x.target == QLatin1String("deleted")) {
            QVERIFY2(site.gone(id), qPrintable(label));
            continue;
        }
        const auto e = site.entity(id);
        QVERIFY2(e, qPrintable(label));
        QCOMPARE(e->org.name, x.org);
        QCOMPARE(e->name, x.name);
        QCOMPARE(e->externalId, it.key());
        // The spec is the user's: restored as it was (the server only turns
        // autoRepairOnErrors off when it finishes a creation).
        QJsonObject spec = e->entity.value(QLatin1String("spec")).toObject();
        if (x.target == QLatin1String("provisioned (resumed)"))
            spec = json::set(spec, {QStringLiteral("vcdKe"), QStringLiteral("autoRepairOnErrors")}, true);
        QCOMPARE(json::canonical(spec), x.spec);
        const QJsonArray vms = site.vms(id);
        if (x.target == QLatin1String("provisioned (unchanged)")) {
            const QJsonObject full = site.full(id);
            QVERIFY2(!x.kubeConfig.isEmpty() && x.kubeConfig != "null", qPrintable(label));
            QCOMPARE(kubeConfigOf(full), x.kubeConfig);
            QCOMPARE(nodePoolsOf(full), x.nodePools);
            QCOMPARE(vms.size(), 0);                   // nothing rebuilt
            QCOMPARE(serverWrites(site.writes(id)), 0); // left alone by the replicas
        } else if (x.target == QLatin1String("error")) {
            QCOMPARE(vms.size(), 0);
        } else {
            QVERIFY2(countRole(vms, QStringLiteral("controlPlane"), true) >= 1, qPrintable(label));
            QVERIFY2(countRole(vms, QStringLiteral("bootstrap")) <= 1, qPrintable(label)); // never a second bootstrap VM
            QVERIFY2(countRole(vms, QStringLiteral("bootstrap"), true) == 0, qPrintable(label));
        }
    }
}

QTEST_GUILESS_MAIN(TestBackupRestore)
#include "tst_backup_restore.moc"
