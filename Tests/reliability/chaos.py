"""Promise 1 (converges under API faults): `certhook sync` of one renewed certificate onto a mixed fleet, 50
ALB listeners on 5 load balancers and beside them an NLB, a Global Accelerator and a CLB of 10 listeners each
(80 listeners, one configuration), against `certhook emulator --faults ...` for seeds 1..N, two seeds at a time.

Per seed: a clean sync of an older certificate (no faults) sets up the predecessor; the emulator restarts
from its state file with faults and the fault seed; the renewed certificate is installed and ONE sync must
converge: exit 0, every listener serves the new certificate, the predecessor is retired, one CAS copy of
each, no coverage gap (Tests/e2e/check_emulator.py). Prints attempts, retries, faults and wall time per run
and keeps each run's event log for Tests/reliability/coverage.py.

Usage: python3 Tests/reliability/chaos.py [--seeds 10] [--parallel 2]
"""
import argparse
import concurrent.futures
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prober  # noqa: E402
import relib  # noqa: E402

FAULTS = "throttle=0.1,unavailable=0.05,reset=0.05,slow=0.05:2000"


def one_seed(binary, base, seed, args):
    directory = os.path.join(base, f"seed-{seed}")
    os.makedirs(directory)
    ca = relib.Authority(directory)
    old, new = ca.issue("old", 30), ca.issue("new", 60)
    listeners = relib.write_seed(os.path.join(directory, "seed.yaml"), args.load_balancers, args.listeners,
                                 products=args.products)
    live = os.path.join(directory, "live")
    config = os.path.join(directory, "config.yaml")
    relib.write_config(config, live, os.path.join(directory, "certhook-state.json"), args.load_balancers,
                       products=args.products)
    emulator_state = os.path.join(directory, "emulator-state.json")
    seed_file = os.path.join(directory, "seed.yaml")
    common = ["--job-delay", str(args.job_delay)]

    relib.install(old, live)
    emulator = relib.Emulator(binary, directory, seed_file, emulator_state, *common)
    try:
        rc, _ = relib.run_sync(binary, config, emulator, os.path.join(directory, "sync-clean.log"))
        problems = [f"clean sync of the predecessor exited {rc}"] if rc != 0 else []
        problems += relib.check_world(emulator, listeners, old["leaf"])
    finally:
        emulator.stop()
    if problems:
        return None, ["setup: " + p for p in problems] + tail(os.path.join(directory, "sync-clean.log"))

    relib.install(new, live)
    emulator = relib.Emulator(binary, directory, seed_file, emulator_state, *common,
                              "--faults", args.faults, "--fault-seed", str(seed), *prober.serve_tls_args())
    try:
        # Promise 2 by handshakes: every (listener, domain) pair every 50 ms for the whole faulty sync.
        watch = prober.HandshakeProber(emulator, listeners, relib.DOMAINS, ca.cert).start()
        try:
            rc, wall = relib.run_sync(binary, config, emulator, os.path.join(directory, "sync-faults.log"))
        finally:
            probe = watch.stop()
        figures = relib.request_figures(emulator.requests())
        figures.update({"seed": seed, "exit": rc, "wall": wall, "probe": probe})
        problems = [] if rc == 0 else [f"sync under faults exited {rc}"] + tail(os.path.join(directory, "sync-faults.log"))
        problems += prober.problems(probe)
        problems += relib.check_world(emulator, listeners, new["leaf"], old["leaf"])
        figures["slb_copies"] = relib.server_copies(emulator.state(), new["leaf"])
        relib.save_run(directory, emulator, listeners)
    finally:
        emulator.stop()
    return figures, problems


def tail(path, lines=8):
    try:
        return ["  | " + l for l in open(path).read().splitlines()[-lines:]]
    except OSError:
        return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--load-balancers", type=int, default=5)
    parser.add_argument("--listeners", type=int, default=10, help="per load balancer")
    parser.add_argument("--products", type=relib.products_arg, default=relib.PRODUCTS,
                        help="products beside ALB, one load balancer each (default nlb,ga,clb; '' for ALB only)")
    parser.add_argument("--job-delay", type=int, default=100)
    parser.add_argument("--faults", default=FAULTS)
    args = parser.parse_args()

    binary = relib.certhook_binary()
    base = relib.work_dir("chaos")
    tally = relib.Tally("chaos")
    rows = []
    started = time.monotonic()
    fleet = relib.fleet_summary(relib.write_seed(os.devnull, args.load_balancers, args.listeners, products=args.products))
    relib.log(f"chaos: {args.seeds} seeds, {fleet}, faults {args.faults}, "
              f"{args.parallel} at a time, in {base}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(2, args.parallel))) as pool:
        futures = {pool.submit(one_seed, binary, base, s, args): s
                   for s in range(args.first_seed, args.first_seed + args.seeds)}
        for future in concurrent.futures.as_completed(futures):
            seed = futures[future]
            try:
                figures, problems = future.result()
            except Exception as error:  # a harness failure counts as a failed run
                figures, problems = None, [f"harness: {error!r}"]
            if figures:
                rows.append(figures)
            tally.record(f"seed {seed}: converges in one sync under faults", problems)

    relib.out("| seed | exit | attempts | retries | throttle | unavailable | reset | slow | replayed | writes | wall s "
              "| handshakes | bad | unreachable | SLB copies |")
    relib.out("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for f in sorted(rows, key=lambda r: r["seed"]):
        faults = f["faults"]
        relib.out(f"| {f['seed']} | {f['exit']} | {f['attempts']} | {f['retries']} | {faults.get('throttle', 0)} | "
                  f"{faults.get('unavailable', 0)} | {faults.get('reset', 0)} | {faults.get('slow', 0)} | "
                  f"{f['replayed']} | {f['writes']} | {f['wall']:.1f} | {f['probe']['handshakes']} | "
                  f"{f['probe']['bad']} | {f['probe']['unreachable']} | {f['slb_copies']} |")
        if f["errors"]:
            relib.out(f"  seed {f['seed']} non-retryable answers: {', '.join(f['errors'])}")
    by_product = {}
    for f in rows:
        for product, n in f["products"].items():
            by_product[product] = by_product.get(product, 0) + n
    relib.out(f"chaos: attempts by product: {', '.join(f'{p} {n}' for p, n in sorted(by_product.items(), key=lambda x: -x[1]))}")
    handshakes = sum(f["probe"]["handshakes"] for f in rows)
    bad = sum(f["probe"]["bad"] for f in rows)
    relib.out(f"chaos: prober: {handshakes} handshakes, {bad} bad (not covering the name, expired or untrusted)")
    relib.out(f"chaos: total {time.monotonic() - started:.0f} s; runs kept in {base}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
