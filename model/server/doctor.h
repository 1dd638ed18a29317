// `cse-server doctor`: checks a site the way an experienced CSE operator
// would and reports findings, each with what it means and the exact fix.
// The checks are core code (no QtGui), so the console's Site health page can
// show the same report.
#pragma once

#include "core/result.h"
#include "server/clock.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

namespace cse::vcd {
class Client;
}

namespace cse::server {

namespace severity {
inline const QString kError = QStringLiteral("error");
inline const QString kWarning = QStringLiteral("warning");
inline const QString kInfo = QStringLiteral("info");
} // namespace severity

struct Finding
{
    QString id;       // stable, for scripts: "config.ha-lease"
    QString severity; // error | warning | info
    QString title;
    QString detail;
    QString fix;

    QJsonObject toJson() const;
};

struct DoctorReport
{
    QList<Finding> findings;

    int exitCode() const; // 0 healthy (info only), 1 warnings, 2 errors
    QJsonObject toJson() const; // {"findings": [...]}
    QString toText() const;
};

// The finding for a site that cannot be reached or logged in to.
Finding connectionFinding(const QUrl &url, const Error &e);

struct DoctorOptions
{
    // Replica liveness is judged on our own clock (site/replicatracker.h):
    // the replicas' heartbeats are sampled for up to one lease.
    const Clock *clock = Clock::system();
    int samplePollMs = 500;
};

// Runs every check on a client connected as a provider administrator of
// ownOrg (System), to completion on a local event loop (command-line use,
// like install()).
DoctorReport diagnose(vcd::Client &client, const QString &ownOrg, const DoctorOptions &options = {});

} // namespace cse::server
