#include "cserights.h"

#include "types.h"

namespace cse::rde::rights {

QString entityRight(const QString &vendor, const QString &nss, Level level)
{
    static const char *const names[] = {"View", "Modify", "Full Access", "Administrator View", "Administrator Full access"};
    return QStringLiteral("%1:%2: %3").arg(vendor, nss, QLatin1String(names[int(level)]));
}

QStringList entityRights(const QString &vendor, const QString &nss)
{
    QStringList out;
    for (Level l : {Level::View, Level::Modify, Level::FullAccess, Level::AdministratorView, Level::AdministratorFullAccess})
        out << entityRight(vendor, nss, l);
    return out;
}

QStringList cseAdminRights(bool traversal)
{
    QStringList r{kApiTokensManage};
    r += entityRights(types::kVmware, types::kConfigNss);
    r += entityRights(types::kVmware, types::kClusterNss);
    r += entityRights(types::kServerVendor, types::kServerNss);
    if (traversal)
        r << kOrgTraversal;
    return r;
}

QStringList clusterAuthorRights()
{
    QStringList r{kApiTokensManage, kAllVdcs,
                  QStringLiteral("Catalog: Add vApp from My Cloud"), QStringLiteral("Catalog: View Private and Shared Catalogs"),
                  QStringLiteral("Catalog: View Published Catalogs"), QStringLiteral("Certificate Library: View"),
                  QStringLiteral("Organization vDC Compute Policy: View"), QStringLiteral("Organization vDC Disk: View IOPS"),
                  QStringLiteral("Organization vDC Gateway: Configure Load Balancer"), QStringLiteral("Organization vDC Gateway: Configure NAT"),
                  QStringLiteral("Organization vDC Gateway: View"), QStringLiteral("Organization vDC Gateway: View Load Balancer"),
                  QStringLiteral("Organization vDC Gateway: View NAT"), QStringLiteral("Organization vDC Named Disk: Create"),
                  QStringLiteral("Organization vDC Named Disk: Delete"), QStringLiteral("Organization vDC Named Disk: Edit Properties"),
                  QStringLiteral("Organization vDC Named Disk: View Encryption Status"),
                  QStringLiteral("Organization vDC Named Disk: View Properties"), kNetworkView,
                  QStringLiteral("Organization vDC Shared Named Disk: Create"), QStringLiteral("Organization vDC: VM-VM Affinity Edit"),
                  kOrgView, QStringLiteral("UI Plugins: View"), QStringLiteral("VAPP_VM_METADATA_TO_VCENTER"),
                  QStringLiteral("vApp Template / Media: Copy"), QStringLiteral("vApp Template / Media: Edit"),
                  QStringLiteral("vApp Template / Media: View"), QStringLiteral("vApp Template: Checkout"),
                  kAllowAllExtraConfig, QStringLiteral("vApp: Copy"), kVappCreate, QStringLiteral("vApp: Delete"),
                  QStringLiteral("vApp: Download"), QStringLiteral("vApp: Edit Properties"), QStringLiteral("vApp: Edit VM CPU"),
                  QStringLiteral("vApp: Edit VM Compute Policy"), QStringLiteral("vApp: Edit VM Hard Disk"),
                  QStringLiteral("vApp: Edit VM Memory"), QStringLiteral("vApp: Edit VM Network"),
                  QStringLiteral("vApp: Edit VM Properties"), QStringLiteral("vApp: Manage VM Password Settings"),
                  QStringLiteral("vApp: Power Operations"), QStringLiteral("vApp: Sharing"), QStringLiteral("vApp: Snapshot Operations"),
                  QStringLiteral("vApp: Upload"), QStringLiteral("vApp: Use Console"), QStringLiteral("vApp: VM Boot Options"),
                  QStringLiteral("vApp: View ACL"), QStringLiteral("vApp: View VM and VM's Disks Encryption Status"),
                  QStringLiteral("vApp: View VM metrics"), entityRight(types::kVmware, types::kConfigNss, Level::View)};
    r += entityRights(types::kVmware, types::kClusterNss);
    for (Level l : {Level::FullAccess, Level::Modify, Level::View})
        r << entityRight(types::kVmware, QStringLiteral("tkgcluster"), l);
    return r;
}

QStringList rightsBundleRights()
{
    QStringList r{kApiTokensManage, kAllVdcs, QStringLiteral("Catalog: View Published Catalogs"),
                  QStringLiteral("Certificate Library: Manage"), QStringLiteral("Certificate Library: View"),
                  QStringLiteral("General: Administrator View"), QStringLiteral("Organization vDC Gateway: Configure Load Balancer"),
                  QStringLiteral("Organization vDC Gateway: Configure NAT"), QStringLiteral("Organization vDC Gateway: View Load Balancer"),
                  QStringLiteral("Organization vDC Gateway: View NAT"), QStringLiteral("Organization vDC Gateway: View"),
                  QStringLiteral("Organization vDC Named Disk: Create"), QStringLiteral("Organization vDC Named Disk: Edit Properties"),
                  QStringLiteral("Organization vDC Named Disk: View Properties"), QStringLiteral("Organization vDC Shared Named Disk: Create"),
                  kAllowAllExtraConfig, entityRight(types::kVmware, types::kConfigNss, Level::View)};
    r += entityRights(types::kVmware, types::kClusterNss);
    r += entityRights(types::kVmware, QStringLiteral("tkgcluster"));
    return r;
}

} // namespace cse::rde::rights
