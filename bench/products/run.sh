#!/usr/bin/env bash
# Benchmark (issue 13): the 200-listener batch of bench/attach with 50 listeners of each product: 5 ALB
# instances, 5 NLB instances, 5 Global Accelerators and 5 CLB instances of 10 certificate-carrying listeners
# each, one `certhook attach` naming all 20 against `certhook emulator --latency 20 --job-delay 300
# --rate-limit 20/1s` (every write action of every product limited to 20 per second).
# Floor, from what the run had to send: for each write action, its accepted calls / 20 per second; GA also
# serializes the calls on one accelerator (each waits until the accelerator is active again, a job delay),
# so an accelerator's calls x 0.3 s; the floor is the largest of these, since products and actions run side by
# side. Printed with what each product's listeners serve at the end.
# Usage: bench/products/run.sh     (CERTHOOK_BIN=path skips the release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/Tests/e2e/lib.sh"
cd "$root"
if [ -z "${CERTHOOK_BIN:-}" ]; then
  swift build -c release --product certhook >&2
  CERTHOOK_BIN="$(swift build -c release --show-bin-path)/certhook"
fi
export PATH="$(dirname "$CERTHOOK_BIN"):$PATH"

work=$(mktemp -d /tmp/certhook-bench-products.XXXXXX)
trap 'kill "${EMULATOR_PID:-}" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

python3 - "$work/seed.yaml" <<'PY'
import sys
lines = ["region: cn-hangzhou", "accessKeys:", "  - {id: bench-key, secret: bench-secret-not-real}", "loadBalancers:"]
for lb in range(1, 6):
    lines += [f"  - id: alb-bench-{lb:02d}", "    edition: Standard", "    listeners:"]
    lines += [f"      - {{id: lsr-bench-{lb:02d}-{l:02d}, protocol: HTTPS, port: {8000 + l}}}" for l in range(1, 11)]
    lines += [f"  - id: nlb-bench-{lb:02d}", "    product: nlb", "    listeners:"]
    lines += [f"      - {{id: lsn-bench-{lb:02d}-{l:02d}, protocol: TCPSSL, port: {8000 + l}}}" for l in range(1, 11)]
    lines += [f"  - id: ga-bench-{lb:02d}", "    product: ga", "    listeners:"]
    lines += [f"      - {{id: lsr-gabench-{lb:02d}-{l:02d}, protocol: HTTPS, port: {8000 + l}}}" for l in range(1, 11)]
    lines += [f"  - id: lb-bench-{lb:02d}", "    product: clb", "    listeners:"]
    lines += [f"      - {{id: '', protocol: HTTPS, port: {8000 + l}}}" for l in range(1, 11)]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 -subj "/CN=bench.example.test" \
  -addext "subjectAltName=DNS:bench.example.test,DNS:www.bench.example.test" -addext "extendedKeyUsage=serverAuth" -addext "basicConstraints=critical,CA:FALSE" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

export ALIBABA_CLOUD_ACCESS_KEY_ID=bench-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=bench-secret-not-real
targets=()
for lb in 01 02 03 04 05; do
  targets+=(--load-balancer "alb-bench-$lb" --nlb-load-balancer "nlb-bench-$lb" --ga-accelerator "ga-bench-$lb"
    --clb-load-balancer "lb-bench-$lb")
done

start_emulator "$work/run" "$work/seed.yaml" --latency 20 --job-delay 300 --rate-limit 20/1s
for product in ALB CAS NLB GA SLB; do export "CERTHOOK_${product}_ENDPOINT=$EMULATOR_URL"; done
rc=0
t0=$(date +%s.%N)
certhook attach --cert "$work/cert.pem" --key "$work/key.pem" "${targets[@]}" --json > "$work/out.json" 2> "$work/err.txt" || rc=$?
t1=$(date +%s.%N)
[ "$rc" -eq 0 ] || sed 's/^/certhook: /' "$work/err.txt" | tail -5 >&2
python3 "$root/bench/products/summarize.py" "$EMULATOR_URL" "$work/out.json" "$work/err.txt" "$t0" "$t1" "$rc"
[ -z "${KEEP:-}" ] || curl -s "$EMULATOR_URL/_emulator/requests" > "$work/requests.ndjson"
kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null || true
