// vcd-sim: an embedded emulator of the VCD cloudapi subset CSE uses.
#include "core/signalwatcher.h"
#include "vcd/connectionoptions.h"
#include "vcdsim.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
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
    p.addOption({QStringLiteral("seed"), QStringLiteral("Seed a data set; only \"demo\" exists."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("latency-ms"), QStringLiteral("Duration of one simulated infrastructure step (default 100)."),
                 QStringLiteral("N"), QStringLiteral("100")});
    p.addOption({QStringLiteral("fault"), QStringLiteral("Fault rule, repeatable: route=REGEX;error=RATE;status=CODE;412=RATE;"
                                                         "latency=MS;drop=RATE;block=HEADER:VALUE"), QStringLiteral("SPEC")});
    p.addOption({QStringLiteral("session-idle-seconds"), QStringLiteral("Session idle timeout (default 1800)."), QStringLiteral("N"),
                 QStringLiteral("1800")});
    p.addOption({QStringLiteral("no-controllers"), QStringLiteral("Do not run the simulated infrastructure controllers "
                                                                  "(for extra cells sharing one PostgreSQL database).")});
    const http::HttpLimits httpDefaults;
    const sim::LoginThrottle::Limits loginDefaults;
    struct Bound
    {
        const char *name;
        const char *help;
        qint64 def;
        qint64 min;
    };
    const QList<Bound> bounds = {
        {"header-timeout-ms", "A request header (and TLS handshake) must arrive within this", httpDefaults.headerTimeoutMs, 100},
        {"body-timeout-ms", "A request body must arrive within this after its header", httpDefaults.bodyTimeoutMs, 100},
        {"idle-timeout-ms", "Keep-alive connections idle this long are closed", httpDefaults.idleTimeoutMs, 100},
        {"write-timeout-ms", "Clients that read nothing of an answer this long are dropped", httpDefaults.writeTimeoutMs, 100},
        {"max-connections", "Connections open at once; more are refused", httpDefaults.maxConnections, 1},
        {"max-body-bytes", "Largest request body (413 above)", httpDefaults.maxBodyBytes, 1024},
        {"max-response-bytes", "Largest answer; a list page that would be larger is refused naming a pageSize that fits",
         httpDefaults.maxResponseBytes, 4096},
        {"login-failures-per-user", "Failed logins of one user@org within the window before 429", loginDefaults.perUser, 1},
        {"login-failures-per-source", "Failed logins from one address within the window before 429", loginDefaults.perSource, 1},
        {"login-window-seconds", "The window that failed logins are counted in", loginDefaults.windowSeconds, 1},
    };
    for (const Bound &b : bounds)
        p.addOption({QString::fromLatin1(b.name), QStringLiteral("%1 (default %2).").arg(QLatin1String(b.help)).arg(b.def),
                     QStringLiteral("N"), QString::number(b.def)});
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
    QHash<QString, qint64> bound;
    for (const Bound &b : bounds) {
        bool numberOk = false;
        const qint64 v = p.value(QString::fromLatin1(b.name)).toLongLong(&numberOk);
        if (!numberOk || v < b.min || v > std::numeric_limits<int>::max())
            return usage(QStringLiteral("--%1 expects a whole number from %2 to %3, got \"%4\"")
                             .arg(QLatin1String(b.name)).arg(b.min).arg(std::numeric_limits<int>::max())
                             .arg(p.value(QString::fromLatin1(b.name))));
        bound.insert(QString::fromLatin1(b.name), v);
    }
    o.http.headerTimeoutMs = int(bound.value(QStringLiteral("header-timeout-ms")));
    o.http.bodyTimeoutMs = int(bound.value(QStringLiteral("body-timeout-ms")));
    o.http.idleTimeoutMs = int(bound.value(QStringLiteral("idle-timeout-ms")));
    o.http.writeTimeoutMs = int(bound.value(QStringLiteral("write-timeout-ms")));
    o.http.maxConnections = int(bound.value(QStringLiteral("max-connections")));
    o.http.maxBodyBytes = bound.value(QStringLiteral("max-body-bytes"));
    o.http.maxResponseBytes = bound.value(QStringLiteral("max-response-bytes"));
    o.login.perUser = int(bound.value(QStringLiteral("login-failures-per-user")));
    o.login.perSource = int(bound.value(QStringLiteral("login-failures-per-source")));
    o.login.windowSeconds = int(bound.value(QStringLiteral("login-window-seconds")));
    const QString seed = p.value(QStringLiteral("seed"));
    if (!seed.isEmpty() && seed != QLatin1String("demo"))
        return usage(QStringLiteral("--seed knows only \"demo\", got \"%1\"").arg(seed));
    o.seedDemo = seed == QLatin1String("demo");
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
