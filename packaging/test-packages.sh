#!/usr/bin/env bash
# Installs the Debian packages of `make package` (build/*.deb) on this machine
# and checks them as an operator would meet them. Meant for a clean Debian 12
# (it installs, runs and removes packages as root), e.g.:
#   ../shared/tools/fresh-debian.sh /tmp/fresh "make package && bash packaging/test-packages.sh"
# Checks: apt-get installs them with the dependencies dpkg-shlibdeps computed;
# each program answers --version and --help without a display; its manual
# page is installed; systemd-analyze verify accepts the installed units;
# cse-server.conf is a conffile; cse-server from the package provisions a
# cluster on vcd-sim from the package (loopback only); removing the packages
# leaves no file of theirs but the conffile, and purging removes that too.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "test-packages: $*"; }
fail() { echo "test-packages: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (it installs and removes packages)"
shopt -s nullglob
debs=(build/*.deb)
[ ${#debs[@]} -eq 3 ] || fail "expected the three packages in build/ (make package), found: ${debs[*]:-none}"
packages=(cse-server cse-console vcd-sim)
version=$(dpkg-deb -f build/cse-server_*.deb Version)
export DEBIAN_FRONTEND=noninteractive

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# systemd-analyze comes with systemd; it runs man for Documentation=man:...
say "installing ${debs[*]}"
apt-get install -y -q --no-install-recommends systemd man-db >/dev/null
apt-get install -y -q --no-install-recommends "${debs[@]/#/./}" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install"; }

for p in "${packages[@]}"; do
    out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$p" --version) || fail "$p --version exited $?"
    [[ "$out" == *"$version"* ]] || fail "$p --version printed \"$out\", not the package version $version"
    env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$p" --help >"$work/help" || fail "$p --help exited $?"
    grep -q -- "--help" "$work/help" || fail "$p --help printed no options"
    [ -f "/usr/share/man/man1/$p.1.gz" ] || fail "no manual page for $p"
    say "$p: $out; --help and the manual page present"
done
[ -f /usr/share/applications/io.github.cseconsole.Console.desktop ] || fail "no desktop entry"
[ -f /usr/share/icons/hicolor/scalable/apps/io.github.cseconsole.Console.svg ] || fail "no icon"

for unit in cse-server.service vcd-sim.service; do
    complaints=$(systemd-analyze verify "/usr/lib/systemd/system/$unit" 2>&1) || fail "systemd-analyze verify $unit: $complaints"
    [ -z "$complaints" ] || fail "systemd-analyze verify $unit complains: $complaints"
done
grep -q '^ExecStart=/usr/bin/cse-server --config /etc/cse-server/cse-server.conf' /usr/lib/systemd/system/cse-server.service \
    || fail "the installed unit does not run /usr/bin/cse-server with /etc/cse-server/cse-server.conf"
say "systemd-analyze verify accepts cse-server.service and vcd-sim.service"
dpkg-query -W -f='${Conffiles}\n' cse-server | grep -q ' /etc/cse-server/cse-server.conf ' || fail "cse-server.conf is not a conffile"

# A lab site: vcd-sim from the package, seeded (its cluster globex-new waits
# to be built), and one cse-server replica from the package that builds it.
vcd-sim --data "$work/sim" --listen 127.0.0.1:0 --seed demo --latency-ms 20 >"$work/sim.out" 2>"$work/sim.err" &
pids+=($!)
for _ in $(seq 300); do grep -q '^fingerprint: ' "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^vcd-sim listening on //p' "$work/sim.out")
fingerprint=$(sed -n 's/^fingerprint: //p' "$work/sim.out")
if [ -z "$url" ] || [ -z "$fingerprint" ]; then cat "$work/sim.err"; fail "vcd-sim did not start"; fi
connect=(--vcd "$url" --org System --user administrator --password-file "$work/sim/admin-password" --fingerprint "$fingerprint")
cse-server check-connection "${connect[@]}" || fail "cse-server check-connection against $url"
cse-server "${connect[@]}" --name package-test --health 127.0.0.1:0 2>"$work/server.log" &
pids+=($!)
for _ in $(seq 1800); do grep -q 'cluster globex-new provisioned' "$work/server.log" && break; sleep 0.1; done
grep -q 'cluster globex-new provisioned' "$work/server.log" || { tail -30 "$work/server.log"; fail "cse-server did not provision globex-new within 180 s"; }
say "cse-server provisioned the cluster globex-new on vcd-sim ($url)"
kill "${pids[1]}"; wait "${pids[1]}" || fail "cse-server did not exit 0 on SIGTERM"
kill "${pids[0]}"; wait "${pids[0]}" || true
pids=()

# Removal: nothing of the packages stays but the conffile; purge takes that.
dpkg -L "${packages[@]}" | sort -u >"$work/files"
apt-get remove -y -q "${packages[@]}" >/dev/null
left=()
while read -r f; do
    if [ -f "$f" ] || [ -L "$f" ]; then left+=("$f"); fi
done <"$work/files"
[ "${left[*]:-}" = "/etc/cse-server/cse-server.conf" ] || fail "after apt-get remove these files remain: ${left[*]:-none} (expected only the conffile)"
# A package without conffiles is gone entirely after remove; purge the rest.
for p in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q config-files; then dpkg --purge "$p" >/dev/null; fi
done
[ ! -e /etc/cse-server/cse-server.conf ] || fail "purge left /etc/cse-server/cse-server.conf"
say "apt-get remove left only /etc/cse-server/cse-server.conf; purge removed it"
say "PASS: the packages install, run, provision a cluster and remove cleanly"
