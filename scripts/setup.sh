#!/usr/bin/env bash
# Installs what arpwarden needs on a Debian/Ubuntu machine (system packages only
# where missing), then its npm dependencies, then builds it.
# Usage: scripts/setup.sh [--demo]   (--demo: then replay a bundled capture)
set -euo pipefail
cd "$(dirname "$0")/.."

# libpcap-dev builds the capture bindings; the rest are for tests, live captures and the real servers the tests start
packages=(libpcap-dev tcpdump tshark iputils-ping arping iproute2 python3 redis-server influxdb)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture: answer no, without a prompt
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
npm run build
# the native bindings must load after a clean install
node -e "require('pcap'); require('cap')"
echo "setup: ok"

if [ "${1:-}" = "--demo" ]; then
  echo
  echo "\$ arpwarden replay fixtures/captures/case1-alias-netmask.pcap --inventory fixtures/inventory.yaml"
  node dist/cli/main.js replay fixtures/captures/case1-alias-netmask.pcap --inventory fixtures/inventory.yaml
fi
