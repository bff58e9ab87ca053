#!/usr/bin/env bash
# certhook's whole test suite, as CI runs it:
#   1. the Swift unit and integration tests (emulator on loopback);
#   2. the reliability suites of docs/reliability.md (faults, crashes, concurrency, fuzzing, hostile input,
#      secret hygiene, transport), each bounded in time;
#   2b. the conformance suite: the official Alibaba Cloud Python SDKs (PyPI, own venv) judge the emulator;
#   3. the end-to-end tests: the built binary under real ACME clients (pebble, certbot, lego) through hooks/.
# Needs: the Swift toolchain, libssl-dev, openssl, python3, curl, strace, pebble, certbot, lego (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product certhook
swift test
bash Tests/conformance/run.sh .build/debug/certhook
bash scripts/reliability.sh
bash Tests/e2e/acme-e2e.sh
