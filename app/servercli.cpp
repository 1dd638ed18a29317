#include "servercli.h"

#include "doctorcli.h"

#include "backup/archive.h"
#include "backup/backup.h"
#include "backup/passphrase.h"
#include "backup/restore.h"
#include "core/logging.h"
#include "core/signalwatcher.h"
#include "rde/json.h"
#include "rde/schemavalidator.h"
#include "rde/types.h"
#include "server/health.h"
#include "server/installer.h"
#include "server/replica.h"
#include "server/sdnotify.h"
#include "vcd/client.h"
#include "vcd/connectionoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <algorithm>
#include <QTextStream>

namespace cse::app {

namespace {

int validateCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Validate entity JSON files against a bundled entity-type schema."));
    p.addHelpOption();
    p.addOption({QStringLiteral("type"), QStringLiteral("Entity type id, e.g. urn:vcloud:type:vmware:capvcdCluster:1.2.0"),
                 QStringLiteral("typeId")});
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Entity JSON files (the content of \"entity\")."));
    p.process(args);
    const QString typeId = p.value(QStringLiteral("type"));
    if (typeId.isEmpty() || p.positionalArguments().isEmpty()) {
        err << "usage: cse-server validate --type TYPE_ID FILE...\nknown types:\n";
        for (const rde::TypeInfo &t : rde::knownTypes())
            err << "  " << t.ref.id() << "\n";
        return 2;
    }
    auto schema = rde::bundledSchema(typeId);
    if (!schema) {
        err << schema.error().message << "\n";
        return 2;
    }
    const rde::SchemaValidator validator(*schema);
    int failures = 0;
    for (const QString &path : p.positionalArguments()) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            err << path << ": cannot read: " << f.errorString() << "\n";
            ++failures;
            continue;
        }
        auto doc = json::parseObject(f.readAll(), path);
        if (!doc) {
            err << doc.error().message << "\n";
            ++failures;
            continue;
        }
        const auto errors = validator.validate(*doc);
        if (errors.isEmpty()) {
            out << path << ": valid " << typeId << "\n";
            continue;
        }
        ++failures;
        for (const rde::SchemaError &e : errors)
            err << path << ": " << e.toString() << "\n";
    }
    return failures ? 1 : 0;
}

// Connects with the shared connection options and reports what it sees.
int checkConnectionCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Log in to VCD and report the API version, the session and the CSE entities visible."));
    p.addHelpOption();
    vcd::ConnectionOptions::addOptions(p);
    p.process(args);
    auto options = vcd::ConnectionOptions::fromParser(p);
    if (!options) {
        err << "cse-server: " << options.error().message << "\n";
        return 2;
    }
    vcd::Client client(*options);
    auto connected = vcd::await<void>([&](auto done) { client.connectToSite(done); });
    if (!connected) {
        err << "cse-server: cannot connect to " << options->url.toString() << ": " << connected.error().toString() << "\n";
        return 1;
    }
    out << "connected to " << options->url.toString() << " with API version " << client.apiVersion() << "\n";
    const QJsonObject session = client.session();
    if (!session.isEmpty())
        out << "session: " << session.value(QLatin1String("user")).toObject().value(QLatin1String("name")).toString() << " in "
            << session.value(QLatin1String("org")).toObject().value(QLatin1String("name")).toString() << "\n";
    int failures = 0;
    for (const auto &[vendor, nss, label] : {std::tuple{rde::types::kVmware, rde::types::kClusterNss, "clusters"},
                                             std::tuple{rde::types::kVmware, rde::types::kConfigNss, "server configurations"},
                                             std::tuple{rde::types::kServerVendor, rde::types::kServerNss, "server replicas"}}) {
        auto list = vcd::await<QList<rde::DefinedEntity>>([&, vendor = vendor, nss = nss](auto done) {
            client.listEntities(vcd::ListQuery::ofType(vendor, nss, QStringLiteral("1")), done);
        });
        if (list)
            out << list->size() << " " << label << " visible in this org\n";
        else {
            ++failures;
            err << label << ": " << list.error().toString() << "\n";
        }
    }
    return failures ? 1 : 0;
}

// Shows the SHA-256 fingerprint a server presents, for --fingerprint.
int fingerprintCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Print the SHA-256 fingerprint of the certificate a VCD presents. "
                                               "Compare it with the one your VCD administrator gives you before pinning it."));
    p.addHelpOption();
    p.addOption({QStringLiteral("vcd"), QStringLiteral("VCD URL (env CSE_VCD_URL)."), QStringLiteral("URL")});
    p.process(args);
    auto parsed = vcd::ConnectionOptions::parseUrl(p.value(QStringLiteral("vcd")).isEmpty() ? qEnvironmentVariable("CSE_VCD_URL")
                                                                                          : p.value(QStringLiteral("vcd")));
    if (!parsed) {
        err << "cse-server fingerprint: " << parsed.error().message << "\n";
        return 2;
    }
    const QUrl url = *parsed;
    if (!url.isValid() || url.host().isEmpty()) {
        err << "usage: cse-server fingerprint --vcd https://HOST[:PORT]\n";
        return 2;
    }
    auto fp = vcd::await<QString>([&](auto done) { vcd::Client::fetchFingerprint(url, done); });
    if (!fp) {
        err << "cse-server: " << fp.error().message << "\n";
        return 1;
    }
    out << *fp << "\n";
    return 0;
}

// Connects as a provider and registers types, interfaces and vcdKeConfig.
int installCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Register the entity types, interfaces and the vcdKeConfig entity (with the HA "
                                               "settings) on a VCD. Needs a provider administrator (--org System). Idempotent."));
    p.addHelpOption();
    vcd::ConnectionOptions::addOptions(p);
    p.process(args);
    auto options = vcd::ConnectionOptions::fromParser(p);
    if (!options) {
        err << "cse-server install: " << options.error().message << "\n";
        return 2;
    }
    if (!options->isProvider()) {
        err << "cse-server install: registering entity types needs a provider administrator; use --org System\n";
        return 2;
    }
    vcd::Client client(*options);
    auto connected = vcd::await<void>([&](auto done) { client.connectToSite(done); });
    if (!connected) {
        err << "cse-server install: cannot connect to " << options->url.toString() << ": " << connected.error().toString() << "\n";
        return 1;
    }
    auto report = server::install(client);
    if (!report) {
        err << "cse-server install: " << report.error().toString() << "\n";
        return 1;
    }
    for (const QString &line : report->lines)
        out << line << "\n";
    out << (report->created + report->changed ? QStringLiteral("installed: %1 created, %2 changed\n").arg(report->created).arg(report->changed)
                                              : QStringLiteral("nothing to do: everything was installed already\n"));
    return 0;
}


// Exit codes of backup, restore and verify (the README lists them too).
const QString kArchiveExitCodes = QStringLiteral(
    "Exit codes: 0 done; 1 VCD, file or memory trouble; 2 usage (bad option, unreadable key file, a backup's unreadable "
    "passphrase file, --map-org to a missing org); 3 the archive is truncated; 4 it is corrupt, or of a format version or key "
    "derivation cost this program does not read; 5 wrong, missing or unreadable passphrase, or the encrypted content was "
    "changed; 6 restore "
    "left conflicts; 7 not authentic (--key-file given and the archive is unsigned or its HMAC fails, or a passphrase or "
    "key was given and the archive is plain and unsigned).");

int archiveExitCode(const Error &e)
{
    switch (backup::problemOf(e)) {
    case backup::Problem::Truncated: return 3;
    case backup::Problem::Corrupt:
    case backup::Problem::Unsupported: return 4;
    case backup::Problem::WrongPassphrase:
    case backup::Problem::NeedsPassphrase: return 5;
    case backup::Problem::NotAuthentic: return 7;
    case backup::Problem::None: return e.is(ErrorKind::Invalid) ? 2 : 1; // an unreadable key file, ...
    case backup::Problem::Io: break;
    }
    return 1;
}

void addPassphraseOption(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("passphrase-file"),
                 QStringLiteral("File (mode 0600) holding the archive passphrase (else $CSE_BACKUP_PASSPHRASE, else a prompt "
                                "on a terminal). Never on the command line."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("key-file"),
                 QStringLiteral("File (mode 0600, at least 32 bytes, e.g. `openssl rand -hex 32`) with the key that signs a plain "
                                "archive (HMAC-SHA256) and that verify and restore then insist on."),
                 QStringLiteral("FILE")});
}

// Reads and verifies an archive; asks for the passphrase only when it is
// encrypted. Whoever gave a passphrase or a key expects the archive to be
// vouched for by one: a plain, unsigned archive is then not authentic (an
// attacker could replace an encrypted archive by a plain one).
Result<backup::Archive> loadArchive(const QString &path, const QString &passphraseFile, const QString &keyFile)
{
    std::optional<QByteArray> key;
    if (!keyFile.isEmpty()) {
        auto k = backup::readKeyFile(keyFile);
        if (!k)
            return k.error();
        key = *k;
    }
    auto bytes = backup::readFile(path);
    if (!bytes)
        return bytes.error();
    auto archive = backup::decode(*bytes, [&]() { return backup::readPassphrase({passphraseFile, false}); }, key);
    if (archive && (!passphraseFile.isEmpty() || key) && archive->authenticity != backup::Authenticity::Passphrase
        && archive->authenticity != backup::Authenticity::Key) {
        Error e = makeError(ErrorKind::Unauthorized, QStringLiteral("not authentic: a passphrase was given, but the archive is plain (not "
                                                                    "encrypted), so the passphrase vouches for nothing in it; "
                                                                    "give --key-file if it was signed"));
        e.minorErrorCode = backup::problemCode(backup::Problem::NotAuthentic);
        return e;
    }
    return archive;
}

Result<std::optional<QByteArray>> signingKey(const QCommandLineParser &p)
{
    if (!p.isSet(QStringLiteral("key-file")))
        return std::optional<QByteArray>();
    auto k = backup::readKeyFile(p.value(QStringLiteral("key-file")));
    if (!k)
        return k.error();
    return std::optional<QByteArray>(*k);
}

int backupCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Back up the vcdKeConfig entity, every cluster RDE of every org (full entities, private fields kept) and the "
        "serverInstance entities into one verified archive. Needs a provider administrator (--org System). Secure fields "
        "(API tokens, kubeconfigs) are written only with --include-secrets, and the archive is then encrypted (AES-256-GCM, "
        "key from the passphrase with scrypt; the tag proves the content unchanged). A plain archive's checksums catch "
        "accidents only; --key-file signs it so that a change is detected.\n") + kArchiveExitCodes);
    p.addHelpOption();
    vcd::ConnectionOptions::addOptions(p);
    p.addOption({QStringLiteral("include-secrets"), QStringLiteral("Also write secure fields; encrypts the archive with a passphrase.")});
    addPassphraseOption(p);
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The archive to write."));
    p.process(args);
    if (p.positionalArguments().size() != 1) {
        err << "usage: cse-server backup FILE [--include-secrets --passphrase-file FILE | --key-file FILE] --vcd URL --org System ...\n";
        return 2;
    }
    auto key = signingKey(p);
    if (!key) {
        err << "cse-server backup: " << key.error().message << "\n";
        return 2;
    }
    if (*key && p.isSet(QStringLiteral("include-secrets"))) {
        err << "cse-server backup: --key-file signs a plain archive; an encrypted one (--include-secrets) is authenticated by its "
               "passphrase already\n";
        return 2;
    }
    const QString file = p.positionalArguments().first();
    auto options = vcd::ConnectionOptions::fromParser(p);
    if (!options) {
        err << "cse-server backup: " << options.error().message << "\n";
        return 2;
    }
    const bool secrets = p.isSet(QStringLiteral("include-secrets"));
    std::optional<QString> passphrase;
    if (secrets) { // before any network work: a missing passphrase fails at once
        auto pass = backup::readPassphrase({p.value(QStringLiteral("passphrase-file")), true});
        if (!pass) {
            err << "cse-server backup: " << pass.error().message << "\n";
            return 2;
        }
        passphrase = *pass;
    }
    vcd::Client client(*options);
    auto connected = vcd::await<void>([&](auto done) { client.connectToSite(done); });
    if (!connected) {
        err << "cse-server backup: cannot connect to " << options->url.toString() << ": " << connected.error().toString() << "\n";
        return 1;
    }
    backup::BackupOptions bo;
    bo.includeSecrets = secrets;
    bo.tool = QStringLiteral("cse-server " CSE_VERSION);
    bo.progress = [&out](const QString &line) {
        out << line << "\n";
        out.flush();
    };
    auto archive = backup::collect(client, bo);
    if (!archive) {
        err << "cse-server backup: " << archive.error().toString() << "\n";
        return 1;
    }
    auto bytes = backup::encode(*archive, passphrase, *key);
    if (!bytes) {
        err << "cse-server backup: " << bytes.error().message << "\n";
        return 1;
    }
    if (auto w = backup::writeFile(file, *bytes); !w) {
        err << "cse-server backup: " << w.error().message << "\n";
        return 1;
    }
    out << "wrote " << file << " (" << bytes->size() << " bytes, SHA-256 " << backup::sha256Hex(*bytes) << "): "
        << archive->manifest.summary() << "\n";
    if (!secrets)
        out << "secure fields (API tokens, kubeconfigs) are not in the archive; use --include-secrets to keep them\n";
    if (!secrets && !*key)
        out << "the archive is not signed: its checksums catch accidental damage, not a deliberate change (--key-file signs it)\n";
    return 0;
}

int verifyCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Verify a backup archive (checksums; the passphrase when it is encrypted; the "
                                               "signature with --key-file) and list what it holds. Connects to nothing.\n")
                                + kArchiveExitCodes);
    p.addHelpOption();
    addPassphraseOption(p);
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The archive."));
    p.process(args);
    if (p.positionalArguments().size() != 1) {
        err << "usage: cse-server verify FILE [--passphrase-file FILE] [--key-file FILE]\n";
        return 2;
    }
    auto archive = loadArchive(p.positionalArguments().first(), p.value(QStringLiteral("passphrase-file")),
                               p.value(QStringLiteral("key-file")));
    if (!archive) {
        err << "cse-server verify: " << archive.error().message << "\n";
        return archiveExitCode(archive.error());
    }
    out << "verified: " << archive->manifest.summary() << "\n";
    out << backup::authenticityText(archive->authenticity) << "\n";
    for (const backup::Entry &e : archive->entries)
        out << "  " << e.kind << " " << e.entity.org.name << "/" << e.entity.name << " " << e.entity.id << " " << e.entity.state << "\n";
    return 0;
}

int restoreCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Restore a backup archive into this or a rebuilt site. Verifies the archive first (nothing is written if it is "
        "truncated, corrupt or the passphrase is wrong), prints the plan per entity (create, update, unchanged, conflict), "
        "then applies it unless --dry-run. Restored entities keep their original id in externalId, so restoring again "
        "creates nothing. Needs a provider administrator (--org System) and the types installed (cse-server install).\n")
        + kArchiveExitCodes);
    p.addHelpOption();
    vcd::ConnectionOptions::addOptions(p);
    addPassphraseOption(p);
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Print the plan only; write nothing.")});
    p.addOption({QStringLiteral("map-org"), QStringLiteral("Restore entities of org OLD into org NEW (repeatable)."),
                 QStringLiteral("OLD=NEW")});
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The archive."));
    p.process(args);
    if (p.positionalArguments().size() != 1) {
        err << "usage: cse-server restore FILE [--dry-run] [--map-org OLD=NEW] [--passphrase-file FILE] [--key-file FILE] --vcd URL "
               "--org System ...\n";
        return 2;
    }
    backup::RestoreOptions ro;
    for (const QString &m : p.values(QStringLiteral("map-org")))
        if (auto r = backup::parseOrgMapping(m, ro.orgMap); !r) {
            err << "cse-server restore: " << r.error().message << "\n";
            return 2;
        }
    auto options = vcd::ConnectionOptions::fromParser(p);
    if (!options) {
        err << "cse-server restore: " << options.error().message << "\n";
        return 2;
    }
    // 1. The archive, before touching the site.
    auto archive = loadArchive(p.positionalArguments().first(), p.value(QStringLiteral("passphrase-file")),
                               p.value(QStringLiteral("key-file")));
    if (!archive) {
        err << "cse-server restore: " << archive.error().message << "\nnothing was written to the site\n";
        return archiveExitCode(archive.error());
    }
    out << "archive verified: " << archive->manifest.summary() << "\n" << backup::authenticityText(archive->authenticity) << "\n";
    // 2. The plan.
    vcd::Client client(*options);
    auto connected = vcd::await<void>([&](auto done) { client.connectToSite(done); });
    if (!connected) {
        err << "cse-server restore: cannot connect to " << options->url.toString() << ": " << connected.error().toString() << "\n";
        return 1;
    }
    auto target = backup::readTarget(client);
    if (!target) {
        err << "cse-server restore: reading the target site: " << target.error().toString() << "\n";
        return 1;
    }
    if (auto mapped = backup::checkOrgMapping(ro.orgMap, *target); !mapped) {
        err << "cse-server restore: " << mapped.error().message << "\nnothing was planned or written\n";
        return 2;
    }
    const backup::Plan plan = backup::makePlan(*archive, *target, ro);
    out << "plan:\n";
    for (const backup::PlanItem &i : plan.items)
        out << "  " << i.describe() << "\n";
    for (const QString &n : plan.notes)
        out << "  note: " << n << "\n";
    out << "plan: " << plan.summary() << "\n";
    out.flush();
    if (p.isSet(QStringLiteral("dry-run"))) {
        out << "dry run: nothing written\n";
        return 0;
    }
    // 3. Apply.
    ro.progress = [&out](const QString &line) {
        out << line << "\n";
        out.flush();
    };
    const backup::ApplyReport report = backup::apply(client, plan, ro);
    out << "restored: " << report.created << " created, " << report.updated << " updated, " << plan.count(backup::Action::Unchanged)
        << " unchanged, " << plan.count(backup::Action::Conflict) << " conflict(s) left alone, " << report.failures.size()
        << " failed\n";
    for (const QString &f : report.failures)
        err << "cse-server restore: failed: " << f << "\n";
    if (!report.failures.isEmpty())
        return 1;
    return plan.count(backup::Action::Conflict) > 0 ? 6 : 0;
}

const QStringList kConfigKeys{QStringLiteral("vcd"), QStringLiteral("org"), QStringLiteral("user"),
                              QStringLiteral("password-file"), QStringLiteral("token-file"), QStringLiteral("ca"),
                              QStringLiteral("fingerprint"), QStringLiteral("name"), QStringLiteral("health")};

bool givenOnCommandLine(const QStringList &args, const QString &key)
{
    const QString opt = QStringLiteral("--") + key;
    for (const QString &a : args)
        if (a == opt || a.startsWith(opt + QLatin1Char('=')))
            return true;
    return false;
}

// The replica. Values come from the command line, then the INI file of
// --config, then the environment (CSE_VCD_*); a systemd credential
// ($CREDENTIALS_DIRECTORY/vcd-api-token) is the first source of the token.
QString commandNames();

int replicaCommand(QStringList args, QTextStream &err)
{
    QString configFile;
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--config") && i + 1 < args.size())
            configFile = args[i + 1];
        else if (args[i].startsWith(QLatin1String("--config=")))
            configFile = args[i].mid(9);
    }
    QStringList fromFile;
    if (!configFile.isEmpty()) {
        if (!QFileInfo(configFile).isFile()) {
            err << "cse-server: the configuration file " << configFile << " does not exist or is not a file\n";
            return 2;
        }
        QSettings ini(configFile, QSettings::IniFormat);
        if (ini.status() != QSettings::NoError) {
            err << "cse-server: cannot read " << configFile << " as an INI file\n";
            return 2;
        }
        for (const QString &key : ini.allKeys()) {
            const QString bare = key.section(QLatin1Char('/'), -1);
            if (!kConfigKeys.contains(bare)) {
                err << "cse-server: unknown key \"" << key << "\" in " << configFile << "; known keys: "
                    << kConfigKeys.join(QStringLiteral(", ")) << "\n";
                return 2;
            }
            if (!givenOnCommandLine(args, bare))
                fromFile << QStringLiteral("--%1=%2").arg(bare, ini.value(key).toString());
        }
    }
    const QString credentials = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
    const QString credentialToken = credentials.isEmpty() ? QString() : credentials + QStringLiteral("/vcd-api-token");
    const bool useCredential = !credentialToken.isEmpty() && QFileInfo::exists(credentialToken);
    if (useCredential) {
        // The systemd credential wins over credentials in the configuration file.
        fromFile.erase(std::remove_if(fromFile.begin(), fromFile.end(), [](const QString &a) {
                           return a.startsWith(QLatin1String("--token-file=")) || a.startsWith(QLatin1String("--user="))
                                  || a.startsWith(QLatin1String("--password-file="));
                       }), fromFile.end());
        if (!givenOnCommandLine(args, QStringLiteral("token-file")) && !givenOnCommandLine(args, QStringLiteral("user")))
            fromFile << QStringLiteral("--token-file=") + credentialToken;
    }
    args.append(fromFile);

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "CSE Console server: one highly available replica for CSE 4.x clusters. Run several with different --name.\n"
        "Commands (instead of running a replica):\n"
        "  install            register entity types, interfaces and vcdKeConfig (provider; idempotent)\n"
        "  validate           check entity JSON against a bundled schema\n"
        "  check-connection   log in and report what is visible\n"
        "  doctor             check the site's set-up and report findings with their fixes\n"
        "  fingerprint        print the server certificate's SHA-256 fingerprint\n"
        "  backup FILE        back up config, clusters and server instances into a verified archive\n"
        "  restore FILE       verify an archive, print the plan, restore (--dry-run: plan only)\n"
        "  verify FILE        verify an archive and list its entries\n"
        "Run `cse-server COMMAND --help` for a command's options."));
    p.addHelpOption();
    p.addVersionOption();
    vcd::ConnectionOptions::addOptions(p);
    p.addOption({QStringLiteral("config"), QStringLiteral("INI file with the same keys as the options (vcd, org, user, "
                                                          "password-file, token-file, ca, fingerprint, name, health)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("name"), QStringLiteral("Replica name, unique per replica and stable across restarts."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("health"), QStringLiteral("Health endpoint address (default 127.0.0.1:9464; port 0: any free port)."),
                 QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:9464")});
    p.addOption({QStringLiteral("server"), QStringLiteral("Accepted for cse-console --server.")});
    if (!p.parse(args)) {
        err << "cse-server: " << p.errorText() << " (see cse-server --help)\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help")))
        p.showHelp(0);
    if (p.isSet(QStringLiteral("version")))
        p.showVersion();
    if (!p.positionalArguments().isEmpty()) {
        err << "cse-server: unknown command \"" << p.positionalArguments().first()
            << "\"; commands: " << commandNames() << " (none: run a replica)\n";
        return 2;
    }
    const QString name = p.value(QStringLiteral("name"));
    if (name.isEmpty()) {
        err << "cse-server: --name is required: each replica needs a name of its own, stable across restarts\n";
        return 2;
    }
    auto options = vcd::ConnectionOptions::fromParser(p);
    if (!options) {
        err << "cse-server: " << options.error().message << "\n";
        return 2;
    }
    if (auto v = options->validate(); !v) {
        err << "cse-server: " << v.error().message << "\n";
        return 2;
    }
    if (useCredential && options->usesApiToken())
        qCInfo(lcServer).noquote() << "API token from the systemd credential" << credentialToken;

    SignalWatcher signals;
    server::ReplicaSettings settings;
    settings.name = name;
    server::Replica replica(*options, settings);
    server::HealthEndpoint health(&replica);
    if (auto listening = health.listen(p.value(QStringLiteral("health"))); !listening) {
        err << "cse-server: " << listening.error().message << "\n";
        return 2;
    }
    // The health endpoint answers /healthz from now on, before the replica is ready.
    err << "cse-server: replica " << name << " health endpoint on " << health.url() << "\n";
    err.flush();
    server::Watchdog watchdog;
    QObject::connect(&replica, &server::Replica::firstHeartbeat, &replica, [&] {
        server::sdNotify("READY=1");
        err << "cse-server: replica " << name << " ready; health on " << health.url() << "\n";
        err.flush();
    });
    QObject::connect(&signals, &SignalWatcher::terminate, &replica, [&](int) {
        server::sdNotify("STOPPING=1");
        replica.drain();
    });
    QObject::connect(&replica, &server::Replica::stopped, &replica, [] { QCoreApplication::exit(0); });
    replica.start();
    return QCoreApplication::exec();
}

using Command = int (*)(const QStringList &, QTextStream &, QTextStream &);
const QList<QPair<QString, Command>> &commands()
{
    static const QList<QPair<QString, Command>> list{{QStringLiteral("validate"), validateCommand},
                                                     {QStringLiteral("check-connection"), checkConnectionCommand},
                                                     {QStringLiteral("doctor"), doctorCommand},
                                                     {QStringLiteral("fingerprint"), fingerprintCommand},
                                                     {QStringLiteral("install"), installCommand},
                                                     {QStringLiteral("backup"), backupCommand},
                                                     {QStringLiteral("restore"), restoreCommand},
                                                     {QStringLiteral("verify"), verifyCommand}};
    return list;
}

QString commandNames()
{
    QStringList names;
    for (const auto &c : commands())
        names << c.first;
    return names.join(QStringLiteral(", "));
}

} // namespace

bool wantsServerCli(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (a == QLatin1String("--server") || a == QLatin1String("--backup") || a == QLatin1String("--restore")
            || a.startsWith(QLatin1String("--backup=")) || a.startsWith(QLatin1String("--restore=")))
            return true;
    }
    if (argc < 2)
        return false;
    const QString first = QString::fromLocal8Bit(argv[1]);
    return std::any_of(commands().begin(), commands().end(), [&](const auto &c) { return c.first == first; });
}

int runServerCli(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cse-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CSE_VERSION));
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-category}%{category} %{endif}%{type}: %{message}"));
    QTextStream out(stdout), err(stderr);

    QStringList args = QCoreApplication::arguments();
    args.removeAll(QStringLiteral("--server"));
    // cse-console --backup FILE / --restore FILE: the same as the backup and restore commands.
    for (int i = 1; i < args.size(); ++i)
        for (const QString &c : {QStringLiteral("backup"), QStringLiteral("restore")}) {
            const QString opt = QStringLiteral("--") + c;
            if (args[i] == opt) {
                args.removeAt(i);
                args.insert(1, c);
            } else if (args[i].startsWith(opt + QLatin1Char('='))) {
                const QString file = args[i].mid(opt.size() + 1);
                args.removeAt(i);
                args.insert(1, c);
                args.insert(2, file);
            }
        }
    const QString command = args.value(1);
    for (const auto &c : commands())
        if (command == c.first) {
            args.removeAt(1);
            return c.second(args, out, err);
        }
    return replicaCommand(args, err);
}

} // namespace cse::app
