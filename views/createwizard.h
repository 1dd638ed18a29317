// The create-cluster wizard: name, organization, VDC and network (read from
// VCD), Kubernetes release (the supported table), control plane, worker
// pools, storage class, health check, auto-repair; renders capiYaml and
// shows it before submit.
#pragma once

#include "rde/capiyaml.h"

#include <QWizard>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;
class QWizardPage;

namespace cse::site {
class Site;
}

namespace cse::views {

class CreateWizard : public QWizard
{
    Q_OBJECT
public:
    explicit CreateWizard(site::Site *site, QWidget *parent = nullptr);

    // The spec as the pages describe it now.
    rde::ClusterSpec spec() const;
    QString apiToken() const;
    bool autoRepair() const;
    // Renders the review page; false (and the reason shown) when invalid.
    bool render();

    void accept() override;
    // The demo site issues the owner's token itself (vcd-sim's admin endpoint).
    void setDemoTokens(bool on) { m_demoTokens = on; }

    // Why the page cannot be left, in a user's terms (empty: it can). Each
    // field's reason is shown beside the field as it is typed.
    QString nameProblem() const;
    QString placementProblem() const;
    QString sizingProblem() const;
    QString credentialsProblem() const;

Q_SIGNALS:
    void submitted(const cse::rde::ClusterSpec &spec, const QString &apiToken, bool autoRepair);

private:
    void loadOrg();
    void validatePlacement();
    void validateSizing();
    void validateCredentials();
    void addPoolRow(const QString &name, int replicas, const QString &sizing);

    void fetchDemoToken();
    site::Site *m_site;
    bool m_demoTokens = false;
    // The demo fills the owner token once per org/user; a token the user
    // typed or cleared is theirs and never refilled.
    bool m_tokenTouched = false;
    bool m_tokenAuto = false;
    QWizardPage *m_wherePage = nullptr;
    QWizardPage *m_sizingPage = nullptr;
    QWizardPage *m_optionsPage = nullptr;
    QLabel *m_nameError = nullptr;
    QLabel *m_controlPlaneError = nullptr;
    QLabel *m_workersError = nullptr;
    QCheckBox *m_controlPlaneOnly = nullptr;
    QLabel *m_tokenNote = nullptr;
    QLabel *m_tokenError = nullptr;
    QLineEdit *m_name;
    QComboBox *m_org;
    QComboBox *m_vdc;
    QComboBox *m_network;
    QLabel *m_vcdStatus;
    QComboBox *m_release;
    QSpinBox *m_controlPlane;
    QComboBox *m_cpSizing;
    QTableWidget *m_pools;
    QLineEdit *m_storageProfile;
    QCheckBox *m_storageClass;
    QCheckBox *m_healthCheck;
    QCheckBox *m_autoRepair;
    QLineEdit *m_user;
    QLineEdit *m_token;
    QPlainTextEdit *m_yaml;
    QLabel *m_error;
};

} // namespace cse::views
