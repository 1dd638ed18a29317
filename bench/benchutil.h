// What every benchmark driver shares: waiting in the event loop, percentiles,
// the process's resident memory, a Markdown results table and the JSON file.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <functional>

namespace cse::bench {

// Runs the event loop for `ms` milliseconds.
void wait(int ms);
// Runs the event loop until done() or timeoutMs; returns done().
bool waitUntil(const std::function<bool()> &done, int timeoutMs, int stepMs = 100);
// Runs the event loop, sleeping between checks every pollMs (a precise
// timer, no busy loop), until done() or timeoutMs; returns done().
bool waitFor(const std::function<bool()> &done, int timeoutMs, int pollMs = 1);
// Nearest-rank percentile, p in [0, 1]; 0 for no values.
double percentile(QList<double> values, double p);
// VmRSS of this process in KiB (from /proc/self/status); -1 if unknown.
qint64 rssKib();

// A Markdown table: header cells, then rows of the same width.
class Table
{
public:
    explicit Table(QStringList header) : m_header(std::move(header)) {}
    void add(const QStringList &row) { m_rows.append(row); }
    void print(QTextStream &out) const;

private:
    QStringList m_header;
    QList<QStringList> m_rows;
};

// Writes `json` to `path` (indented); says where on `out`. An empty path writes nothing.
bool writeJson(const QString &path, const QJsonObject &json, QTextStream &out);

} // namespace cse::bench
