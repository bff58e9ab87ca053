"""One markdown row for bench/attach/run.sh: wall time, listeners serving the certificate (from the
emulator's state), and how many throttling errors reached the user (stderr)."""
import json
import sys
import urllib.request

name, url, _out, err_path, t0, t1, rc = sys.argv[1:8]
wall = float(t1) - float(t0)
state = json.load(urllib.request.urlopen(url + "/_emulator/state"))
serving = 0
for lb in state.get("loadBalancers", []):
    for listener in lb.get("listeners", []):
        extra = [c for c in listener.get("certificates", []) if not c.get("isDefault")]
        if any(c.get("status") == "Associated" for c in extra):
            serving += 1
shown = sum(1 for line in open(err_path, errors="replace") if "Throttling" in line)
print(f"| {name} | {wall:.2f} | {wall / 10:.2f}x | {serving}/200 | {shown} | {rc} |")
