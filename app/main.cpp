// cse-console: the desktop console; --server (and the other headless
// commands) run the same core as cse-server without creating a GUI.
#include "servercli.h"
#include "keychainstore.h"
#include "mainwindow.h"
#include "screenshots.h"
#include "site/site.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QTranslator>
#include <cstring>

namespace {

void setApplicationNames()
{
    QCoreApplication::setApplicationName(QStringLiteral("cse-console"));
    QCoreApplication::setOrganizationName(QStringLiteral("cse-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CSE_VERSION));
}

// The console's options: --help prints them, the manual page is made from that.
void addConsoleOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral(
        "CSE Console: clusters and HA replicas of CSE 4.x on VMware Cloud Director.\n"
        "Headless (no display needed): cse-console --server runs a replica, and the commands of cse-server\n"
        "(validate, check-connection, doctor, fingerprint, install) run as cse-console COMMAND; see cse-server(1)."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({QStringLiteral("server"), QStringLiteral("Run the headless server replica (same as cse-server).")});
    p.addOption({QStringLiteral("demo"), QStringLiteral("Start the embedded demo site and connect to it.")});
    p.addOption({QStringLiteral("demo-replicas"), QStringLiteral("Server replicas the demo site starts (default 3)."),
                 QStringLiteral("n"), QStringLiteral("3")});
    p.addOption({QStringLiteral("screenshots"),
                 QStringLiteral("With --demo: save screenshots of the replicas view, the clusters view and the create "
                                "wizard into <dir>, then quit."),
                 QStringLiteral("dir")});
}

} // namespace

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--server") == 0 || std::strcmp(argv[i], "--backup") == 0 || std::strcmp(argv[i], "--restore") == 0
            || std::strncmp(argv[i], "--backup=", 9) == 0 || std::strncmp(argv[i], "--restore=", 10) == 0
            || (i == 1 && (std::strcmp(argv[i], "validate") == 0 || std::strcmp(argv[i], "check-connection") == 0
                           || std::strcmp(argv[i], "doctor") == 0
                           || std::strcmp(argv[i], "fingerprint") == 0 || std::strcmp(argv[i], "install") == 0)))
            return cse::app::runServerCli(argc, argv);

    // --help and --version need no display: answer them before a GUI exists.
    for (int i = 1; i < argc; ++i)
        for (const char *o : {"-h", "--help", "--help-all", "-v", "--version"})
            if (std::strcmp(argv[i], o) == 0) {
                QCoreApplication app(argc, argv);
                setApplicationNames();
                QCommandLineParser p;
                addConsoleOptions(p);
                p.process(app);
                return 0;
            }

    QApplication app(argc, argv);
    setApplicationNames();

    // Messages in the user's language: a translation installed next to the
    // program (share/cse-console/translations) first, else the built-in one.
    QTranslator translator;
    const QString installed = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/cse-console/translations");
    if (translator.load(QLocale(), QStringLiteral("cse-console"), QStringLiteral("_"), installed)
        || translator.load(QLocale(), QStringLiteral("cse-console"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser p;
    addConsoleOptions(p);
    p.process(app);

    // The site outlives the window; secrets go to the OS keychain only.
    cse::site::Site site;
    cse::views::KeychainStore keychain;
    cse::views::MainWindow w(&site, &keychain);
    const QString shots = p.value(QStringLiteral("screenshots"));
    if (p.isSet(QStringLiteral("demo")) || !shots.isEmpty())
        w.startDemo(p.value(QStringLiteral("demo-replicas")).toInt());
    w.show();
    if (!shots.isEmpty())
        cse::views::takeScreenshots(&w, shots);
    else if (!p.isSet(QStringLiteral("demo")))
        w.openConnectDialog();
    return app.exec();
}
