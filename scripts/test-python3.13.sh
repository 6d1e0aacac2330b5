#!/usr/bin/env bash
# Run the README's test command (scripts/test.sh) on Python 3.13, Debian trixie's, in a chroot:
# this machine's Python and packages are not touched. As root, from a checkout:
#   bash scripts/test-python3.13.sh [ROOT] [PYTEST ARGS...]
# ROOT (default /var/tmp/backchannel-trixie) is made with debootstrap the first time (a few
# minutes, about 1 GB with chromium and the packages). The checkout's committed HEAD is cloned
# into ROOT/root/backchannel afresh each run; ../shared/fixtures is mounted beside it read-only
# when it exists. Packages come from PyPI at constraints.txt's pins, as on Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
root=${1:-/var/tmp/backchannel-trixie}
shift $(($# > 0 ? 1 : 0))

if [ ! -x "$root/usr/bin/python3" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
  debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-dev,gcc,g++,make,git,ca-certificates,sudo,curl \
    trixie "$root" http://deb.debian.org/debian
fi
# The chroot resolves names and trusts certificates as this machine does (a proxy's own CA).
cp /etc/resolv.conf "$root/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1
fi

mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -R "${mounted[i]}" || true; done
}
trap cleanup EXIT
mount_once() { # mount_once TARGET MOUNT-ARGS...: mount unless something is mounted there
  local target=$1
  shift
  mkdir -p "$target"
  if ! mountpoint -q "$target"; then
    mount "$@" "$target"
    mounted+=("$target")
  fi
}
mount_once "$root/proc" -t proc proc
mount_once "$root/sys" --rbind /sys
mount_once "$root/dev" --rbind /dev

rm -rf "$root/root/backchannel"
git clone -q "$repo" "$root/root/backchannel"
if [ -d "$repo/../shared/fixtures" ]; then
  mount_once "$root/root/shared/fixtures" --bind "$repo/../shared/fixtures"
  mount -o remount,bind,ro "$root/root/shared/fixtures"
fi

# A clean environment: none of this machine's pip settings (local indexes) leak in.
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  bash -c 'cd /root/backchannel && python3 --version && bash scripts/test.sh "$@"' bash "$@"
