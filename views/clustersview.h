// The clusters page: a sortable, filterable table of every cluster, the
// details of the selected one, and the operations allowed in its state,
// each followed until the cluster reaches its target state.
#pragma once

#include "rde/definedentity.h"
#include "site/operations.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QToolBar;

namespace cse::items {
class ClusterModel;
class ClusterFilterModel;
class EventModel;
}
namespace cse::site {
class Site;
class OperationWatcher;
}

namespace cse::views {

class ClustersView : public QWidget
{
    Q_OBJECT
public:
    explicit ClustersView(site::Site *site, QWidget *parent = nullptr);

    items::ClusterModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QStringList selectedIds() const;
    void selectCluster(const QString &id);
    QList<QAction *> operationActions() const;
    QAction *createAction() const { return m_create; }
    void setDemoTokens(bool on) { m_demoTokens = on; }

public Q_SLOTS:
    void createCluster();
    void resizeSelected();
    void upgradeSelected();
    void deleteSelected(bool force = false);
    void retrySelected();
    void downloadKubeconfig();

Q_SIGNALS:
    void message(const QString &text);

private:
    void updateActions();
    void showDetails();
    void updateFilters();
    void follow(site::OperationWatcher *watcher, const QString &what);
    void operationDone(const QString &what, bool ok, const QString &detail);
    site::OperationWatcher *watch(site::Operation op, const QString &id);
    void showReason(const rde::DefinedEntity &e);
    void retry(const QString &id, const QString &name, const QString &ownerToken);
    void askOwnerToken(const QString &id, const QString &name, const QString &org);

    site::Site *m_site;
    bool m_demoTokens = false;
    items::ClusterModel *m_model;
    items::ClusterFilterModel *m_filter;
    items::EventModel *m_events;
    QLineEdit *m_search;
    QComboBox *m_state;
    QComboBox *m_org;
    QComboBox *m_owner;
    QTableView *m_table;
    QTabWidget *m_details;
    QPlainTextEdit *m_spec;
    QPlainTextEdit *m_status;
    QPlainTextEdit *m_resources;
    QTableView *m_eventTable;
    QToolBar *m_toolbar;
    QAction *m_create;
    QAction *m_resize;
    QAction *m_upgrade;
    QAction *m_delete;
    QAction *m_forceDelete;
    QAction *m_retry;
    QAction *m_kubeconfig;
    QLabel *m_opStatus;
    QProgressBar *m_opProgress;
    QPushButton *m_opCancel;
    QList<QPointer<site::OperationWatcher>> m_running;
    QLabel *m_reason;
    QHash<QString, int> m_tokenKnown; // cluster id -> 1 has an owner token, 0 has none, -1 asking
};

} // namespace cse::views
