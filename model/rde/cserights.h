// The roles and rights CSE 4.2's installer registers on a VCD, in one place
// for `cse-server install` and vcd-sim (terraform-provider-vcd
// examples/container-service-extension/v4.2/install/step1/
// 3.11-cse-install-2-cse-server-prerequisites.tf).
#pragma once

#include <QString>
#include <QStringList>

namespace cse::rde::rights {

inline const QString kCseAdminRole = QStringLiteral("CSE Admin Role");
inline const QString kClusterAuthorRole = QStringLiteral("Kubernetes Cluster Author");
inline const QString kRightsBundle = QStringLiteral("Kubernetes Clusters Rights Bundle");
inline const QString kApiTokensManage = QStringLiteral("API Tokens: Manage");
inline const QString kOrgTraversal = QStringLiteral("Organization: Traversal");
inline const QString kOrgView = QStringLiteral("Organization: View");
inline const QString kAllVdcs = QStringLiteral("Access All Organization VDCs");
inline const QString kVdcView = QStringLiteral("Organization vDC: View");
inline const QString kNetworkView = QStringLiteral("Organization vDC Network: View Properties");
inline const QString kVappCreate = QStringLiteral("vApp: Create / Reconfigure");
inline const QString kAllowAllExtraConfig = QStringLiteral("vApp: Allow All Extra Config");
inline const QString kFullControlLevel = QStringLiteral("urn:vcloud:accessLevel:FullControl");

// The five rights VCD creates with an entity type, "VENDOR:NSS: LEVEL".
enum class Level { View, Modify, FullAccess, AdministratorView, AdministratorFullAccess };
QString entityRight(const QString &vendor, const QString &nss, Level level);
QStringList entityRights(const QString &vendor, const QString &nss);

// The server's own role (System org): API tokens, the five rights on
// VCDKEConfig and capvcdCluster, ours on serverInstance, and Organization:
// Traversal on VCD 10.5.1 and later. Nothing on orgs, VDCs, networks, vApps.
QStringList cseAdminRights(bool traversal);
// The global role for tenant users who create clusters, and the rights bundle
// published to every tenant.
QStringList clusterAuthorRights();
QStringList rightsBundleRights();

} // namespace cse::rde::rights
