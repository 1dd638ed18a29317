#include "servercli.h"

#include "core/logging.h"
#include "rde/json.h"
#include "rde/schemavalidator.h"
#include "rde/types.h"
#include "vcd/client.h"
#include "vcd/connectionoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
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
    for (const auto &[vendor, nss, label] : {std::tuple{"vmware", "capvcdCluster", "clusters"},
                                             std::tuple{"vmware", "VCDKEConfig", "server configurations"},
                                             std::tuple{"cseconsole", "serverInstance", "server replicas"}}) {
        auto list = vcd::await<QList<rde::DefinedEntity>>([&](auto done) {
            client.listEntities(vcd::ListQuery::ofType(QString::fromLatin1(vendor), QString::fromLatin1(nss), QStringLiteral("1")), done);
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
    const QUrl url(p.value(QStringLiteral("vcd")).isEmpty() ? qEnvironmentVariable("CSE_VCD_URL") : p.value(QStringLiteral("vcd")));
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

} // namespace

int runServerCli(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cse-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CSE_VERSION));
    QTextStream out(stdout), err(stderr);

    QStringList args = QCoreApplication::arguments();
    args.removeAll(QStringLiteral("--server"));
    const QString command = args.value(1);
    if (command == QLatin1String("validate") || command == QLatin1String("check-connection")
        || command == QLatin1String("fingerprint")) {
        args.removeAt(1);
        if (command == QLatin1String("validate"))
            return validateCommand(args, out, err);
        if (command == QLatin1String("fingerprint"))
            return fingerprintCommand(args, out, err);
        return checkConnectionCommand(args, out, err);
    }

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "CSE Console server: the headless, highly available replica for CSE 4.x clusters.\n"
        "Commands:\n"
        "  validate --type TYPE_ID FILE...   check entity JSON against a bundled schema\n"
        "  check-connection --vcd URL --org ORG (--token-file F | --user U --password-file F) [--fingerprint SHA256 | --ca FILE]\n"
        "                                    log in and report what is visible\n"
        "  fingerprint --vcd URL             print the server certificate's SHA-256 fingerprint"));
    p.addHelpOption();
    p.addVersionOption();
    p.process(args);
    err << "cse-server " << CSE_VERSION
        << ": the replica (registration, leases, reconciler) is not part of this build yet; "
           "available now: `cse-server validate`, `check-connection`, `fingerprint`. See README.md.\n";
    return 2;
}

} // namespace cse::app
