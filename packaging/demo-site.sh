#!/usr/bin/env bash
# make demo without a display: starts the embedded site (vcd-sim, seeded) in
# the foreground and prints how to log in and the commands to try next.
# usage: packaging/demo-site.sh BUILD_DIR [DATA_DIR]   (Ctrl-C stops the site)
set -euo pipefail
build=${1:?usage: demo-site.sh BUILD_DIR [DATA_DIR]}
data=${2:-build/demo-site}
mkdir -p "$data"
chmod 700 "$data"
"$build/app/vcd-sim" --data "$data" --listen 127.0.0.1:0 --seed demo >"$data/vcd-sim.out" &
sim=$!
trap 'kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; exit 0' INT TERM
for _ in $(seq 300); do
    grep -q '^fingerprint: ' "$data/vcd-sim.out" 2>/dev/null && break
    kill -0 "$sim" 2>/dev/null || { wait "$sim"; exit 1; }
    sleep 0.1
done
url=$(sed -n 's/^vcd-sim listening on //p' "$data/vcd-sim.out")
fingerprint=$(sed -n 's/^fingerprint: //p' "$data/vcd-sim.out")
server="$build/app/cse-server"
cat <<TEXT
demo: no display found, so only the embedded site runs (vcd-sim on $url, seeded); Ctrl-C stops it.
demo: administrator@System's password is in $data/admin-password; the tenant users acme-admin,
demo: acme-viewer, globex-admin and globex-viewer use demo-password.
demo: try next, in another shell:
  c="--vcd $url --org System --user administrator --password-file $data/admin-password --fingerprint $fingerprint"
  $server check-connection \$c                           # what the provider account sees
  $server doctor \$c                                     # is the site set up right?
  $server \$c --name replica-1 --health 127.0.0.1:0      # a replica: it builds the waiting cluster globex-new
TEXT
wait "$sim"
