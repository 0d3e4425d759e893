#!/usr/bin/env bash
# Installs (or upgrades) arpwarden as a service from this built checkout (scripts/setup.sh first):
#   /opt/arpwarden                  the built tree: dist, the capture addon, production node_modules
#   /usr/local/bin/arpwarden        the command
#   user and group arpwarden        sysusers.d (useradd where systemd-sysusers is missing)
#   /etc/arpwarden, /var/lib/arpwarden   tmpfiles.d (install -d where systemd-tmpfiles is missing)
#   /etc/arpwarden/arpwarden.yaml, inventory.yaml   the examples, only when absent
#   /etc/systemd/system/arpwarden-capture@.service, arpwarden-worker.service
# Rerun to upgrade (running units are restarted). Nothing is started or enabled: see docs/operations.md.
# Usage: scripts/install.sh [--root DIR] [--uninstall [--purge]]
#   --root DIR   install under DIR instead of / (DIR/etc/passwd gets the user): for tests and images
#   --uninstall  remove what this script installed (and the units' drop-ins and shard copies), keeping /etc/arpwarden and /var/lib/arpwarden
#   --purge      with --uninstall: remove those too, and the user
set -euo pipefail

say() { echo "install: $*"; }
die() { echo "install: $*" >&2; exit 2; }

root=""
mode=install
purge=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || die "--root needs a directory"; root="${2%/}"; shift 2 ;;
    --root=*) root="${1#--root=}"; root="${root%/}"; shift ;;
    --uninstall) mode=uninstall; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (scripts/install.sh [--root DIR] [--uninstall [--purge]])" ;;
  esac
done
[ -z "$purge" ] || [ "$mode" = uninstall ] || die "--purge goes with --uninstall"
[ "$(id -u)" -eq 0 ] || die "run as root (it creates a system user and writes /opt, /etc, /usr/local)"
if [ -n "$root" ]; then
  [ -d "$root" ] || die "--root $root: no such directory"
  root="$(cd "$root" && pwd)"
fi

src="$(cd "$(dirname "$0")/.." && pwd)"
app="$root/opt/arpwarden"
bin="$root/usr/local/bin/arpwarden"
units="$root/etc/systemd/system"
sysusers="$root/usr/local/lib/sysusers.d/arpwarden.conf"
tmpfiles="$root/usr/local/lib/tmpfiles.d/arpwarden.conf"
conf="$root/etc/arpwarden"
state="$root/var/lib/arpwarden"
unit_files=(arpwarden-capture@.service arpwarden-worker.service)
# every unit that runs the installed tree: the template's instances, the shards' copies' (docs/operations.md, "Scaling
# out"), the worker. An upgrade restarts them all (one left running would load the new tree's files into the old
# code), the uninstall stops them all
running_units=('arpwarden-capture@*.service' 'arpwarden-capture-*@*.service' 'arpwarden-worker.service')

# systemctl only for the machine's own systemd, never for another root
systemd_runs() { [ -z "$root" ] && [ -d /run/systemd/system ]; }

# the user's ids as the target root knows them (another root has its own /etc/passwd)
id_in_root() { # FILE NAME -> the third field
  awk -F: -v n="$2" '$1 == n { print $3; found = 1 } END { exit !found }' "$root/etc/$1"
}

uninstall() {
  if systemd_runs; then
    # the instances of the template as well as the worker
    mapfile -t running < <(systemctl list-units --all --plain --no-legend "${running_units[@]}" | awk '{ print $1 }')
    if [ ${#running[@]} -gt 0 ]; then
      say "stopping and disabling ${running[*]}"
      systemctl disable --now "${running[@]}" >/dev/null 2>&1 || true
    fi
    systemctl disable arpwarden-worker.service >/dev/null 2>&1 || true
  fi
  for u in "${unit_files[@]}"; do rm -f "$units/$u"; done
  # ours by name only: the shards' copies of the template (docs/operations.md, "Scaling out"), the drop-ins
  # (systemctl edit), and the links of enabled instances (multi-user.target's, each interface's device's)
  rm -f "$units"/arpwarden-capture-*@.service
  rm -rf "$units"/arpwarden-*.service.d
  for wants in "$units"/*.wants; do
    [ -d "$wants" ] || continue
    rm -f "$wants"/arpwarden-worker.service "$wants"/arpwarden-capture@*.service "$wants"/arpwarden-capture-*@*.service
    # a device's .wants was made by enabling our instance: gone with it when nothing else is in it
    case "$wants" in */sys-subsystem-net-devices-*.device.wants) rmdir "$wants" 2>/dev/null || true ;; esac
  done
  rm -f "$bin" "$sysusers" "$tmpfiles"
  rm -rf "$app" "$app.new" "$app.old"
  if systemd_runs; then systemctl daemon-reload; fi
  if [ -n "$purge" ]; then
    rm -rf "$conf" "$state"
    if id_in_root passwd arpwarden >/dev/null 2>&1; then
      if [ -z "$root" ]; then userdel arpwarden 2>/dev/null || true; groupdel arpwarden 2>/dev/null || true
      else userdel --root "$root" arpwarden 2>/dev/null || true; groupdel --root "$root" arpwarden 2>/dev/null || true; fi
    fi
    say "removed arpwarden, its configuration, its state and its user"
  else
    say "removed arpwarden; kept $conf and $state (--uninstall --purge removes them and the user)"
  fi
}

if [ "$mode" = uninstall ]; then uninstall; exit 0; fi

# ------------------------------------------------------------------ what is installed must be built and runnable
node="$(command -v node)" || die "node is not on PATH (Node 20.19 or later)"
node="$(readlink -f "$node")"
"$node" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "$node is Node $("$node" --version): arpwarden needs 20.19 or later"
[ -f "$src/dist/cli/main.js" ] || die "$src is not built: run scripts/setup.sh (or npm ci && npm run build) first"
addon="$src/native/build/Release/arpwarden_capture.node"
[ -f "$addon" ] || die "$addon is missing: run scripts/setup.sh (npm ci builds the capture addon)"
command -v npm >/dev/null || die "npm is not on PATH (it installs the production dependencies)"

# ------------------------------------------------------------------ user, group, directories
# only the missing ones: install -d would change the mode of an /opt or /usr/local/bin the machine already has
for d in "$root/etc" "$root/usr/local/bin" "$root/usr/local/lib/sysusers.d" "$root/usr/local/lib/tmpfiles.d" "$root/opt" "$units" "$root/var/lib"; do
  [ -d "$d" ] || install -d -m 0755 "$d"
done
install -m 0644 "$src/systemd/sysusers.d/arpwarden.conf" "$sysusers"
install -m 0644 "$src/systemd/tmpfiles.d/arpwarden.conf" "$tmpfiles"
if command -v systemd-sysusers >/dev/null; then
  systemd-sysusers ${root:+--root="$root"} "$sysusers"
elif ! id_in_root passwd arpwarden >/dev/null 2>&1; then
  # what the sysusers.d line says, by hand
  useradd ${root:+--root "$root"} --system --user-group --home-dir /var/lib/arpwarden --no-create-home \
    --shell /usr/sbin/nologin --comment "arpwarden ARP watcher" arpwarden
fi
uid="$(id_in_root passwd arpwarden)" || die "the user arpwarden was not created"
gid="$(id_in_root group arpwarden)" || die "the group arpwarden was not created"
if command -v systemd-tmpfiles >/dev/null; then
  systemd-tmpfiles ${root:+--root="$root"} --create "$tmpfiles"
else
  install -d -m 0750 -o 0 -g "$gid" "$conf"
  install -d -m 0750 -o "$uid" -g "$gid" "$state"
fi

# ------------------------------------------------------------------ the tree, staged then swapped in
# Until the swap nothing is taken from the live tree: a failure (or Ctrl-C) leaves it as it was, and the stage is removed
staging_failed() {
  local rc=$?
  [ "$rc" -ne 0 ] || return 0
  # the swap cut between its two moves: the old tree back in place
  if [ ! -e "$app" ] && [ -d "$app.old" ]; then mv "$app.old" "$app"; fi
  rm -rf "$app.new"
  echo "install: stopped before the new tree was in place (exit $rc): $app is unchanged; run it again" >&2
}
trap staging_failed EXIT
trap 'exit 130' INT TERM
rm -rf "$app.new"
install -d -m 0755 "$app.new" "$app.new/native/build/Release" "$app.new/bin"
cp -R "$src/dist" "$src/package.json" "$src/package-lock.json" "$src/config" "$src/docs" "$src/systemd" "$app.new/"
[ -f "$src/LICENSE" ] && cp "$src/LICENSE" "$app.new/"
cp "$src/README.md" "$app.new/"
install -m 0644 "$src/fixtures/inventory.yaml" "$app.new/config/inventory.example.yaml"
install -m 0755 "$addon" "$app.new/native/build/Release/"
if [ -d "$app/node_modules" ] && cmp -s "$app/package-lock.json" "$src/package-lock.json"; then
  # same lock: the dependencies already installed are the right ones (an upgrade needs no registry). Copied, not
  # moved: hard links (the same root-owned, read-only files), a plain copy where /opt spans file systems
  cp -al "$app/node_modules" "$app.new/node_modules" 2>/dev/null || { rm -rf "$app.new/node_modules"; cp -a "$app/node_modules" "$app.new/node_modules"; }
else
  say "installing the production dependencies (npm ci --omit=dev)"
  # no scripts: the capture addon is the one built in the checkout, the rest are plain JavaScript or prebuilt
  (cd "$app.new" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
fi
# the command: Node found at install time (a service's PATH may not have it), the tree found from the wrapper's own place
cat > "$app.new/bin/arpwarden" <<EOF
#!/bin/sh
# installed by arpwarden's scripts/install.sh
exec "$node" "\$(dirname "\$(readlink -f "\$0")")/../dist/cli/main.js" "\$@"
EOF
chmod 0755 "$app.new/bin/arpwarden"
chown -R 0:0 "$app.new"
chmod -R u=rwX,go=rX "$app.new"
rm -rf "$app.old"
if [ -d "$app" ]; then mv "$app" "$app.old"; fi
mv "$app.new" "$app"
trap - EXIT INT TERM
rm -rf "$app.old"
ln -sfn ../../../opt/arpwarden/bin/arpwarden "$bin"

# ------------------------------------------------------------------ configuration: the examples, never over the user's
for pair in "arpwarden.yaml:$src/config/arpwarden.yaml" "inventory.yaml:$src/fixtures/inventory.yaml"; do
  name="${pair%%:*}"
  if [ ! -e "$conf/$name" ]; then
    install -m 0640 -o 0 -g "$gid" "${pair#*:}" "$conf/$name"
    say "wrote the example $conf/$name: edit it"
  fi
done

# ------------------------------------------------------------------ units
for u in "${unit_files[@]}"; do install -m 0644 "$src/systemd/$u" "$units/$u"; done
if systemd_runs; then
  systemctl daemon-reload
  # an upgrade: what was running runs the new version
  systemctl try-restart "${running_units[@]}" || true
fi

if [ -z "$root" ]; then
  version="$(setpriv --reuid="$uid" --regid="$gid" --clear-groups "$bin" --version 2>&1)" \
    || die "the installed arpwarden does not run as the arpwarden user: $version"
  say "arpwarden $version in /opt/arpwarden, command /usr/local/bin/arpwarden, units in /etc/systemd/system"
  say "next: edit /etc/arpwarden/arpwarden.yaml and inventory.yaml, then"
  say "  systemctl enable --now arpwarden-capture@IF arpwarden-worker   (docs/operations.md)"
else
  say "installed under $root"
fi
