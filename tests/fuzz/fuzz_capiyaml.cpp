// libFuzzer target: the capiYaml reader (spec.capiYaml is user input in a
// cluster RDE) and the resize/upgrade editors that rewrite it.
// Properties checked beyond "returns": a readable capiYaml resized to n
// replicas reads back with n in that pool and nothing else changed; an upgrade
// reads back with the new version; every refusal carries a message.
#include "rde/capiyaml.h"

#include <cstddef>
#include <cstdint>

using namespace cse::rde;

namespace {

bool samePool(const MachinePool &a, const MachinePool &b)
{
    return a.name == b.name && a.replicas == b.replicas && a.sizingPolicy == b.sizingPolicy
        && a.placementPolicy == b.placementPolicy && a.storageProfile == b.storageProfile
        && a.diskSizeGi == b.diskSizeGi && a.templateName == b.templateName;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The first byte picks the resize count and the pool; the rest is the YAML.
    const int pick = size ? data[0] : 0;
    const QString yaml = QString::fromUtf8(reinterpret_cast<const char *>(data) + (size ? 1 : 0), qsizetype(size ? size - 1 : 0));
    const cse::Result<CapiSummary> summary = parseCapiYaml(yaml);
    if (!summary) {
        if (summary.error().message.isEmpty())
            __builtin_trap();
        return 0;
    }
    (void)summary->totalNodes();

    // Resize one pool: the control plane (odd counts) or a worker pool.
    const int replicas = pick % 8;
    const bool controlPlane = summary->workerPools.isEmpty() || (pick & 0x80);
    const QString pool = controlPlane ? QStringLiteral("control-plane")
                                      : summary->workerPools.at((pick >> 3) % summary->workerPools.size()).name;
    const cse::Result<QString> resized = resizeCapiYaml(yaml, pool, replicas);
    if (resized) {
        const cse::Result<CapiSummary> after = parseCapiYaml(*resized);
        if (!after)
            __builtin_trap(); // the editor wrote something its own reader refuses
        if (after->name != summary->name || after->kubernetesVersion != summary->kubernetesVersion
            || after->workerPools.size() != summary->workerPools.size())
            __builtin_trap();
        if (controlPlane) {
            if (after->controlPlane.replicas != replicas)
                __builtin_trap();
        } else {
            bool found = false;
            for (qsizetype i = 0; i < after->workerPools.size(); ++i) {
                const MachinePool &p = after->workerPools.at(i);
                if (p.name == pool && !found) {
                    found = true;
                    if (p.replicas != replicas)
                        __builtin_trap();
                } else if (!samePool(p, summary->workerPools.at(i))) {
                    __builtin_trap(); // another pool changed
                }
            }
            if (!found)
                __builtin_trap();
        }
    } else if (resized.error().message.isEmpty()) {
        __builtin_trap();
    }

    const QList<KubernetesRelease> &releases = supportedReleases();
    const QString target = releases.at((pick >> 5) % releases.size()).kubernetesVersion;
    const cse::Result<QString> upgraded = upgradeCapiYaml(yaml, target);
    if (upgraded) {
        const cse::Result<CapiSummary> after = parseCapiYaml(*upgraded);
        if (!after || after->kubernetesVersion != target || after->workerPools.size() != summary->workerPools.size())
            __builtin_trap();
    } else if (upgraded.error().message.isEmpty()) {
        __builtin_trap();
    }
    return 0;
}
