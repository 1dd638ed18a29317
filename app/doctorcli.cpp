#include "doctorcli.h"

#include "server/doctor.h"
#include "vcd/client.h"
#include "vcd/connectionoptions.h"

#include <QCommandLineParser>
#include <QJsonDocument>

namespace cse::app {

int doctorCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Check a site as an experienced CSE operator would: Cloud Director reachable and its certificate trusted, the entity "
        "types registered, VCDKEConfig valid with sane HA settings, the replicas alive and uniquely named, no cluster stuck. "
        "Each finding names its severity, what it means and the fix. Exit status: 0 healthy, 1 warnings, 2 errors."));
    p.addHelpOption();
    vcd::ConnectionOptions::addOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print {\"findings\": [{\"id\", \"severity\", \"title\", \"detail\", \"fix\"}]}.")});
    p.process(args);
    const bool json = p.isSet(QStringLiteral("json"));
    auto print = [&](const server::DoctorReport &report) {
        if (json)
            out << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
        else
            out << report.toText();
        return report.exitCode();
    };
    auto options = vcd::ConnectionOptions::fromParser(p);
    if (!options) {
        err << "cse-server doctor: " << options.error().message << "\n";
        return 2;
    }
    if (!options->isProvider()) {
        err << "cse-server doctor: the checks read every org's clusters and the site's entity types; use a provider "
               "administrator (--org System)\n";
        return 2;
    }
    vcd::Client client(*options);
    auto connected = vcd::await<void>([&](auto done) { client.connectToSite(done); });
    if (!connected)
        return print({{server::connectionFinding(options->url, connected.error())}});
    return print(server::diagnose(client, options->org));
}

} // namespace cse::app
