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
#include <QSet>
#include <QTranslator>
#include <algorithm>
#include <cstdio>

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
        "(validate, check-connection, doctor, fingerprint, install, backup, restore, verify) run as cse-console COMMAND;\n"
        "see cse-server(1)."));
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

// Qt's own GUI options, which QApplication takes out of argv itself.
bool isQtGuiOption(const QString &name)
{
    static const QSet<QString> names{QStringLiteral("platform"), QStringLiteral("platformpluginpath"), QStringLiteral("platformtheme"),
                                     QStringLiteral("plugin"), QStringLiteral("qmljsdebugger"), QStringLiteral("qwindowgeometry"),
                                     QStringLiteral("geometry"), QStringLiteral("qwindowicon"), QStringLiteral("icon"),
                                     QStringLiteral("qwindowtitle"), QStringLiteral("title"), QStringLiteral("reverse"),
                                     QStringLiteral("session"), QStringLiteral("style"), QStringLiteral("stylesheet"),
                                     QStringLiteral("widgetcount"), QStringLiteral("display"), QStringLiteral("name"),
                                     QStringLiteral("nograb"), QStringLiteral("dograb"), QStringLiteral("sync"),
                                     QStringLiteral("qdevicepixelratio")};
    return names.contains(name);
}

// --help, --version and a bad command line are answered before any GUI
// exists, so they work on a server without a display. Returns the exit code,
// or -1 to go on and start the GUI.
int answerWithoutGui(int argc, char **argv)
{
    QCoreApplication probe(argc, argv); // needs no display
    setApplicationNames();
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions); // "-platform" is one option, not -p -l -a ...
    addConsoleOptions(p);
    const bool parsed = p.parse(QCoreApplication::arguments());
    if (p.isSet(QStringLiteral("help")) || p.optionNames().contains(QLatin1String("help-all"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return 0;
    }
    if (p.isSet(QStringLiteral("version"))) {
        std::fprintf(stdout, "%s %s\n", qPrintable(QCoreApplication::applicationName()), CSE_VERSION);
        return 0;
    }
    if (!parsed) {
        QStringList unknown = p.unknownOptionNames();
        unknown.erase(std::remove_if(unknown.begin(), unknown.end(), isQtGuiOption), unknown.end());
        if (!unknown.isEmpty() || p.unknownOptionNames().isEmpty()) {
            std::fprintf(stderr, "cse-console: %s (see cse-console --help)\n", qPrintable(p.errorText()));
            return 2;
        }
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    if (cse::app::wantsServerCli(argc, argv))
        return cse::app::runServerCli(argc, argv);
    if (const int rc = answerWithoutGui(argc, argv); rc >= 0)
        return rc;

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
