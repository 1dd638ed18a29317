// Chooses or edits a connection profile and takes the secret for it. The
// secret field is never filled from the keychain: empty means "use the
// stored one".
#pragma once

#include "profiles.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace cse::views {

class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    ConnectDialog(ProfileStore *profiles, const QString &select, QWidget *parent = nullptr);

    Profile profile() const;
    QString secret() const;
    bool rememberSecret() const;
    void setMessage(const QString &text);

private:
    void fill(const QString &name);
    void validateInput();

    ProfileStore *m_profiles;
    QComboBox *m_list;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_org;
    QLineEdit *m_user;
    QComboBox *m_auth;
    QLineEdit *m_secret;
    QCheckBox *m_remember;
    QLabel *m_message;
    QString m_pinned;
};

} // namespace cse::views
