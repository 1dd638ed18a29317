#include "createwizard.h"

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

namespace cse::views {

namespace {
const QStringList kSizings{QStringLiteral("TKG small"), QStringLiteral("TKG medium"), QStringLiteral("TKG large"),
                           QStringLiteral("TKG extra-large")};

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

void addPoolRow(QTableWidget *t, const QString &name, int replicas, const QString &sizing)
{
    const int row = t->rowCount();
    t->insertRow(row);
    t->setItem(row, 0, new QTableWidgetItem(name));
    auto *count = new QSpinBox(t);
    count->setRange(0, 100);
    count->setValue(replicas);
    count->setAccessibleName(QCoreApplication::translate("cse::views::CreateWizard", "Nodes"));
    t->setCellWidget(row, 1, count);
    auto *size = new QComboBox(t);
    size->setEditable(true);
    size->addItems(kSizings);
    size->setCurrentText(sizing);
    size->setAccessibleName(QCoreApplication::translate("cse::views::CreateWizard", "Sizing policy"));
    t->setCellWidget(row, 2, size);
}
} // namespace

CreateWizard::CreateWizard(site::Site *site, QWidget *parent)
    : QWizard(parent), m_site(site)
{
    setObjectName(QStringLiteral("createWizard"));
    setWindowTitle(tr("New cluster"));
    setOption(QWizard::NoBackButtonOnStartPage);

    // 1: where
    auto *where = new QWizardPage(this);
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
    f1->addRow(tr("&Name:"), m_name);
    f1->addRow(tr("&Organization:"), m_org);
    f1->addRow(tr("&VDC:"), m_vdc);
    f1->addRow(tr("N&etwork:"), m_network);
    f1->addRow(m_vcdStatus);
    for (const site::OrgRef &o : site->orgs())
        if (o.name.compare(QLatin1String("System"), Qt::CaseInsensitive) != 0)
            m_org->addItem(o.name, o.id);
    connect(m_org, &QComboBox::currentIndexChanged, this, &CreateWizard::loadOrg);
    addPage(where);

    // 2: Kubernetes and sizing
    auto *sizing = new QWizardPage(this);
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
    f2->addRow(tr("&Control plane nodes:"), m_controlPlane);
    f2->addRow(tr("Control plane &sizing:"), m_cpSizing);
    v2->addLayout(f2);
    m_pools = new QTableWidget(0, 3, sizing);
    m_pools->setObjectName(QStringLiteral("wizWorkerPools"));
    m_pools->setAccessibleName(tr("Worker pools"));
    m_pools->setHorizontalHeaderLabels({tr("Worker pool"), tr("Nodes"), tr("Sizing policy")});
    m_pools->horizontalHeader()->setStretchLastSection(true);
    addPoolRow(m_pools, QStringLiteral("worker-node-pool-1"), 1, kSizings.first());
    auto *poolButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("&Add pool"), sizing);
    add->setObjectName(QStringLiteral("wizAddPool"));
    auto *remove = new QPushButton(tr("&Remove pool"), sizing);
    remove->setObjectName(QStringLiteral("wizRemovePool"));
    connect(add, &QPushButton::clicked, this, [this] {
        addPoolRow(m_pools, QStringLiteral("worker-node-pool-%1").arg(m_pools->rowCount() + 1), 1, kSizings.first());
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_pools->rowCount() > 1)
            m_pools->removeRow(m_pools->currentRow() >= 0 ? m_pools->currentRow() : m_pools->rowCount() - 1);
    });
    poolButtons->addWidget(add);
    poolButtons->addWidget(remove);
    poolButtons->addStretch(1);
    v2->addWidget(m_pools);
    v2->addLayout(poolButtons);
    addPage(sizing);

    // 3: storage, health, credentials
    auto *options = new QWizardPage(this);
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
    m_token->setPlaceholderText(site->options().usesApiToken() ? tr("empty: use this connection's API token")
                                                               : tr("an API token of the cluster's owner"));
    connect(this, &QWizard::currentIdChanged, this, [this, options](int) {
        if (currentPage() == options && m_demoTokens && m_token->text().isEmpty())
            fetchDemoToken();
    });
    f3->addRow(tr("Storage &profile:"), m_storageProfile);
    f3->addRow(m_storageClass);
    f3->addRow(m_healthCheck);
    f3->addRow(m_autoRepair);
    f3->addRow(tr("&Owner user:"), m_user);
    f3->addRow(tr("Owner's API &token:"), m_token);
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
    v4->addWidget(m_error);
    v4->addWidget(m_yaml, 1);
    addPage(review);
    setButtonText(QWizard::FinishButton, tr("&Create"));
    resize(720, 560);
    loadOrg();
}

void CreateWizard::loadOrg()
{
    const QString orgId = m_org->currentData().toString();
    m_vdc->clear();
    m_network->clear();
    if (m_user->text().isEmpty() || m_user->property("auto").toBool()) {
        m_user->setText(m_site->options().isProvider() ? m_org->currentText() + QStringLiteral("-admin") : m_site->options().user);
        m_user->setProperty("auto", true);
    }
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
        if (r && m_token->text().isEmpty() && m_user->text().trimmed() == user)
            m_token->setText(*r);
    });
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
    return m_token->text();
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
    if (apiToken().isEmpty() && !m_site->options().usesApiToken()) {
        m_error->setText(tr("The owner's API token is needed: the server acts on the cluster's behalf with it."));
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
