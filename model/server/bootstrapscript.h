// The bootstrap VM's cloud-config: resources/bootstrap/bootstrap.sh plus its
// inputs as files (cloud-init write_files, base64). The server writes it,
// base64 again, into ExtraConfig guestinfo.userdata. It carries no secret:
// the owner's API token goes into ExtraConfig guestinfo.cse.bootstrap.credential
// (hidden by VCD from users without "vApp: Allow All Extra Config"), which the
// script reads once into a 0600 file and clears (the server clears it too
// once the guest has started); the file is deleted when the script is done.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace cse::server {

struct BootstrapInputs
{
    QString clusterId;        // the RDE id
    QString clusterName;
    QString clusterNamespace; // of the Cluster API objects in capiYaml
    QString capiYaml;
    QString username;
    QJsonObject bootstrapClusterConfig; // VCDKEConfig profiles[0].bootstrapClusterConfig
};

// Where the rendering puts its files (the guest simulator reads them back).
namespace bootstrapfile {
inline const QString kScript = QStringLiteral("/opt/cse/bootstrap.sh");
inline const QString kEnv = QStringLiteral("/opt/cse/bootstrap.env");
inline const QString kCapiYaml = QStringLiteral("/opt/cse/capi.yaml");
inline const QString kToken = QStringLiteral("/opt/cse/refresh-token");
} // namespace bootstrapfile

// The guestinfo keys of the protocol.
namespace guestinfo {
inline const QStringList &phases() // in order
{
    static const QStringList p{QStringLiteral("kind"), QStringLiteral("capi"), QStringLiteral("capiyaml"), QStringLiteral("move")};
    return p;
}
inline QString phaseKey(const QString &phase) { return QStringLiteral("guestinfo.cse.bootstrap.%1.status").arg(phase); }
inline const QString kUserData = QStringLiteral("guestinfo.userdata");
inline const QString kUserDataEncoding = QStringLiteral("guestinfo.userdata.encoding");
inline const QString kCredential = QStringLiteral("guestinfo.cse.bootstrap.credential"); // read once, then cleared
inline const QString kScriptStatus = QStringLiteral("guestinfo.post_customization_script_execution_status");
inline const QString kFailureReason = QStringLiteral("guestinfo.post_customization_script_execution_failure_reason");
inline const QString kInProgress = QStringLiteral("in_progress");
inline const QString kSuccessful = QStringLiteral("successful");
} // namespace guestinfo

QByteArray bootstrapScript(); // resources/bootstrap/bootstrap.sh
Result<QByteArray> renderBootstrapCloudConfig(const BootstrapInputs &in);

// The files of a cloud-config this renderer wrote, by path (for the guest simulator).
QHash<QString, QByteArray> cloudConfigFiles(const QByteArray &cloudConfig);

} // namespace cse::server
