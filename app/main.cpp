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

int main(int argc, char **argv)
{
    if (cse::app::wantsServerCli(argc, argv))
        return cse::app::runServerCli(argc, argv);

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("cse-console"));
    QApplication::setOrganizationName(QStringLiteral("cse-console"));
    QApplication::setApplicationVersion(QStringLiteral(CSE_VERSION));

    // Messages in the user's language when a translation ships (de), else English.
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("cse-console"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("CSE Console: clusters and HA replicas of CSE 4.x on VMware Cloud Director."));
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
