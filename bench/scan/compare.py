#!/usr/bin/env python3
"""Time the scan readers side by side (interleaved rounds, medians) and print a markdown table.

Wall time from time.perf_counter around each child, peak RSS from /usr/bin/time -f %M.
Usage: compare.py --corpus DIR --subset DIR... --certhook BIN --floor BIN [--rounds 3] [--big DIR]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(argv, stdout=subprocess.DEVNULL):
    """Run argv under /usr/bin/time; return (wall seconds, peak RSS in MiB, exit status).

    /usr/bin/time reports the child's own peak RSS; os.wait4 from this (large) Python process would count
    the pages the child shared with us before exec.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        start = time.perf_counter()
        status = subprocess.call(["/usr/bin/time", "-q", "-f", "%M", "-o", report.name] + argv,
                                 stdout=stdout, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        lines = [line for line in report.read().splitlines() if line.strip().isdigit()]
    return wall, (int(lines[-1]) / 1024.0 if lines else float("nan")), status


def capture(argv):
    return subprocess.run(argv, check=False, capture_output=True).stdout


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    openssl = capture(["openssl", "version"]).decode().strip()
    return f"{platform.machine()}, {os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, {openssl}, Python {platform.python_version()}"


def check_agreement(args):
    """certhook and the python peer must see the same certificates before we compare their speed."""
    ours = json.loads(capture([args.certhook, "scan", "--format", "json", args.corpus]))
    theirs = json.loads(capture([sys.executable, os.path.join(HERE, "pyscan.py"), args.corpus]))
    key = lambda c: (c["path"], c["index"], c["sha256"], c["notAfter"], c["serialNumber"], c["keyBits"])
    a = sorted(map(key, ours["certificates"]))
    b = sorted(map(key, theirs["certificates"]))
    if a != b:
        sys.exit(f"certhook and python disagree: {len(a)} vs {len(b)} certificates")
    return len(a)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--subset", nargs="+", required=True)
    parser.add_argument("--subset-files", type=int, required=True)
    parser.add_argument("--files", type=int, required=True)
    parser.add_argument("--certhook", required=True)
    parser.add_argument("--floor", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--big")
    args = parser.parse_args()

    certificates = check_agreement(args)
    loop = "for f in $(find " + " ".join(args.subset) + " -type f | sort); do openssl x509 -in \"$f\" -noout " \
           "-enddate -subject -issuer -serial -fingerprint -sha256 -ext subjectAltName,extendedKeyUsage; done"
    readers = {
        "certhook scan --format json (2 threads)": [args.certhook, "scan", "--format", "json", args.corpus],
        "python-cryptography script (pyscan.py)": [sys.executable, os.path.join(HERE, "pyscan.py"), args.corpus],
        "C floor, OpenSSL, 1 thread (floor.c)": [args.floor, args.corpus],
        "openssl x509 per file (shell loop)": ["bash", "-c", loop],
    }
    results = {name: [] for name in readers}
    for round_number in range(args.rounds):
        for name, argv in readers.items():
            wall, rss, _ = run(argv)
            if name.startswith("openssl"):
                wall *= args.files / args.subset_files
            results[name].append((wall, rss))
            print(f"round {round_number + 1}: {name}: {wall:.2f} s, {rss:.1f} MiB", file=sys.stderr)

    medians = {name: (statistics.median(w for w, _ in runs), max(r for _, r in runs)) for name, runs in results.items()}
    floor = medians["C floor, OpenSSL, 1 thread (floor.c)"][0]
    python = medians["python-cryptography script (pyscan.py)"][0]
    print(f"Machine: {machine()}")
    print(f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"Corpus: {args.files} files, {certificates} certificates; medians of {args.rounds} interleaved rounds; "
          f"openssl loop timed on a {args.subset_files}-file subset and extrapolated x{args.files / args.subset_files:g}")
    print()
    print("| reader | wall (median) | peak RSS | vs C floor | vs python |")
    print("|---|---|---|---|---|")
    for name, (wall, rss) in medians.items():
        note = " (extrapolated)" if name.startswith("openssl") else ""
        rss_text = "-" if name.startswith("openssl") else f"{rss:.1f} MiB"
        print(f"| {name} | {wall:.2f} s{note} | {rss_text} | {wall / floor:.2f}x | {wall / python:.2f}x |")
    ours = medians["certhook scan --format json (2 threads)"]
    print()
    print(f"Goals: certhook <= 0.70x C floor: {ours[0] / floor:.2f}x {'met' if ours[0] <= 0.7 * floor else 'NOT met'}; "
          f"<= 0.80x python: {ours[0] / python:.2f}x {'met' if ours[0] <= 0.8 * python else 'NOT met'}; "
          f"peak RSS below python's ({medians['python-cryptography script (pyscan.py)'][1]:.1f} MiB): "
          f"{ours[1]:.1f} MiB {'met' if ours[1] < medians['python-cryptography script (pyscan.py)'][1] else 'NOT met'}")

    if args.big:
        wall, rss, status = run([args.certhook, "scan", "--format", "json", args.big])
        pwall, prss, _ = run([sys.executable, os.path.join(HERE, "pyscan.py"), args.big])
        print()
        print(f"100,000 files ({args.big}, hard links of the corpus, 125,000 certificates), one run each:")
        print()
        print("| reader | wall | peak RSS |")
        print("|---|---|---|")
        print(f"| certhook scan --format json | {wall:.2f} s | {rss:.1f} MiB |")
        print(f"| python-cryptography script | {pwall:.2f} s | {prss:.1f} MiB |")


if __name__ == "__main__":
    main()
