"""Figures for bench/rotation/run.sh: wall time of the timed sync against the floor the emulator's limits allow,
convergence (from the emulator's state) and what the emulator saw (from its request log, timed run only)."""
import argparse
import collections
import json
import os
import subprocess
import urllib.request

p = argparse.ArgumentParser()
p.add_argument("url")
p.add_argument("mark", type=int, help="requests before the timed run")
p.add_argument("cert")
p.add_argument("t0", type=float)
p.add_argument("t1", type=float)
p.add_argument("rc")
p.add_argument("--latency-ms", type=float, default=20)
p.add_argument("--job-delay-ms", type=float, default=300)
p.add_argument("--rate", type=float, default=20, help="emulator --rate-limit per second for the mutating actions")
a = p.parse_args()

WRITES = {"AssociateAdditionalCertificatesWithListener", "DissociateAdditionalCertificatesFromListener",
          "UpdateListenerAttribute", "UploadUserCertificate", "DeleteUserCertificate"}
# The emulator's per-action limits (docs/emulator.md): --rate-limit replaces the mutating ones.
def limit(action):
    if action in WRITES:
        return a.rate
    return {"ListUserCertificateOrder": 10.0}.get(action, 100.0)

wall = a.t1 - a.t0
fp = subprocess.run(["openssl", "x509", "-in", a.cert, "-noout", "-fingerprint", "-sha256"], capture_output=True,
                    text=True, check=True).stdout.split("=", 1)[1].strip().replace(":", "").upper()
state = json.load(urllib.request.urlopen(a.url + "/_emulator/state"))
new_ids = {c["certIdentifier"] for c in state["certificates"] if c.get("sha2", "").upper() == fp}
listeners = serving = with_old = 0
for lb in state["loadBalancers"]:
    for l in lb["listeners"]:
        listeners += 1
        extra = [c for c in l.get("certificates", []) if c["certificateId"] not in (l.get("defaultCertificateId"),)]
        if any(c["certificateId"] in new_ids and c.get("status") == "Associated" for c in extra):
            serving += 1
        if any(c["certificateId"] not in new_ids for c in extra):
            with_old += 1

# /_emulator/requests is NDJSON: one request a line.
raw = urllib.request.urlopen(a.url + "/_emulator/requests").read().decode()
log = [json.loads(l) for l in raw.splitlines() if l.strip()][a.mark:]
if os.environ.get("BENCH_REQUEST_LOG"):  # keep the timed run's request log for analysis
    with open(os.environ["BENCH_REQUEST_LOG"], "w") as f:
        f.write("\n".join(json.dumps(r) for r in log) + "\n")
calls = collections.Counter(r["action"] for r in log if not r.get("dryRun"))
refused = sum(1 for r in log if (r.get("code") or "").startswith("ResourceQuotaExceeded"))
throttled = sum(1 for r in log if "Throttling" in (r.get("code") or ""))
busy = sum(1 for r in log if r.get("code") in ("IncorrectStatus.Listener", "ResourceInConfiguring.Listener"))

# Floor: the calls a converging run cannot avoid (one associate and one dissociate per listener, one certificate
# list per listener to plan), each over its limit; the largest, plus the job time of the last wave.
needed = {"AssociateAdditionalCertificatesWithListener": listeners, "DissociateAdditionalCertificatesFromListener": listeners,
          "ListListenerCertificates": listeners}
bottleneck = max(needed, key=lambda k: needed[k] / limit(k))
floor = needed[bottleneck] / limit(bottleneck) + a.job_delay_ms / 1000
print(f"| wall (s) | floor (s) | ratio | listeners converged | still serving the predecessor | quota refusals | throttled | busy | exit |")
print("|---|---|---|---|---|---|---|---|---|")
print(f"| {wall:.2f} | {floor:.2f} | {wall / floor:.2f}x | {serving}/{listeners} | {with_old} | {refused} | {throttled} | {busy} | {a.rc} |")
print()
print(f"Floor: {needed[bottleneck]} {bottleneck} / {limit(bottleneck):g} per s + {a.job_delay_ms / 1000:g} s job of the last wave.")
print("Calls in the timed run (action: calls, calls/limit in s): " + ", ".join(
    f"{k}: {v} ({v / limit(k):.1f} s)" for k, v in sorted(calls.items())))
print(f"Usage per load balancer at the end: {sorted({lb['certificateUsage'] for lb in state['loadBalancers']})} of "
      f"{sorted({lb['certificateQuota'] for lb in state['loadBalancers']})}")

# Where the time went: per second of the timed run, the write calls accepted (ok) and throttled (thr).
if log:
    import datetime
    def ts(r):
        return datetime.datetime.fromisoformat(r["time"].replace("Z", "+00:00")).timestamp()
    start = a.t0
    buckets = collections.defaultdict(lambda: collections.Counter())
    for r in log:
        if r["action"] not in WRITES:
            continue
        second = int(ts(r) - start)
        short = "assoc" if r["action"].startswith("Associate") else "dissoc" if r["action"].startswith("Dissociate") else r["action"]
        kind = "thr" if "Throttling" in (r.get("code") or "") else "ok" if not r.get("code") else "err"
        buckets[second][f"{short} {kind}"] += 1
    print()
    print("Timeline (second of the run: write calls by outcome):")
    for second in sorted(buckets):
        print(f"  {second:3d}s " + ", ".join(f"{k} {v}" for k, v in sorted(buckets[second].items())))
