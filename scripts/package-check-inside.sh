#!/bin/bash
# The checks scripts/package-check.sh runs inside its toolchain-free chroot (not meant to be run alone).
# Files: /tmp/certhook.deb, /tmp/certhook.tar.gz, optionally /tmp/control-binary.
set -uo pipefail
passed=0
failed=0
check() {
  local name=$1; shift
  local output rc
  output=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1)); echo "ok: $name"
  else
    failed=$((failed + 1)); echo "not ok: $name (exit $rc)"; printf '%s\n' "$output" | tail -20 | sed 's/^/    /'
  fi
}

no_toolchain() {
  local found
  found=$(find / -xdev -name 'libswiftCore.so*' -print -quit 2> /dev/null)
  # Name what was found (a profiler's cache such as ~/.debug keeps copies of the libraries it sampled).
  [ -z "$found" ] || echo "found $found"
  ! command -v swift && ! command -v swiftc && [ ! -e /opt/swift/usr/bin/swift ] \
    && ! ldconfig -p | grep -i 'libswift' && [ -z "$found" ]
}
control_fails() {
  local rc=0 output
  output=$(/tmp/control-binary --version 2>&1) || rc=$?
  echo "control binary: exit $rc: $output"
  [ "$rc" -eq 127 ] && grep -q 'libswift' <<< "$output"
}
install_deb() { dpkg -i /tmp/certhook.deb; }
version_runs() { certhook --version | tee /dev/stderr | grep -Eq '^certhook [0-9]+\.[0-9]+\.[0-9]+ \(OpenSSL 3\.'; }
ldd_clean() {
  local libs
  libs=$(ldd "$1")
  printf '%s\n' "$libs"
  ! grep -qi swift <<< "$libs" && ! grep -q 'not found' <<< "$libs"
}
demo_runs() {
  local output
  output=$(cd /tmp && timeout 300 certhook demo) || { printf '%s\n' "$output" | tail -20; return 1; }
  grep -q 'Checks passed' <<< "$output" && grep -q 'no moment without a valid certificate' <<< "$output"
}
man_page() {
  local page=$1 text
  text=$(MANPAGER=cat MANWIDTH=100 man "$page" 2> /dev/null) || return 1
  grep -q '^NAME' <<< "$text" && grep -q "$2" <<< "$text"
}
# complete WORDS...: what bash completion offers for the last word of `certhook WORDS...`.
complete_words() {
  bash -c 'source /usr/share/bash-completion/completions/certhook
    COMP_WORDS=(certhook "$@"); COMP_CWORD=$#; COMP_LINE="certhook $*"; COMP_POINT=${#COMP_LINE}
    _certhook certhook "${!#}" "${COMP_WORDS[COMP_CWORD-1]}"; printf "%s\n" "${COMPREPLY[@]}"' completion "$@"
}
completes_subcommand() { complete_words sy | grep -qx sync; }
completes_option() { complete_words deploy-hook --time | grep -qx -- --timeout; }
completion_files() {
  [ -s /usr/share/zsh/vendor-completions/_certhook ] && grep -q '#compdef certhook' /usr/share/zsh/vendor-completions/_certhook \
    && [ -s /usr/share/fish/vendor_completions.d/certhook.fish ] && grep -q "^complete -c 'certhook'" /usr/share/fish/vendor_completions.d/certhook.fish
}
conffile() { dpkg-query -W -f='${Conffiles}\n' certhook | grep -q '^ */etc/certhook/config.yaml '; }
state_dir() { [ "$(stat -c '%a %U' /var/lib/certhook)" = "700 root" ]; }
config_private() { [ "$(stat -c '%a' /etc/certhook/config.yaml)" = 600 ]; }
hooks_installed() {
  local hook
  for hook in certhook-deploy certhook-lego-hook certhook-dehydrated-hook certhook-uacme certhook-scan-textfile \
    certhook-unit-failed; do
    [ -x "/usr/lib/certhook/$hook" ] || { echo "missing /usr/lib/certhook/$hook"; return 1; }
  done
  [ -f /usr/lib/certhook/acme.sh/certhook.sh ] \
    && /usr/lib/certhook/certhook-deploy --help | grep -q 'RENEWED_LINEAGE'   # finds /usr/bin/certhook on PATH
}
units_installed() {
  grep -q '^ExecStart=/usr/bin/certhook sync' /lib/systemd/system/certhook-sync.service \
    && grep -q '^ExecStart=/usr/lib/certhook/certhook-scan-textfile' /lib/systemd/system/certhook-scan.service \
    && [ -f /lib/systemd/system/certhook-sync.timer ] && [ -f /lib/systemd/system/certhook-scan.timer ] \
    && grep -q '^ExecStart=/usr/bin/certhook audit .*--metrics-file' /lib/systemd/system/certhook-audit.service \
    && [ -f /lib/systemd/system/certhook-audit.timer ] \
    && grep -q '^ExecStart=/usr/lib/certhook/certhook-unit-failed %i' /lib/systemd/system/certhook-unit-failed@.service \
    && grep -q '^OnFailure=certhook-unit-failed@%n.service' /lib/systemd/system/certhook-sync.service
}
docs_installed() { [ -f /usr/share/doc/certhook/hooks.md.gz ] && [ -f /usr/share/doc/certhook/examples/seed.yaml ]; }
purge() { dpkg --purge certhook && [ ! -e /usr/bin/certhook ] && [ ! -e /var/lib/certhook ] && [ ! -e /etc/certhook/config.yaml ]; }
tarball_runs() {
  tar -xzf /tmp/certhook.tar.gz -C /usr/local --strip-components=1 \
    && /usr/local/bin/certhook --version && man_page certhook-sync 'certhook sync' \
    && grep -q '^ExecStart=/usr/local/bin/certhook sync' /usr/local/lib/systemd/system/certhook-sync.service
}

check "the root has no Swift toolchain or runtime" no_toolchain
[ -e /tmp/control-binary ] && check "a toolchain-linked certhook cannot run here (exit 127)" control_fails
check "dpkg -i installs the package with its declared Depends" install_deb
check "certhook --version" version_runs
check "ldd lists no Swift library" ldd_clean /usr/bin/certhook
check "certhook demo" demo_runs
check "man certhook" man_page certhook 'certhook-deploy-hook'
check "man certhook-deploy-hook" man_page certhook-deploy-hook 'RENEWED_LINEAGE'
check "bash completion: certhook sy<TAB> -> sync" completes_subcommand
check "bash completion: certhook deploy-hook --time<TAB> -> --timeout" completes_option
check "zsh and fish completions where Debian looks" completion_files
check "/etc/certhook/config.yaml is a conffile" conffile
check "/etc/certhook/config.yaml is mode 0600" config_private
check "/var/lib/certhook is 0700 root" state_dir
check "hooks in /usr/lib/certhook" hooks_installed
check "systemd units name the installed binary" units_installed
check "docs and quick-start examples in /usr/share/doc/certhook" docs_installed
check "dpkg --purge removes binary, state and conffile" purge
check "the tarball unpacked into /usr/local runs, with man page and units" tarball_runs
echo "package-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
