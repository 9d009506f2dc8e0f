#!/usr/bin/env bash
# Installs the real peers the interop suite starts on 127.0.0.1 (see README "Peer tests").
# Idempotent: packages already present are skipped. Needs root (Debian 12).
set -euo pipefail
pkgs=(prometheus prometheus-node-exporter prometheus-alertmanager prometheus-pushgateway influxdb victoria-metrics podman runc busybox-static chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[peers] installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  flock /tmp/headroom-apt.lock apt-get update -qq
  flock /tmp/headroom-apt.lock apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
