// One connection to a VCD site: logs in, polls clusters (per-org fan-out for
// a provider), server instances and the server configuration, and publishes
// changes as signals that item models and views subscribe to. Operations are
// entity edits through the per-org client. Results of an asynchronous call
// reach the caller only while its context object lives.
#pragma once

#include "core/result.h"
#include "rde/capiyaml.h"
#include "rde/definedentity.h"
#include "rde/vcdkeconfig.h"
#include "replicatracker.h"
#include "vcd/client.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace cse::vcd {
class OrgDirectory;
}

namespace cse::site {

struct OrgRef
{
    QString id;
    QString name;
};

struct NamedItem // a VDC or a network
{
    QString id;
    QString name;
    QString orgId;
    QString vdcName; // networks: their VDC
};

class Site : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    explicit Site(QObject *parent = nullptr, Clock clock = {});
    ~Site() override;

    // Replaces any previous connection. In-flight work of the old one is
    // dropped (its results never arrive).
    void connectTo(const vcd::ConnectionOptions &options);
    void disconnectFromSite();
    bool isConnected() const { return m_connected; }
    const vcd::ConnectionOptions &options() const { return m_options; }

    // Pause between the end of one refresh and the start of the next (at
    // least as long as the last refresh took).
    void setPollInterval(int ms);
    void refresh(); // no-op while one is running
    bool isRefreshing() const { return m_refreshing; }

    const QList<rde::DefinedEntity> &clusters() const { return m_clusters; }
    std::optional<rde::DefinedEntity> cluster(const QString &id) const;
    const QList<ReplicaStatus> &replicas() const { return m_replicas; }
    bool replicasVisible() const { return m_replicasVisible; }
    std::optional<rde::DefinedEntity> config() const { return m_config; }
    rde::HaSettings ha() const;
    const QList<OrgRef> &orgs() const { return m_orgs; }
    qint64 now() const { return m_clock(); }
    // Re-judges replica liveness without new data (the view's clock tick).
    void tick();

    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    // Operations; `context` guards the delivery of `done`. createCluster
    // needs the owner's API token (a user of spec.org): it is stored in the
    // cluster, where that org's administrators can read it, so the
    // connection's own token is never used in its place.
    void createCluster(const rde::ClusterSpec &spec, const QString &apiToken, bool autoRepair, QObject *context,
                       Callback<QString> done);
    void resizeCluster(const QString &id, const QString &pool, int replicas, QObject *context, Callback<rde::DefinedEntity> done);
    void upgradeCluster(const QString &id, const QString &version, QObject *context, Callback<rde::DefinedEntity> done);
    void deleteCluster(const QString &id, bool force, QObject *context, Callback<rde::DefinedEntity> done);
    // Retry after error. A non-empty ownerToken is stored as the cluster's
    // owner API token with the retry (a cluster without one waits for ever).
    void retryCluster(const QString &id, const QString &ownerToken, QObject *context, Callback<rde::DefinedEntity> done);
    // Whether the cluster holds an owner API token (lists mask it: this reads
    // the full entity).
    void hasOwnerToken(const QString &id, QObject *context, Callback<bool> done);
    void fetchKubeconfig(const QString &id, QObject *context, Callback<QString> done);
    // Saves with If-Match edited.etag; a lost race comes back as ErrorKind::Conflict.
    void saveConfig(const rde::DefinedEntity &edited, QObject *context, Callback<rde::DefinedEntity> done);
    void reloadConfig(QObject *context, Callback<rde::DefinedEntity> done);
    // vcd-sim only (the demo site): issues an API token for user@org through
    // its admin endpoint, so the wizard can create clusters on a user's behalf.
    void issueDemoToken(const QString &org, const QString &user, QObject *context, Callback<QString> done);
    void listVdcs(const QString &orgId, QObject *context, Callback<QList<NamedItem>> done);
    void listNetworks(const QString &orgId, QObject *context, Callback<QList<NamedItem>> done);

Q_SIGNALS:
    void connected();
    void disconnected();
    void clustersChanged();
    void replicasChanged();
    void configChanged();
    void refreshed();
    void failed(const cse::Error &error);        // connecting or refreshing failed
    void requestFailed(const cse::Error &error); // any failed request (the activity pane)

private:
    vcd::Client *clientFor(const QString &orgId);
    void refreshNow(quint64 generation);
    void finishRefresh(quint64 generation, quint64 sequence, const QList<rde::DefinedEntity> &clusters, bool complete,
                       std::optional<QList<rde::DefinedEntity>> instances, std::optional<rde::DefinedEntity> config);
    void report(const Error &e);
    // The entity with its secure fields (getFullEntity) through its org's client.
    void fullEntity(const QString &id, QObject *context, Callback<rde::DefinedEntity> done);
    void patchCluster(const QString &id, vcd::Client::Change change, QObject *context, Callback<rde::DefinedEntity> done);
    void listItems(const QString &path, const QString &orgId, QObject *context, Callback<QList<NamedItem>> done);

    template<typename T>
    Callback<T> guarded(QObject *context, Callback<T> done)
    {
        QPointer<QObject> ctx(context);
        QPointer<Site> self(this);
        const quint64 generation = m_generation;
        return [ctx, self, generation, done, hasContext = context != nullptr](Result<T> r) {
            if (!self || self->m_generation != generation || (hasContext && !ctx))
                return;
            if (!r)
                self->report(r.error());
            done(std::move(r));
        };
    }

    Clock m_clock;
    vcd::ConnectionOptions m_options;
    std::unique_ptr<vcd::Client> m_provider;
    QHash<QString, vcd::Client *> m_perOrg; // children; tenant-context clients for writes
    vcd::OrgDirectory *m_orgDirectory = nullptr; // child; the orgs a provider sees
    bool m_providerListIsWide = false; // the provider's list without a tenant context shows every org
    QTimer *m_poll = nullptr;
    int m_pollInterval = 2000;
    QElapsedTimer m_refreshTime; // since the running refresh began
    quint64 m_generation = 0;
    quint64 m_refreshSequence = 0;   // one per refresh started
    quint64 m_configTrustedFrom = 0; // refreshes started before our own save carry a stale config
    bool m_connected = false;
    bool m_refreshing = false;
    QList<OrgRef> m_orgs;
    QList<rde::DefinedEntity> m_clusters;
    QList<ReplicaStatus> m_replicas;
    bool m_replicasVisible = false;
    ReplicaTracker m_tracker;
    std::optional<rde::DefinedEntity> m_config;
};

} // namespace cse::site
