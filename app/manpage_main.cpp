// cse-manpage: a build tool (not installed). Runs a program and each of its
// commands with --help and writes the manual page rendered from that text
// (model/core/manpage.h), so --help and the man page cannot disagree.
#include "core/manpage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Write the manual page of PROGRAM from its --help output."));
    p.addHelpOption();
    p.addOption({QStringLiteral("name"), QStringLiteral("Program name shown in the page."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("summary"), QStringLiteral("One-line summary for the NAME section."), QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("version"), QStringLiteral("Version shown in the footer."), QStringLiteral("VERSION")});
    p.addOption({QStringLiteral("command"), QStringLiteral("A command of PROGRAM to document (repeatable)."), QStringLiteral("COMMAND")});
    p.addOption({QStringLiteral("see-also"), QStringLiteral("Text of the SEE ALSO section."), QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("output"), QStringLiteral("File to write."), QStringLiteral("FILE")});
    p.addPositionalArgument(QStringLiteral("program"), QStringLiteral("The program to run."));
    p.process(app);
    if (p.positionalArguments().size() != 1 || p.value(QStringLiteral("output")).isEmpty()) {
        err << "usage: cse-manpage --name NAME --summary TEXT --output FILE [--command C]... PROGRAM\n";
        return 2;
    }
    const QString program = p.positionalArguments().first();
    cse::manpage::Page page;
    page.program = p.value(QStringLiteral("name"));
    page.summary = p.value(QStringLiteral("summary"));
    page.version = p.value(QStringLiteral("version"));
    page.seeAlso = p.value(QStringLiteral("see-also"));
    QStringList commands{QString()};
    commands += p.values(QStringLiteral("command"));
    for (const QString &command : commands) {
        QProcess run;
        // No display: the help of every program must print without one.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        run.setProcessEnvironment(env);
        QStringList args;
        if (!command.isEmpty())
            args << command;
        args << QStringLiteral("--help");
        run.start(program, args);
        if (!run.waitForFinished(30000) || run.exitStatus() != QProcess::NormalExit || run.exitCode() != 0) {
            err << "cse-manpage: " << program << " " << args.join(QLatin1Char(' ')) << " failed: "
                << run.readAllStandardError() << "\n";
            return 1;
        }
        page.commands.append({command, QString::fromUtf8(run.readAllStandardOutput())});
    }
    QFile out(p.value(QStringLiteral("output")));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        err << "cse-manpage: cannot write " << out.fileName() << ": " << out.errorString() << "\n";
        return 1;
    }
    out.write(cse::manpage::render(page).toUtf8());
    return 0;
}
