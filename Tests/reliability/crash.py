"""Promise 3 (crash-safe): SIGKILL `certhook sync` at many points of a renewal, then sync again.

Setup: 8 listeners on 2 load balancers serve an older certificate (clean sync); the emulator's state file
is kept as the base of every case. A reference sync of the renewed certificate gives the request sequence;
kill points k are spread over it (and over each phase: upload, associate, wait, dissociate). Per case, from
the base: start sync, SIGKILL it as soon as the emulator has answered k requests, check the state file
parses (or is absent), sync again: exit 0, every listener serves the new certificate, the predecessor is
retired, CAS holds one copy of each, no coverage gap (Tests/e2e/check_emulator.py); a third sync makes no
write call. A second series kills sync the instant a state-file write is under way (its temporary file
exists) and checks the state file after every kill.

Usage: python3 Tests/reliability/crash.py [--points 24] [--state-kills 12]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

PHASES = {
    "UploadUserCertificate": "upload",
    "AssociateAdditionalCertificatesWithListener": "associate",
    "ListAsynJobs": "wait",
    "DissociateAdditionalCertificatesFromListener": "dissociate",
}


class World:
    """The base: predecessor deployed, the renewed certificate installed, the files to restore per case."""

    def __init__(self, binary, base, args):
        self.binary, self.base, self.args = binary, base, args
        self.seed = os.path.join(base, "seed.yaml")
        self.listeners = relib.write_seed(self.seed, args.load_balancers, args.listeners)
        ca = relib.Authority(base)
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
            relib.write_config(path, self.live, os.path.join(directory, "certhook-state.json"), self.args.load_balancers)
        return path

    def emulator(self, directory, clean=False):
        state = os.path.join(directory, "emulator-state.json")
        if not clean:
            shutil.copyfile(os.path.join(self.base, "base-emulator.json"), state)
            shutil.copyfile(os.path.join(self.base, "base-certhook.json"), os.path.join(directory, "certhook-state.json"))
            os.chmod(os.path.join(directory, "certhook-state.json"), 0o600)
        return relib.Emulator(self.binary, directory, self.seed, state, "--job-delay", str(self.args.job_delay),
                              "--latency", str(self.args.latency))

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


def kill_points(reference, count):
    """k values (1-based request counts): evenly spread over the reference run, plus the first request of
    each phase and its middle, so every phase is hit."""
    total = len(reference)
    points = {max(1, round(1 + i * (total - 2) / (count - 1))) for i in range(count)}
    for phase in set(PHASES.values()):
        indices = [i + 1 for i, r in enumerate(reference) if PHASES.get(r["action"]) == phase]
        if indices:
            points.update({indices[0], indices[len(indices) // 2], indices[-1]})
    return sorted(p for p in points if p < total)


def kill_at_request(world, k):
    """One case: SIGKILL once the emulator has answered k requests; returns (figures, problems)."""
    directory = world.case_dir(f"kill-at-{k:03d}")
    emulator = world.emulator(directory)
    try:
        proc, log = world.start_sync(directory, emulator, "sync-killed.log")
        finished = False
        while True:
            if proc.poll() is not None:
                finished = True
                break
            if len(emulator.get("/_emulator/requests").splitlines()) >= k:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.003)
        proc.wait()
        log.close()
        records = emulator.requests()
        last = records[-1]["action"] if records else "-"
        phase = PHASES.get(last, "read")
        figures = {"k": k, "at": len(records), "last": last, "phase": phase, "finished": finished}
        problems = world.recover(directory, emulator)
        return figures, problems
    finally:
        emulator.stop()


def kill_during_state_write(world, index):
    """One case: SIGKILL the instant a temporary state file appears (a write in progress)."""
    directory = world.case_dir(f"state-write-{index:02d}")
    emulator = world.emulator(directory)
    skip = index  # kill at the index-th write seen, so the series spreads over the run's writes
    try:
        proc, log = world.start_sync(directory, emulator, "sync-killed.log")
        seen, hit, finished = 0, False, False
        previous = set()
        while True:
            if proc.poll() is not None:
                finished = True
                break
            temps = {n for n in os.listdir(directory) if n.startswith("certhook-state.json.tmp")}
            if temps - previous:
                seen += 1
                if seen > skip:
                    proc.send_signal(signal.SIGKILL)
                    hit = True
                    break
            previous = temps
        proc.wait()
        log.close()
        leftover = sorted(n for n in os.listdir(directory) if n.startswith("certhook-state.json.tmp"))
        figures = {"index": index, "killed": hit, "finished": finished, "mid_write": bool(leftover),
                   "leftover": leftover}
        problems = state_file_problems(os.path.join(directory, "certhook-state.json"))
        problems += world.recover(directory, emulator)
        return figures, problems
    finally:
        emulator.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=24)
    parser.add_argument("--state-kills", type=int, default=12)
    parser.add_argument("--load-balancers", type=int, default=2)
    parser.add_argument("--listeners", type=int, default=4, help="per load balancer")
    parser.add_argument("--job-delay", type=int, default=100)
    parser.add_argument("--latency", type=int, default=15)
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
    relib.log(f"crash: reference run: {len(reference)} requests by phase {phases}")

    rows = []
    for k in kill_points(reference, args.points):
        try:
            figures, problems = kill_at_request(world, k)
        except Exception as error:
            figures, problems = None, [f"harness: {error!r}"]
        if figures:
            rows.append(figures)
            if figures["finished"]:
                problems = problems + [f"sync finished before request {k}: no kill happened"]
        tally.record(f"SIGKILL after request {k} ({figures['last'] if figures else '?'}), sync again", problems)

    writes = []
    for i in range(args.state_kills):
        try:
            figures, problems = kill_during_state_write(world, i)
        except Exception as error:
            figures, problems = None, [f"harness: {error!r}"]
        if figures:
            writes.append(figures)
        tally.record(f"SIGKILL during state write #{i + 1}, state parses, sync again", problems)

    relib.out("| kill after request k | requests answered at kill | last request | phase |")
    relib.out("|---:|---:|---|---|")
    for f in rows:
        relib.out(f"| {f['k']} | {f['at']} | {f['last']} | {f['phase']} |")
    by_phase = {}
    for f in rows:
        by_phase[f["phase"]] = by_phase.get(f["phase"], 0) + 1
    relib.out(f"crash: {len(rows)} kill points by phase {dict(sorted(by_phase.items()))}")
    mid = sum(1 for w in writes if w["mid_write"])
    relib.out(f"crash: {len(writes)} kills during state writes, {sum(1 for w in writes if w['killed'])} landed, "
              f"{mid} left a partial temporary file behind (the state file itself always parsed or was absent)")
    relib.out(f"crash: total {time.monotonic() - started:.0f} s; cases kept in {base}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
