#!/usr/bin/env bash
# End-to-end: real ACME clients (pebble, certbot, lego from Debian) issue and renew certificates on
# loopback and call certhook's deploy hook through the files in hooks/, against `certhook emulator`.
# Afterwards the emulator's state and event log must show: every target listener serves the renewed
# certificate, the predecessor is retired, CAS holds exactly one copy of each, and no listener was ever
# without a valid certificate for a configured domain.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/Tests/e2e/lib.sh"

for tool in pebble certbot lego openssl curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install -y pebble certbot lego)"
done
bin_dir=$(cd "$root" && swift build --show-bin-path)
[ -x "$bin_dir/certhook" ] || fail "build certhook first: swift build --product certhook"
export PATH="$bin_dir:$PATH"

work=$(mktemp -d /tmp/certhook-e2e.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$E2E_FAILED" -eq 0 ] && [ -z "${KEEP_E2E:-}" ]; then rm -rf "$work"; else log "work files kept in $work"; fi
}
trap cleanup EXIT

start_pebble "$work/pebble"
pids+=("$PEBBLE_PID")

# One emulator per ACME client, so each run starts from an empty CAS.
write_seed() {
  cat > "$1" <<YAML
region: cn-hangzhou
accessKeys:
  - id: e2e-key
    secret: e2e-secret-not-real
loadBalancers:
  - id: alb-e2e-1
    edition: Standard
    listeners:
      - {id: lsr-e2e-1-https, protocol: HTTPS, port: 443}
      - {id: lsr-e2e-1-quic, protocol: QUIC, port: 443}
  - id: alb-e2e-2
    edition: Basic
    listeners:
      - {id: lsr-e2e-2-https, protocol: HTTPS, port: 443}
      - {id: lsr-e2e-2-http, protocol: HTTP, port: 80}
YAML
}

write_config() {
  cat > "$1" <<YAML
version: 1
region: cn-hangzhou
statePath: $2
deployments:
  - name: example
    domains: [example.test, www.example.test]
    targets:
      - listener: lsr-e2e-1-https
      - listener: lsr-e2e-1-quic
      - loadBalancer: alb-e2e-2
YAML
  chmod 600 "$1"
}

use_emulator() {
  local dir=$1
  write_seed "$dir/seed.yaml"
  start_emulator "$dir" "$dir/seed.yaml" --job-delay 300
  write_config "$dir/config.yaml" "$dir/state.json"
  export CERTHOOK_CONFIG="$dir/config.yaml"
  export CERTHOOK_ALB_ENDPOINT="$EMULATOR_URL" CERTHOOK_CAS_ENDPOINT="$EMULATOR_URL"
  export ALIBABA_CLOUD_ACCESS_KEY_ID=e2e-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=e2e-secret-not-real
  export CERTHOOK_HOOK_TIMEOUT=100
}

# verify DIR LEAF_PEM [PREVIOUS_LEAF_PEM]: the emulator serves LEAF on every target listener, has retired
# PREVIOUS, holds one CAS copy of each, and its event log shows no gap in coverage.
verify() {
  python3 "$root/Tests/e2e/check_emulator.py" --url "$EMULATOR_URL" \
    --listeners lsr-e2e-1-https,lsr-e2e-1-quic,lsr-e2e-2-https \
    --domains example.test,www.example.test --serving "$2" ${3:+--retired "$3"}
}

certbot_flow() {
  local dir="$work/certbot"; mkdir -p "$dir"
  use_emulator "$dir"
  export REQUESTS_CA_BUNDLE="$PEBBLE_CA"
  local cb=(--config-dir "$dir/cb/config" --work-dir "$dir/cb/work" --logs-dir "$dir/cb/logs" --non-interactive)
  certbot certonly "${cb[@]}" --standalone --http-01-port "$PEBBLE_HTTP_PORT" --http-01-address 127.0.0.1 \
    --server "$PEBBLE_DIR_URL" --register-unsafely-without-email --agree-tos \
    -d example.test -d www.example.test --deploy-hook "$root/hooks/certbot/certhook-deploy" > "$dir/issue.log" 2>&1
  # certbot exits 0 even when the deploy hook fails: the emulator's state is the judge.
  local live="$dir/cb/config/live/example.test"
  cp "$live/cert.pem" "$dir/first.pem"
  verify "$dir" "$dir/first.pem" || { cat "$dir/issue.log" >&2; return 1; }
  certbot renew "${cb[@]}" --force-renewal --no-random-sleep-on-renew \
    --deploy-hook "$root/hooks/certbot/certhook-deploy" > "$dir/renew.log" 2>&1
  cmp -s "$live/cert.pem" "$dir/first.pem" && { log "certbot did not renew"; return 1; }
  verify "$dir" "$live/cert.pem" "$dir/first.pem" || { cat "$dir/renew.log" >&2; return 1; }
  # Negative control: the checker must notice that the first certificate is no longer served.
  if verify "$dir" "$dir/first.pem" 2>/dev/null; then log "checker accepted a retired certificate"; return 1; fi
}

lego_flow() {
  local dir="$work/lego"; mkdir -p "$dir"
  use_emulator "$dir"
  export LEGO_CA_CERTIFICATES="$PEBBLE_CA"
  local lg=(--server "$PEBBLE_DIR_URL" --accept-tos --email a@example.test --path "$dir/lego" --http
    --http.port "127.0.0.1:$PEBBLE_HTTP_PORT" -d example.test -d www.example.test)
  lego "${lg[@]}" run --run-hook "$root/hooks/lego/certhook-lego-hook" > "$dir/issue.log" 2>&1 \
    || { cat "$dir/issue.log" >&2; return 1; }
  local crt="$dir/lego/certificates/example.test.crt"
  openssl x509 -in "$crt" -out "$dir/first.pem"
  verify "$dir" "$dir/first.pem" || { cat "$dir/issue.log" >&2; return 1; }
  lego "${lg[@]}" renew --days 100000 --no-random-sleep --renew-hook "$root/hooks/lego/certhook-lego-hook" \
    > "$dir/renew.log" 2>&1 || { cat "$dir/renew.log" >&2; return 1; }
  openssl x509 -in "$crt" -out "$dir/second.pem"
  cmp -s "$dir/second.pem" "$dir/first.pem" && { log "lego did not renew"; return 1; }
  verify "$dir" "$dir/second.pem" "$dir/first.pem" || { cat "$dir/renew.log" >&2; return 1; }
  if verify "$dir" "$dir/first.pem" 2>/dev/null; then log "checker accepted a retired certificate"; return 1; fi
}

check "certbot issue + renew through hooks/certbot/certhook-deploy" certbot_flow
check "lego issue + renew through hooks/lego/certhook-lego-hook" lego_flow
summary
