"""Promise 3 (crash-safe): SIGKILL `certhook sync` at many points of a renewal, then sync again.

Setup: a mixed fleet, 6 ALB listeners on 2 load balancers and beside them an NLB, a Global Accelerator and a CLB
of 3 listeners each (15 listeners, one configuration; sync concurrency 3: five waves), serves an older
certificate (clean sync); the emulator's state file
is kept as the base of every case. A reference sync of the renewed certificate gives the request sequence;
kill points k are spread over it (and over each phase: upload, associate, wait, dissociate). Per case, from
the base: start sync, SIGKILL it as soon as the emulator has answered k requests, check the state file
parses (or is absent), sync again: exit 0, every listener serves the new certificate, the predecessor is
retired, CAS holds one copy of each, no coverage gap (Tests/e2e/check_emulator.py); a third sync makes no
write call. A second series kills sync the instant a state-file write is under way (its temporary file
exists) and checks the state file after every kill.

Usage: python3 Tests/reliability/crash.py [--per-phase 5] [--state-kills 8]
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import check_emulator  # noqa: E402
import prober  # noqa: E402
import relib  # noqa: E402

PHASES = {
    "UploadUserCertificate": "upload",
    "AssociateAdditionalCertificatesWithListener": "associate",  # ALB, NLB and GA share the name
    "ListAsynJobs": "wait",
    "DissociateAdditionalCertificatesFromListener": "dissociate",  # ALB and GA
    # NLB
    "DisassociateAdditionalCertificatesWithListener": "dissociate",
    "GetJobStatus": "wait",
    # Global Accelerator: a domain swapped in place; calls wait for the accelerator to be active again
    "UpdateAdditionalCertificateWithListener": "associate",
    "DescribeAccelerator": "wait",
    # CLB: a server certificate copied from CAS, then per domain an extension created or swapped in place
    "UploadServerCertificate": "upload",
    "CreateDomainExtension": "associate",
    "SetDomainExtensionAttribute": "associate",
    "DeleteDomainExtension": "dissociate",
}
ASSOCIATING = {a for a, phase in PHASES.items() if phase == "associate"}
UPLOADING = {a for a, phase in PHASES.items() if phase == "upload"}


class World:
    """The base: predecessor deployed, the renewed certificate installed, the files to restore per case."""

    def __init__(self, binary, base, args):
        self.binary, self.base, self.args = binary, base, args
        self.seed = os.path.join(base, "seed.yaml")
        self.listeners = relib.write_seed(self.seed, args.load_balancers, args.listeners, products=args.products)
        ca = relib.Authority(base)
        self.ca_file = ca.cert
        self.old, self.new = ca.issue("old", 30), ca.issue("new", 60)
        self.live = os.path.join(base, "live")
        relib.install(self.old, self.live)
        directory = self.case_dir("setup")
        emulator = self.emulator(directory, clean=True)
        try:
            rc, _ = relib.run_sync(binary, self.config(directory), emulator, os.path.join(directory, "sync.log"))
            problems = relib.check_world(emulator, self.listeners, self.old["leaf"])
            if rc != 0 or problems:
                raise RuntimeError(f"setup sync exited {rc}: {problems} {open(os.path.join(directory, 'sync.log')).read()}")
        finally:
            emulator.stop()
        shutil.copyfile(os.path.join(directory, "emulator-state.json"), os.path.join(base, "base-emulator.json"))
        shutil.copyfile(os.path.join(directory, "certhook-state.json"), os.path.join(base, "base-certhook.json"))
        relib.install(self.new, self.live)

    def case_dir(self, name):
        path = os.path.join(self.base, name)
        os.makedirs(path)
        return path

    def config(self, directory):
        path = os.path.join(directory, "config.yaml")
        if not os.path.exists(path):
            relib.write_config(path, self.live, os.path.join(directory, "certhook-state.json"), self.args.load_balancers,
                               concurrency=self.args.concurrency, products=self.args.products)
        return path

    def emulator(self, directory, clean=False):
        state = os.path.join(directory, "emulator-state.json")
        if not clean:
            shutil.copyfile(os.path.join(self.base, "base-emulator.json"), state)
            shutil.copyfile(os.path.join(self.base, "base-certhook.json"), os.path.join(directory, "certhook-state.json"))
            os.chmod(os.path.join(directory, "certhook-state.json"), 0o600)
        faults = ["--faults", self.args.faults] if self.args.faults and not clean else []
        tls = [] if clean else prober.serve_tls_args()
        return relib.Emulator(self.binary, directory, self.seed, state, "--job-delay", str(self.args.job_delay),
                              "--latency", str(self.args.latency), *faults, *tls)

    def prober(self, emulator):
        """Promise 2 by handshakes: every (listener, domain) pair every 50 ms until stopped."""
        return prober.HandshakeProber(emulator, self.listeners, relib.DOMAINS, self.ca_file).start()

    def start_sync(self, directory, emulator, name):
        log = open(os.path.join(directory, name), "w")
        proc = subprocess.Popen(relib.sync_command(self.binary, self.config(directory)), env=relib.environment(emulator),
                                stdout=log, stderr=subprocess.STDOUT)
        return proc, log

    def recover(self, directory, emulator):
        """Checks the state file, syncs again (must converge), then once more (must make no write)."""
        problems = state_file_problems(os.path.join(directory, "certhook-state.json"))
        rc, _ = relib.run_sync(self.binary, self.config(directory), emulator, os.path.join(directory, "sync-again.log"))
        if rc != 0:
            problems.append(f"sync after the kill exited {rc}")
            problems += ["  | " + l for l in open(os.path.join(directory, "sync-again.log")).read().splitlines()[-6:]]
        problems += relib.check_world(emulator, self.listeners, self.new["leaf"], self.old["leaf"])
        problems += state_file_problems(os.path.join(directory, "certhook-state.json"))
        before = len(emulator.requests())
        rc, _ = relib.run_sync(self.binary, self.config(directory), emulator, os.path.join(directory, "sync-third.log"))
        writes = [r["action"] for r in emulator.requests()[before:] if relib.is_write(r)]
        if rc != 0:
            problems.append(f"third sync exited {rc}")
        if writes:
            problems.append(f"third sync made write calls: {writes}")
        relib.save_run(directory, emulator, self.listeners)
        return problems


def state_file_problems(path):
    if not os.path.exists(path):
        return []
    try:
        with open(path) as f:
            json.load(f)
        return []
    except ValueError as error:
        return [f"state file {path} does not parse: {error}"]


def kill_points(reference, per_phase):
    """k values (1-based request counts) where the reference run's k-th request is in each phase: every
    upload, and up to `per_phase` evenly spread associate, wait (job polling), dissociate and read requests."""
    points = set()
    for phase in ("upload", "associate", "wait", "dissociate", "read"):
        indices = [i + 1 for i, r in enumerate(reference) if PHASES.get(r["action"], "read") == phase]
        quota = len(indices) if phase == "upload" else per_phase
        if len(indices) <= quota:
            points.update(indices)
        else:
            points.update(indices[round(j * (len(indices) - 1) / (quota - 1))] for j in range(quota))
    return sorted(p for p in points if p < len(reference))


def listener_mix(world, emulator):
    """At the kill: how many listeners have only the old certificate, both, or only the new one."""
    state = emulator.state()
    ids = {}
    for role in ("old", "new"):
        sha = relib.leaf_sha256(getattr(world, role)["leaf"])
        ids[role] = {c["certIdentifier"] for c in state["certificates"] if c["sha2"].upper() == sha}
    mix = {"old": 0, "both": 0, "new": 0}
    for lb in state["loadBalancers"]:
        for listener in lb["listeners"]:
            if listener["id"] not in world.listeners:
                continue
            # By CAS identifier: a CLB's server certificate stands for the CAS certificate it copies.
            attached = {check_emulator.cas_identifier(state, a["certificateId"]) for a in listener["certificates"]}
            has_old, has_new = bool(attached & ids["old"]), bool(attached & ids["new"])
            mix["both" if has_old and has_new else "new" if has_new else "old"] += 1
            for a in listener["certificates"]:
                if a["status"] != "Associated":
                    mix[a["status"]] = mix.get(a["status"], 0) + 1
    moving = ", ".join(f"{n} {s.lower()}" for s, n in sorted(mix.items()) if s not in ("old", "both", "new"))
    return f"{mix['old']}/{mix['both']}/{mix['new']}" + (f" ({moving})" if moving else "")


def phase_at(records, mix):
    """Where the run was when killed: lookup or upload (before any association), associate or dissociate
    (a job of that kind still running), wait (jobs done, the client still polling or sleeping before its
    poll), verify (reading listener certificates)."""
    actions = [r["action"] for r in records]
    if not ASSOCIATING & set(actions):
        return "upload" if UPLOADING & set(actions) else "lookup"
    if re.search(r"\d associating", mix):
        return "associate"
    if re.search(r"\d (dissociating|diassociating)", mix):
        return "dissociate"
    if PHASES.get(actions[-1]) in ("upload", "associate", "dissociate"):  # a synchronous write just answered
        return PHASES[actions[-1]]
    if actions[-1] in ("ListListenerCertificates", "ListUserCertificateOrder", "GetUserCertificateDetail",
                       "DescribeLoadBalancerHTTPSListenerAttribute", "DescribeDomainExtensions",
                       "DescribeServerCertificates"):
        return "verify"
    return "wait"


def kill_case(world, name, trigger):
    """One case: start sync, SIGKILL it when `trigger(emulator, elapsed seconds)` says so, recover."""
    directory = world.case_dir(name)
    emulator = world.emulator(directory)
    watch = None
    try:
        watch = world.prober(emulator)
        proc, log = world.start_sync(directory, emulator, "sync-killed.log")
        started = time.monotonic()
        finished = False
        while True:
            if proc.poll() is not None:
                finished = True
                break
            if trigger(emulator, time.monotonic() - started):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        proc.wait()
        elapsed = time.monotonic() - started
        log.close()
        records = emulator.requests()
        last = records[-1]["action"] if records else "-"
        mix = listener_mix(world, emulator)
        figures = {"case": name, "at": len(records), "ms": elapsed * 1000, "last": last,
                   "phase": phase_at(records, mix), "mix": mix, "finished": finished}
        if finished:  # this run was quicker than the reference: no kill, still checked; not a kill point
            relib.log(f"crash: {name}: sync finished before the kill point")
        problems = world.recover(directory, emulator)
        figures["probe"] = watch.stop()
        problems += prober.problems(figures["probe"])
        return figures, problems
    finally:
        if watch:
            watch.stop()
        emulator.stop()


def after_requests(k):
    return lambda emulator, elapsed: len(emulator.get("/_emulator/requests").splitlines()) >= k


def after_seconds(seconds):
    return lambda emulator, elapsed: elapsed >= seconds


def is_state_temp(name):
    """A temporary file of a state write in progress: `certhook-state.json.<anything>` but the lock file."""
    return name.startswith("certhook-state.json.") and not name.endswith(".lock")


def kill_during_state_write(world, index):
    """One case: SIGKILL the instant a temporary state file appears (a write in progress)."""
    directory = world.case_dir(f"state-write-{index:02d}")
    emulator = world.emulator(directory)
    skip = index % 4  # kill at the (skip+1)-th write seen, so the series spreads over the run's writes
    watch = None
    try:
        watch = world.prober(emulator)
        proc, log = world.start_sync(directory, emulator, "sync-killed.log")
        seen, hit, finished = 0, False, False
        previous = set()
        while True:
            if proc.poll() is not None:
                finished = True
                break
            temps = {n for n in os.listdir(directory) if is_state_temp(n)}
            if temps - previous:
                seen += 1
                if seen > skip:
                    proc.send_signal(signal.SIGKILL)
                    hit = True
                    break
            previous = temps
        proc.wait()
        log.close()
        leftover = sorted(n for n in os.listdir(directory) if is_state_temp(n))
        figures = {"index": index, "killed": hit, "finished": finished, "mid_write": bool(leftover),
                   "leftover": leftover, "seen": seen}
        problems = state_file_problems(os.path.join(directory, "certhook-state.json"))
        problems += world.recover(directory, emulator)
        # The write after recovery must have replaced (or removed) what the killed write left behind.
        stale = sorted(n for n in os.listdir(directory) if is_state_temp(n))
        if stale:
            problems.append(f"temporary state files left after recovery: {stale}")
        figures["probe"] = watch.stop()
        problems += prober.problems(figures["probe"])
        return figures, problems
    finally:
        if watch:
            watch.stop()
        emulator.stop()


def run_cases(cases, parallel, tally):
    """Runs (label, function, args) cases, `parallel` at a time; returns the figures in case order."""
    results = [None] * len(cases)
    with concurrent.futures.ThreadPoolExecutor(max_workers=parallel) as pool:
        futures = {pool.submit(function, *arguments): i for i, (_, function, arguments) in enumerate(cases)}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            try:
                figures, problems = future.result()
            except Exception as error:
                figures, problems = None, [f"harness: {error!r}"]
            results[i] = figures
            tally.record(cases[i][0], problems)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-phase", type=int, default=8, help="kill points per phase of the reference run")
    parser.add_argument("--timed", type=int, default=20, help="kills at times spread over the reference run")
    parser.add_argument("--state-kills", type=int, default=6)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--load-balancers", type=int, default=2)
    parser.add_argument("--listeners", type=int, default=3, help="per load balancer")
    parser.add_argument("--products", type=relib.products_arg, default=relib.PRODUCTS,
                        help="products beside ALB, one load balancer each (default nlb,ga,clb; '' for ALB only)")
    parser.add_argument("--job-delay", type=int, default=100)
    parser.add_argument("--latency", type=int, default=15)
    parser.add_argument("--faults", help="emulator --faults for the killed and recovering syncs (not the setup)")
    parser.add_argument("--concurrency", type=int, default=3,
                        help="sync's rateLimits.concurrency: below the listener count, so listeners go in waves")
    args = parser.parse_args()

    binary = relib.certhook_binary()
    base = relib.work_dir("crash")
    tally = relib.Tally("crash")
    started = time.monotonic()
    try:
        world = World(binary, base, args)
    except Exception as error:
        tally.record("setup: predecessor deployed", [f"{error}"])
        return tally.finish()
    relib.log(f"crash: {relib.fleet_summary(world.listeners)}, sync concurrency {args.concurrency}, in {base}")

    directory = world.case_dir("reference")
    emulator = world.emulator(directory)
    try:
        rc, wall = relib.run_sync(binary, world.config(directory), emulator, os.path.join(directory, "sync.log"))
        reference = emulator.requests()
        problems = ([f"reference sync exited {rc}"] if rc else []) + relib.check_world(
            emulator, world.listeners, world.new["leaf"], world.old["leaf"])
    finally:
        emulator.stop()
    tally.record(f"reference renewal without a kill ({len(reference)} requests, {wall:.1f} s)", problems)
    phases = {}
    for r in reference:
        phases[PHASES.get(r["action"], "read")] = phases.get(PHASES.get(r["action"], "read"), 0) + 1
    relib.log(f"crash: reference run: {len(reference)} requests in {wall:.1f} s, by phase {phases}")

    cases = [(f"SIGKILL after request {k} (reference: {reference[k - 1]['action']}), sync again", kill_case,
              (world, f"kill-at-request-{k:03d}", after_requests(k)))
             for k in kill_points(reference, args.per_phase)]
    for i in range(args.timed):
        seconds = wall * 0.9 * (i + 0.5) / args.timed  # runs vary: stay clear of the reference's end
        cases.append((f"SIGKILL at {seconds * 1000:.0f} ms, sync again", kill_case,
                      (world, f"kill-at-ms-{seconds * 1000:05.0f}", after_seconds(seconds))))
    rows = run_cases(cases, args.parallel, tally)
    writes = run_cases([(f"SIGKILL during state write #{i + 1}, state parses, sync again", kill_during_state_write,
                         (world, i)) for i in range(args.state_kills)], args.parallel, tally)

    relib.out("| case | killed at ms | requests answered | last request | phase | listeners old/both/new |")
    relib.out("|---|---:|---:|---|---|---|")
    for f in (r for r in rows if r):
        relib.out(f"| {f['case']} | {f['ms']:.0f} | {f['at']} | {f['last']} | {f['phase']} | {f['mix']} |")
    killed = [r for r in rows if r and not r["finished"]]
    points = {(f["at"], f["mix"]) for f in killed}
    by_phase = {}
    for f in killed:
        by_phase[f["phase"]] = by_phase.get(f["phase"], 0) + 1
    relib.out(f"crash: {len(killed)} kills, {len(points)} distinct points (requests answered, listener mix); "
              f"by phase {dict(sorted(by_phase.items()))}")
    tally.record("at least 20 distinct kill points", [] if len(points) >= 20 else [f"only {len(points)}"])
    missing = [p for p in ("upload", "associate", "wait", "dissociate") if p not in by_phase]
    tally.record("kills in every phase (upload, associate, wait, dissociate)",
                 [f"no kill landed in {', '.join(missing)}"] if missing else [])
    writes = [w for w in writes if w]
    mid = sum(1 for w in writes if w["mid_write"])
    if any(w["seen"] for w in writes):
        tally.record("a kill caught a state write half-done", [] if mid else ["no kill landed inside a state write"])
    else:  # no temporary file ever showed: nothing to aim at (the kills above still checked the file)
        relib.log("crash: no state write left a visible temporary file; the state-write series had nothing to aim at")
    relib.out(f"crash: {len(writes)} kills aimed at state writes, {sum(1 for w in writes if w['killed'])} landed, "
              f"{mid} caught a write half-done (its temporary file left behind); the state file parsed every time")
    probed = [r["probe"] for r in rows + writes if r and "probe" in r]
    relib.out(f"crash: prober: {len(probed)} cases, {sum(p['handshakes'] for p in probed)} handshakes, "
              f"{sum(p['bad'] for p in probed)} bad (not covering the name, expired or untrusted), "
              f"{sum(p['unreachable'] for p in probed)} refused")
    relib.out(f"crash: total {time.monotonic() - started:.0f} s; cases kept in {base}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
