#!/usr/bin/env bash
# CSE bootstrap ("ephemeral") VM. cse-server renders this script into the
# VM's cloud-config (ExtraConfig guestinfo.userdata). It builds a KinD
# cluster, installs Cluster API with CAPVCD at the versions pinned in
# VCDKEConfig, applies the cluster's capiYaml, waits for the cluster and moves
# Cluster API into it (clusterctl move).
#
# Progress goes to guestinfo keys the server polls (vmtoolsd info-set):
#   guestinfo.cse.bootstrap.<phase>.status   in_progress | successful
#     phases: kind, capi, capiyaml, move
#   guestinfo.post_customization_script_execution_status          exit code
#   guestinfo.post_customization_script_execution_failure_reason  what failed
# The cluster owner's API token is not in the cloud-config: cse-server puts it
# in ExtraConfig guestinfo.cse.bootstrap.credential, which VCD shows only to
# users holding "vApp: Allow All Extra Config". The script reads it once into
# a 0600 file and clears the key (as CSE 3.1's worker nodes cleared the
# kubeconfig key they were handed); it never goes to the log.
set -o errexit -o nounset -o pipefail -o errtrace

CSE_DIR=/opt/cse
# shellcheck source=/dev/null
. "${CSE_DIR}/bootstrap.env"

LOG=/var/log/cse-bootstrap.log
exec >>"${LOG}" 2>&1

umask 077
vmtoolsd --cmd "info-get guestinfo.cse.bootstrap.credential" >"${CSE_DIR}/refresh-token"
vmtoolsd --cmd "info-set guestinfo.cse.bootstrap.credential " || true
umask 022

phase=none

info_set() {
    vmtoolsd --cmd "info-set guestinfo.$1 $2" || true
}

set_phase() {
    phase="$1"
    info_set "cse.bootstrap.$1.status" "$2"
}

on_error() {
    local code=$? line="$1" command="$2"
    info_set post_customization_script_execution_status "${code}"
    info_set post_customization_script_execution_failure_reason \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ) phase ${phase} line ${line}: ${command} exited ${code}"
    info_set post_customization_cloud_init_output "$(tail -n 20 "${LOG}" | tr '\n' ' ' | cut -c1-2000)"
    exit "${code}"
}
trap 'on_error "${LINENO}" "${BASH_COMMAND}"' ERR

export HTTP_PROXY="${CSE_HTTP_PROXY:-}" HTTPS_PROXY="${CSE_HTTPS_PROXY:-}" NO_PROXY="${CSE_NO_PROXY:-}"
export KUBECONFIG="${CSE_DIR}/bootstrap.kubeconfig"

fetch() {
    curl --fail --silent --show-error --location --retry 5 --output "$2" "$1"
    chmod 0755 "$2"
}

# ---- kind: Docker and a KinD cluster ----
set_phase kind in_progress
if [ -n "$(find /usr/local/share/ca-certificates -name 'cse-*.crt' 2>/dev/null)" ]; then
    update-ca-certificates
fi
if ! command -v docker >/dev/null 2>&1; then
    apt-get update
    if [ -n "${CSE_DOCKER_VERSION}" ]; then
        apt-get install --yes "docker.io=${CSE_DOCKER_VERSION}*"
    else
        apt-get install --yes docker.io
    fi
fi
fetch "https://github.com/kubernetes-sigs/kind/releases/download/${CSE_KIND_VERSION}/kind-linux-amd64" /usr/local/bin/kind
fetch "https://dl.k8s.io/release/${CSE_KUBECTL_VERSION}/bin/linux/amd64/kubectl" /usr/local/bin/kubectl
fetch "https://github.com/kubernetes-sigs/cluster-api/releases/download/${CSE_CLUSTERCTL_VERSION}/clusterctl-linux-amd64" \
    /usr/local/bin/clusterctl
if ! kind get clusters | grep --quiet --line-regexp cse-bootstrap; then
    kind create cluster --name cse-bootstrap --image "kindest/node:${CSE_KINDEST_NODE_VERSION}" \
        --kubeconfig "${KUBECONFIG}" --wait 10m
fi
set_phase kind successful

# ---- capi: cert-manager, Cluster API, CAPVCD ----
set_phase capi in_progress
kubectl apply --filename \
    "https://github.com/cert-manager/cert-manager/releases/download/${CSE_CERT_MANAGER_VERSION}/cert-manager.yaml"
kubectl wait --for=condition=Available --timeout=10m --namespace cert-manager deployment --all
clusterctl init --core "cluster-api:${CSE_CAPI_VERSION}" \
    --bootstrap "kubeadm:${CSE_CAPI_VERSION}" --control-plane "kubeadm:${CSE_CAPI_VERSION}" \
    --infrastructure "vcd:${CSE_CAPVCD_VERSION}" --wait-providers
kubectl create namespace "${CSE_CLUSTER_NAMESPACE}" --dry-run=client --output yaml | kubectl apply --filename -
kubectl create secret generic capi-user-credentials --namespace "${CSE_CLUSTER_NAMESPACE}" \
    --from-file=refreshToken="${CSE_DIR}/refresh-token" --from-literal=username="${CSE_USERNAME}" \
    --dry-run=client --output yaml | kubectl apply --filename -
set_phase capi successful

# ---- capiyaml: the cluster's Cluster API objects ----
set_phase capiyaml in_progress
kubectl apply --namespace "${CSE_CLUSTER_NAMESPACE}" --filename "${CSE_DIR}/capi.yaml"
set_phase capiyaml successful

# ---- move: wait for the cluster, then hand Cluster API over to it ----
set_phase move in_progress
kubectl wait --for=condition=Ready --timeout=60m --namespace "${CSE_CLUSTER_NAMESPACE}" "cluster/${CSE_CLUSTER_NAME}"
clusterctl get kubeconfig "${CSE_CLUSTER_NAME}" --namespace "${CSE_CLUSTER_NAMESPACE}" >"${CSE_DIR}/cluster.kubeconfig"
chmod 0600 "${CSE_DIR}/cluster.kubeconfig"
KUBECONFIG="${CSE_DIR}/cluster.kubeconfig" clusterctl init --core "cluster-api:${CSE_CAPI_VERSION}" \
    --bootstrap "kubeadm:${CSE_CAPI_VERSION}" --control-plane "kubeadm:${CSE_CAPI_VERSION}" \
    --infrastructure "vcd:${CSE_CAPVCD_VERSION}" --wait-providers
clusterctl move --namespace "${CSE_CLUSTER_NAMESPACE}" --to-kubeconfig "${CSE_DIR}/cluster.kubeconfig"
set_phase move successful

info_set post_customization_script_execution_status 0
rm -f "${CSE_DIR}/refresh-token"
