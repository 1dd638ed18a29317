#include "manpage.h"

#include <QRegularExpression>
#include <QStringList>

namespace cse::manpage {

namespace {

int indentOf(const QString &line)
{
    int i = 0;
    while (i < line.size() && line.at(i) == QLatin1Char(' '))
        ++i;
    return i;
}

// Text for roff: backslashes escaped, a control character at the start of a
// line neutralised.
QString escape(const QString &text)
{
    QString t = text;
    t.replace(QLatin1Char('\\'), QLatin1String("\\e"));
    if (t.startsWith(QLatin1Char('.')) || t.startsWith(QLatin1Char('\'')))
        t.prepend(QLatin1String("\\&"));
    return t;
}

// "-h, --help" -> bold names; "<URL>" -> italic value names.
QString formatNames(const QString &names)
{
    QStringList out;
    for (const QString &word : names.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        QString w = escape(word);
        if (word.startsWith(QLatin1Char('-'))) {
            w.replace(QLatin1Char('-'), QLatin1String("\\-"));
            out << QStringLiteral("\\fB%1\\fR").arg(w);
        } else {
            out << QStringLiteral("\\fI%1\\fR").arg(w);
        }
    }
    return out.join(QLatin1Char(' '));
}

void renderDescription(QString &out, const QStringList &lines)
{
    bool literal = false;
    for (const QString &line : lines) {
        const bool indented = line.startsWith(QLatin1Char(' '));
        if (indented && !literal) {
            out += QLatin1String(".nf\n");
            literal = true;
        } else if (!indented && literal) {
            out += QLatin1String(".fi\n");
            literal = false;
        }
        out += escape(line) + QLatin1Char('\n');
    }
    if (literal)
        out += QLatin1String(".fi\n");
}

void renderEntries(QString &out, const QList<Entry> &entries)
{
    for (const Entry &e : entries)
        out += QStringLiteral(".TP\n%1\n%2\n").arg(formatNames(e.names), escape(e.description));
}

} // namespace

Help parseHelp(const QString &text)
{
    Help help;
    enum { Description, Options, Arguments } part = Description;
    static const QRegularExpression entryRe(QStringLiteral("^  (\\S.*?)(?: {2,}(\\S.*))?$"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (i == 0 && line.startsWith(QLatin1String("Usage: "))) {
            const QString rest = line.mid(7);
            const int space = rest.indexOf(QLatin1Char(' '));
            help.usage = space < 0 ? QString() : rest.mid(space + 1);
            continue;
        }
        if (line == QLatin1String("Options:")) {
            part = Options;
            continue;
        }
        if (line == QLatin1String("Arguments:")) {
            part = Arguments;
            continue;
        }
        if (part == Description) {
            help.description << line;
            continue;
        }
        if (line.trimmed().isEmpty())
            continue;
        QList<Entry> &entries = part == Options ? help.options : help.arguments;
        const int indent = indentOf(line);
        if (indent > 2 && !entries.isEmpty()) {
            Entry &last = entries.last();
            last.description += (last.description.isEmpty() ? QString() : QStringLiteral(" ")) + line.trimmed();
            continue;
        }
        const QRegularExpressionMatch m = entryRe.match(line);
        if (!m.hasMatch())
            continue;
        entries.append({m.captured(1).trimmed(), m.captured(2).trimmed()});
    }
    while (!help.description.isEmpty() && help.description.last().trimmed().isEmpty())
        help.description.removeLast();
    return help;
}

QString render(const Page &page)
{
    QString out;
    out += QStringLiteral(".TH \"%1\" \"1\" \"\" \"%2 %3\" \"User Commands\"\n")
               .arg(page.program.toUpper(), page.program, page.version);
    out += QStringLiteral(".SH NAME\n%1 \\- %2\n").arg(page.program, escape(page.summary));
    out += QLatin1String(".SH SYNOPSIS\n");
    bool first = true;
    for (const Command &c : page.commands) {
        const Help h = parseHelp(c.helpText);
        if (!first)
            out += QLatin1String(".br\n");
        first = false;
        out += QStringLiteral(".B %1\n").arg(c.name.isEmpty() ? page.program : page.program + QLatin1Char(' ') + c.name);
        if (!h.usage.isEmpty())
            out += escape(h.usage) + QLatin1Char('\n');
    }
    for (const Command &c : page.commands) {
        const Help h = parseHelp(c.helpText);
        if (c.name.isEmpty()) {
            out += QLatin1String(".SH DESCRIPTION\n");
            renderDescription(out, h.description);
            if (!h.options.isEmpty()) {
                out += QLatin1String(".SH OPTIONS\n");
                renderEntries(out, h.options);
            }
            if (!h.arguments.isEmpty()) {
                out += QLatin1String(".SH ARGUMENTS\n");
                renderEntries(out, h.arguments);
            }
            if (page.commands.size() > 1)
                out += QLatin1String(".SH COMMANDS\n");
            continue;
        }
        out += QStringLiteral(".SS \"%1 %2\"\n").arg(page.program, c.name);
        renderDescription(out, h.description);
        renderEntries(out, h.options);
        if (!h.arguments.isEmpty()) {
            out += QLatin1String(".PP\nArguments:\n");
            renderEntries(out, h.arguments);
        }
    }
    if (!page.seeAlso.isEmpty())
        out += QStringLiteral(".SH \"SEE ALSO\"\n%1\n").arg(escape(page.seeAlso));
    return out;
}

} // namespace cse::manpage
