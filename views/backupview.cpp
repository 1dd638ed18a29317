#include "backupview.h"

#include "backup/jobs.h"
#include "backup/passphrase.h"
#include "items/clustermodel.h"
#include "items/planmodel.h"
#include "site/site.h"
#include "tonedelegate.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cse::views {

namespace {
template<typename W>
W *named(W *w, const char *name)
{
    w->setObjectName(QLatin1String(name));
    return w;
}

QLineEdit *passwordField(QWidget *parent, const char *name)
{
    auto *e = named(new QLineEdit(parent), name);
    e->setEchoMode(QLineEdit::Password);
    e->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase | Qt::ImhSensitiveData);
    return e;
}
} // namespace

BackupView::BackupView(site::Site *site, QWidget *parent) : QWidget(parent), m_site(site)
{
    setObjectName(QStringLiteral("backupView"));
    auto *layout = new QVBoxLayout(this);

    // ---- Create a backup ----
    auto *create = named(new QGroupBox(tr("Create a backup of the connected site"), this), "backupGroup");
    auto *cf = new QFormLayout(create);
    auto *fileRow = new QHBoxLayout;
    m_backupFile = named(new QLineEdit(create), "backupFile");
    m_backupFile->setPlaceholderText(tr("archive file, e.g. site.cse-backup"));
    m_backupBrowse = named(new QPushButton(tr("Bro&wse…"), create), "backupBrowse");
    fileRow->addWidget(m_backupFile, 1);
    fileRow->addWidget(m_backupBrowse);
    auto *fileLabel = new QLabel(tr("Archive &file:"), create);
    fileLabel->setBuddy(m_backupFile);
    cf->addRow(fileLabel, fileRow);
    m_includeSecrets = named(new QCheckBox(tr("Include secure fields (API tokens, passwords), encrypted with a passphrase"), create),
                             "includeSecrets");
    cf->addRow(QString(), m_includeSecrets);
    m_passphrase = passwordField(create, "backupPassphrase");
    m_passphrase->setPlaceholderText(tr("at least %n characters", nullptr, backup::kMinPassphraseLength));
    m_passphraseConfirm = passwordField(create, "backupPassphraseConfirm");
    auto *passRow = new QHBoxLayout;
    passRow->addWidget(m_passphrase, 1);
    auto *confirmLabel = new QLabel(tr("Con&firm:"), create);
    confirmLabel->setBuddy(m_passphraseConfirm);
    passRow->addWidget(confirmLabel);
    passRow->addWidget(m_passphraseConfirm, 1);
    auto *passLabel = new QLabel(tr("&Passphrase:"), create);
    passLabel->setBuddy(m_passphrase);
    cf->addRow(passLabel, passRow);
    auto *createRow = new QHBoxLayout;
    m_create = named(new QPushButton(tr("Create &backup"), create), "createBackupButton");
    m_cancelBackup = named(new QPushButton(tr("Cancel"), create), "cancelBackupButton");
    m_backupProgress = named(new QProgressBar(create), "backupProgress");
    m_backupProgress->setRange(0, 1);
    m_backupProgress->setValue(0);
    createRow->addWidget(m_create);
    createRow->addWidget(m_cancelBackup);
    createRow->addWidget(m_backupProgress, 1);
    cf->addRow(createRow);
    m_backupStatus = named(new QLabel(create), "backupStatus");
    m_backupStatus->setWordWrap(true);
    m_backupStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    cf->addRow(m_backupStatus);
    layout->addWidget(create);

    // ---- Verify and restore ----
    auto *restore = named(new QGroupBox(tr("Verify an archive and restore it into the connected site"), this), "restoreGroup");
    auto *rl = new QVBoxLayout(restore);
    auto *rf = new QFormLayout;
    auto *archiveRow = new QHBoxLayout;
    m_archiveFile = named(new QLineEdit(restore), "archiveFile");
    m_archiveBrowse = named(new QPushButton(tr("Browse…"), restore), "archiveBrowse");
    archiveRow->addWidget(m_archiveFile, 1);
    archiveRow->addWidget(m_archiveBrowse);
    auto *archiveLabel = new QLabel(tr("Arc&hive file:"), restore);
    archiveLabel->setBuddy(m_archiveFile);
    rf->addRow(archiveLabel, archiveRow);
    m_archivePassphrase = passwordField(restore, "archivePassphrase");
    m_archivePassphrase->setPlaceholderText(tr("only for an archive with secure fields"));
    rf->addRow(tr("Archive passphrase:"), m_archivePassphrase);
    m_verify = named(new QPushButton(tr("&Verify"), restore), "verifyButton");
    rf->addRow(QString(), m_verify);
    m_archiveError = named(new QLabel(restore), "archiveError");
    m_archiveError->setWordWrap(true);
    m_archiveError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_archiveError->setStyleSheet(QStringLiteral("color: %1").arg(ToneDelegate::colour(int(items::Tone::Bad)).name()));
    m_archiveError->setVisible(false);
    rf->addRow(m_archiveError);
    m_manifestFormat = named(new QLabel(restore), "manifestFormat");
    m_manifestSite = named(new QLabel(restore), "manifestSite");
    m_manifestCreated = named(new QLabel(restore), "manifestCreated");
    m_manifestCounts = named(new QLabel(restore), "manifestCounts");
    m_manifestSecrets = named(new QLabel(restore), "manifestSecrets");
    for (QLabel *l : {m_manifestFormat, m_manifestSite, m_manifestCreated, m_manifestCounts, m_manifestSecrets})
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The manifest beside the inputs.
    auto *mf = new QFormLayout;
    mf->addRow(tr("Format:"), m_manifestFormat);
    mf->addRow(tr("Site:"), m_manifestSite);
    mf->addRow(tr("Taken:"), m_manifestCreated);
    mf->addRow(tr("Holds:"), m_manifestCounts);
    mf->addRow(tr("Secure fields:"), m_manifestSecrets);
    auto *top = new QHBoxLayout;
    top->addLayout(rf, 1);
    top->addSpacing(12);
    top->addLayout(mf, 1);
    rl->addLayout(top);

    auto *split = new QSplitter(Qt::Horizontal, restore);
    m_orgMap = named(new QTableWidget(0, 2, split), "orgMapTable");
    m_orgMap->setHorizontalHeaderLabels({tr("Org in the archive"), tr("Restore into org")});
    m_orgMap->horizontalHeader()->setStretchLastSection(true);
    m_orgMap->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_orgMap->verticalHeader()->setVisible(false);
    m_orgMap->setAccessibleName(tr("Organization mappings"));
    m_orgMap->setToolTip(tr("Edit the second column to restore an org's clusters into another, existing org."));
    m_planModel = new items::PlanModel(this);
    m_planTable = named(new QTableView(split), "planTable");
    m_planTable->setModel(m_planModel);
    m_planTable->setItemDelegate(new ToneDelegate(items::PlanModel::ToneRole, m_planTable));
    m_planTable->setAccessibleName(tr("Restore plan"));
    m_planTable->horizontalHeader()->setStretchLastSection(true);
    m_planTable->verticalHeader()->setVisible(false);
    m_planTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_planTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_planTable->setWordWrap(false);
    m_planTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_orgMap->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_planTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_planTable->horizontalHeader()->setSectionResizeMode(items::PlanModel::Reason, QHeaderView::Stretch);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    rl->addWidget(split, 1);

    auto *actions = new QHBoxLayout;
    m_dryRun = named(new QPushButton(tr("&Dry run (plan only)"), restore), "dryRunButton");
    m_restore = named(new QPushButton(tr("Re&store"), restore), "restoreButton");
    m_cancelRestore = named(new QPushButton(tr("Cancel"), restore), "cancelRestoreButton");
    m_restoreProgress = named(new QProgressBar(restore), "restoreProgress");
    m_restoreProgress->setRange(0, 1);
    m_restoreProgress->setValue(0);
    actions->addWidget(m_dryRun);
    actions->addWidget(m_restore);
    actions->addWidget(m_cancelRestore);
    actions->addWidget(m_restoreProgress, 1);
    rl->addLayout(actions);
    m_planSummary = named(new QLabel(restore), "planSummary");
    m_planSummary->setWordWrap(true);
    rl->addWidget(m_planSummary);
    m_restoreStatus = named(new QLabel(restore), "restoreStatus");
    m_restoreStatus->setWordWrap(true);
    m_restoreStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rl->addWidget(m_restoreStatus);
    m_log = named(new QPlainTextEdit(restore), "backupLog");
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setAccessibleName(tr("Backup and restore log"));
    m_log->setMaximumHeight(90);
    rl->addWidget(m_log);
    layout->addWidget(restore, 1);

    connect(m_backupBrowse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Save the backup as"), m_backupFile->text(),
                                                       tr("CSE backups (*.cse-backup);;All files (*)"));
        if (!f.isEmpty())
            m_backupFile->setText(f);
    });
    connect(m_archiveBrowse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open a backup"), m_archiveFile->text(),
                                                       tr("CSE backups (*.cse-backup);;All files (*)"));
        if (!f.isEmpty())
            m_archiveFile->setText(f);
    });
    connect(m_backupFile, &QLineEdit::textChanged, this, &BackupView::updateButtons);
    connect(m_includeSecrets, &QCheckBox::toggled, this, &BackupView::updateButtons);
    connect(m_archiveFile, &QLineEdit::textChanged, this, [this] {
        if (m_archive && m_archiveFile->text() != m_archivePath) { // another file: the verified one no longer counts
            m_archive.reset();
            m_target.reset();
            m_plan = {};
            m_planModel->clear();
            m_planSummary->clear();
        }
        updateButtons();
    });
    connect(m_create, &QPushButton::clicked, this, &BackupView::createBackup);
    connect(m_cancelBackup, &QPushButton::clicked, this, &BackupView::cancelBackup);
    connect(m_verify, &QPushButton::clicked, this, &BackupView::verifyArchive);
    connect(m_dryRun, &QPushButton::clicked, this, &BackupView::planRestore);
    connect(m_restore, &QPushButton::clicked, this, &BackupView::restore);
    connect(m_cancelRestore, &QPushButton::clicked, this, &BackupView::cancelRestore);
    connect(m_orgMap, &QTableWidget::itemChanged, this, [this] {
        if (!m_fillingOrgMap)
            replan();
    });
    connect(m_site, &site::Site::connected, this, &BackupView::updateButtons);
    connect(m_site, &site::Site::disconnected, this, [this] {
        m_target.reset(); // the plan was for the other site
        m_plan = {};
        m_planModel->clear();
        m_planSummary->clear();
        updateButtons();
    });
    updateButtons();
}

BackupView::~BackupView()
{
    // Jobs first: their plan points into m_archive.
    delete m_restoreJob;
    delete m_targetJob;
    delete m_backupJob;
}

QString BackupView::problemTitle(backup::Problem problem)
{
    switch (problem) {
    case backup::Problem::Truncated: return tr("The archive is truncated");
    case backup::Problem::Corrupt: return tr("The archive is corrupt");
    case backup::Problem::WrongPassphrase: return tr("Wrong passphrase, or the archive was changed");
    case backup::Problem::NeedsPassphrase: return tr("The archive is encrypted");
    case backup::Problem::Unsupported: return tr("The archive's format is not supported");
    case backup::Problem::Io: return tr("The archive cannot be read");
    case backup::Problem::NotAuthentic: return tr("The archive is not authentic");
    case backup::Problem::None: break;
    }
    return tr("The archive cannot be used");
}

QString BackupView::problemText(backup::Problem problem, const QString &detail)
{
    switch (problem) {
    case backup::Problem::NeedsPassphrase:
        return tr("The archive is encrypted: enter its passphrase in \"Archive passphrase\" above and verify again.");
    case backup::Problem::WrongPassphrase:
        return tr("Wrong passphrase, or the archive was changed after it was written: the two cannot be told apart. Check the "
                  "passphrase and verify again; if it is right, do not restore from this file.");
    default: break;
    }
    const QString title = problemTitle(problem);
    QString rest = detail; // "the archive is corrupt: its SHA-256 ...": said once is enough
    if (rest.startsWith(title + QLatin1Char(':'), Qt::CaseInsensitive))
        rest = rest.mid(title.size() + 1).trimmed();
    return rest.isEmpty() ? title + QLatin1Char('.') : tr("%1: %2").arg(title, rest);
}

QMap<QString, QString> BackupView::orgMap() const
{
    QMap<QString, QString> out;
    for (int r = 0; r < m_orgMap->rowCount(); ++r) {
        const QString from = m_orgMap->item(r, 0) ? m_orgMap->item(r, 0)->text() : QString();
        const QString to = m_orgMap->item(r, 1) ? m_orgMap->item(r, 1)->text().trimmed() : QString();
        if (!from.isEmpty() && !to.isEmpty() && to != from)
            out.insert(from, to);
    }
    return out;
}

bool BackupView::needsConnection(QLabel *where)
{
    if (m_site->isConnected())
        return false;
    where->setText(tr("Connect to a site first (File > Connect)."));
    return true;
}

void BackupView::updateButtons()
{
    const bool backingUp = m_backupJob || m_writing;
    const bool restoring = m_restoreJob;
    const bool planning = m_targetJob;
    const bool connected = m_site->isConnected();
    m_create->setEnabled(!backingUp && connected && !m_backupFile->text().trimmed().isEmpty());
    m_cancelBackup->setEnabled(bool(m_backupJob));
    m_backupFile->setEnabled(!backingUp);
    m_includeSecrets->setEnabled(!backingUp);
    m_passphrase->setEnabled(!backingUp && m_includeSecrets->isChecked());
    m_passphraseConfirm->setEnabled(!backingUp && m_includeSecrets->isChecked());
    m_verify->setEnabled(!m_verifying && !restoring && !planning && !m_archiveFile->text().trimmed().isEmpty());
    m_archiveFile->setEnabled(!restoring && !planning && !m_verifying);
    m_orgMap->setEnabled(m_archive && !restoring);
    m_dryRun->setEnabled(m_archive && connected && !restoring && !planning);
    m_restore->setEnabled(m_archive && m_target && connected && !restoring && !planning
                          && m_plan.count(backup::Action::Create) + m_plan.count(backup::Action::Update) > 0);
    m_cancelRestore->setEnabled(restoring || planning);
}

void BackupView::setBackupStatus(const QString &text, bool error)
{
    m_backupStatus->setText(text);
    m_backupStatus->setStyleSheet(error ? QStringLiteral("color: %1").arg(ToneDelegate::colour(int(items::Tone::Bad)).name()) : QString());
    Q_EMIT message(text);
}

void BackupView::setArchiveError(const QString &text)
{
    m_archiveError->setText(text);
    m_archiveError->setVisible(!text.isEmpty());
}

void BackupView::log(const QString &line)
{
    m_log->appendPlainText(line);
}

// ---- Create ----

void BackupView::createBackup()
{
    if (m_backupJob || m_writing || needsConnection(m_backupStatus))
        return;
    const QString file = m_backupFile->text().trimmed();
    std::optional<QString> passphrase;
    if (m_includeSecrets->isChecked()) {
        if (m_passphrase->text().size() < backup::kMinPassphraseLength) {
            setBackupStatus(tr("The passphrase must have at least %n characters.", nullptr, backup::kMinPassphraseLength), true);
            return;
        }
        if (m_passphrase->text() != m_passphraseConfirm->text()) {
            setBackupStatus(tr("The two passphrases differ; type them again."), true);
            return;
        }
        passphrase = m_passphrase->text();
    }
    backup::BackupOptions options;
    options.includeSecrets = passphrase.has_value();
    options.tool = QCoreApplication::applicationName() + QLatin1Char(' ') + QCoreApplication::applicationVersion();
    auto *job = new backup::BackupJob(m_site->options(), options, this);
    m_backupJob = job;
    m_backupProgress->setRange(0, 0); // busy until the clusters are counted
    setBackupStatus(tr("Reading the site…"));
    connect(job, &backup::Job::message, this, &BackupView::log);
    connect(job, &backup::Job::progress, this, [this](int done, int total) {
        m_backupProgress->setRange(0, qMax(total, 1));
        m_backupProgress->setValue(done);
        m_backupStatus->setText(tr("Reading clusters: %1 of %2").arg(done).arg(total));
    });
    connect(job, &backup::BackupJob::finished, this, [this, job, file, passphrase](const Result<backup::Archive> &r) {
        job->deleteLater();
        m_backupJob = nullptr;
        if (!r) {
            m_backupProgress->setRange(0, 1);
            m_backupProgress->setValue(0);
            setBackupStatus(r.error().is(ErrorKind::Canceled) ? tr("Backup canceled; no file was written.")
                                                              : tr("Backup failed: %1").arg(r.error().toString()),
                            !r.error().is(ErrorKind::Canceled));
            updateButtons();
            return;
        }
        // Encrypting (scrypt) and writing off the GUI thread.
        m_writing = true;
        setBackupStatus(passphrase ? tr("Encrypting and writing %1…").arg(file) : tr("Writing %1…").arg(file));
        updateButtons();
        const backup::Archive archive = *r;
        backup::runInThread<qint64>(this, [archive, file, passphrase]() -> Result<qint64> {
            auto bytes = backup::encode(archive, passphrase);
            if (!bytes)
                return bytes.error();
            if (auto w = backup::writeFile(file, *bytes); !w)
                return w.error();
            return qint64(bytes->size());
        }, [this, file, summary = archive.manifest.summary()](Result<qint64> written) {
            m_writing = false;
            m_backupProgress->setRange(0, 1);
            m_backupProgress->setValue(written ? 1 : 0);
            if (!written) {
                setBackupStatus(tr("Backup failed: %1").arg(written.error().message), true);
            } else {
                m_passphrase->clear(); // not kept in the form once used
                m_passphraseConfirm->clear();
                const QString text = tr("Wrote %1 (%2 bytes): %3").arg(file).arg(*written).arg(summary);
                setBackupStatus(text);
                log(text);
                if (m_archiveFile->text().isEmpty() && !m_restoreJob && !m_targetJob)
                    m_archiveFile->setText(file);
            }
            updateButtons();
        });
    });
    updateButtons();
    job->start();
}

void BackupView::cancelBackup()
{
    if (m_backupJob)
        m_backupJob->cancel();
}

// ---- Verify ----

void BackupView::showManifest(const backup::Manifest &m)
{
    m_manifestFormat->setText(m.formatVersion > 0 ? tr("version %1").arg(m.formatVersion) : QString());
    m_manifestSite->setText(m.site);
    m_manifestCreated->setText(m.createdAt.isEmpty() ? QString() : tr("%1 by %2 with %3").arg(m.createdAt, m.createdBy, m.tool));
    m_manifestCounts->setText(m.formatVersion > 0 ? tr("%1 cluster(s), %2 configuration(s), %3 server instance(s)")
                                                        .arg(m.counts.value(backup::kind::kCluster))
                                                        .arg(m.counts.value(backup::kind::kConfig))
                                                        .arg(m.counts.value(backup::kind::kServerInstance))
                                                  : QString());
    m_manifestSecrets->setText(m.formatVersion <= 0 ? QString() : m.includesSecrets ? tr("included (encrypted)") : tr("not included"));
}

void BackupView::verifyArchive()
{
    if (m_verifying || m_restoreJob || m_targetJob)
        return;
    const QString file = m_archiveFile->text().trimmed();
    const QString passphrase = m_archivePassphrase->text();
    m_verifying = true;
    m_archive.reset();
    m_target.reset();
    m_plan = {};
    m_planModel->clear();
    m_planSummary->clear();
    m_restoreStatus->clear();
    setArchiveError({});
    backup::Manifest blank;
    blank.formatVersion = 0;
    showManifest(blank);
    m_manifestCounts->setText(tr("Verifying %1…").arg(file));
    updateButtons();
    backup::runInThread<backup::Archive>(this, [file, passphrase]() -> Result<backup::Archive> {
        auto bytes = backup::readFile(file);
        if (!bytes)
            return bytes.error();
        return backup::decode(*bytes, [passphrase]() -> Result<QString> {
            if (passphrase.isEmpty()) {
                Error e = makeError(ErrorKind::Unauthorized, QStringLiteral("the archive is encrypted: a passphrase is needed"));
                e.minorErrorCode = backup::problemCode(backup::Problem::NeedsPassphrase);
                return e;
            }
            return passphrase;
        });
    }, [this, file](Result<backup::Archive> r) {
        m_verifying = false;
        m_manifestCounts->clear();
        if (!r) {
            setArchiveError(problemText(backup::problemOf(r.error()), r.error().message));
            Q_EMIT message(m_archiveError->text());
            log(m_archiveError->text());
            updateButtons();
            return;
        }
        m_archive = std::make_shared<const backup::Archive>(std::move(*r));
        m_archivePath = file;
        showManifest(m_archive->manifest);
        fillOrgMap();
        log(tr("Verified %1: %2").arg(file, m_archive->manifest.summary()));
        Q_EMIT message(m_archive->authenticity == backup::Authenticity::Passphrase
                           ? tr("The archive is authentic (its passphrase's tag holds): %1").arg(m_archive->manifest.summary())
                           : tr("The archive's checksums hold; they show accidental damage, not a deliberate change: %1")
                                 .arg(m_archive->manifest.summary()));
        updateButtons();
    });
}

void BackupView::fillOrgMap()
{
    m_fillingOrgMap = true;
    QStringList orgs;
    for (const backup::Entry &e : m_archive->entries)
        if (e.kind == backup::kind::kCluster && !orgs.contains(e.entity.org.name))
            orgs << e.entity.org.name;
    orgs.sort(Qt::CaseInsensitive);
    m_orgMap->setRowCount(int(orgs.size()));
    for (int r = 0; r < orgs.size(); ++r) {
        auto *from = new QTableWidgetItem(orgs[r]);
        from->setFlags(from->flags() & ~Qt::ItemIsEditable);
        m_orgMap->setItem(r, 0, from);
        m_orgMap->setItem(r, 1, new QTableWidgetItem(orgs[r]));
    }
    m_fillingOrgMap = false;
}

// ---- Plan (dry run) ----

void BackupView::replan(bool afterRestore)
{
    if (!m_archive || !m_target)
        return;
    backup::RestoreOptions options;
    options.orgMap = orgMap();
    m_plan = backup::makePlan(*m_archive, *m_target, options);
    m_planModel->setPlan(m_plan);
    const QString counts = afterRestore ? tr("After the restore, the site compared with the archive: %1 to create, %2 to update, "
                                             "%3 unchanged, %4 conflict.")
                                        : tr("Plan: %1 create, %2 update, %3 unchanged, %4 conflict. Nothing is written until "
                                             "you press Restore.");
    m_planSummary->setText(counts.arg(m_plan.count(backup::Action::Create))
                               .arg(m_plan.count(backup::Action::Update))
                               .arg(m_plan.count(backup::Action::Unchanged))
                               .arg(m_plan.count(backup::Action::Conflict)));
    updateButtons();
}

void BackupView::planRestore()
{
    readTarget(false);
}

void BackupView::readTarget(bool afterRestore)
{
    if (!m_archive || m_targetJob || m_restoreJob || needsConnection(m_restoreStatus))
        return;
    auto *job = new backup::TargetJob(m_site->options(), this);
    m_targetJob = job;
    if (!afterRestore) {
        m_restoreStatus->setText(tr("Reading the target site…"));
        m_restoreProgress->setRange(0, 0);
    }
    connect(job, &backup::Job::message, this, &BackupView::log);
    connect(job, &backup::TargetJob::finished, this, [this, job, afterRestore](const Result<backup::TargetState> &r) {
        job->deleteLater();
        m_targetJob = nullptr;
        if (!afterRestore) {
            m_restoreProgress->setRange(0, 1);
            m_restoreProgress->setValue(r ? 1 : 0);
        }
        if (!r) {
            m_restoreStatus->setText(r.error().is(ErrorKind::Canceled) ? tr("Canceled.")
                                                                       : tr("Reading the target site failed: %1").arg(r.error().toString()));
            updateButtons();
            return;
        }
        m_target = *r;
        replan(afterRestore);
        if (afterRestore)
            return;
        for (const QString &note : std::as_const(m_plan.notes))
            log(note);
        m_restoreStatus->setText(tr("Planned against %1: nothing was written.").arg(m_site->options().url.toString()));
    });
    updateButtons();
    job->start();
}

// ---- Restore ----

void BackupView::restore()
{
    if (!m_archive || !m_target || m_restoreJob || m_targetJob || needsConnection(m_restoreStatus))
        return;
    backup::RestoreOptions options;
    options.orgMap = orgMap();
    const std::shared_ptr<const backup::Archive> archive = m_archive; // the plan points into it
    auto *job = new backup::RestoreJob(m_site->options(), m_plan, options, this);
    m_restoreJob = job;
    const int total = m_plan.count(backup::Action::Create) + m_plan.count(backup::Action::Update);
    m_restoreProgress->setRange(0, qMax(total, 1));
    m_restoreProgress->setValue(0);
    m_restoreStatus->setText(tr("Restoring %n entity(s)…", nullptr, total));
    connect(job, &backup::Job::message, this, &BackupView::log);
    connect(job, &backup::Job::progress, this, [this](int done, int total) {
        m_restoreProgress->setRange(0, qMax(total, 1));
        m_restoreProgress->setValue(done);
        m_restoreStatus->setText(tr("Restored %1 of %2…").arg(done).arg(total));
    });
    connect(job, &backup::RestoreJob::finished, this, [this, job, archive](const Result<backup::ApplyReport> &r) {
        job->deleteLater();
        m_restoreJob = nullptr;
        if (!r) {
            m_restoreStatus->setText(r.error().is(ErrorKind::Canceled)
                                         ? tr("Restore canceled after %1 of %2 entities; run the dry run again to see what is left.")
                                               .arg(m_restoreProgress->value()).arg(m_restoreProgress->maximum())
                                         : tr("Restore failed: %1").arg(r.error().toString()));
        } else {
            m_restoreStatus->setText(tr("Restored: %1 created, %2 updated, %3 failed.")
                                         .arg(r->created).arg(r->updated).arg(r->failures.size()));
            for (const QString &f : r->failures)
                log(tr("failed: %1").arg(f));
        }
        Q_EMIT message(m_restoreStatus->text());
        Q_EMIT restored();
        m_site->refresh();
        updateButtons();
        readTarget(true); // the table then shows what the site holds now
    });
    updateButtons();
    job->start();
}

void BackupView::cancelRestore()
{
    if (m_restoreJob)
        m_restoreJob->cancel();
    else if (m_targetJob)
        m_targetJob->cancel();
}

} // namespace cse::views
