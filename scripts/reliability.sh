#!/usr/bin/env bash
# certhook's reliability suites (issue 5; figures in docs/reliability.md). One line per suite; each prints
# its figures and a final "SUITE: N passed, N failed" line. Runs kept in $RELIABILITY_DIR (default: a temp dir).
# Needs the built binary (swift build --product certhook), openssl and python3.
set -uo pipefail
cd "$(dirname "$0")/.."
export RELIABILITY_DIR=${RELIABILITY_DIR:-$(mktemp -d /tmp/certhook-reliability.XXXXXX)}
status=0
suite() { "$@" || status=1; }

suite python3 Tests/reliability/chaos.py          # 1. converges under API faults (10 seeds, 50 listeners)
suite python3 Tests/reliability/crash.py          # 3. crash-safe (SIGKILL at 20+ points and during state writes)
suite python3 Tests/reliability/idempotent.py     # 4. idempotent (two syncs at once, third run writes nothing)
suite python3 Tests/reliability/coverage.py       # 2. no moment without coverage (replays every run kept above)

suite bash Fuzz/fuzz.sh 60                                  # 5a. libFuzzer: 3 parsers x 60 s, crashers saved to Fuzz/corpus
suite python3 Tests/reliability/hostile_deploy_hook.py      # 5b. deploy hook with hostile files/paths: clear error, zero writes
suite python3 Tests/reliability/secrets_leaks.py            # 6. no secret in any output or file, 0600 state, warnings
suite python3 Tests/reliability/transport_refusal.py        # 7. plain http refused before any packet (netns+strace); TLS enforced

echo "reliability: runs kept in $RELIABILITY_DIR"
exit $status
