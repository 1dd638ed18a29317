#!/usr/bin/env bash
# demo_text: what `make demo` prints without a display (packaging/demo-site.sh)
# names the credentials and commands that work when pasted as printed: the
# check-connection command connects, and the doctor finds no error on the
# demo site (exit 0, or 1 for its one warning: no replica runs yet).
# usage: check_demo_text.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -euo pipefail
src=$1 build=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$src/packaging/demo-site.sh" "$build" "$work/site" >"$work/out" 2>"$work/err" &
demo=$!
trap 'kill "$demo" 2>/dev/null; wait "$demo" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 600); do grep -q -- '--name replica-1' "$work/out" 2>/dev/null && break; sleep 0.1; done
cat "$work/out"
grep -q 'acme-admin' "$work/out" || { echo "FAIL: no tenant credentials printed"; exit 1; }
grep -q "$work/site/admin-password" "$work/out" || { echo "FAIL: the administrator's password file is not named"; exit 1; }
define=$(grep '^  c="' "$work/out") || { echo "FAIL: no connection options printed"; cat "$work/err"; exit 1; }
eval "${define# }"
for command in check-connection doctor; do
    line=$(grep " $command \\\$c" "$work/out") || { echo "FAIL: no $command command printed"; exit 1; }
    line=${line%%#*}
    # shellcheck disable=SC2086 # $c is meant to split into options, as printed
    rc=0
    eval "$line" >"$work/$command.out" 2>&1 || rc=$?
    max=0
    [ "$command" = doctor ] && max=1
    if [ "$rc" -gt "$max" ]; then echo "FAIL: '$line' exited $rc"; cat "$work/$command.out"; exit 1; fi
done
grep -q '^connected to ' "$work/check-connection.out" || { echo "FAIL: check-connection did not connect"; exit 1; }
grep -q 'replicas.none' "$work/doctor.out" || { echo "FAIL: the doctor did not notice that no replica runs"; cat "$work/doctor.out"; exit 1; }
echo "demo_text: the printed check-connection and doctor commands work"
