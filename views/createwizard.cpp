#include "createwizard.h"

#include "rde/cluster.h"
#include "site/site.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QWizardPage>

#include <functional>

namespace cse::views {

namespace {
const QStringList kSizings{QStringLiteral("TKG small"), QStringLiteral("TKG medium"), QStringLiteral("TKG large"),
                           QStringLiteral("TKG extra-large")};

// A page that can be left only when its check has nothing to say.
class CheckedPage : public QWizardPage
{
public:
    CheckedPage(QWidget *parent, std::function<QString()> problem) : QWizardPage(parent), m_problem(std::move(problem)) {}
    bool isComplete() const override { return m_problem().isEmpty(); }

private:
    std::function<QString()> m_problem;
};

// A reason shown beside its field: word-wrapped and never wider than the
// page gives it (a long unbroken value must not widen the dialog for good).
QLabel *reasonLabel(QWidget *parent, const char *name)
{
    auto *l = new QLabel(parent);
    l->setObjectName(QLatin1String(name));
    l->setWordWrap(true);
    l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    l->setStyleSheet(QStringLiteral("color: #b3261e;"));
    l->setVisible(false);
    return l;
}

// Marks the field (frame and accessible description) and shows the reason.
void mark(QWidget *field, QLabel *reason, const QString &text)
{
    const bool bad = !text.isEmpty();
    if (field->property("invalid").toBool() != bad) {
        field->setProperty("invalid", bad);
        field->setStyleSheet(bad ? QStringLiteral("border: 2px solid #b3261e;") : QString());
    }
    field->setAccessibleDescription(text);
    reason->setText(text);
    reason->setVisible(bad);
}

class ReviewPage : public QWizardPage
{
public:
    explicit ReviewPage(CreateWizard *w) : m_wizard(w) {}
    void initializePage() override { m_ok = m_wizard->render(); Q_EMIT completeChanged(); }
    bool isComplete() const override { return m_ok; }

private:
    CreateWizard *m_wizard;
    bool m_ok = false;
};

} // namespace

void CreateWizard::addPoolRow(const QString &name, int replicas, const QString &sizing)
{
    QTableWidget *t = m_pools;
    const int row = t->rowCount();
    t->insertRow(row);
    t->setItem(row, 0, new QTableWidgetItem(name));
    auto *count = new QSpinBox(t);
    count->setRange(0, 100);
    count->setValue(replicas);
    count->setAccessibleName(tr("Nodes"));
    connect(count, &QSpinBox::valueChanged, this, &CreateWizard::validateSizing);
    t->setCellWidget(row, 1, count);
    auto *size = new QComboBox(t);
    size->setEditable(true);
    size->addItems(kSizings);
    size->setCurrentText(sizing);
    size->setAccessibleName(tr("Sizing policy"));
    t->setCellWidget(row, 2, size);
    validateSizing();
}

CreateWizard::CreateWizard(site::Site *site, QWidget *parent)
    : QWizard(parent), m_site(site)
{
    setObjectName(QStringLiteral("createWizard"));
    setWindowTitle(tr("New cluster"));
    setOption(QWizard::NoBackButtonOnStartPage);

    // 1: where
    m_wherePage = new CheckedPage(this, [this] { return placementProblem(); });
    QWizardPage *where = m_wherePage;
    where->setTitle(tr("Name and placement"));
    auto *f1 = new QFormLayout(where);
    m_name = new QLineEdit(where);
    m_name->setObjectName(QStringLiteral("wizName"));
    m_name->setPlaceholderText(tr("lower-case letters, digits and '-'"));
    m_org = new QComboBox(where);
    m_org->setObjectName(QStringLiteral("wizOrg"));
    m_vdc = new QComboBox(where);
    m_vdc->setObjectName(QStringLiteral("wizVdc"));
    m_network = new QComboBox(where);
    m_network->setObjectName(QStringLiteral("wizNetwork"));
    m_vcdStatus = new QLabel(where);
    m_vcdStatus->setObjectName(QStringLiteral("wizVcdStatus"));
    m_vcdStatus->setWordWrap(true);
    m_vcdStatus->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_nameError = reasonLabel(where, "wizNameError");
    f1->addRow(tr("&Name:"), m_name);
    f1->addRow(QString(), m_nameError);
    f1->addRow(tr("&Organization:"), m_org);
    f1->addRow(tr("&VDC:"), m_vdc);
    f1->addRow(tr("N&etwork:"), m_network);
    f1->addRow(m_vcdStatus);
    for (const site::OrgRef &o : site->orgs())
        if (o.name.compare(QLatin1String("System"), Qt::CaseInsensitive) != 0)
            m_org->addItem(o.name, o.id);
    connect(m_org, &QComboBox::currentIndexChanged, this, &CreateWizard::loadOrg);
    connect(m_name, &QLineEdit::textChanged, this, &CreateWizard::validatePlacement);
    connect(m_vdc, &QComboBox::currentIndexChanged, this, &CreateWizard::validatePlacement);
    connect(m_network, &QComboBox::currentIndexChanged, this, &CreateWizard::validatePlacement);
    // The org's clusters may arrive or change while the wizard is open.
    connect(site, &site::Site::clustersChanged, this, &CreateWizard::validatePlacement);
    addPage(where);

    // 2: Kubernetes and sizing
    m_sizingPage = new CheckedPage(this, [this] { return sizingProblem(); });
    QWizardPage *sizing = m_sizingPage;
    sizing->setTitle(tr("Kubernetes and node pools"));
    auto *v2 = new QVBoxLayout(sizing);
    auto *f2 = new QFormLayout;
    m_release = new QComboBox(sizing);
    m_release->setObjectName(QStringLiteral("wizRelease"));
    for (const rde::KubernetesRelease &r : rde::supportedReleases())
        m_release->addItem(tr("%1 (TKG %2)").arg(r.kubernetesVersion, r.tkgVersion), r.kubernetesVersion);
    m_controlPlane = new QSpinBox(sizing);
    m_controlPlane->setObjectName(QStringLiteral("wizControlPlane"));
    m_controlPlane->setRange(1, 7);
    m_controlPlane->setSingleStep(2);
    m_cpSizing = new QComboBox(sizing);
    m_cpSizing->setObjectName(QStringLiteral("wizCpSizing"));
    m_cpSizing->setEditable(true);
    m_cpSizing->addItems(kSizings);
    f2->addRow(tr("&Kubernetes release:"), m_release);
    m_controlPlaneError = reasonLabel(sizing, "wizControlPlaneError");
    connect(m_controlPlane, &QSpinBox::valueChanged, this, &CreateWizard::validateSizing);
    f2->addRow(tr("&Control plane nodes:"), m_controlPlane);
    f2->addRow(QString(), m_controlPlaneError);
    f2->addRow(tr("Control plane &sizing:"), m_cpSizing);
    v2->addLayout(f2);
    m_pools = new QTableWidget(0, 3, sizing);
    m_pools->setObjectName(QStringLiteral("wizWorkerPools"));
    m_pools->setAccessibleName(tr("Worker pools"));
    m_pools->setHorizontalHeaderLabels({tr("Worker pool"), tr("Nodes"), tr("Sizing policy")});
    m_pools->horizontalHeader()->setStretchLastSection(true);
    m_workersError = reasonLabel(sizing, "wizWorkersError");
    m_controlPlaneOnly = new QCheckBox(tr("Control plane &only (no worker nodes: workloads run on the control plane)"), sizing);
    m_controlPlaneOnly->setObjectName(QStringLiteral("wizControlPlaneOnly"));
    connect(m_controlPlaneOnly, &QCheckBox::toggled, this, &CreateWizard::validateSizing);
    connect(m_pools, &QTableWidget::itemChanged, this, &CreateWizard::validateSizing);
    addPoolRow(QStringLiteral("worker-node-pool-1"), 1, kSizings.first());
    auto *poolButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("&Add pool"), sizing);
    add->setObjectName(QStringLiteral("wizAddPool"));
    auto *remove = new QPushButton(tr("&Remove pool"), sizing);
    remove->setObjectName(QStringLiteral("wizRemovePool"));
    connect(add, &QPushButton::clicked, this, [this] {
        addPoolRow(QStringLiteral("worker-node-pool-%1").arg(m_pools->rowCount() + 1), 1, kSizings.first());
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_pools->rowCount() > 1)
            m_pools->removeRow(m_pools->currentRow() >= 0 ? m_pools->currentRow() : m_pools->rowCount() - 1);
        validateSizing();
    });
    poolButtons->addWidget(add);
    poolButtons->addWidget(remove);
    poolButtons->addStretch(1);
    v2->addWidget(m_pools);
    v2->addLayout(poolButtons);
    v2->addWidget(m_controlPlaneOnly);
    v2->addWidget(m_workersError);
    addPage(sizing);

    // 3: storage, health, credentials
    m_optionsPage = new CheckedPage(this, [this] { return credentialsProblem(); });
    QWizardPage *options = m_optionsPage;
    options->setTitle(tr("Storage, health and credentials"));
    auto *f3 = new QFormLayout(options);
    m_storageProfile = new QLineEdit(QStringLiteral("*"), options);
    m_storageProfile->setObjectName(QStringLiteral("wizStorageProfile"));
    m_storageClass = new QCheckBox(tr("Create a default &storage class on this profile"), options);
    m_storageClass->setObjectName(QStringLiteral("wizStorageClass"));
    m_healthCheck = new QCheckBox(tr("Machine &health check (replace unhealthy nodes)"), options);
    m_healthCheck->setObjectName(QStringLiteral("wizHealthCheck"));
    m_healthCheck->setChecked(true);
    m_autoRepair = new QCheckBox(tr("&Auto-repair on errors during creation"), options);
    m_autoRepair->setObjectName(QStringLiteral("wizAutoRepair"));
    m_autoRepair->setChecked(true);
    m_user = new QLineEdit(options);
    m_user->setObjectName(QStringLiteral("wizUser"));
    m_token = new QLineEdit(options);
    m_token->setObjectName(QStringLiteral("wizToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("an API token of the owner user"));
    m_token->setAccessibleName(tr("Owner's API token"));
    m_tokenNote = new QLabel(options);
    m_tokenNote->setObjectName(QStringLiteral("wizTokenNote"));
    m_tokenNote->setWordWrap(true);
    m_tokenNote->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_tokenError = reasonLabel(options, "wizTokenError");
    connect(m_token, &QLineEdit::textEdited, this, [this] {
        m_tokenTouched = true;
        m_tokenAuto = false;
    });
    connect(m_token, &QLineEdit::textChanged, this, &CreateWizard::validateCredentials);
    connect(m_user, &QLineEdit::textEdited, this, [this] {
        m_user->setProperty("auto", false);
        if (m_tokenAuto) { // the demo's token was for the other user
            m_token->clear();
            m_tokenAuto = false;
        }
        validateCredentials();
    });
    connect(this, &QWizard::currentIdChanged, this, [this, options](int) {
        if (currentPage() == options && m_demoTokens && !m_tokenTouched && m_token->text().isEmpty())
            fetchDemoToken();
    });
    f3->addRow(tr("Storage &profile:"), m_storageProfile);
    f3->addRow(m_storageClass);
    f3->addRow(m_healthCheck);
    f3->addRow(m_autoRepair);
    f3->addRow(tr("&Owner user:"), m_user);
    f3->addRow(tr("Owner's API &token:"), m_token);
    f3->addRow(QString(), m_tokenError);
    f3->addRow(m_tokenNote);
    addPage(options);

    // 4: review
    auto *review = new ReviewPage(this);
    review->setTitle(tr("Review the Cluster API YAML"));
    review->setSubTitle(tr("This is what the server applies. Go back to change it."));
    auto *v4 = new QVBoxLayout(review);
    m_yaml = new QPlainTextEdit(review);
    m_yaml->setObjectName(QStringLiteral("wizYaml"));
    m_yaml->setReadOnly(true);
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_error = new QLabel(review);
    m_error->setObjectName(QStringLiteral("wizError"));
    m_error->setWordWrap(true);
    m_error->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    v4->addWidget(m_error);
    v4->addWidget(m_yaml, 1);
    addPage(review);
    setButtonText(QWizard::FinishButton, tr("&Create"));
    resize(720, 560);
    loadOrg();
    validatePlacement();
    validateSizing();
    validateCredentials();
}

void CreateWizard::loadOrg()
{
    const QString orgId = m_org->currentData().toString();
    m_vdc->clear();
    m_network->clear();
    if (m_tokenAuto) { // the demo's token was for a user of the other org
        m_token->clear();
        m_tokenAuto = false;
    }
    if (m_user->text().isEmpty() || m_user->property("auto").toBool()) {
        m_user->setText(m_site->options().isProvider() ? m_org->currentText() + QStringLiteral("-admin") : m_site->options().user);
        m_user->setProperty("auto", true);
    }
    m_tokenNote->setText(tr("The server acts for the cluster's owner with this token. It is stored in the cluster, where the "
                            "administrators of %1 can read it: give a token of a user of %1, never a provider or System "
                            "token.").arg(m_org->currentText()));
    validatePlacement();
    validateCredentials();
    if (orgId.isEmpty())
        return;
    m_vcdStatus->setText(tr("Reading VDCs and networks of %1…").arg(m_org->currentText()));
    m_site->listVdcs(orgId, this, [this, orgId](Result<QList<site::NamedItem>> r) {
        if (m_org->currentData().toString() != orgId)
            return;
        if (!r) {
            m_vcdStatus->setText(tr("Cannot read VDCs: %1").arg(r.error().message));
            return;
        }
        for (const site::NamedItem &v : *r)
            if (v.orgId.isEmpty() || v.orgId == orgId)
                m_vdc->addItem(v.name, v.id);
        m_vcdStatus->clear();
    });
    m_site->listNetworks(orgId, this, [this, orgId](Result<QList<site::NamedItem>> r) {
        if (m_org->currentData().toString() != orgId)
            return;
        if (!r) {
            m_vcdStatus->setText(tr("Cannot read networks: %1").arg(r.error().message));
            return;
        }
        for (const site::NamedItem &n : *r)
            if (n.orgId.isEmpty() || n.orgId == orgId)
                m_network->addItem(n.name, n.id);
    });
}

void CreateWizard::fetchDemoToken()
{
    const QString user = m_user->text().trimmed();
    m_site->issueDemoToken(m_org->currentText(), user, this, [this, user](Result<QString> r) {
        if (r && m_token->text().isEmpty() && !m_tokenTouched && m_user->text().trimmed() == user) {
            m_token->setText(*r);
            m_tokenAuto = true;
        }
    });
}

QString CreateWizard::nameProblem() const
{
    const QString name = m_name->text().trimmed();
    if (const QString problem = rde::validateClusterName(name); !problem.isEmpty())
        return problem;
    const QString org = m_org->currentText();
    for (const rde::DefinedEntity &e : m_site->clusters()) {
        const rde::Cluster c(e.entity);
        const QString clusterOrg = e.org.name.isEmpty() ? c.orgName() : e.org.name;
        if (clusterOrg == org && (c.name().isEmpty() ? e.name : c.name()) == name)
            return tr("%1 already has a cluster named %2: choose another name.").arg(org, name);
    }
    return {};
}

QString CreateWizard::placementProblem() const
{
    if (const QString name = nameProblem(); !name.isEmpty())
        return name;
    const QString org = m_org->currentText();
    if (org.isEmpty())
        return tr("Choose the organization to create the cluster in.");
    if (m_vdc->currentText().isEmpty())
        return tr("Choose a VDC of %1.").arg(org);
    if (m_network->currentText().isEmpty())
        return tr("Choose a network of %1.").arg(org);
    return {};
}

void CreateWizard::validatePlacement()
{
    if (!m_wherePage)
        return;
    // The name field says what is wrong once a name is typed; a missing
    // VDC or network is said by the VCD status line.
    mark(m_name, m_nameError, m_name->text().isEmpty() ? QString() : nameProblem());
    Q_EMIT m_wherePage->completeChanged();
}

QString CreateWizard::sizingProblem() const
{
    const int cp = m_controlPlane->value();
    if (cp < 1 || cp % 2 == 0)
        return tr("Use an odd number of control plane nodes (1, 3, 5 or 7): etcd needs a majority of them to keep working.");
    int workers = 0;
    QStringList names;
    for (int r = 0; r < m_pools->rowCount(); ++r) {
        const QString name = m_pools->item(r, 0) ? m_pools->item(r, 0)->text().trimmed() : QString();
        if (const QString problem = rde::validateClusterName(name); !problem.isEmpty())
            return tr("Worker pool %1: %2").arg(r + 1).arg(problem);
        if (names.contains(name))
            return tr("Two worker pools are named %1: give each its own name.").arg(name);
        names << name;
        if (auto *count = qobject_cast<QSpinBox *>(m_pools->cellWidget(r, 1)))
            workers += count->value();
    }
    if (workers == 0 && !m_controlPlaneOnly->isChecked())
        return tr("Add at least one worker node, or choose \"Control plane only\".");
    return {};
}

void CreateWizard::validateSizing()
{
    if (!m_sizingPage)
        return;
    const QString problem = sizingProblem();
    const bool cp = m_controlPlane->value() % 2 == 0;
    mark(m_controlPlane, m_controlPlaneError, cp ? problem : QString());
    mark(m_pools, m_workersError, cp ? QString() : problem);
    Q_EMIT m_sizingPage->completeChanged();
}

QString CreateWizard::credentialsProblem() const
{
    if (m_user->text().trimmed().isEmpty())
        return tr("Enter the owner user: a user of %1.").arg(m_org->currentText());
    const QString token = m_token->text().trimmed();
    if (token.isEmpty())
        return tr("Enter an API token of %1: the server acts for the cluster's owner with it.").arg(m_user->text().trimmed());
    if (m_site->options().isProvider() && token == m_site->options().apiToken)
        return tr("This is the token this console connected with. Give a token of a user of %1.").arg(m_org->currentText());
    return {};
}

void CreateWizard::validateCredentials()
{
    if (!m_optionsPage)
        return;
    mark(m_token, m_tokenError, credentialsProblem());
    Q_EMIT m_optionsPage->completeChanged();
}

rde::ClusterSpec CreateWizard::spec() const
{
    rde::ClusterSpec s;
    s.name = m_name->text().trimmed();
    s.org = m_org->currentText();
    s.vdc = m_vdc->currentText();
    s.network = m_network->currentText();
    const QUrl url = m_site->options().url;
    s.site = url.scheme() + QStringLiteral("://") + url.authority();
    s.kubernetesVersion = m_release->currentData().toString();
    s.username = m_user->text().trimmed();
    s.controlPlane.replicas = m_controlPlane->value();
    s.controlPlane.sizingPolicy = m_cpSizing->currentText();
    s.controlPlane.storageProfile = m_storageProfile->text().trimmed();
    s.workerPools.clear();
    for (int r = 0; r < m_pools->rowCount(); ++r) {
        rde::MachinePool p = rde::MachinePool::named(m_pools->item(r, 0) ? m_pools->item(r, 0)->text().trimmed() : QString(),
                                                     static_cast<QSpinBox *>(m_pools->cellWidget(r, 1))->value());
        p.sizingPolicy = static_cast<QComboBox *>(m_pools->cellWidget(r, 2))->currentText();
        p.storageProfile = s.controlPlane.storageProfile;
        s.workerPools.append(p);
    }
    s.machineHealthCheck = m_healthCheck->isChecked();
    s.hasDefaultStorageClass = m_storageClass->isChecked();
    s.defaultStorageClass.vcdStorageProfileName = s.controlPlane.storageProfile;
    return s;
}

QString CreateWizard::apiToken() const
{
    return m_token->text().trimmed();
}

bool CreateWizard::autoRepair() const
{
    return m_autoRepair->isChecked();
}

bool CreateWizard::render()
{
    const rde::ClusterSpec s = spec();
    Result<QString> yaml = [&]() -> Result<QString> {
        if (auto v = s.validate(); !v)
            return v.error();
        return rde::renderCapiYaml(s);
    }();
    if (!yaml) {
        m_error->setText(tr("Cannot create this cluster: %1").arg(yaml.error().message));
        m_yaml->clear();
        return false;
    }
    for (const QString &problem : {placementProblem(), sizingProblem(), credentialsProblem()})
        if (!problem.isEmpty()) {
            m_error->setText(tr("Cannot create this cluster: %1").arg(problem));
            m_yaml->setPlainText(*yaml);
            return false;
        }
    m_error->clear();
    m_yaml->setPlainText(*yaml);
    return true;
}

void CreateWizard::accept()
{
    if (!render())
        return;
    Q_EMIT submitted(spec(), apiToken(), autoRepair());
    QWizard::accept();
}

} // namespace cse::views
