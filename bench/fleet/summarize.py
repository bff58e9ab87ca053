"""Figures for bench/fleet/run.sh: the timed sync's wall time against the floor the per-account write limits
allow, peak RSS, API calls per listener, and convergence read from every account's emulator world."""
import argparse
import collections
import json
import subprocess
import urllib.request

p = argparse.ArgumentParser()
p.add_argument("url")
p.add_argument("mark", type=int, help="requests before the timed run")
p.add_argument("cert")
p.add_argument("t0", type=float)
p.add_argument("t1", type=float)
p.add_argument("rc")
p.add_argument("usage", help="certhook's peak RSS (KiB), user and system CPU seconds, from /usr/bin/time")
p.add_argument("json")
p.add_argument("--rate", type=float, default=20)
p.add_argument("--binary", default="?")
p.add_argument("--shape", default="?")
p.add_argument("--emulator-cpu", type=float, default=None, help="the emulator's CPU seconds during the run")
a = p.parse_args()
rss_kib, user, system = a.usage.split()[-3:]
a.rss_kib = int(rss_kib)
certhook_cpu = float(user) + float(system)

WRITES = ["AssociateAdditionalCertificatesWithListener", "DissociateAdditionalCertificatesFromListener",
          "UpdateListenerAttribute", "UploadUserCertificate", "DeleteUserCertificate"]
wall = a.t1 - a.t0
fp = subprocess.run(["openssl", "x509", "-in", a.cert, "-noout", "-fingerprint", "-sha256"], capture_output=True,
                    text=True, check=True).stdout.split("=", 1)[1].strip().replace(":", "").upper()

raw = urllib.request.urlopen(a.url + "/_emulator/requests").read().decode()
log = [json.loads(l) for l in raw.splitlines() if l.strip()][a.mark:]
accounts = sorted({r.get("accountId") for r in log if r.get("accountId")})
per_account = collections.defaultdict(collections.Counter)
for r in log:
    if not r.get("dryRun") and r.get("status") == 200:
        per_account[r.get("accountId")][r["action"]] += 1
throttled = sum(1 for r in log if "Throttling" in (r.get("code") or ""))

listeners = serving = with_old = 0
for account in accounts:
    state = json.load(urllib.request.urlopen(f"{a.url}/_emulator/state?account={account}"))
    new_ids = {c["certIdentifier"] for c in state["certificates"] if (c.get("sha2") or "").upper() == fp}
    for lb in state["loadBalancers"]:
        for l in lb["listeners"]:
            listeners += 1
            extra = [c for c in l.get("certificates", []) if c["certificateId"] != l.get("defaultCertificateId")]
            if any(c["certificateId"] in new_ids for c in extra):
                serving += 1
            if any(c["certificateId"] not in new_ids for c in extra):
                with_old += 1

# Floor: per account, each write action's successful calls over the per-account limit (the actions have separate
# limits, so the largest counts); accounts run in parallel, so the run's floor is the slowest account's.
def floor(counter):
    return max((counter[w] / a.rate for w in WRITES), default=0.0)
floors = {acc: floor(per_account[acc]) for acc in accounts}
worst = max(floors.values()) if floors else 0.0
# The writes a converging run cannot avoid per listener: one associate and one dissociate (plus one upload per
# account), at `rate` per action per account.
per_account_listeners = listeners / max(1, len(accounts))
ideal = per_account_listeners / a.rate
writes = sum(per_account[acc][w] for acc in accounts for w in WRITES)
groups = json.load(open(a.json)).get("result", {}).get("groups", []) if a.rc in ("0", "1") else []

print(f"Fleet: {a.shape} = {listeners} listeners in {len(accounts)} accounts, one emulator "
      f"(--rate-limit {a.rate:g}/1s per account and write action, --job-delay 50), binary {a.binary}")
print("| figure | value |")
print("|---|---|")
print(f"| exit status | {a.rc} |")
print(f"| wall time | {wall:.2f} s |")
print(f"| floor (slowest account: its writes / its limit) | {worst:.2f} s ({wall / worst:.2f}x) |" if worst else "| floor | - |")
print(f"| ideal floor (1 associate + 1 dissociate per listener, {per_account_listeners:.0f} listeners per account) | {ideal:.2f} s ({wall / ideal:.2f}x) |")
print(f"| peak RSS | {a.rss_kib / 1024:.1f} MiB |")
print(f"| CPU during the run | certhook {certhook_cpu:.1f} s" + (f", emulator {a.emulator_cpu:.1f} s" if a.emulator_cpu is not None else "")
      + f" (wall {wall:.1f} s, machine of {__import__('os').cpu_count()} cores, shared) |")
print(f"| API requests | {len(log)} ({len(log) / max(1, listeners):.2f} per listener); writes {writes} ({writes / max(1, listeners):.2f} per listener) |")
print(f"| throttled answers | {throttled} |")
print(f"| listeners serving the renewed certificate | {serving} / {listeners} |")
print(f"| listeners still carrying another additional certificate | {with_old} |")
print(f"| (account, region) groups in the JSON | {len(groups)}, {sum(1 for g in groups if g.get('succeeded'))} succeeded |")

# A run that failed or left a listener unconverged is no benchmark: say so and fail (CI runs a small shape).
if a.rc != "0" or serving != listeners or with_old or len(groups) != sum(1 for g in groups if g.get("succeeded")):
    print(f"FAIL: exit status {a.rc}, {serving}/{listeners} listeners serving the renewed certificate, "
          f"{with_old} still carrying another", file=__import__("sys").stderr)
    raise SystemExit(1)
