#!/usr/bin/env bash
# End-to-end: real ACME clients (certbot, lego, dehydrated and uacme from Debian; acme.sh 3.1.4 from
# shared/tools) issue and renew certificates from Debian's pebble on loopback and call certhook through the
# files in hooks/, against `certhook emulator`.
# Afterwards the emulator's state and event log must show: every target listener serves the renewed
# certificate, the predecessor is retired, CAS holds exactly one copy of each, and no listener was ever
# without a valid certificate for a configured domain.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/Tests/e2e/lib.sh"

for tool in pebble certbot lego dehydrated uacme openssl curl python3 unshare; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install -y pebble certbot lego dehydrated uacme)"
done
# acme.sh is not a Debian package: the released script (3.1.4) sits in shared/tools beside the repository.
acme_sh_script=""
for candidate in "${ACME_SH:-}" "$root/../shared/tools/acme.sh" "$root/../../shared/tools/acme.sh"; do
  if [ -n "$candidate" ] && [ -f "$candidate" ]; then acme_sh_script=$(cd "$(dirname "$candidate")" && pwd)/acme.sh; break; fi
done
[ -n "$acme_sh_script" ] || fail "acme.sh not found: set ACME_SH to the released acme.sh script (shared/tools/acme.sh)"
# CERTHOOK_BIN_DIR runs the suite against another build (e.g. the release binary).
bin_dir=${CERTHOOK_BIN_DIR:-$(cd "$root" && swift build --show-bin-path)}
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
  # The hooks read /etc/certhook/credentials.env when it exists: never this machine's real one.
  export CERTHOOK_CREDENTIALS="$dir/no-credentials.env"
}

# credentials_from_file DIR: the AccessKey only in DIR/credentials.env (as /etc/certhook/credentials.env on a
# server), not in the ACME client's environment: the hook file must read it.
credentials_from_file() {
  printf 'ALIBABA_CLOUD_ACCESS_KEY_ID=%s\nALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n' \
    "$ALIBABA_CLOUD_ACCESS_KEY_ID" "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" > "$1/credentials.env"
  chmod 600 "$1/credentials.env"
  export CERTHOOK_CREDENTIALS="$1/credentials.env"
  unset ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET
}

# renewed NAME FIRST SECOND: the client wrote a new leaf (else the renewal proved nothing).
renewed() {
  if cmp -s "$2" "$3"; then log "$1 did not renew"; return 1; fi
}

# retired_not_served DIR FIRST: negative control, the checker must notice the first certificate is gone.
retired_not_served() {
  if verify "$1" "$2" 2>/dev/null; then log "checker accepted a retired certificate"; return 1; fi
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
  credentials_from_file "$dir"
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

acme_sh_flow() {
  local dir="$work/acme.sh"; mkdir -p "$dir"
  use_emulator "$dir"
  credentials_from_file "$dir"
  # A local install into a temporary home: no network, no cron job, no profile change.
  # acme.sh --install copies ./acme.sh from its working directory.
  local home="$dir/home"
  mkdir -p "$dir/src" && cp "$acme_sh_script" "$dir/src/acme.sh"
  (cd "$dir/src" && sh ./acme.sh --install --home "$home" --config-home "$home" --cert-home "$home/certs" \
    --nocron --noprofile --accountemail a@example.test) > "$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; return 1; }
  [ -x "$home/acme.sh" ] || { log "acme.sh --install made no $home/acme.sh"; return 1; }
  install -D -m 0644 "$root/hooks/acme.sh/certhook.sh" "$home/deploy/certhook.sh"
  local as=(--home "$home" --config-home "$home" --cert-home "$home/certs" --server "$PEBBLE_DIR_URL"
    --ca-bundle "$PEBBLE_CA" --nocron --noprofile)
  mkdir -p "$dir/webroot"
  "$home/acme.sh" --issue "${as[@]}" -d example.test -d www.example.test --webroot "$dir/webroot" \
    > "$dir/issue.log" 2>&1 || { cat "$dir/issue.log" >&2; return 1; }
  # The hook's settings are saved per domain by acme.sh on the first deploy and reused on renewal.
  DEPLOY_CERTHOOK_CONFIG="$CERTHOOK_CONFIG" "$home/acme.sh" --deploy "${as[@]}" -d example.test --ecc \
    --deploy-hook certhook > "$dir/deploy.log" 2>&1 || { cat "$dir/deploy.log" >&2; return 1; }
  local crt="$home/certs/example.test_ecc/example.test.cer"
  openssl x509 -in "$crt" -out "$dir/first.pem"
  verify "$dir" "$dir/first.pem" || { cat "$dir/deploy.log" >&2; return 1; }
  env -u DEPLOY_CERTHOOK_CONFIG "$home/acme.sh" --renew "${as[@]}" -d example.test --ecc --force \
    > "$dir/renew.log" 2>&1 || { cat "$dir/renew.log" >&2; return 1; }
  openssl x509 -in "$crt" -out "$dir/second.pem"
  renewed acme.sh "$dir/first.pem" "$dir/second.pem"
  verify "$dir" "$dir/second.pem" "$dir/first.pem" || { cat "$dir/renew.log" >&2; return 1; }
  retired_not_served "$dir" "$dir/first.pem"
}

dehydrated_flow() {
  local dir="$work/dehydrated"; mkdir -p "$dir/dh/wellknown"
  use_emulator "$dir"
  export CURL_CA_BUNDLE="$PEBBLE_CA"
  cat > "$dir/dh/config" <<CONFIG
CA="$PEBBLE_DIR_URL"
BASEDIR="$dir/dh"
WELLKNOWN="$dir/dh/wellknown"
DOMAINS_TXT="$dir/dh/domains.txt"
CHALLENGETYPE="http-01"
KEY_ALGO=prime256v1
HOOK="$root/hooks/dehydrated/certhook-dehydrated-hook"
CONFIG
  echo "example.test www.example.test" > "$dir/dh/domains.txt"
  local dh=(--config "$dir/dh/config")
  dehydrated "${dh[@]}" --register --accept-terms > "$dir/register.log" 2>&1 || { cat "$dir/register.log" >&2; return 1; }
  # dehydrated stops with an error when its hook fails, so its exit status is checked too.
  dehydrated "${dh[@]}" --cron > "$dir/issue.log" 2>&1 || { cat "$dir/issue.log" >&2; return 1; }
  local crt="$dir/dh/certs/example.test/cert.pem"
  openssl x509 -in "$crt" -out "$dir/first.pem"
  verify "$dir" "$dir/first.pem" || { cat "$dir/issue.log" >&2; return 1; }
  dehydrated "${dh[@]}" --cron --force > "$dir/renew.log" 2>&1 || { cat "$dir/renew.log" >&2; return 1; }
  openssl x509 -in "$crt" -out "$dir/second.pem"
  renewed dehydrated "$dir/first.pem" "$dir/second.pem"
  verify "$dir" "$dir/second.pem" "$dir/first.pem" || { cat "$dir/renew.log" >&2; return 1; }
  retired_not_served "$dir" "$dir/first.pem"
}

uacme_flow() {
  local dir="$work/uacme"; mkdir -p "$dir"
  use_emulator "$dir"
  # uacme takes no CA option: libcurl trusts /etc/ssl/certs/ca-certificates.crt. A private mount namespace
  # puts pebble's CA there for uacme (and the certhook it runs) alone; the machine's trust store is untouched.
  cat > "$dir/trust-pebble" <<'SHIM'
#!/bin/sh
set -e
ca=$1; shift
mount -t tmpfs -o mode=0755 uacme-trust /etc/ssl/certs
cp "$ca" /etc/ssl/certs/ca-certificates.crt
exec "$@"
SHIM
  # pebble validates nothing here (PEBBLE_VA_ALWAYS_VALID), so the challenge hook only accepts.
  printf '#!/bin/sh\nexit 0\n' > "$dir/accept-challenge"
  chmod 0755 "$dir/trust-pebble" "$dir/accept-challenge"
  local ua=(-a "$PEBBLE_DIR_URL" -c "$dir/uacme" -t EC -y -h "$dir/accept-challenge")
  unshare --mount --propagation private "$dir/trust-pebble" "$PEBBLE_CA" uacme "${ua[@]}" new a@example.test \
    > "$dir/register.log" 2>&1 || { cat "$dir/register.log" >&2; return 1; }
  unshare --mount --propagation private "$dir/trust-pebble" "$PEBBLE_CA" \
    "$root/hooks/uacme/certhook-uacme" "${ua[@]}" issue example.test www.example.test > "$dir/issue.log" 2>&1 \
    || { cat "$dir/issue.log" >&2; return 1; }
  local crt="$dir/uacme/example.test/cert.pem"
  openssl x509 -in "$crt" -out "$dir/first.pem"
  verify "$dir" "$dir/first.pem" || { cat "$dir/issue.log" >&2; return 1; }
  # Not due: uacme exits 1 and the wrapper deploys nothing and passes the 1 on.
  local rc=0
  unshare --mount --propagation private "$dir/trust-pebble" "$PEBBLE_CA" \
    "$root/hooks/uacme/certhook-uacme" "${ua[@]}" issue example.test www.example.test > "$dir/not-due.log" 2>&1 || rc=$?
  [ "$rc" -eq 1 ] || { log "uacme wrapper: a certificate not due gave exit $rc, want 1"; cat "$dir/not-due.log" >&2; return 1; }
  unshare --mount --propagation private "$dir/trust-pebble" "$PEBBLE_CA" \
    "$root/hooks/uacme/certhook-uacme" "${ua[@]}" -f issue example.test www.example.test > "$dir/renew.log" 2>&1 \
    || { cat "$dir/renew.log" >&2; return 1; }
  openssl x509 -in "$crt" -out "$dir/second.pem"
  renewed uacme "$dir/first.pem" "$dir/second.pem"
  verify "$dir" "$dir/second.pem" "$dir/first.pem" || { cat "$dir/renew.log" >&2; return 1; }
  retired_not_served "$dir" "$dir/first.pem"
}

# docs/quick-start.md step by step with the files it names in docs/examples (only the port differs).
quick_start_flow() {
  local dir="$work/quick-start" examples="$root/docs/examples"; mkdir -p "$dir"
  start_emulator "$dir" "$examples/seed.yaml" --job-delay 300
  export ALIBABA_CLOUD_ACCESS_KEY_ID=testid ALIBABA_CLOUD_ACCESS_KEY_SECRET=testsecret ALIBABA_CLOUD_REGION_ID=cn-hangzhou
  export CERTHOOK_ALB_ENDPOINT="$EMULATOR_URL" CERTHOOK_CAS_ENDPOINT="$EMULATOR_URL"
  cd "$dir"
  # As written, except --state: the page's commands would share this machine's /var/lib/certhook cache.
  certhook listeners | grep -q '^lsr-h2-https  alb-h2' || { log "quick start: seed listeners missing"; return 1; }
  sh "$examples/make-quick-start-certs.sh" > /dev/null
  certhook upload live/example.test/cert.pem --key live/example.test/privkey.pem --chain live/example.test/chain.pem \
    --state "$dir/state.json" > upload.log
  certhook attach --cert live/example.test/cert.pem --load-balancer alb-h1 --state "$dir/state.json" | grep -q 'summary: 2 listeners: 2 updated'
  printf 'version: 1\nregion: cn-hangzhou\nstatePath: %s\ndeployments:\n  - name: example\n    domains: [example.test, www.example.test]\n    targets:\n      - listener: lsr-h1-https\n      - loadBalancer: alb-h2\n' \
    "$dir/state.json" > config.yaml
  chmod 600 config.yaml
  sh "$examples/make-quick-start-certs.sh" renew > /dev/null
  RENEWED_LINEAGE=$PWD/live/example.test RENEWED_DOMAINS="example.test www.example.test" \
    certhook deploy-hook --config config.yaml > deploy.log
  grep -q 'summary: 2 listeners: 2 updated' deploy.log || { cat deploy.log >&2; return 1; }
  certhook sync --config config.yaml | grep -q 'summary: 2 listeners: 2 unchanged'
}

check "docs/quick-start.md with docs/examples (seed, certificates, renewal)" quick_start_flow
check "certbot issue + renew through hooks/certbot/certhook-deploy" certbot_flow
check "lego issue + renew through hooks/lego/certhook-lego-hook" lego_flow
check "acme.sh issue + deploy + renew through hooks/acme.sh/certhook.sh" acme_sh_flow
check "dehydrated issue + renew through hooks/dehydrated/certhook-dehydrated-hook" dehydrated_flow
check "uacme issue + renew through hooks/uacme/certhook-uacme" uacme_flow
summary
