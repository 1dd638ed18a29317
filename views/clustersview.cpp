#include "clustersview.h"

#include "createwizard.h"
#include "items/clusterfilter.h"
#include "items/clustermodel.h"
#include "items/eventmodel.h"
#include "rde/capiyaml.h"
#include "rde/cluster.h"
#include "rde/json.h"
#include "site/operationwatcher.h"
#include "site/site.h"
#include "tonedelegate.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace cse::views {

namespace {
QAction *makeAction(QWidget *owner, const char *name, const QString &text, const QKeySequence &key = {})
{
    auto *a = new QAction(text, owner);
    a->setObjectName(QLatin1String(name));
    if (!key.isEmpty()) {
        a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
    }
    owner->addAction(a);
    return a;
}

QString pretty(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented));
    return v.toVariant().toString();
}
} // namespace

ClustersView::ClustersView(site::Site *site, QWidget *parent)
    : QWidget(parent), m_site(site)
{
    setObjectName(QStringLiteral("clustersView"));
    m_model = new items::ClusterModel(this);
    m_model->setSite(site);
    m_filter = new items::ClusterFilterModel(this);
    m_filter->setSourceModel(m_model);
    m_events = new items::EventModel(this);

    auto *layout = new QVBoxLayout(this);
    m_toolbar = new QToolBar(tr("Cluster operations"), this);
    m_toolbar->setObjectName(QStringLiteral("clusterToolbar"));
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_create = makeAction(this, "createAction", tr("&New cluster…"), QKeySequence::New);
    m_resize = makeAction(this, "resizeAction", tr("&Resize…"), QKeySequence(Qt::CTRL | Qt::Key_R));
    m_upgrade = makeAction(this, "upgradeAction", tr("&Upgrade…"), QKeySequence(Qt::CTRL | Qt::Key_U));
    m_delete = makeAction(this, "deleteAction", tr("&Delete…"), QKeySequence::Delete);
    m_forceDelete = makeAction(this, "forceDeleteAction", tr("&Force delete…"), QKeySequence(Qt::SHIFT | Qt::Key_Delete));
    m_retry = makeAction(this, "retryAction", tr("Re&try"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_kubeconfig = makeAction(this, "kubeconfigAction", tr("Download &kubeconfig…"), QKeySequence(Qt::CTRL | Qt::Key_K));
    for (QAction *a : {m_create, m_resize, m_upgrade, m_delete, m_forceDelete, m_retry, m_kubeconfig})
        m_toolbar->addAction(a);
    m_create->setToolTip(tr("Create a cluster with the wizard"));
    m_delete->setToolTip(tr("Ask the server to delete the selected clusters and their VCD resources"));
    m_forceDelete->setToolTip(tr("Delete even if the cluster cannot be reached; leftover VCD resources may remain"));
    connect(m_create, &QAction::triggered, this, &ClustersView::createCluster);
    connect(m_resize, &QAction::triggered, this, &ClustersView::resizeSelected);
    connect(m_upgrade, &QAction::triggered, this, &ClustersView::upgradeSelected);
    connect(m_delete, &QAction::triggered, this, [this] { deleteSelected(false); });
    connect(m_forceDelete, &QAction::triggered, this, [this] { deleteSelected(true); });
    connect(m_retry, &QAction::triggered, this, &ClustersView::retrySelected);
    connect(m_kubeconfig, &QAction::triggered, this, &ClustersView::downloadKubeconfig);
    layout->addWidget(m_toolbar);

    auto *filters = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("clusterSearch"));
    m_search->setPlaceholderText(tr("Search name, organization, VDC, error…"));
    m_search->setAccessibleName(tr("Search clusters"));
    m_search->setClearButtonEnabled(true);
    m_state = new QComboBox(this);
    m_state->setObjectName(QStringLiteral("stateFilter"));
    m_state->setAccessibleName(tr("Filter by state"));
    m_state->addItem(tr("All states"), QString());
    m_state->addItem(tr("waiting for a server"), items::ClusterFilterModel::waitingState());
    for (const QString &s : {rde::clusterstate::kProvisioning, rde::clusterstate::kProvisioned, rde::clusterstate::kError,
                             rde::clusterstate::kDeleting})
        m_state->addItem(s, s);
    m_org = new QComboBox(this);
    m_org->setObjectName(QStringLiteral("orgFilter"));
    m_org->setAccessibleName(tr("Filter by organization"));
    m_owner = new QComboBox(this);
    m_owner->setObjectName(QStringLiteral("ownerFilter"));
    m_owner->setAccessibleName(tr("Filter by owner replica"));
    auto *searchLabel = new QLabel(tr("&Search:"), this);
    searchLabel->setBuddy(m_search);
    filters->addWidget(searchLabel);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_state);
    filters->addWidget(m_org);
    filters->addWidget(m_owner);
    layout->addLayout(filters);
    connect(m_search, &QLineEdit::textChanged, m_filter, &items::ClusterFilterModel::setSearchText);
    connect(m_state, &QComboBox::currentIndexChanged, this, [this] { m_filter->setStateFilter(m_state->currentData().toString()); });
    connect(m_org, &QComboBox::currentIndexChanged, this, [this] { m_filter->setOrgFilter(m_org->currentData().toString()); });
    connect(m_owner, &QComboBox::currentIndexChanged, this, [this] { m_filter->setOwnerFilter(m_owner->currentData().toString()); });

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("clusterSplitter"));
    m_table = new QTableView(split);
    m_table->setObjectName(QStringLiteral("clusterTable"));
    m_table->setAccessibleName(tr("Clusters"));
    m_table->setModel(m_filter);
    m_table->setItemDelegate(new ToneDelegate(items::ClusterModel::ToneRole, m_table));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(items::ClusterModel::Name, Qt::AscendingOrder);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, &QTableView::resizeColumnsToContents);
    for (int column : {items::ClusterModel::State, items::ClusterModel::Phase, items::ClusterModel::Nodes,
                       items::ClusterModel::AutoRepair})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    // Widths from the rows in view plus a few more, not from 1,000 rows per
    // column (Qt's default) each time a filter or refresh changes the rows.
    m_table->horizontalHeader()->setResizeContentsPrecision(50);

    m_details = new QTabWidget(split);
    m_details->setObjectName(QStringLiteral("clusterDetails"));
    auto text = [this](const char *name) {
        auto *t = new QPlainTextEdit(m_details);
        t->setObjectName(QLatin1String(name));
        t->setReadOnly(true);
        t->setLineWrapMode(QPlainTextEdit::NoWrap);
        return t;
    };
    m_spec = text("specText");
    m_status = text("statusText");
    m_resources = text("resourcesText");
    m_eventTable = new QTableView(m_details);
    m_eventTable->setObjectName(QStringLiteral("eventTable"));
    m_eventTable->setModel(m_events);
    m_eventTable->setItemDelegate(new ToneDelegate(items::EventModel::ToneRole, m_eventTable));
    m_eventTable->horizontalHeader()->setStretchLastSection(true);
    m_eventTable->verticalHeader()->setVisible(false);
    m_details->addTab(m_eventTable, tr("Timeline"));
    m_details->addTab(m_spec, tr("Spec"));
    m_details->addTab(m_status, tr("Status"));
    m_details->addTab(m_resources, tr("VCD resources"));
    // Why a selected cluster is in error or not taken by any server.
    auto *detailsBox = new QWidget(split);
    auto *detailsLayout = new QVBoxLayout(detailsBox);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    m_reason = new QLabel(detailsBox);
    m_reason->setObjectName(QStringLiteral("clusterReason"));
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reason->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_reason->setVisible(false);
    detailsLayout->addWidget(m_reason);
    detailsLayout->addWidget(m_details, 1);
    split->addWidget(m_table);
    split->addWidget(detailsBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    auto *ops = new QHBoxLayout;
    m_opStatus = new QLabel(this);
    m_opStatus->setObjectName(QStringLiteral("operationStatus"));
    m_opStatus->setWordWrap(true);
    m_opProgress = new QProgressBar(this);
    m_opProgress->setObjectName(QStringLiteral("operationProgress"));
    m_opProgress->setAccessibleName(tr("Operation progress"));
    m_opProgress->setRange(0, 100);
    m_opProgress->setVisible(false);
    m_opCancel = new QPushButton(tr("Stop &following"), this);
    m_opCancel->setObjectName(QStringLiteral("operationCancel"));
    m_opCancel->setToolTip(tr("Stop following the running operations (the change already sent stays)"));
    m_opCancel->setVisible(false);
    connect(m_opCancel, &QPushButton::clicked, this, [this] {
        for (const auto &w : std::as_const(m_running))
            if (w)
                w->cancel();
        m_running.clear();
        m_opProgress->setVisible(false);
        m_opCancel->setVisible(false);
        m_opStatus->setText(tr("Stopped following; the operations continue on the site."));
    });
    ops->addWidget(m_opStatus, 1);
    ops->addWidget(m_opProgress);
    ops->addWidget(m_opCancel);
    layout->addLayout(ops);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        showDetails();
    });
    connect(site, &site::Site::clustersChanged, this, [this] {
        updateActions();
        showDetails();
        updateFilters();
    });
    connect(site, &site::Site::replicasChanged, this, [this] {
        updateFilters();
        showDetails();
    });
    updateFilters();
    updateActions();
}

QList<QAction *> ClustersView::operationActions() const
{
    return {m_create, m_resize, m_upgrade, m_delete, m_forceDelete, m_retry, m_kubeconfig};
}

QStringList ClustersView::selectedIds() const
{
    QStringList ids;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        ids.append(i.data(items::ClusterModel::IdRole).toString());
    return ids;
}

void ClustersView::selectCluster(const QString &id)
{
    for (int r = 0; r < m_table->model()->rowCount(); ++r) {
        const QModelIndex i = m_table->model()->index(r, 0);
        if (i.data(items::ClusterModel::IdRole).toString() == id) {
            m_table->selectionModel()->select(i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_table->setCurrentIndex(i);
            return;
        }
    }
}

void ClustersView::updateFilters()
{
    auto refill = [](QComboBox *box, const QString &all, const QList<QPair<QString, QString>> &items) {
        const QString current = box->currentData().toString();
        QList<QPair<QString, QString>> existing;
        for (int i = 1; i < box->count(); ++i)
            existing.append({box->itemText(i), box->itemData(i).toString()});
        if (box->count() > 0 && existing == items)
            return;
        const QSignalBlocker block(box);
        box->clear();
        box->addItem(all, QString());
        for (const auto &[text, data] : items)
            box->addItem(text, data);
        box->setCurrentIndex(qMax(0, box->findData(current)));
    };
    QMap<QString, QString> orgs, owners;
    for (const site::OrgRef &o : m_site->orgs())
        orgs.insert(o.name, o.name);
    QHash<QString, QString> names;
    for (const site::ReplicaStatus &r : m_site->replicas())
        names.insert(r.instanceId, r.name);
    for (const rde::DefinedEntity &e : m_site->clusters()) {
        orgs.insert(e.org.name, e.org.name);
        const QString owner = rde::Cluster(e.entity).ownerInstanceId();
        if (!owner.isEmpty())
            owners.insert(names.value(owner, owner), owner);
    }
    QList<QPair<QString, QString>> orgItems, ownerItems;
    for (auto it = orgs.cbegin(); it != orgs.cend(); ++it)
        if (!it.key().isEmpty())
            orgItems.append({it.key(), it.value()});
    for (auto it = owners.cbegin(); it != owners.cend(); ++it)
        ownerItems.append({it.key(), it.value()});
    refill(m_org, tr("All organizations"), orgItems);
    refill(m_owner, tr("All owners"), ownerItems);
}

void ClustersView::updateActions()
{
    const QStringList ids = selectedIds();
    auto allowedForAll = [&](site::Operation op) {
        if (ids.isEmpty())
            return false;
        for (const QString &id : ids) {
            const auto e = m_site->cluster(id);
            if (!e || !site::isAllowed(op, rde::Cluster(e->entity)))
                return false;
        }
        return true;
    };
    const bool connected = m_site->isConnected();
    m_create->setEnabled(connected);
    m_resize->setEnabled(ids.size() == 1 && allowedForAll(site::Operation::Resize));
    // At the newest release there is nothing to upgrade to: disabled, and the tooltip says so.
    const bool upgradable = ids.size() == 1 && allowedForAll(site::Operation::Upgrade);
    QString noUpgrade;
    if (upgradable) {
        const rde::Cluster c(m_site->cluster(ids.first())->entity);
        const auto summary = rde::parseCapiYaml(c.capiYaml());
        const QString from = summary ? summary->kubernetesVersion : c.kubernetesVersion();
        if (site::upgradeTargets(from).isEmpty())
            noUpgrade = tr("%1 runs %2, the newest supported release: there is nothing to upgrade to.").arg(c.name(), from);
    }
    m_upgrade->setEnabled(upgradable && noUpgrade.isEmpty());
    m_upgrade->setToolTip(noUpgrade.isEmpty() ? tr("Upgrade the selected cluster to a newer Kubernetes release") : noUpgrade);
    m_delete->setEnabled(allowedForAll(site::Operation::Delete));
    m_forceDelete->setEnabled(allowedForAll(site::Operation::ForceDelete));
    m_retry->setEnabled(allowedForAll(site::Operation::Retry));
    // A cluster in error has no usable kubeconfig to offer.
    const auto one = ids.size() == 1 ? m_site->cluster(ids.first()) : std::nullopt;
    const bool inError = one && rde::Cluster(one->entity).state() == rde::clusterstate::kError;
    m_kubeconfig->setEnabled(one.has_value() && !inError);
    m_kubeconfig->setToolTip(inError ? tr("The cluster is in error: it has no kubeconfig to download.")
                                     : tr("Save the cluster's kubeconfig (it holds credentials)"));
}

void ClustersView::showDetails()
{
    const QStringList ids = selectedIds();
    const auto e = ids.size() == 1 ? m_site->cluster(ids.first()) : std::nullopt;
    if (!e) {
        m_events->setCluster({});
        m_spec->clear();
        m_status->clear();
        m_resources->clear();
        m_reason->setVisible(false);
        return;
    }
    showReason(*e);
    m_events->setCluster(*e);
    const rde::Cluster c(e->entity);
    QJsonObject spec = e->entity.value(QLatin1String("spec")).toObject();
    // Never show the owner's API token.
    QJsonObject vcdKe = spec.value(QLatin1String("vcdKe")).toObject();
    if (vcdKe.contains(QLatin1String("secure")))
        vcdKe.insert(QStringLiteral("secure"), QJsonObject{{QStringLiteral("apiToken"), QStringLiteral("******")}});
    spec.insert(QStringLiteral("vcdKe"), vcdKe);
    QString specText = pretty(spec);
    const QString yaml = c.capiYaml();
    spec.remove(QStringLiteral("capiYaml"));
    specText = pretty(spec) + QStringLiteral("\n# capiYaml\n") + yaml;
    if (m_spec->toPlainText() != specText)
        m_spec->setPlainText(specText);
    const QString status = pretty(e->entity.value(QLatin1String("status")));
    if (m_status->toPlainText() != status)
        m_status->setPlainText(status);
    // What the status records: the server's and CAPVCD's resource sets, and
    // the resources the events name (the vApp and VMs), each once by id.
    QStringList resources;
    QSet<QString> seen;
    auto addResource = [&](const QString &type, const QString &name, const QString &id, const QString &source) {
        if (id.isEmpty() || seen.contains(id))
            return;
        seen.insert(id);
        resources.append(QStringLiteral("%1\t%2\t%3\t(%4)").arg(type.isEmpty() ? tr("resource") : type, name, id, source));
    };
    for (const QJsonArray &set : {c.vcdResourceSet(), json::get(e->entity, rde::paths::kStatusCapvcd + QStringList{QStringLiteral("vcdResourceSet")}).toArray()})
        for (const QJsonValue &v : set) {
            const QJsonObject o = v.toObject();
            addResource(o.value(QLatin1String("type")).toString(), o.value(QLatin1String("name")).toString(),
                        o.value(QLatin1String("id")).toString(), tr("resource set"));
        }
    for (const QList<rde::ClusterEvent> &log : {c.vcdKeLog(rde::Cluster::Log::Event), c.capvcdLog(rde::Cluster::Log::Event)})
        for (const rde::ClusterEvent &ev : log) {
            // urn:vcloud:<type>:<uuid> names the kind of resource.
            const QStringList urn = ev.resourceId.split(QLatin1Char(':'));
            addResource(urn.size() >= 4 ? urn.at(2) : QString(), ev.resourceName, ev.resourceId, tr("event: %1").arg(ev.name));
        }
    const QString res = resources.isEmpty() ? tr("No VCD resources recorded yet.") : resources.join(QLatin1Char('\n'));
    if (m_resources->toPlainText() != res)
        m_resources->setPlainText(res);
}

void ClustersView::showReason(const rde::DefinedEntity &e)
{
    const rde::Cluster c(e.entity);
    const QString state = c.state();
    QStringList lines;
    if (state == rde::clusterstate::kError) {
        const QString why = c.lastError();
        lines << (why.isEmpty() ? tr("In error; the server recorded no reason.") : tr("In error: %1").arg(why));
    } else if (state.isEmpty()) {
        int live = 0;
        for (const site::ReplicaStatus &r : m_site->replicas())
            live += r.isAlive() ? 1 : 0;
        if (!m_site->replicasVisible())
            lines << tr("No server has taken this cluster yet. This connection cannot see the server replicas "
                        "(they are in the System organization).");
        else if (live == 0)
            lines << tr("No server has taken this cluster: no cse-server replica is running on this site.");
        else
            lines << tr("No server has taken this cluster yet (%n live replica(s)).", nullptr, live);
        if (const QString why = c.lastError(); !why.isEmpty())
            lines << tr("Last error: %1").arg(why);
    }
    // A cluster without an owner API token is never acted on: say so (the
    // list masks the token, the full entity tells).
    if (!lines.isEmpty() && m_tokenKnown.value(e.id) == 0)
        lines << tr("It has no owner API token: no server can act for it. Retry asks for one.");
    m_reason->setText(lines.join(QLatin1Char('\n')));
    m_reason->setVisible(!lines.isEmpty());
    if (!lines.isEmpty() && !m_tokenKnown.contains(e.id)) {
        m_tokenKnown.insert(e.id, -1); // asking
        const QString id = e.id;
        m_site->hasOwnerToken(id, this, [this, id](Result<bool> has) {
            if (!has) {
                m_tokenKnown.remove(id);
                return;
            }
            m_tokenKnown.insert(id, *has ? 1 : 0);
            showDetails();
        });
    }
}

site::OperationWatcher *ClustersView::watch(site::Operation op, const QString &id)
{
    auto *w = new site::OperationWatcher(m_site, op, id, this);
    m_running.append(w);
    return w;
}

void ClustersView::follow(site::OperationWatcher *watcher, const QString &what)
{
    m_opProgress->setVisible(true);
    m_opCancel->setVisible(true);
    m_opProgress->setValue(0);
    m_opStatus->setText(what);
    connect(watcher, &site::OperationWatcher::progress, this, [this, what](int pct, const QString &text) {
        m_opProgress->setValue(pct);
        m_opStatus->setText(tr("%1: %2").arg(what, text));
    });
    connect(watcher, &site::OperationWatcher::finished, this, [this, watcher, what](bool ok, const QString &message) {
        m_running.removeAll(watcher);
        watcher->deleteLater();
        operationDone(what, ok, message);
    });
}

void ClustersView::operationDone(const QString &what, bool ok, const QString &detail)
{
    const QString text = ok ? tr("%1: done (%2)").arg(what, detail) : tr("%1 failed: %2").arg(what, detail);
    m_opStatus->setText(text);
    m_opStatus->setProperty("failed", !ok);
    const bool more = std::any_of(m_running.cbegin(), m_running.cend(), [](const auto &w) { return w && !w->isFinished(); });
    m_opProgress->setVisible(more);
    m_opCancel->setVisible(more);
    if (ok)
        m_opProgress->setValue(100);
    Q_EMIT message(text);
}

void ClustersView::createCluster()
{
    auto *wizard = new CreateWizard(m_site, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setDemoTokens(m_demoTokens);
    connect(wizard, &CreateWizard::submitted, this, [this](const rde::ClusterSpec &spec, const QString &token, bool autoRepair) {
        auto *w = watch(site::Operation::Create, {});
        follow(w, tr("Create %1").arg(spec.name));
        m_opStatus->setText(tr("Create %1: submitting…").arg(spec.name));
        m_site->createCluster(spec, token, autoRepair, w, [w](Result<QString> r) {
            if (r)
                w->setClusterId(*r);
            else
                w->fail(r.error().message);
        });
    });
    wizard->open();
}

void ClustersView::resizeSelected()
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1)
        return;
    const auto e = m_site->cluster(ids.first());
    if (!e)
        return;
    const rde::Cluster c(e->entity);
    auto summary = rde::parseCapiYaml(c.capiYaml());
    if (!summary) {
        Q_EMIT message(tr("Cannot read the cluster's capiYaml: %1").arg(summary.error().message));
        return;
    }
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("resizeDialog"));
    dialog->setWindowTitle(tr("Resize %1").arg(c.name()));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *form = new QFormLayout(dialog);
    auto *pool = new QComboBox(dialog);
    pool->setObjectName(QStringLiteral("resizePool"));
    auto *count = new QSpinBox(dialog);
    count->setObjectName(QStringLiteral("resizeReplicas"));
    count->setRange(0, 100);
    pool->addItem(tr("%1 (control plane)").arg(summary->controlPlane.name), summary->controlPlane.name);
    pool->setItemData(0, summary->controlPlane.replicas, Qt::UserRole + 1);
    for (const rde::MachinePool &p : summary->workerPools) {
        pool->addItem(p.name, p.name);
        pool->setItemData(pool->count() - 1, p.replicas, Qt::UserRole + 1);
    }
    auto sync = [pool, count] {
        const bool cp = pool->currentIndex() == 0;
        count->setRange(cp ? 1 : 0, 100);
        count->setSingleStep(cp ? 2 : 1); // control planes: odd counts
        count->setValue(pool->currentData(Qt::UserRole + 1).toInt());
    };
    connect(pool, &QComboBox::currentIndexChanged, dialog, sync);
    pool->setCurrentIndex(summary->workerPools.isEmpty() ? 0 : 1);
    sync();
    form->addRow(tr("&Node pool:"), pool);
    form->addRow(tr("&Nodes:"), count);
    // Checked as typed: an invalid value never closes the dialog.
    auto *reason = new QLabel(dialog);
    reason->setObjectName(QStringLiteral("resizeError"));
    reason->setWordWrap(true);
    reason->setStyleSheet(QStringLiteral("color: #b3261e;"));
    form->addRow(reason);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    form->addRow(buttons);
    auto check = [pool, count, reason, buttons] {
        const bool cp = pool->currentIndex() == 0;
        const int current = pool->currentData(Qt::UserRole + 1).toInt();
        QString problem;
        if (cp && (count->value() < 1 || count->value() % 2 == 0))
            problem = tr("Use an odd number of control plane nodes (1, 3, 5 or 7): etcd needs a majority of them to keep working.");
        else if (count->value() == current)
            problem = tr("%1 already has %n node(s): choose another count.", nullptr, current).arg(pool->currentText());
        reason->setText(problem);
        reason->setVisible(!problem.isEmpty());
        count->setAccessibleDescription(problem);
        buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
    };
    connect(pool, &QComboBox::currentIndexChanged, dialog, check);
    connect(count, &QSpinBox::valueChanged, dialog, check);
    check();
    connect(buttons, &QDialogButtonBox::accepted, dialog, [dialog, buttons] {
        if (buttons->button(QDialogButtonBox::Ok)->isEnabled())
            dialog->accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    const QString id = e->id;
    const QString name = c.name();
    const int total = summary->totalNodes();
    connect(dialog, &QDialog::accepted, this, [this, id, name, pool, count, total] {
        const QString poolName = pool->currentData().toString();
        const int n = count->value();
        const int expected = total - pool->currentData(Qt::UserRole + 1).toInt() + n;
        auto *w = watch(site::Operation::Resize, id);
        w->setExpectedNodes(expected);
        const QString what = tr("Resize %1 (%2 → %3)").arg(name, poolName).arg(n);
        follow(w, what);
        m_site->resizeCluster(id, poolName, n, w, [w](Result<rde::DefinedEntity> r) {
            if (!r)
                w->fail(r.error().message);
        });
    });
    dialog->open();
}

void ClustersView::upgradeSelected()
{
    const QStringList ids = selectedIds();
    const auto e = ids.size() == 1 ? m_site->cluster(ids.first()) : std::nullopt;
    if (!e)
        return;
    const rde::Cluster c(e->entity);
    auto summary = rde::parseCapiYaml(c.capiYaml());
    const QString from = summary ? summary->kubernetesVersion : c.kubernetesVersion();
    const QStringList targets = site::upgradeTargets(from);
    if (targets.isEmpty()) {
        Q_EMIT message(tr("%1 runs %2; no newer supported release is a valid upgrade.").arg(c.name(), from));
        return;
    }
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("upgradeDialog"));
    dialog->setWindowTitle(tr("Upgrade %1").arg(c.name()));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *form = new QFormLayout(dialog);
    form->addRow(new QLabel(tr("Current: %1. Only the next minor release or a newer patch is offered.").arg(from), dialog));
    auto *version = new QComboBox(dialog);
    version->setObjectName(QStringLiteral("upgradeVersion"));
    version->addItems(targets);
    form->addRow(tr("&Kubernetes:"), version);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    const QString id = e->id;
    const QString name = c.name();
    connect(dialog, &QDialog::accepted, this, [this, id, name, version] {
        const QString target = version->currentText();
        auto *w = watch(site::Operation::Upgrade, id);
        w->setExpectedVersion(target);
        follow(w, tr("Upgrade %1 to %2").arg(name, target));
        m_site->upgradeCluster(id, target, w, [w](Result<rde::DefinedEntity> r) {
            if (!r)
                w->fail(r.error().message);
        });
    });
    dialog->open();
}

void ClustersView::deleteSelected(bool force)
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    QStringList names;
    for (const QString &id : ids)
        if (const auto e = m_site->cluster(id))
            names.append(rde::Cluster(e->entity).name());
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("deleteConfirm"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(force ? tr("Force delete") : tr("Delete"));
    box->setText(force ? tr("Force delete %n cluster(s): %1?", nullptr, int(ids.size())).arg(names.join(QLatin1String(", ")))
                       : tr("Delete %n cluster(s): %1?", nullptr, int(ids.size())).arg(names.join(QLatin1String(", "))));
    box->setInformativeText(force ? tr("Force delete removes the cluster entity even if the cluster cannot be reached or "
                                       "its deletion fails. VCD resources (vApp, VMs, load balancer) that the server cannot "
                                       "remove stay behind and must be cleaned up by hand.")
                                  : tr("Delete asks the server to remove the cluster's VMs, vApp, load balancer and "
                                       "networking in VCD, then the cluster entity. Workloads and persistent volumes of "
                                       "the cluster are lost."));
    box->setStandardButtons(QMessageBox::Ok | QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Ok)->setText(force ? tr("Force delete") : tr("Delete"));
    box->button(QMessageBox::Ok)->setObjectName(QStringLiteral("deleteConfirmButton"));
    connect(box, &QMessageBox::accepted, this, [this, ids, force] {
        for (const QString &id : ids) {
            const auto e = m_site->cluster(id);
            const QString name = e ? rde::Cluster(e->entity).name() : id;
            auto *w = watch(force ? site::Operation::ForceDelete : site::Operation::Delete, id);
            follow(w, force ? tr("Force delete %1").arg(name) : tr("Delete %1").arg(name));
            m_site->deleteCluster(id, force, w, [w](Result<rde::DefinedEntity> r) {
                if (!r && !r.error().is(ErrorKind::NotFound))
                    w->fail(r.error().message);
            });
        }
    });
    box->open();
}

void ClustersView::retrySelected()
{
    for (const QString &id : selectedIds()) {
        const auto e = m_site->cluster(id);
        const QString name = e ? rde::Cluster(e->entity).name() : id;
        const QString org = e ? e->org.name : QString();
        // Without an owner API token no server can act for the cluster: a
        // retry would wait for ever. Ask for one first (lists mask the token:
        // the full entity says whether it is there).
        m_opStatus->setText(tr("Retry %1: checking its owner API token…").arg(name));
        m_site->hasOwnerToken(id, this, [this, id, name, org](Result<bool> has) {
            if (!has)
                return operationDone(tr("Retry %1").arg(name), false, has.error().message);
            if (*has)
                return retry(id, name, {});
            askOwnerToken(id, name, org);
        });
    }
}

void ClustersView::retry(const QString &id, const QString &name, const QString &ownerToken)
{
    if (!ownerToken.isEmpty())
        m_tokenKnown.remove(id);
    auto *w = watch(site::Operation::Retry, id);
    follow(w, tr("Retry %1").arg(name));
    m_site->retryCluster(id, ownerToken, w, [w](Result<rde::DefinedEntity> r) {
        if (!r)
            w->fail(r.error().message);
    });
}

void ClustersView::askOwnerToken(const QString &id, const QString &name, const QString &org)
{
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("retryTokenDialog"));
    dialog->setWindowTitle(tr("Retry %1").arg(name));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *form = new QFormLayout(dialog);
    auto *why = new QLabel(tr("%1 has no owner API token, so no server can act for it: a retry would wait for ever. "
                              "Enter an API token of a user of %2. It is stored in the cluster, where the administrators "
                              "of %2 can read it.").arg(name, org), dialog);
    why->setObjectName(QStringLiteral("retryTokenWhy"));
    why->setWordWrap(true);
    form->addRow(why);
    auto *token = new QLineEdit(dialog);
    token->setObjectName(QStringLiteral("retryToken"));
    token->setEchoMode(QLineEdit::Password);
    token->setAccessibleName(tr("Owner's API token"));
    form->addRow(tr("Owner's API &token:"), token);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Retry"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    form->addRow(buttons);
    connect(token, &QLineEdit::textChanged, dialog, [buttons](const QString &t) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!t.trimmed().isEmpty());
    });
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::accepted, this, [this, id, name, token] { retry(id, name, token->text().trimmed()); });
    connect(dialog, &QDialog::rejected, this, [this, name] {
        m_opStatus->setText(tr("Retry %1: not sent (no owner API token given).").arg(name));
    });
    dialog->open();
}

void ClustersView::downloadKubeconfig()
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1)
        return;
    const auto e = m_site->cluster(ids.first());
    const QString name = e ? rde::Cluster(e->entity).name() : ids.first();
    m_opStatus->setText(tr("Fetching the kubeconfig of %1…").arg(name));
    m_site->fetchKubeconfig(ids.first(), this, [this, name](Result<QString> r) {
        if (!r) {
            m_opStatus->setText(tr("Kubeconfig of %1: %2").arg(name, r.error().message));
            return;
        }
        auto *dialog = new QFileDialog(this, tr("Save the kubeconfig of %1").arg(name), name + QStringLiteral(".kubeconfig"));
        dialog->setObjectName(QStringLiteral("kubeconfigSaveDialog"));
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setOption(QFileDialog::DontUseNativeDialog);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        const QString content = *r;
        connect(dialog, &QFileDialog::fileSelected, this, [this, content](const QString &path) {
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
                m_opStatus->setText(tr("Cannot write %1: %2").arg(path, f.errorString()));
                return;
            }
            f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); // it holds credentials
            f.write(content.toUtf8());
            m_opStatus->setText(tr("Kubeconfig saved to %1").arg(path));
        });
        dialog->open();
    });
}

} // namespace cse::views
