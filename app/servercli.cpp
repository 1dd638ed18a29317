#include "servercli.h"

#include "core/logging.h"
#include "rde/json.h"
#include "rde/schemavalidator.h"
#include "rde/types.h"

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

} // namespace

int runServerCli(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cse-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CSE_VERSION));
    QTextStream out(stdout), err(stderr);

    QStringList args = QCoreApplication::arguments();
    args.removeAll(QStringLiteral("--server"));
    if (args.size() > 1 && args.at(1) == QLatin1String("validate")) {
        args.removeAt(1);
        return validateCommand(args, out, err);
    }

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "CSE Console server: the headless, highly available replica for CSE 4.x clusters.\n"
        "Commands: validate --type TYPE_ID FILE...   check entity JSON against a bundled schema"));
    p.addHelpOption();
    p.addVersionOption();
    p.process(args);
    err << "cse-server " << CSE_VERSION
        << ": the replica (registration, leases, reconciler) is not part of this build yet; "
           "available now: `cse-server validate`. See README.md.\n";
    return 2;
}

} // namespace cse::app
