#!/usr/bin/env bash
# Shared helpers for certhook's end-to-end tests: free ports, a pebble ACME CA on loopback,
# the certhook emulator as a process, and polling. Sourced, not run.
set -euo pipefail

E2E_PASSED=0
E2E_FAILED=0

# CERTHOOK_BIN, or the release build of certhook (built first) when it is not set.
release_certhook() {
  if [ -z "${CERTHOOK_BIN:-}" ]; then
    (cd "$root" && swift build -c release --product certhook >&2)
    CERTHOOK_BIN="$(cd "$root" && swift build -c release --show-bin-path)/certhook"
  fi
}

log() { printf '[e2e %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

# free_port: an unused TCP port on 127.0.0.1, chosen by the kernel.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_url URL SECONDS [CURL_ARGS...]: poll until the URL answers (a fixed sleep is flaky).
wait_for_url() {
  local url=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until curl -fsS -o /dev/null "$@" "$url" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# start_pebble DIR: a pebble CA with its own TLS certificate for 127.0.0.1/localhost.
# Sets PEBBLE_DIR_URL, PEBBLE_CA (the file that verifies pebble's HTTPS), PEBBLE_HTTP_PORT, PEBBLE_PID.
start_pebble() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=e2e pebble TLS CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/tls.ext"
  openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile "$dir/tls.ext" -out "$dir/tls.pem" 2>/dev/null
  local acme_port mgmt_port
  acme_port=$(free_port); mgmt_port=$(free_port); PEBBLE_HTTP_PORT=$(free_port)
  local tls_port; tls_port=$(free_port)
  cat > "$dir/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$acme_port", "managementListenAddress": "127.0.0.1:$mgmt_port",
 "certificate": "$dir/tls.pem", "privateKey": "$dir/tls.key", "httpPort": $PEBBLE_HTTP_PORT, "tlsPort": $tls_port,
 "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
  PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    pebble -config "$dir/pebble.json" -dnsserver 127.0.0.1:1 > "$dir/pebble.log" 2>&1 &
  PEBBLE_PID=$!
  PEBBLE_DIR_URL="https://127.0.0.1:$acme_port/dir"
  PEBBLE_CA="$dir/ca.pem"
  wait_for_url "$PEBBLE_DIR_URL" 30 --cacert "$PEBBLE_CA" || { cat "$dir/pebble.log" >&2; fail "pebble did not start"; }
  log "pebble at $PEBBLE_DIR_URL"
}

# start_emulator DIR SEED [ARGS...]: `certhook emulator` on a kernel-chosen port.
# Sets EMULATOR_URL and EMULATOR_PID. EMULATOR_START_TIMEOUT (seconds, default 30) bounds the wait (a seed of
# thousands of listeners takes longer on a loaded machine).
start_emulator() {
  local dir=$1 seed=$2; shift 2
  mkdir -p "$dir"
  certhook emulator --listen 127.0.0.1:0 --seed "$seed" "$@" > "$dir/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  local deadline=$((SECONDS + ${EMULATOR_START_TIMEOUT:-30}))
  EMULATOR_URL=""
  while [ -z "$EMULATOR_URL" ]; do
    EMULATOR_URL=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$dir/emulator.log" 2>/dev/null || true)
    [ $SECONDS -lt $deadline ] || { cat "$dir/emulator.log" >&2; fail "emulator did not start"; }
    kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$dir/emulator.log" >&2; fail "emulator exited"; }
    [ -n "$EMULATOR_URL" ] || sleep 0.2
  done
  log "emulator at $EMULATOR_URL"
}

# check NAME COMMAND...: run one named end-to-end case and count it.
# Each case runs in a subshell with errexit in force (an `if ( ... )` would switch it off) and stops
# the emulator it started, whatever happens.
check() {
  local name=$1; shift
  local rc
  set +e
  ( set -e; trap 'kill "${EMULATOR_PID:-}" 2>/dev/null || true' EXIT; "$@" )
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    E2E_PASSED=$((E2E_PASSED + 1)); log "ok: $name"
  else
    E2E_FAILED=$((E2E_FAILED + 1)); log "not ok: $name (exit $rc)"
  fi
}

summary() {
  echo "e2e: $E2E_PASSED passed, $E2E_FAILED failed"
  [ "$E2E_FAILED" -eq 0 ]
}
