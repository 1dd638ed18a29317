#include "readiness.h"

#include <QRegularExpression>

namespace cse::site {

ReadinessLine parseReadinessLine(const QString &line)
{
    static const QRegularExpression listening(QStringLiteral("^vcd-sim listening on (\\S+)\\s*$"));
    static const QRegularExpression fingerprint(QStringLiteral("^fingerprint: ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)\\s*$"));
    static const QRegularExpression replica(
        QStringLiteral("^cse-server: replica (\\S+) ready; health on (\\S+)\\s*$"));
    ReadinessLine out;
    if (auto m = listening.match(line); m.hasMatch()) {
        out.kind = ReadinessLine::Kind::SimListening;
        out.value = m.captured(1);
    } else if (auto m = fingerprint.match(line); m.hasMatch()) {
        out.kind = ReadinessLine::Kind::SimFingerprint;
        out.value = m.captured(1).toUpper();
    } else if (auto m = replica.match(line); m.hasMatch()) {
        out.kind = ReadinessLine::Kind::ReplicaReady;
        out.name = m.captured(1);
        out.value = m.captured(2);
    }
    return out;
}

bool ReadinessParser::feed(const QByteArray &chunk)
{
    m_output += chunk;
    m_pending += chunk;
    bool recognised = false;
    for (int nl = m_pending.indexOf('\n'); nl >= 0; nl = m_pending.indexOf('\n')) {
        const QString line = QString::fromUtf8(m_pending.left(nl)).trimmed();
        m_pending.remove(0, nl + 1);
        const ReadinessLine r = parseReadinessLine(line);
        switch (r.kind) {
        case ReadinessLine::Kind::None: continue;
        case ReadinessLine::Kind::SimListening: m_simUrl = r.value; break;
        case ReadinessLine::Kind::SimFingerprint: m_simFingerprint = r.value; break;
        case ReadinessLine::Kind::ReplicaReady: m_replicas.insert(r.name, r.value); break;
        }
        recognised = true;
    }
    return recognised;
}

} // namespace cse::site
