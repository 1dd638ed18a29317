// Simulated infrastructure: a Cluster API provider that builds clusters from
// an applied capiYaml, and the in-cluster controller that keeps provisioned
// clusters converged to spec.capiYaml. Both write status.capvcd with If-Match.
#pragma once

#include "core/result.h"
#include "store.h"

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
    void step(const InfraRow &row);
    VcdSim *m_sim;
    QTimer m_timer;
};

} // namespace cse::sim
