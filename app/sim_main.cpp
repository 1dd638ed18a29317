// vcd-sim: an embedded emulator of the VCD cloudapi subset CSE uses.
#include "core/signalwatcher.h"
#include "vcd/connectionoptions.h"
#include "vcdsim.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QTextStream>
#include <functional>
#include <limits>
#include <sys/stat.h>

using namespace cse;

int main(int argc, char **argv)
{
    ::umask(077); // every file vcd-sim makes (database, WAL, keys) is private to its user
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
    p.addOption({QStringLiteral("admin-password-file"), QStringLiteral("File holding the password of administrator@System (mode 0600; "
                                                                       "else $VCDSIM_ADMIN_PASSWORD, else generated into DIR/admin-password)."),
                 QStringLiteral("FILE")});
    // Present only to refuse it: a password in argv is visible in every process list.
    QCommandLineOption adminPassword(QStringLiteral("admin-password"), QStringLiteral("Refused: use --admin-password-file."),
                                     QStringLiteral("PASS"));
    adminPassword.setFlags(QCommandLineOption::HiddenFromHelp);
    p.addOption(adminPassword);
    p.addOption({QStringLiteral("seed"), QStringLiteral("Seed a data set: \"demo\" (tenancy, entity types, configuration, clusters) or "
                                                        "\"tenants\" (orgs, users, VDCs and networks only: a rebuilt site)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("provider-visibility"), QStringLiteral("What a System user's entity list without a tenant context "
                                                                       "shows: \"rights\" (the default: every org's entities for a user "
                                                                       "holding the type's Administrator View right, the System Administrator "
                                                                       "excepted), \"all\" (every org's, the System Administrator's too) "
                                                                       "or \"system\" (the System org's only)."),
                 QStringLiteral("MODE"), QStringLiteral("rights")});
    p.addOption({QStringLiteral("tenants"), QStringLiteral("With --seed demo: N more orgs tenant-0001 ... each with a VDC, a network, "
                                                           "users <org>-admin and <org>-viewer and the admin's API token."),
                 QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("many-vdcs"), QStringLiteral("With --seed demo: ORG gets N more VDCs <org>-vdc-0001 ... each with a "
                                                             "network <org>-net-0001 ... (paging tests)."),
                 QStringLiteral("ORG=N")});
    p.addOption({QStringLiteral("latency-ms"), QStringLiteral("Duration of one simulated infrastructure step (default 100)."),
                 QStringLiteral("N"), QStringLiteral("100")});
    p.addOption({QStringLiteral("fault"), QStringLiteral("Fault rule, repeatable: route=REGEX;error=RATE;status=CODE;412=RATE;"
                                                         "latency=MS;drop=RATE;block=HEADER:VALUE"), QStringLiteral("SPEC")});
    p.addOption({QStringLiteral("session-idle-seconds"), QStringLiteral("Session idle timeout (default 1800)."), QStringLiteral("N"),
                 QStringLiteral("1800")});
    p.addOption({QStringLiteral("no-controllers"), QStringLiteral("Do not run the simulated infrastructure controllers "
                                                                  "(for extra cells sharing one PostgreSQL database).")});
    p.addOption({QStringLiteral("api-versions"), QStringLiteral("API versions /api/versions offers, comma-separated (default %1); "
                                                                "a request naming another version answers 406, e.g. "
                                                                "35.0,36.0,37.0 as VCD 10.4.0.")
                                                     .arg(sim::VcdSim::defaultApiVersions().join(QLatin1Char(','))),
                 QStringLiteral("LIST")});
    p.addOption({QStringLiteral("list-in-memory"), QStringLiteral("Evaluate entity-list filters and sorting in memory over every "
                                                                  "entity instead of in SQL (the benchmark's baseline).")});
    // The server's bounds (README "Limits and timeouts"), each with its
    // default from HttpLimits / LoginLimits and where the value goes.
    sim::SimOptions o;
    struct Bound
    {
        const char *name;
        const char *help;
        qint64 def;
        qint64 min;
        std::function<void(qint64)> set;
    };
    auto asInt = [](int &field) { return [&field](qint64 v) { field = int(v); }; };
    auto asLong = [](qint64 &field) { return [&field](qint64 v) { field = v; }; };
    const QList<Bound> bounds = {
        {"header-timeout-ms", "A request header (and TLS handshake) must arrive within this", o.http.headerTimeoutMs, 100,
         asInt(o.http.headerTimeoutMs)},
        {"body-timeout-ms", "A request body must arrive within this after its header", o.http.bodyTimeoutMs, 100, asInt(o.http.bodyTimeoutMs)},
        {"idle-timeout-ms", "Keep-alive connections idle this long are closed", o.http.idleTimeoutMs, 100, asInt(o.http.idleTimeoutMs)},
        {"write-timeout-ms", "Clients that read nothing of an answer this long are dropped", o.http.writeTimeoutMs, 100,
         asInt(o.http.writeTimeoutMs)},
        {"max-connections", "Connections open at once; more are refused", o.http.maxConnections, 1, asInt(o.http.maxConnections)},
        {"max-body-bytes", "Largest request body (413 above)", o.http.maxBodyBytes, 1024, asLong(o.http.maxBodyBytes)},
        {"max-response-bytes", "Largest answer; a list page that would be larger is refused naming a pageSize that fits",
         o.http.maxResponseBytes, 4096, asLong(o.http.maxResponseBytes)},
        {"login-failures-per-user", "Failed logins of one user@org within the window before 429", o.login.perUser, 1, asInt(o.login.perUser)},
        {"login-failures-per-source", "Failed logins from one address within the window before 429", o.login.perSource, 1,
         asInt(o.login.perSource)},
        {"login-window-seconds", "The window that failed logins are counted in", o.login.windowSeconds, 1, asInt(o.login.windowSeconds)},
    };
    for (const Bound &b : bounds)
        p.addOption({QString::fromLatin1(b.name), QStringLiteral("%1 (default %2).").arg(QLatin1String(b.help)).arg(b.def),
                     QStringLiteral("N"), QString::number(b.def)});
    p.process(app);

    auto usage = [&](const QString &message) {
        err << "vcd-sim: " << message << "\n";
        return 2;
    };
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
    if (p.isSet(QStringLiteral("admin-password")))
        return usage(QStringLiteral("--admin-password is not accepted: a password on the command line is visible to every local user "
                                    "in the process list; use --admin-password-file FILE (mode 0600) or $VCDSIM_ADMIN_PASSWORD"));
    if (p.isSet(QStringLiteral("admin-password-file"))) {
        auto secret = vcd::ConnectionOptions::readSecretFile(p.value(QStringLiteral("admin-password-file")));
        if (!secret)
            return usage(secret.error().message);
        o.adminPassword = *secret;
    } else {
        o.adminPassword = qEnvironmentVariable("VCDSIM_ADMIN_PASSWORD");
    }
    for (const Bound &b : bounds) {
        bool numberOk = false;
        const QString text = p.value(QString::fromLatin1(b.name));
        const qint64 v = text.toLongLong(&numberOk);
        if (!numberOk || v < b.min || v > std::numeric_limits<int>::max())
            return usage(QStringLiteral("--%1 expects a whole number from %2 to %3, got \"%4\"")
                             .arg(QLatin1String(b.name)).arg(b.min).arg(std::numeric_limits<int>::max()).arg(text));
        b.set(v);
    }
    const QString seed = p.value(QStringLiteral("seed"));
    if (!seed.isEmpty() && seed != QLatin1String("demo") && seed != QLatin1String("tenants"))
        return usage(QStringLiteral("--seed knows only \"demo\" and \"tenants\", got \"%1\"").arg(seed));
    o.seedDemo = !seed.isEmpty();
    o.seedTenantsOnly = seed == QLatin1String("tenants");
    bool ok = false;
    const QString visibility = p.value(QStringLiteral("provider-visibility"));
    if (visibility == QLatin1String("rights"))
        o.providerVisibility = sim::SimOptions::ProviderVisibility::Rights;
    else if (visibility == QLatin1String("all"))
        o.providerVisibility = sim::SimOptions::ProviderVisibility::All;
    else if (visibility == QLatin1String("system"))
        o.providerVisibility = sim::SimOptions::ProviderVisibility::System;
    else
        return usage(QStringLiteral("--provider-visibility knows only \"rights\", \"all\" and \"system\", got \"%1\"").arg(visibility));
    o.tenants = p.value(QStringLiteral("tenants")).toInt(&ok);
    if (!ok || o.tenants < 0 || o.tenants > 9999)
        return usage(QStringLiteral("--tenants expects a whole number from 0 to 9999"));
    if (p.isSet(QStringLiteral("many-vdcs"))) {
        const QString spec = p.value(QStringLiteral("many-vdcs"));
        const int eq = spec.lastIndexOf(QLatin1Char('='));
        o.manyVdcsOrg = spec.left(eq);
        o.manyVdcs = eq > 0 ? spec.mid(eq + 1).toInt(&ok) : 0;
        if (eq <= 0 || !ok || o.manyVdcs < 1 || o.manyVdcs > 9999)
            return usage(QStringLiteral("--many-vdcs expects ORG=N with N from 1 to 9999, got \"%1\"").arg(spec));
    }
    if ((o.tenants > 0 || o.manyVdcs > 0) && !o.seedDemo)
        return usage(QStringLiteral("--tenants and --many-vdcs need --seed demo or --seed tenants"));
    o.latencyMs = p.value(QStringLiteral("latency-ms")).toInt(&ok);
    if (!ok || o.latencyMs < 0)
        return usage(QStringLiteral("--latency-ms expects a whole number >= 0"));
    o.sessionIdleSeconds = p.value(QStringLiteral("session-idle-seconds")).toInt(&ok);
    if (!ok || o.sessionIdleSeconds < 1)
        return usage(QStringLiteral("--session-idle-seconds expects a whole number >= 1"));
    o.runControllers = !p.isSet(QStringLiteral("no-controllers"));
    o.listInMemory = p.isSet(QStringLiteral("list-in-memory"));
    if (p.isSet(QStringLiteral("api-versions"))) {
        static const QRegularExpression versionRe(QStringLiteral("^[0-9]+\\.[0-9]+$"));
        for (const QString &v : p.value(QStringLiteral("api-versions")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!versionRe.match(v.trimmed()).hasMatch())
                return usage(QStringLiteral("--api-versions expects versions like 35.0,36.0,37.0, got \"%1\"").arg(v));
            o.apiVersions << v.trimmed();
        }
        if (o.apiVersions.isEmpty())
            return usage(QStringLiteral("--api-versions needs at least one version"));
    }
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
