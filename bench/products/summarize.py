"""The markdown rows of bench/products/run.sh: wall time against the floor the run's own writes set, and per
product how many listeners serve the certificate (from the emulator's state) and the writes it took."""
import collections
import json
import sys
import urllib.request

url, out_path, err_path, t0, t1, rc = sys.argv[1:7]
wall = float(t1) - float(t0)
RATE = 20.0
JOB_DELAY = 0.3
state = json.load(urllib.request.urlopen(url + "/_emulator/state"))
requests = [json.loads(l) for l in urllib.request.urlopen(url + "/_emulator/requests").read().decode().splitlines()
            if l.strip()]

serving = collections.Counter()
total = collections.Counter()
accelerator_of = {}
for lb in state.get("loadBalancers", []):
    product = lb.get("product") or "alb"
    for listener in lb.get("listeners", []):
        if product == "ga":
            accelerator_of[listener["id"]] = lb["id"]
        if listener["protocol"] not in ("HTTPS", "QUIC", "TCPSSL"):
            continue
        total[product] += 1
        extra = [c for c in listener.get("certificates", []) if not c.get("isDefault")]
        if any(c.get("status") == "Associated" for c in extra):
            serving[product] += 1

READS = ("List", "Get", "Describe")
import datetime
def seconds(record):
    stamp = datetime.datetime.fromisoformat(record["time"].replace("Z", "+00:00")).timestamp()
    return stamp - float(t0)
spans = {}
calls = collections.Counter()
for r in requests:
    product = r.get("product") or "alb"
    product = "clb" if product == "slb" else product
    calls[product] += 1
    first, last = spans.get(product, (None, None))
    t = seconds(r)
    spans[product] = (t if first is None else min(first, t), t if last is None else max(last, t))
writes = collections.Counter()
per_accelerator = collections.Counter()
for r in requests:
    if r.get("status") != 200 or r["action"].startswith(READS) or r.get("dryRun"):
        continue
    product = r.get("product") or "alb"
    product = "clb" if product == "slb" else product  # the SLB API serves CLB
    writes[(product, r["action"])] += 1
    if product == "ga":
        per_accelerator[accelerator_of.get(r.get("listenerId") or "", "?")] += 1
floors = {f"{p} {a}": n / RATE for (p, a), n in writes.items()}
ga_serial = max(per_accelerator.values(), default=0) * JOB_DELAY
floor = max(list(floors.values()) + [ga_serial, 0.001])
throttled = sum(1 for line in open(err_path, errors="replace") if "Throttling" in line)

print(f"| wall (s) | floor (s) | vs floor | serving | throttling errors shown | exit |")
print(f"|---|---|---|---|---|---|")
print(f"| {wall:.2f} | {floor:.2f} | {wall / floor:.2f}x | {sum(serving.values())}/{sum(total.values())} | {throttled} | {rc} |")
print()
print("| product | listeners serving | API calls | first / last call (s) | writes (action: accepted calls) |")
print("|---|---|---|---|---|")
for product in ("alb", "nlb", "ga", "clb"):
    if not total.get(product) and not any(p == product for p, _ in writes):
        continue
    detail = ", ".join(f"{a}: {n}" for (p, a), n in sorted(writes.items()) if p == product)
    first, last = spans.get(product, (0.0, 0.0))
    print(f"| {product} | {serving[product]}/{total[product]} | {calls[product]} | {first:.2f} / {last:.2f} | {detail} |")
bound = max(floors.items(), key=lambda kv: kv[1], default=("-", 0))
print()
print(f"floor set by: {bound[0] if bound[1] >= ga_serial else 'GA accelerator serialization'} "
      f"({max(bound[1], ga_serial):.2f} s)")
