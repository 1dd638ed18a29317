// vcd-sim: an embedded emulator of the VCD cloudapi subset CSE uses.
#include "core/signalwatcher.h"
#include "vcdsim.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace cse;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("vcd-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CSE_VERSION));
    QTextStream out(stdout), err(stderr);

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Emulates the VMware Cloud Director cloudapi subset that CSE uses, "
                                               "with persistent storage and simulated infrastructure."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({QStringLiteral("data"), QStringLiteral("Data directory (database, TLS certificate, admin password)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("listen"), QStringLiteral("Address and port; port 0 picks a free one (default 127.0.0.1:8443)."),
                 QStringLiteral("ADDR:PORT"), QStringLiteral("127.0.0.1:8443")});
    p.addOption({QStringLiteral("db"), QStringLiteral("Use PostgreSQL instead of SQLite, e.g. postgres://USER@HOST:PORT/DB."), QStringLiteral("URL")});
    p.addOption({QStringLiteral("plain-http"), QStringLiteral("Serve plain HTTP instead of TLS.")});
    p.addOption({QStringLiteral("admin-password"), QStringLiteral("Password of administrator@System (else $VCDSIM_ADMIN_PASSWORD, "
                                                                  "else generated into DIR/admin-password)."), QStringLiteral("PASS")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Seed a data set: \"demo\" (tenancy, entity types, configuration, clusters) or "
                                                        "\"tenants\" (orgs, users, VDCs and networks only: a rebuilt site)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("latency-ms"), QStringLiteral("Duration of one simulated infrastructure step (default 100)."),
                 QStringLiteral("N"), QStringLiteral("100")});
    p.addOption({QStringLiteral("fault"), QStringLiteral("Fault rule, repeatable: route=REGEX;error=RATE;status=CODE;412=RATE;"
                                                         "latency=MS;drop=RATE;block=HEADER:VALUE"), QStringLiteral("SPEC")});
    p.addOption({QStringLiteral("session-idle-seconds"), QStringLiteral("Session idle timeout (default 1800)."), QStringLiteral("N"),
                 QStringLiteral("1800")});
    p.addOption({QStringLiteral("no-controllers"), QStringLiteral("Do not run the simulated infrastructure controllers "
                                                                  "(for extra cells sharing one PostgreSQL database).")});
    p.process(app);

    auto usage = [&](const QString &message) {
        err << "vcd-sim: " << message << "\n";
        return 2;
    };
    sim::SimOptions o;
    o.dataDir = p.value(QStringLiteral("data"));
    if (o.dataDir.isEmpty())
        return usage(QStringLiteral("--data DIR is required"));
    const QString listen = p.value(QStringLiteral("listen"));
    const int colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const int port = listen.mid(colon + 1).toInt(&portOk);
    QString host = listen.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (colon <= 0 || !portOk || port < 0 || port > 65535 || QHostAddress(host).isNull())
        return usage(QStringLiteral("--listen expects ADDRESS:PORT, e.g. 127.0.0.1:0, got \"%1\"").arg(listen));
    o.listenAddress = QHostAddress(host);
    o.port = quint16(port);
    o.dbUrl = p.value(QStringLiteral("db"));
    o.plainHttp = p.isSet(QStringLiteral("plain-http"));
    o.adminPassword = p.value(QStringLiteral("admin-password"));
    const QString seed = p.value(QStringLiteral("seed"));
    if (!seed.isEmpty() && seed != QLatin1String("demo") && seed != QLatin1String("tenants"))
        return usage(QStringLiteral("--seed knows only \"demo\" and \"tenants\", got \"%1\"").arg(seed));
    o.seedDemo = !seed.isEmpty();
    o.seedTenantsOnly = seed == QLatin1String("tenants");
    bool ok = false;
    o.latencyMs = p.value(QStringLiteral("latency-ms")).toInt(&ok);
    if (!ok || o.latencyMs < 0)
        return usage(QStringLiteral("--latency-ms expects a whole number >= 0"));
    o.sessionIdleSeconds = p.value(QStringLiteral("session-idle-seconds")).toInt(&ok);
    if (!ok || o.sessionIdleSeconds < 1)
        return usage(QStringLiteral("--session-idle-seconds expects a whole number >= 1"));
    o.runControllers = !p.isSet(QStringLiteral("no-controllers"));
    for (const QString &spec : p.values(QStringLiteral("fault"))) {
        auto rule = sim::FaultRule::parse(spec);
        if (!rule)
            return usage(rule.error().message);
        o.faults.append(*rule);
    }

    // Catch SIGTERM before announcing readiness: a supervisor may stop us right after.
    SignalWatcher signals;
    sim::VcdSim simulator;
    QObject::connect(&signals, &SignalWatcher::terminate, &simulator, [&simulator](int) { simulator.shutdown(); });
    QObject::connect(&simulator, &sim::VcdSim::stopped, &app, [] { QCoreApplication::exit(0); });
    if (auto r = simulator.start(o); !r) {
        err << "vcd-sim: " << r.error().message << "\n";
        return 1;
    }
    out << "vcd-sim listening on " << simulator.baseUrl() << "\n";
    if (!o.plainHttp)
        out << "fingerprint: " << simulator.fingerprint() << "\n";
    out.flush();
    return app.exec();
}
