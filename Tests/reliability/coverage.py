"""Promise 2 (no moment without coverage): replays the event log of every kept run (chaos, crash,
concurrent) with Tests/e2e/check_emulator.py's `coverage_gaps`: for every listener and configured domain,
some valid certificate covered it at every instant once it was first covered.

The runs are mixed fleets (ALB, NLB, Global Accelerator and CLB listeners in one configuration): the replay
follows the emulator's CoverageReplay rules, so a GA or CLB certificate bound to one domain (event detail
`domain X...`) covers that domain only.

Also proves the replay can fail: a copy of a real log with one listener's dissociation moved before the
association of its successor (for the same bound domain) must be reported as a gap, once on a listener of
each product (ALB, NLB, GA, CLB).

Usage: python3 Tests/reliability/coverage.py [--runs DIR]   (DIR = $RELIABILITY_DIR; runs chaos.py first
when it holds no kept run)
"""
import argparse
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import check_emulator  # noqa: E402
import relib  # noqa: E402


def load_run(directory):
    state = json.load(open(os.path.join(directory, "observed-state.json")))
    events = [json.loads(l) for l in open(os.path.join(directory, "events.ndjson")) if l.strip()]
    events.sort(key=lambda e: e["seq"])
    listeners = [l for l in open(os.path.join(directory, "listeners.txt")).read().split() if l]
    return state, events, listeners


def gaps(state, events, listeners):
    check_emulator.STATE = state
    found = []
    for listener in listeners:
        found += check_emulator.coverage_gaps(events, state["certificates"], listener, relib.DOMAINS)
    return found


def overlaps(events):
    """Per listener (and bound domain) handover: ms between the successor's `certificate-associated` and the
    predecessor's `certificate-dissociating` (both served meanwhile; 0 for an in-place swap)."""
    associated, result = {}, []
    for e in events:
        key = (e.get("listenerId"), check_emulator.bound_domain(e))
        if e["kind"] == "certificate-associated":
            associated.setdefault(key, []).append(e)
        elif e["kind"] == "certificate-dissociating" and associated.get(key):
            later = [a for a in associated[key] if a["certificateId"] != e["certificateId"]]
            if later:
                t0 = check_emulator.parse_time(later[-1]["time"])
                result.append((check_emulator.parse_time(e["time"]) - t0).total_seconds() * 1000)
    return result


def broken_copy(events, listeners=None):
    """The log with the first handover (on one of `listeners`, default any) reversed: the predecessor stops
    serving (for its bound domain) before the successor serves."""
    events = copy.deepcopy(events)
    for i, e in enumerate(events):
        if e["kind"] != "certificate-dissociating" or (listeners is not None and e.get("listenerId") not in listeners):
            continue
        j = next((k for k in range(i - 1, -1, -1) if events[k]["kind"] == "certificate-associated"
                  and events[k].get("listenerId") == e.get("listenerId")
                  and check_emulator.bound_domain(events[k]) == check_emulator.bound_domain(e)
                  and events[k]["certificateId"] != e["certificateId"]), None)
        if j is None:
            continue
        moved = events.pop(i)
        moved["time"] = events[j]["time"]
        events.insert(j, moved)
        for seq, ev in enumerate(events, 1):
            ev["seq"] = seq
        return events, moved.get("listenerId")
    return None, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default=os.environ.get("RELIABILITY_DIR"))
    args = parser.parse_args()
    base = args.runs
    runs = sorted(glob.glob(os.path.join(base, "*", "*", "events.ndjson"))) if base else []
    if not runs:
        base = base or tempfile.mkdtemp(prefix="certhook-reliability.")
        relib.log(f"coverage: no kept runs in {base}; running the chaos suite first")
        env = dict(os.environ, RELIABILITY_DIR=base)
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "chaos.py")],
                       env=env, check=False)
        runs = sorted(glob.glob(os.path.join(base, "*", "*", "events.ndjson")))

    tally = relib.Tally("coverage")
    relib.out("| run | listeners | events | handovers | min overlap ms | max overlap ms | gaps |")
    relib.out("|---|---:|---:|---:|---:|---:|---:|")
    sample = None
    timelines, by_product = 0, {}
    for path in runs:
        directory = os.path.dirname(path)
        name = os.path.relpath(directory, base)
        try:
            state, events, listeners = load_run(directory)
            found = gaps(state, events, listeners)
            handovers = overlaps(events)
        except Exception as error:
            tally.record(f"{name}: event log replays without a gap", [f"harness: {error!r}"])
            continue
        timelines += len(listeners)
        for l in listeners:
            by_product[relib.product_of(l)] = by_product.get(relib.product_of(l), 0) + 1
        relib.out(f"| {name} | {len(listeners)} | {len(events)} | {len(handovers)} | "
                  f"{min(handovers, default=0):.0f} | {max(handovers, default=0):.0f} | {len(found)} |")
        problems = list(found)
        if not any(e["kind"] == "certificate-associated" for e in events):
            problems.append("the log holds no association: nothing was replayed")
        tally.record(f"{name}: event log replays without a gap", problems)
        if sample is None and handovers:
            sample = (name, state, events, listeners)

    if sample:
        name, state, events, listeners = sample
        cases = [(f" on an {p.upper()} listener" if p in ("alb", "nlb") else f" on a {p.upper()} listener",
                  [l for l in listeners if relib.product_of(l) == p])
                 for p in ("alb",) + relib.PRODUCTS if any(relib.product_of(l) == p for l in listeners)]
        for label, chosen in cases:
            broken, listener = broken_copy(events, chosen)
            problems = []
            if broken is None:
                problems.append("no handover to break")
            elif not gaps(state, broken, [listener]):
                problems.append(f"the replay missed a gap injected on {listener}")
            tally.record(f"replay detects an injected gap{label} ({name}, {listener})", problems)
    else:
        tally.record("replay detects an injected gap", ["no run with a handover to break"])
    relib.out(f"coverage: {len(runs)} runs, {timelines} listener timelines ({', '.join(f'{by_product[p]} {p.upper()}' for p in ('alb',) + relib.PRODUCTS if p in by_product)})")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
