#include "logging.h"

Q_LOGGING_CATEGORY(lcRde, "cse.rde", QtInfoMsg)
Q_LOGGING_CATEGORY(lcVcd, "cse.vcd", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "cse.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBackup, "cse.backup", QtInfoMsg)
Q_LOGGING_CATEGORY(lcItems, "cse.items", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "cse.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSim, "cse.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "cse.http", QtInfoMsg)

namespace cse {

QString quoteTenant(const QString &text, int maxChars)
{
    const qsizetype shown = qMin<qsizetype>(text.size(), qMax(0, maxChars));
    QString out;
    out.reserve(shown + 16);
    out += QLatin1Char('"');
    for (qsizetype i = 0; i < shown; ++i) {
        const QChar c = text.at(i);
        switch (c.unicode()) {
        case '"': out += QLatin1String("\\\""); break;
        case '\\': out += QLatin1String("\\\\"); break;
        case '\n': out += QLatin1String("\\n"); break;
        case '\r': out += QLatin1String("\\r"); break;
        case '\t': out += QLatin1String("\\t"); break;
        default:
            // C0/C1 controls, DEL, and the Unicode line and paragraph separators.
            if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0) || c.unicode() == 0x2028
                || c.unicode() == 0x2029)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    if (shown < text.size())
        out += QStringLiteral("…(%1 more characters)").arg(text.size() - shown);
    return out;
}

} // namespace cse
