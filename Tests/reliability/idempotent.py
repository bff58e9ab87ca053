"""Promise 4 (idempotent): two `certhook sync` processes started at the same moment on the same
configuration and state file, over a mixed fleet: 10 ALB listeners on 2 load balancers and beside them an NLB, a
Global Accelerator and a CLB of 5 listeners each (25 listeners, one configuration).

Rounds: a first deploy (nothing in CAS yet: both want to upload) and renewals (a predecessor to retire),
each repeated. Per round: both processes exit 0 and print no duplicate-association error; CAS holds one copy
of the certificate; every listener serves it, the predecessor is retired, no coverage gap
(Tests/e2e/check_emulator.py); the state file parses; a third sync makes no write call (request log).

Usage: python3 Tests/reliability/concurrent.py [--rounds 3]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

DUPLICATE = re.compile(r"duplicate|already (associated|exists)|ResourceAlreadyAssociated|IdempotenceParam", re.I)


def start_together(binary, config, emulator, directory, names, stagger=0.0):
    """Starts one sync per name behind a barrier (the i-th `i * stagger` seconds later); returns
    [(exit code, output text)]."""
    barrier = threading.Barrier(len(names))
    results = [None] * len(names)

    def run(i, name):
        path = os.path.join(directory, name)
        with open(path, "w") as f:
            barrier.wait()
            if stagger:
                time.sleep(i * stagger)
            proc = subprocess.run(relib.sync_command(binary, config), env=relib.environment(emulator), stdout=f,
                                  stderr=subprocess.STDOUT, timeout=300)
        results[i] = (proc.returncode, open(path).read())

    threads = [threading.Thread(target=run, args=(i, n)) for i, n in enumerate(names)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def one_round(binary, base, index, renewal, args):
    directory = os.path.join(base, f"{'renewal' if renewal else 'first-deploy'}-{index}")
    os.makedirs(directory)
    seed = os.path.join(directory, "seed.yaml")
    listeners = relib.write_seed(seed, args.load_balancers, args.listeners, products=args.products)
    ca = relib.Authority(directory)
    old, new = ca.issue("old", 30), ca.issue("new", 60)
    live = os.path.join(directory, "live")
    config = os.path.join(directory, "config.yaml")
    state_file = os.path.join(directory, "certhook-state.json")
    relib.write_config(config, live, state_file, args.load_balancers, products=args.products)
    faults = ["--faults", args.faults, "--fault-seed", str(index)] if args.faults else []
    emulator = relib.Emulator(binary, directory, seed, os.path.join(directory, "emulator-state.json"),
                              "--job-delay", str(args.job_delay), "--latency", str(args.latency), *faults)
    problems = []
    try:
        if renewal:
            relib.install(old, live)
            rc, _ = relib.run_sync(binary, config, emulator, os.path.join(directory, "sync-setup.log"))
            problems += [f"setup sync exited {rc}"] if rc else []
            problems += ["setup: " + p for p in relib.check_world(emulator, listeners, old["leaf"])]
            if problems:
                return None, problems
        relib.install(new, live)
        before = len(emulator.requests())
        started = time.monotonic()
        names = [f"sync-{chr(ord('a') + i)}.log" for i in range(args.processes)]
        results = start_together(binary, config, emulator, directory, names, args.stagger_ms / 1000)
        wall = time.monotonic() - started
        records = emulator.requests()[before:]
        for name, (rc, text) in zip("ABCDEFGH", results):
            if rc != 0:
                problems.append(f"sync {name} exited {rc}")
                problems += ["  | " + l for l in text.splitlines()[-6:]]
            for line in text.splitlines():
                if DUPLICATE.search(line):
                    problems.append(f"sync {name} surfaced: {line.strip()}")
        problems += relib.check_world(emulator, listeners, new["leaf"], old["leaf"] if renewal else None)
        try:
            json.load(open(state_file))
        except (OSError, ValueError) as error:
            problems.append(f"state file does not parse: {error}")
        applied = [r for r in records if relib.is_applied_write(r)]
        uploads = sum(1 for r in applied if r["action"] == "UploadUserCertificate")
        server_uploads = sum(1 for r in applied if r["action"] == "UploadServerCertificate")
        associations = sum(1 for r in applied if r["action"] == "AssociateAdditionalCertificatesWithListener")
        if uploads > 1:
            problems.append(f"{uploads} uploads applied")
        before = len(emulator.requests())
        rc, _ = relib.run_sync(binary, config, emulator, os.path.join(directory, "sync-third.log"))
        writes = [r["action"] for r in emulator.requests()[before:] if relib.is_write(r)]
        if rc != 0:
            problems.append(f"third sync exited {rc}")
        if writes:
            problems.append(f"third sync made write calls: {writes}")
        relib.save_run(directory, emulator, listeners)
        conflicts = sorted({r.get("code") for r in records if r.get("status", 200) >= 400})
        figures = {"round": os.path.basename(directory), "exits": [r[0] for r in results], "requests": len(records),
                   "uploads": uploads, "server_uploads": server_uploads, "associations": associations,
                   "replayed": sum(1 for r in records if r.get("replayed")),
                   "refused": conflicts, "third_writes": len(writes), "wall": wall}
        return figures, problems
    finally:
        emulator.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="of each kind (first deploy, renewal)")
    parser.add_argument("--load-balancers", type=int, default=2)
    parser.add_argument("--listeners", type=int, default=5, help="per load balancer")
    parser.add_argument("--products", type=relib.products_arg, default=relib.PRODUCTS,
                        help="products beside ALB, one load balancer each (default nlb,ga,clb; '' for ALB only)")
    parser.add_argument("--job-delay", type=int, default=100)
    parser.add_argument("--latency", type=int, default=5)
    parser.add_argument("--stagger-ms", type=int, default=0, help="start each further sync this much later")
    parser.add_argument("--processes", type=int, default=2, choices=range(2, 9), help="syncs started together")
    parser.add_argument("--faults", help="emulator --faults for every round (fault seed = round number)")
    args = parser.parse_args()

    binary = relib.certhook_binary()
    base = relib.work_dir("concurrent")
    tally = relib.Tally("concurrent")
    rows = []
    started = time.monotonic()
    for index in range(1, args.rounds + 1):
        for renewal in (False, True):
            kind = "renewal" if renewal else "first deploy"
            try:
                figures, problems = one_round(binary, base, index, renewal, args)
            except Exception as error:
                figures, problems = None, [f"harness: {error!r}"]
            if figures:
                rows.append(figures)
            tally.record(f"{kind} #{index}: two syncs at once, one upload, third sync writes nothing", problems)
    relib.out("| round | exits | requests | uploads applied | SLB server certificates applied | associations applied "
              "| token replays | refusals seen | third-run writes | wall s |")
    relib.out("|---|---|---:|---:|---:|---:|---:|---|---:|---:|")
    for f in rows:
        relib.out(f"| {f['round']} | {f['exits']} | {f['requests']} | {f['uploads']} | {f['server_uploads']} | "
                  f"{f['associations']} | "
                  f"{f['replayed']} | {', '.join(c for c in f['refused'] if c) or '-'} | {f['third_writes']} | "
                  f"{f['wall']:.1f} |")
    relib.out(f"concurrent: total {time.monotonic() - started:.0f} s; rounds kept in {base}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
