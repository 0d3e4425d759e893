#!/usr/bin/env bash
# Installs what arpwarden needs on a Debian/Ubuntu machine (system packages only
# where missing), then its npm dependencies, then builds it.
# Usage: scripts/setup.sh [--demo]   (--demo: then replay a bundled capture)
set -euo pipefail
cd "$(dirname "$0")/.."

# libpcap-dev builds the capture bindings; the rest are for tests, live captures, the real servers the tests start
# and the browser tests (Debian's chromium, driven by playwright-core; a font of its own, so pages lay out alike everywhere)
packages=(libpcap-dev tcpdump tshark tcpreplay iputils-ping arping iproute2 python3 jq redis-server influxdb prometheus chromium fonts-dejavu-core)
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
  # redis-server, influxdb and prometheus are only for the tests, which start their own on loopback in a temporary
  # directory: their packages' services must not be left enabled or running (an unauthenticated InfluxDB
  # on every interface of a box on the span port). invoke-rc.d honours policy-rc.d (101: action forbidden).
  services=()
  for p in "${missing[@]}"; do
    case "$p" in
      redis-server) services+=(redis-server.service) ;;
      influxdb) services+=(influxdb.service) ;;
      prometheus) services+=(prometheus.service) ;;
    esac
  done
  policy_added=""
  if [ ${#services[@]} -gt 0 ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
  fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$policy_added" ]; then $sudo rm -f /usr/sbin/policy-rc.d; fi
fi

# Whoever installed them (this script, an earlier run, another package's dependency), the servers' own services
# stay disabled and stopped, with or without systemd as PID 1: `systemctl --root=/` edits the unit links and the
# SysV rc links offline; where systemd runs, `--now` also stops them.
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
test_services=()
for s in redis-server redis-sentinel influxdb prometheus; do
  if [ -e "/lib/systemd/system/$s.service" ] || [ -e "/usr/lib/systemd/system/$s.service" ]; then test_services+=("$s"); fi
done
for s in "${test_services[@]}"; do
  enabled=""
  if [ -e "/etc/systemd/system/multi-user.target.wants/$s.service" ] || compgen -G "/etc/rc[2-5].d/S*$s" >/dev/null; then enabled=1; fi
  if [ -d /run/systemd/system ]; then
    if [ -n "$enabled" ] || systemctl is-active --quiet "$s.service"; then
      echo "setup: disabling and stopping $s (the tests start their own servers)"
      $sudo systemctl disable --now "$s.service" >/dev/null 2>&1 || true
    fi
  else
    if [ -n "$enabled" ]; then
      echo "setup: disabling $s (the tests start their own servers)"
      $sudo systemctl --root=/ disable "$s.service" >/dev/null 2>&1 || true
    fi
    # started by its SysV script (no systemd): stopped the same way. Only the package's own, which runs as its
    # user (the tests' servers run as whoever runs the tests, and some SysV scripts' "status" would see those too)
    case "$s" in
      redis-*) user=redis; proc="$s" ;;
      influxdb) user=influxdb; proc=influxd ;;
      *) user="$s"; proc="$s" ;;
    esac
    if [ -x "/etc/init.d/$s" ] && id -u "$user" >/dev/null 2>&1 && pgrep -u "$user" -x "$proc" >/dev/null; then
      echo "setup: stopping $s"
      $sudo "/etc/init.d/$s" stop >/dev/null 2>&1 || true
    fi
  fi
done

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
