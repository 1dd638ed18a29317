// Typed view over the VCDKEConfig entity (1.0.0 / 1.1.0), profile 0.
#pragma once

#include "entityview.h"

namespace cse::rde {

// HA knobs we add to profiles[0].serverConfig (seconds).
struct HaSettings
{
    int leaseSeconds = 10;
    int renewSeconds = 2;
    int pollSeconds = 2;
    int workersPerReplica = 4;
    int autoRepairMaxAttempts = 3;
    int autoRepairBackoffSeconds = 10;
    // A creation phase that waits on the bootstrap VM or the cluster and sees no
    // new event for this long fails (and auto-repair may retry); 0: wait for ever.
    int phaseTimeoutSeconds = 1800;
    // Work discovery where the provider-wide list does not show every org's
    // clusters: per-org lists, at most this many a second for the whole site.
    int discoveryRequestsPerSecond = 10;
    // "auto" (detect whether the provider-wide list shows every org),
    // "providerWide" (one list a poll) or "perOrg" (budgeted per-org lists).
    QString discoveryMode = QStringLiteral("auto");
};

struct MhcSettings
{
    double maxUnhealthyNodes = 100;
    QString nodeStartupTimeout = QStringLiteral("900s");
    QString nodeNotReadyTimeout = QStringLiteral("300s");
    QString nodeUnknownTimeout = QStringLiteral("300s");
};

struct RegisteredInstance
{
    QString name;
    QString version;
    QString instanceId;
};

class VcdKeConfig : public EntityView
{
public:
    using EntityView::EntityView;

    // The entity as a CSE 4.2 installer creates it, with our HA defaults.
    static VcdKeConfig defaults42();

    QString profileName() const;
    HaSettings ha() const;
    void setHa(const HaSettings &ha);
    MhcSettings mhc() const;
    QString containerRegistryUrl() const;
    QList<RegisteredInstance> instances() const;
    // Adds or refreshes an entry of profiles[0].vcdKeInstances; true if changed.
    bool registerInstance(const RegisteredInstance &instance);

private:
    QStringList profile(const QStringList &rest) const;
};

} // namespace cse::rde
