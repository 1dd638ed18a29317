// The one parser for the readiness lines our child processes print:
//   vcd-sim listening on https://127.0.0.1:PORT
//   fingerprint: AB:CD:...
//   cse-server: replica NAME ready; health on http://127.0.0.1:PORT
// Used by the demo-site launcher, the tests and the benchmarks.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace cse::site {

struct ReadinessLine
{
    enum class Kind { None, SimListening, SimFingerprint, ReplicaReady };
    Kind kind = Kind::None;
    QString value; // URL, fingerprint, or the replica's health URL
    QString name;  // replica name (ReplicaReady)
};

// Reads one line (without its newline).
ReadinessLine parseReadinessLine(const QString &line);

// Accumulates process output that arrives in arbitrary chunks.
class ReadinessParser
{
public:
    // Returns true when this chunk completed at least one recognised line.
    bool feed(const QByteArray &chunk);

    QString simUrl() const { return m_simUrl; }
    QString simFingerprint() const { return m_simFingerprint; }
    // vcd-sim is ready: its URL is known, and its fingerprint unless it serves plain HTTP.
    bool simReady(bool plainHttp = false) const { return !m_simUrl.isEmpty() && (plainHttp || !m_simFingerprint.isEmpty()); }
    // Replica name -> health URL, for every replica that reported ready.
    const QMap<QString, QString> &replicas() const { return m_replicas; }
    QByteArray output() const { return m_output; }

private:
    QByteArray m_output;
    QByteArray m_pending;
    QString m_simUrl;
    QString m_simFingerprint;
    QMap<QString, QString> m_replicas;
};

} // namespace cse::site
