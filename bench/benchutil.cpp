#include "benchutil.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QFile>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>

namespace cse::bench {

void wait(int ms)
{
    // Sleeps in the event loop: a driver that spins steals a core from the
    // processes it measures (on 2 cores, half the machine).
    QEventLoop loop;
    QTimer::singleShot(qMax(0, ms), Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs, int stepMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (done())
            return true;
        wait(stepMs);
    }
    return done();
}

bool waitFor(const std::function<bool()> &done, int timeoutMs, int pollMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(pollMs);
    QElapsedTimer t;
    t.start();
    bool ok = false;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if ((ok = done()) || t.elapsed() >= timeoutMs)
            loop.quit();
    });
    tick.start();
    loop.exec();
    return ok;
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int i = qBound(0, int(std::ceil(p * v.size())) - 1, int(v.size()) - 1);
    return v[i];
}

qint64 rssKib()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

void Table::print(QTextStream &out) const
{
    out << "| " << m_header.join(QStringLiteral(" | ")) << " |\n|";
    for (qsizetype i = 0; i < m_header.size(); ++i)
        out << "---|";
    out << "\n";
    for (const QStringList &row : m_rows)
        out << "| " << row.join(QStringLiteral(" | ")) << " |\n";
    out.flush();
}

bool writeJson(const QString &path, const QJsonObject &json, QTextStream &out)
{
    if (path.isEmpty())
        return true;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(QJsonDocument(json).toJson()) < 0) {
        out << "cannot write " << path << ": " << f.errorString() << "\n";
        return false;
    }
    out << "JSON written to " << path << "\n";
    return true;
}

} // namespace cse::bench
