// Manual pages rendered from a program's own --help text, so the two never
// disagree: the build runs each program (and each of its commands) with
// --help and turns QCommandLineParser's layout into roff.
#pragma once

#include <QList>
#include <QString>

namespace cse::manpage {

struct Entry
{
    QString names;       // "-h, --help" or "--vcd <URL>" or "files"
    QString description; // continuation lines joined with spaces
};

// One QCommandLineParser::helpText(), split into its parts.
struct Help
{
    QString usage;           // what follows the program in "Usage:", e.g. "[options] files"
    QStringList description; // the lines between "Usage:" and "Options:", as printed
    QList<Entry> options;
    QList<Entry> arguments;
};

Help parseHelp(const QString &text);

struct Command
{
    QString name; // empty: the program itself
    QString helpText;
};

struct Page
{
    QString program; // cse-server
    QString summary; // one line for NAME
    QString version;
    QList<Command> commands; // the program first, then its commands
    QString seeAlso;         // e.g. "cse-console(1), vcd-sim(1)"
};

QString render(const Page &page);

} // namespace cse::manpage
