// Follows one operation on one cluster until it reaches its target state,
// from the site's refreshes: progress as the phase moves, success at the
// target, the real error (status.vcdKe / capvcd) if the cluster fails.
#pragma once

#include "operations.h"

#include <QObject>
#include <QPointer>

namespace cse::site {

class Site;

class OperationWatcher : public QObject
{
    Q_OBJECT
public:
    // clusterId may be empty for a create still waiting for its id (setClusterId).
    OperationWatcher(Site *site, Operation op, const QString &clusterId, QObject *parent = nullptr);

    void setClusterId(const QString &id);
    // For resize: the node count the cluster must report.
    void setExpectedNodes(int n) { m_expectedNodes = n; }
    void setExpectedVersion(const QString &v) { m_expectedVersion = v; }
    void cancel(); // stop following; finished(false, "canceled") is not emitted
    void fail(const QString &message);
    Operation operation() const { return m_op; }
    QString clusterId() const { return m_id; }
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void progress(int percent, const QString &text);
    void finished(bool ok, const QString &message);

private:
    void evaluate();
    void finish(bool ok, const QString &message);

    QPointer<Site> m_site;
    Operation m_op;
    QString m_id;
    int m_expectedNodes = -1;
    QString m_expectedVersion;
    bool m_seenLeavingError = false;
    bool m_finished = false;
};

} // namespace cse::site
