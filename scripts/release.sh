#!/usr/bin/env bash
# Builds certhook's release artifacts into dist/ (or --out DIR):
#   certhook_<version>_<arch>.deb            a Debian package (dpkg-deb)
#   certhook-<version>-linux-<arch>.tar.gz   the same files under /usr/local-style folders
# The binary is built with --static-swift-stdlib, so it needs no Swift toolchain: it links only the C
# libraries that the .deb's Depends names (computed by dpkg-shlibdeps from the binary itself).
# Man pages come from the ArgumentParser definitions (`certhook --experimental-dump-help`, rendered by
# packaging/manpages.py) and the shell completions from `certhook --generate-completion-script`, so
# neither can drift from the code.
#
# Usage: scripts/release.sh [--out DIR] [--binary FILE]
#   --binary FILE  package this already-built release binary instead of building one
# Needs: the Swift toolchain (unless --binary), libssl-dev, dpkg-dev (dpkg-deb, dpkg-shlibdeps), python3,
# gzip, tar. Then check the package where no toolchain exists: scripts/package-check.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/dist"
binary=""
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --binary) binary=${2:?--binary needs a file}; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "release.sh: unknown argument: $1 (see --help)" >&2; exit 64 ;;
  esac
done
for tool in dpkg-deb dpkg-shlibdeps python3 gzip tar; do
  command -v "$tool" > /dev/null || { echo "release.sh: $tool is not installed (apt-get install -y dpkg-dev python3)" >&2; exit 69; }
done

if [ -z "$binary" ]; then
  (cd "$root" && swift build -c release --static-swift-stdlib --product certhook)
  binary="$(cd "$root" && swift build -c release --static-swift-stdlib --show-bin-path)/certhook"
fi
[ -x "$binary" ] || { echo "release.sh: no executable at $binary" >&2; exit 66; }

version=$("$binary" --version | awk '{print $2}')
case $version in
  [0-9]*.[0-9]*) ;;
  *) echo "release.sh: cannot read the version from '$binary --version'" >&2; exit 70 ;;
esac
arch=$(dpkg --print-architecture)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/certhook-release.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A binary that links the toolchain's Swift runtime would fail with exit 127 on a server without it.
if ldd "$binary" | grep -i 'libswift' >&2; then
  echo "release.sh: $binary links the Swift runtime above; build it with --static-swift-stdlib" >&2
  exit 70
fi

# Man pages (one per command and subcommand) and completions, generated from the parser definitions.
mkdir -p "$work/man" "$work/completions"
"$binary" --experimental-dump-help > "$work/dump-help.json"
python3 "$root/packaging/manpages.py" --version "$version" --out "$work/man" < "$work/dump-help.json"
gzip -9n "$work/man"/*.1
for shell in bash zsh fish; do
  "$binary" --generate-completion-script "$shell" > "$work/completions/certhook.$shell"
  [ -s "$work/completions/certhook.$shell" ] || { echo "release.sh: no $shell completion script" >&2; exit 70; }
done

# stage DIR LAYOUT RUNTIME UNITDIR BASH ZSH FISH: the installed tree under DIR/LAYOUT (bin/, lib/certhook/,
# share/), with the paths inside the systemd units rewritten for RUNTIME, where the files end up installed.
stage() {
  local dir=$1 layout=$2 runtime=$3 units=$4 bash_dir=$5 zsh_dir=$6 fish_dir=$7
  local lib="$dir$layout/lib/certhook" share="$dir$layout/share"
  install -D -m 0755 "$binary" "$dir$layout/bin/certhook"
  strip --strip-unneeded "$dir$layout/bin/certhook" 2> /dev/null || true

  mkdir -p "$share/man/man1"
  install -m 0644 "$work/man"/*.1.gz "$share/man/man1/"
  install -D -m 0644 "$work/completions/certhook.bash" "$dir$bash_dir/certhook"
  install -D -m 0644 "$work/completions/certhook.zsh" "$dir$zsh_dir/_certhook"
  install -D -m 0644 "$work/completions/certhook.fish" "$dir$fish_dir/certhook.fish"

  # Hooks the ACME clients call, the scan helper of the textfile timer and the OnFailure= notifier.
  local hook
  for hook in certbot/certhook-deploy lego/certhook-lego-hook dehydrated/certhook-dehydrated-hook \
    uacme/certhook-uacme systemd/certhook-scan-textfile systemd/certhook-unit-failed; do
    install -D -m 0755 "$root/hooks/$hook" "$lib/${hook##*/}"
  done
  install -D -m 0644 "$root/hooks/acme.sh/certhook.sh" "$lib/acme.sh/certhook.sh"

  mkdir -p "$dir$units"
  local unit
  for unit in "$root"/hooks/systemd/*.service "$root"/hooks/systemd/*.timer; do
    sed -e "s|/usr/local/bin/certhook|$runtime/bin/certhook|g" \
      -e "s|/usr/local/lib/certhook/|$runtime/lib/certhook/|g" "$unit" > "$dir$units/${unit##*/}"
    chmod 0644 "$dir$units/${unit##*/}"
  done

  mkdir -p "$share/doc/certhook/examples"
  install -m 0644 "$root/README.md" "$root"/docs/*.md "$share/doc/certhook/"
  install -m 0644 "$root/hooks/README.md" "$share/doc/certhook/hooks-README.md"
  install -m 0644 "$root/packaging/config.yaml" "$root/docs/examples/seed.yaml" \
    "$root/docs/examples/make-quick-start-certs.sh" "$share/doc/certhook/examples/"
}

# --- the Debian package -----------------------------------------------------------------------------
deb_root="$work/deb"
stage "$deb_root" /usr /usr /lib/systemd/system /usr/share/bash-completion/completions \
  /usr/share/zsh/vendor-completions /usr/share/fish/vendor_completions.d
install -D -m 0600 "$root/packaging/config.yaml" "$deb_root/etc/certhook/config.yaml"
install -d -m 0700 "$deb_root/var/lib/certhook"
gzip -9n "$deb_root/usr/share/doc/certhook"/*.md
printf 'certhook %s\n\nSee /usr/share/doc/certhook/README.md.gz.\n' "$version" > "$deb_root/usr/share/doc/certhook/copyright"

# Depends: exactly the shared libraries the binary links, as dpkg-shlibdeps finds them.
mkdir -p "$work/shlibs/debian"
printf 'Source: certhook\n\nPackage: certhook\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e"$deb_root/usr/bin/certhook" 2> "$work/shlibdeps.log" \
  | sed -n 's/^shlibs:Depends=//p') || { cat "$work/shlibdeps.log" >&2; exit 70; }
[ -n "$depends" ] || { echo "release.sh: dpkg-shlibdeps found no dependencies" >&2; exit 70; }

mkdir -p "$deb_root/DEBIAN"
installed_size=$(du -sk --exclude=DEBIAN "$deb_root" | cut -f1)
cat > "$deb_root/DEBIAN/control" << CONTROL
Package: certhook
Version: $version
Architecture: $arch
Maintainer: certhook maintainers <certhook@example.invalid>
Installed-Size: $installed_size
Depends: $depends
Suggests: certbot | lego | dehydrated | uacme
Section: admin
Priority: optional
Description: keep TLS certificates on Alibaba Cloud load balancers fresh
 certhook inspects what ACME clients (certbot, acme.sh, lego, dehydrated, uacme)
 renew, uploads each certificate once to the Certificate Management Service,
 attaches it to every ALB listener that should serve it and retires what it
 supersedes without leaving a domain uncovered. It runs as a deploy hook and as
 a reconcile job on a systemd timer (certhook-sync.timer, not enabled by default).
CONTROL
echo /etc/certhook/config.yaml > "$deb_root/DEBIAN/conffiles"
install -m 0755 "$root/packaging/debian/postinst" "$root/packaging/debian/postrm" "$deb_root/DEBIAN/"
deb="$out/certhook_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$deb_root" "$deb" > /dev/null

# --- the tarball: the same tree for /usr/local (tar -xzf ... -C /usr/local --strip-components=1) -----
machine=$(uname -m)
tar_root="$work/tar/certhook-$version"
stage "$tar_root" "" /usr/local /lib/systemd/system /share/bash-completion/completions \
  /share/zsh/site-functions /share/fish/vendor_completions.d
tarball="$out/certhook-$version-linux-$machine.tar.gz"
tar -C "$work/tar" --owner=0 --group=0 --numeric-owner --sort=name -czf "$tarball" "certhook-$version"

echo "release.sh: $(basename "$deb") (Depends: $depends)"
echo "release.sh: $(basename "$tarball")"
(cd "$out" && sha256sum "$(basename "$deb")" "$(basename "$tarball")" > SHA256SUMS)
echo "release.sh: artifacts in $out"
