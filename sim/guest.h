// The guest simulator (not VCD API): stands in for the bootstrap script
// inside a powered-on VM whose guestinfo.userdata holds cse-server's
// bootstrap cloud-config. On the --latency-ms clock it walks the phases
// kind -> capi -> capiyaml -> move, setting guestinfo keys as vmtoolsd
// info-set would; at capiyaml it hands the capiYaml to the simulated CAPVCD
// (InfraController), at move it waits for the cluster to be provisioned.
// A fault "infra:guest:<phase>" fails that phase with a non-zero script
// status and a failure reason, as the script's ERR trap does.
#pragma once

#include <QObject>
#include <QTimer>

namespace cse::sim {

class VcdSim;
class LegacyApi;

class GuestSimulator : public QObject
{
    Q_OBJECT
public:
    GuestSimulator(VcdSim *sim, LegacyApi *api);
    void start(int stepMs) { m_timer.start(stepMs); }
    void tick();

private:
    VcdSim *m_sim;
    LegacyApi *m_api;
    QTimer m_timer;
    quint64 m_ticks = 0;
};

} // namespace cse::sim
