// The Backup page: create a backup of the connected site (optionally with
// secure fields, encrypted under a passphrase that is never shown or
// logged), verify an archive (its manifest, or which problem it has:
// corrupt, truncated, wrong passphrase), plan a restore into the connected
// site as a table (a dry run: nothing is written) with editable org
// mappings, and restore with progress and cancel.
//
// Nothing here blocks the GUI thread: the network work runs as backup jobs
// (model/backup/jobs.h) on a connection of their own, children of this
// view; encrypting, decrypting and file I/O run on a worker thread and
// report back only while the view lives.
#pragma once

#include "backup/archive.h"
#include "backup/restore.h"

#include <QPointer>
#include <QWidget>
#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTableWidget;

namespace cse::backup {
class BackupJob;
class RestoreJob;
class TargetJob;
}
namespace cse::items {
class PlanModel;
}
namespace cse::site {
class Site;
}

namespace cse::views {

class BackupView : public QWidget
{
    Q_OBJECT
public:
    explicit BackupView(site::Site *site, QWidget *parent = nullptr);
    ~BackupView() override;

    void createBackup();
    void cancelBackup();
    void verifyArchive();
    void planRestore(); // the dry run
    void restore();
    void cancelRestore();

    items::PlanModel *planModel() const { return m_planModel; }
    // The org mappings as the table shows them (OLD -> NEW, only changed ones).
    QMap<QString, QString> orgMap() const;
    // "corrupt", "truncated", ... for an archive that failed verification.
    static QString problemTitle(backup::Problem problem);
    // The whole sentence the page shows for a failed verification: the
    // title, and the reader's detail only where it adds to it.
    static QString problemText(backup::Problem problem, const QString &detail);

Q_SIGNALS:
    void message(const QString &text);
    void restored(); // a restore finished (also with failures)

private:
    void updateButtons();
    void setBackupStatus(const QString &text, bool error = false);
    void setArchiveError(const QString &text);
    void showManifest(const backup::Manifest &m);
    void fillOrgMap();
    void replan(bool afterRestore = false);
    void readTarget(bool afterRestore);
    void log(const QString &line);
    bool needsConnection(QLabel *where);

    site::Site *m_site;

    // Create.
    QLineEdit *m_backupFile;
    QPushButton *m_backupBrowse;
    QCheckBox *m_includeSecrets;
    QLineEdit *m_passphrase;
    QLineEdit *m_passphraseConfirm;
    QPushButton *m_create;
    QPushButton *m_cancelBackup;
    QProgressBar *m_backupProgress;
    QLabel *m_backupStatus;

    // Verify and restore.
    QLineEdit *m_archiveFile;
    QPushButton *m_archiveBrowse;
    QLineEdit *m_archivePassphrase;
    QPushButton *m_verify;
    QLabel *m_archiveError;
    QLabel *m_manifestFormat;
    QLabel *m_manifestSite;
    QLabel *m_manifestCreated;
    QLabel *m_manifestCounts;
    QLabel *m_manifestSecrets;
    QTableWidget *m_orgMap;
    QPushButton *m_dryRun;
    QPushButton *m_restore;
    QPushButton *m_cancelRestore;
    QLabel *m_planSummary;
    QTableView *m_planTable;
    items::PlanModel *m_planModel;
    QProgressBar *m_restoreProgress;
    QLabel *m_restoreStatus;
    QPlainTextEdit *m_log;

    std::shared_ptr<const backup::Archive> m_archive; // verified; the plan points into it
    QString m_archivePath;
    std::optional<backup::TargetState> m_target;
    backup::Plan m_plan;
    QPointer<backup::BackupJob> m_backupJob;
    QPointer<backup::TargetJob> m_targetJob;
    QPointer<backup::RestoreJob> m_restoreJob;
    bool m_writing = false;
    bool m_verifying = false;
    bool m_fillingOrgMap = false;
};

} // namespace cse::views
