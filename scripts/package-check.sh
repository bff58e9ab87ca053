#!/usr/bin/env bash
# Proves that the release artifacts run where no Swift toolchain exists.
#
# In a private mount namespace it lays a throwaway overlay over / (writes go to a tmpfs and vanish), hides
# the toolchain (the one `swift` runs from, and /opt/swift) and the source trees (/work) under empty tmpfs mounts, chroots there with an
# empty environment and checks, as an operator would:
#   - the root really has no Swift runtime (no swift, no libswiftCore; a toolchain-linked control binary,
#     when given, fails there with exit 127);
#   - `dpkg -i` installs the .deb with only the Depends it declares;
#   - `certhook --version`, `certhook demo`, `man certhook` (and a subcommand page) work;
#   - `ldd` of the installed binary lists no Swift library and nothing "not found";
#   - bash completion completes subcommands and options; zsh and fish files are where Debian looks;
#   - /etc/certhook/config.yaml is a conffile, /var/lib/certhook is 0700, hooks and units are installed;
#   - `dpkg --purge` removes it all; then the tarball, unpacked into /usr/local, runs and has its man page.
#
# Usage: scripts/package-check.sh [--dist DIR] [--control BINARY]
#   --dist DIR        where release.sh put the artifacts (default dist/)
#   --control BINARY  a binary linked against the toolchain's Swift runtime (e.g. the debug build) that must
#                     NOT run in the root: proof that the root lacks the toolchain
# Needs root (mount namespaces, chroot), unshare (util-linux), dpkg, man-db, overlayfs and tmpfs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/dist"
control=""
while [ $# -gt 0 ]; do
  case $1 in
    --dist) dist=${2:?--dist needs a directory}; shift 2 ;;
    --control) control=${2:?--control needs a binary}; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "package-check.sh: unknown argument: $1 (see --help)" >&2; exit 64 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "package-check.sh: needs root (mount namespace and chroot)" >&2; exit 77; }
for tool in unshare chroot dpkg man; do
  command -v "$tool" > /dev/null || { echo "package-check.sh: $tool is not installed (apt-get install -y util-linux man-db)" >&2; exit 69; }
done
deb=$(ls -t "$dist"/certhook_*.deb 2> /dev/null | head -1 || true)
tarball=$(ls -t "$dist"/certhook-*.tar.gz 2> /dev/null | head -1 || true)
[ -n "$deb" ] && [ -n "$tarball" ] || { echo "package-check.sh: no .deb and tarball in $dist: run scripts/release.sh first" >&2; exit 66; }
[ -z "$control" ] || [ -x "$control" ] || { echo "package-check.sh: no executable control binary at $control" >&2; exit 66; }

work=$(mktemp -d /tmp/certhook-package-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/payload" "$work/changes" "$work/root"
cp "$deb" "$work/payload/certhook.deb"
cp "$tarball" "$work/payload/certhook.tar.gz"
[ -z "$control" ] || cp "$control" "$work/payload/control-binary"
cp "$root/scripts/package-check-inside.sh" "$work/payload/inside.sh"

# The toolchain to hide: wherever `swift` comes from (…/usr/bin/swift -> …), and /opt/swift.
toolchain=/opt/swift
if command -v swift > /dev/null; then
  toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")
  # A toolchain installed into / or /usr cannot be hidden by a mount: the first check then fails loudly.
  case $toolchain in / | /usr | /usr/local) toolchain=/opt/swift ;; esac
fi

# Everything below runs in a private mount namespace: the mounts disappear with it.
unshare --mount --propagation private bash -euo pipefail -s "$work" "$toolchain" << 'NAMESPACE'
work=$1
toolchain=$2
new_root="$work/root"
mount -t tmpfs -o mode=0755 certhook-changes "$work/changes"
mkdir -p "$work/changes/upper" "$work/changes/work"
mount -t overlay certhook-root -o "lowerdir=/,upperdir=$work/changes/upper,workdir=$work/changes/work" "$new_root"
for hidden in "$toolchain" /opt/swift /work "$HOME/.swiftpm"; do
  [ -d "$new_root$hidden" ] && mount -t tmpfs -o mode=0755 certhook-hidden "$new_root$hidden"
done
mount -t proc proc "$new_root/proc"
mount --rbind /dev "$new_root/dev"
mount -t tmpfs -o mode=1777 certhook-tmp "$new_root/tmp"
cp -a "$work/payload/." "$new_root/tmp/"
exec chroot "$new_root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash /tmp/inside.sh
NAMESPACE
