#!/usr/bin/env bash
# libFuzzer suite (issue 5, promise 5): builds one fuzzer per target with `swiftc -sanitize=fuzzer,address`
# straight from the module sources (CertificateKit; CertHookCore's configuration decoder with Yams/CYaml
# from SwiftPM's checkout), then runs each for a bounded time over the committed corpus.
#
#   Fuzz/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]      default 60 s; targets: certificate private-key configuration
#
# Nothing here touches SwiftPM's .build: objects go to $FUZZ_BUILD (default /tmp/certhook-fuzz-build), so
# `swift build` / `swift test` are unaffected. New crashers are copied into Fuzz/corpus/<target>/ (the replay
# tests in CertificateKitTests and CertHookCoreTests then run them forever) and fail the suite.
# Last line: "N passed, N failed" (one per target: passed = built, ran its time, found nothing).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
log() { printf '[fuzz] %s\n' "$*" >&2; }
SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(certificate private-key configuration)
B=${FUZZ_BUILD:-/tmp/certhook-fuzz-build}
SAN=${FUZZ_SANITIZERS:-fuzzer,address}
mkdir -p "$B"
# One run at a time per build folder (objects, corpora and logs are shared): a second run waits up to 5
# minutes, then builds in a private folder instead.
exec 9> "$B/.lock"
if ! flock -w 300 9; then
  log "$B is busy (another run holds $B/.lock); building in a private folder"
  exec 9>&-
  B=$(mktemp -d /tmp/certhook-fuzz-build.XXXXXX)
fi
mkdir -p "$B/modules" "$B/obj" "$B/bin"
YAMS=$ROOT/.build/checkouts/Yams/Sources
SWIFTFLAGS=(-parse-as-library -Onone -g -sanitize="$SAN" -I "$B/modules" -I "$ROOT/Sources/COpenSSL" -I "$YAMS/CYaml/include" -Xcc -DYAML_DECLARE_STATIC)
passed=0
failed=0

# Compiles one Swift module (all its sources, whole-module) into $B/modules + one object file.
module() { # name swift-version sources... (extra flags via MODFLAGS)
  local name=$1 version=$2
  shift 2
  swiftc "${SWIFTFLAGS[@]}" -swift-version "$version" -module-name "$name" -wmo "${MODFLAGS[@]}" \
    -emit-module -emit-module-path "$B/modules/$name.swiftmodule" -emit-object -o "$B/obj/$name.o" "$@"
}

build_certificatekit() {
  [ -f "$B/obj/CertificateKit.o" ] && [ -z "$(find "$ROOT/Sources/CertificateKit" -newer "$B/obj/CertificateKit.o" -name '*.swift')" ] && return 0
  log "compiling CertificateKit"
  MODFLAGS=()
  module CertificateKit 6 $(find "$ROOT/Sources/CertificateKit" -name '*.swift' | sort)
}

build_yams() {
  [ -f "$B/obj/Yams.o" ] && return 0
  [ -d "$YAMS/CYaml" ] || { log "missing $YAMS (run swift build once to fetch dependencies)"; return 1; }
  log "compiling CYaml and Yams"
  local c
  for c in "$YAMS"/CYaml/src/*.c; do
    clang -c -O1 -g -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC -I "$YAMS/CYaml/include" \
      "$c" -o "$B/obj/CYaml-$(basename "$c" .c).o" || return 1
  done
  MODFLAGS=(-D SWIFT_PACKAGE -I "$YAMS/CYaml/include" -Xcc -DYAML_DECLARE_STATIC)
  module Yams 5 $(find "$YAMS/Yams" -name '*.swift' | sort)
}

# CertHookCore's configuration slice: every file of Sources/CertHookCore/Configuration (the decoder and its
# model, which import only Foundation and Yams), the module's error type, the listener keys targets decode into
# (their product and parts), and the `resolve:` parser the decoder checks `verify: tls` settings with.
core_files() {
  find "$ROOT/Sources/CertHookCore/Configuration" -name '*.swift' | sort
  echo "$ROOT/Sources/CertHookCore/Support/CertHookError.swift"
  echo "$ROOT/Sources/CertHookCore/Cloud/Products/ListenerProduct.swift"
  echo "$ROOT/Sources/CertHookCore/Cloud/Products/ListenerAddress.swift"
  echo "$ROOT/Sources/CertHookCore/Probe/ProbeResolution.swift"
  echo "$ROOT/Sources/CertHookCore/Probe/ProbeFailure.swift"
}

build_core_configuration() {
  local files
  mapfile -t files < <(core_files)
  if [ -f "$B/obj/CertHookCore.o" ] && [ -z "$(find "${files[@]}" -newer "$B/obj/CertHookCore.o")" ]; then
    return 0
  fi
  log "compiling CertHookCore (configuration slice: ${#files[@]} files)"
  MODFLAGS=(-D SWIFT_PACKAGE -I "$YAMS/CYaml/include" -Xcc -DYAML_DECLARE_STATIC)
  module CertHookCore 6 "${files[@]}"
}

link_target() { # target harness objects...
  local target=$1 harness=$2
  shift 2
  log "linking $target"
  swiftc "${SWIFTFLAGS[@]}" -swift-version 6 -module-name "FuzzHarness" "$ROOT/Fuzz/Targets/$harness" "$@" \
    -lssl -lcrypto -o "$B/bin/$target" > "$B/link-$target.log" 2>&1 || { grep -v 'ld.gold: warning' "$B/link-$target.log" | head -40 >&2; return 1; }
}

build_target() {
  case $1 in
    certificate) build_certificatekit && link_target certificate CertificateFuzzTarget.swift "$B/obj/CertificateKit.o" ;;
    private-key) build_certificatekit && link_target private-key PrivateKeyFuzzTarget.swift "$B/obj/CertificateKit.o" ;;
    configuration)
      build_yams && build_core_configuration &&
        link_target configuration ConfigurationFuzzTarget.swift "$ROOT/Tests/CertHookCoreTests/Support/SecretCandidates.swift" \
          "$B/obj/CertHookCore.o" "$B/obj/Yams.o" "$B"/obj/CYaml-*.o ;;
    *) log "unknown target $1"; return 1 ;;
  esac
}

for target in "${TARGETS[@]}"; do
  start=$(date +%s)
  if ! build_target "$target"; then
    log "$target: BUILD FAILED"
    failed=$((failed + 1))
    continue
  fi
  built=$(date +%s)
  work=$B/work/$target
  artifacts=$B/artifacts/$target
  rm -rf "$artifacts" && mkdir -p "$work" "$artifacts" "$ROOT/Fuzz/corpus/$target"
  dict=()
  [ -f "$ROOT/Fuzz/dict/$target.dict" ] && dict=(-dict="$ROOT/Fuzz/dict/$target.dict")
  # The fuzzer reports crashes itself: no Swift backtracer (it could outlive the run holding the lock).
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 "$B/bin/$target" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$work" "$ROOT/Fuzz/corpus/$target" > "$B/$target.log" 2>&1 9>&-
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/$target.log" | grep -o '[0-9]*$' | tail -1)
  crashers=$(find "$artifacts" -type f | wc -l)
  for crash in "$artifacts"/*; do
    [ -f "$crash" ] || continue
    cp "$crash" "$ROOT/Fuzz/corpus/$target/$(basename "$crash")"
    log "$target: NEW CRASHER saved for replay (fix it, then commit it): Fuzz/corpus/$target/$(basename "$crash")"
  done
  cov=$(grep -o "cov: [0-9]*" "$B/$target.log" | tail -1 | grep -o "[0-9]*")
  corpus=$(find "$work" -type f | wc -l)
  echo "fuzz $target: build $((built - start)) s, fuzz $(($(date +%s) - built)) s, ${runs:-0} executions, coverage ${cov:-0} edges, corpus $corpus, exit $status, $crashers new crashers"
  if [ "$status" -eq 0 ] && [ "$crashers" -eq 0 ]; then
    passed=$((passed + 1))
  else
    grep -E 'ERROR|Fatal error|SUMMARY|==[0-9]+==' "$B/$target.log" | head -20 >&2
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
