// Simulated infrastructure: a Cluster API provider that builds clusters from
// an applied capiYaml, and the in-cluster controller that keeps provisioned
// clusters converged to spec.capiYaml. Both write status.capvcd with If-Match.
#pragma once

#include "core/result.h"
#include "rde/capiyaml.h"
#include "store.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace cse::sim {

class VcdSim;

class InfraController : public QObject
{
    Q_OBJECT
public:
    explicit InfraController(VcdSim *sim);
    void start(int stepMs);
    void stop() { m_timer.stop(); }
    void tick();

    static QString clientId() { return QStringLiteral("vcd-sim/capvcd"); }

private:
    // One step of one cluster; false when it changed nothing.
    bool step(const InfraRow &row);
    struct Settled
    {
        InfraVersion version; // as seen before the step that changed nothing
        InfraRow row;
    };
    QHash<QString, Settled> m_settled;
    const Result<rde::CapiSummary> &parsed(const QString &yaml);
    static constexpr int kParsedCacheSize = 4096;
    VcdSim *m_sim;
    QHash<QString, Result<rde::CapiSummary>> m_parsed;
    QTimer m_timer;
};

} // namespace cse::sim
