#include "connectdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace cse::views {

ConnectDialog::ConnectDialog(ProfileStore *profiles, const QString &select, QWidget *parent)
    : QDialog(parent), m_profiles(profiles)
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to a VCD site"));
    auto *form = new QFormLayout(this);
    m_list = new QComboBox(this);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->addItem(tr("New profile"), QString());
    for (const QString &n : profiles->names())
        m_list->addItem(n, n);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("profileName"));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("profileUrl"));
    m_url->setPlaceholderText(QStringLiteral("https://vcd.example.com"));
    m_org = new QLineEdit(QStringLiteral("System"), this);
    m_org->setObjectName(QStringLiteral("profileOrg"));
    m_org->setToolTip(tr("\"System\" logs in as a provider; any other organization as a tenant user"));
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("profileUser"));
    m_auth = new QComboBox(this);
    m_auth->setObjectName(QStringLiteral("profileAuth"));
    m_auth->addItem(tr("Password"), int(Profile::Auth::Password));
    m_auth->addItem(tr("API token"), int(Profile::Auth::ApiToken));
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("profileSecret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(tr("&Remember in the system keychain"), this);
    m_remember->setObjectName(QStringLiteral("profileRemember"));
    m_remember->setChecked(true);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("connectMessage"));
    m_message->setWordWrap(true);
    form->addRow(tr("&Profile:"), m_list);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Organization:"), m_org);
    form->addRow(tr("U&ser:"), m_user);
    form->addRow(tr("&Log in with:"), m_auth);
    form->addRow(tr("S&ecret:"), m_secret);
    form->addRow(m_remember);
    form->addRow(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    auto *connectButton = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setObjectName(QStringLiteral("connectButton"));
    connectButton->setDefault(true);
    auto *remove = buttons->addButton(tr("&Delete profile"), QDialogButtonBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("deleteProfileButton"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::validateInput);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(remove, &QPushButton::clicked, this, [this] {
        const QString name = m_list->currentData().toString();
        if (name.isEmpty())
            return;
        m_profiles->remove(name);
        m_list->removeItem(m_list->currentIndex());
        setMessage(tr("Profile %1 deleted (a secret in the keychain stays until you connect with a new one).").arg(name));
    });
    connect(m_list, &QComboBox::currentIndexChanged, this, [this] { fill(m_list->currentData().toString()); });
    connect(m_auth, &QComboBox::currentIndexChanged, this, [this] {
        m_user->setEnabled(Profile::Auth(m_auth->currentData().toInt()) == Profile::Auth::Password);
    });
    const int idx = m_list->findData(select);
    m_list->setCurrentIndex(qMax(0, idx));
    fill(m_list->currentData().toString());
}

void ConnectDialog::fill(const QString &name)
{
    const auto p = m_profiles->load(name);
    m_pinned.clear();
    if (!p) {
        m_name->clear();
        return;
    }
    m_name->setText(p->name);
    m_url->setText(p->url.toString());
    m_org->setText(p->org);
    m_user->setText(p->user);
    m_auth->setCurrentIndex(m_auth->findData(int(p->auth)));
    m_secret->clear();
    m_secret->setPlaceholderText(tr("empty: use the stored secret"));
    m_pinned = p->fingerprint;
}

Profile ConnectDialog::profile() const
{
    Profile p;
    p.name = m_name->text().trimmed();
    p.url = QUrl(m_url->text().trimmed());
    p.org = m_org->text().trimmed();
    p.user = m_user->text().trimmed();
    p.auth = Profile::Auth(m_auth->currentData().toInt());
    // The pin stays with the profile as long as the URL does.
    const auto saved = m_profiles->load(p.name);
    if (saved && saved->url == p.url)
        p.fingerprint = saved->fingerprint;
    return p;
}

QString ConnectDialog::secret() const
{
    return m_secret->text();
}

bool ConnectDialog::rememberSecret() const
{
    return m_remember->isChecked();
}

void ConnectDialog::setMessage(const QString &text)
{
    m_message->setText(text);
}

void ConnectDialog::validateInput()
{
    const Profile p = profile();
    if (p.name.isEmpty())
        return setMessage(tr("Give the profile a name."));
    if (!p.url.userInfo().isEmpty() || m_url->text().section(QLatin1String("://"), -1).section(QLatin1Char('/'), 0, 0).contains(QLatin1Char('@')))
        return setMessage(tr("Put no user name or password in the URL: enter the user under \"User\" and the password or API token "
                             "under \"Secret\"."));
    if (!p.url.isValid() || (p.url.scheme() != QLatin1String("https") && p.url.scheme() != QLatin1String("http"))
        || p.url.host().isEmpty())
        return setMessage(tr("The URL must look like https://vcd.example.com"));
    if (p.org.isEmpty())
        return setMessage(tr("Name the organization (\"System\" for a provider)."));
    if (p.auth == Profile::Auth::Password && p.user.isEmpty())
        return setMessage(tr("Name the user."));
    accept();
}

} // namespace cse::views
