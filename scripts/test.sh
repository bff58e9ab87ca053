#!/usr/bin/env bash
# certhook's whole test suite, as CI runs it:
#   1. the Swift unit and integration tests (emulator on loopback);
#   2. the reliability suites of docs/reliability.md (faults, crashes, concurrency, fuzzing, hostile input,
#      secret hygiene, transport), each bounded in time;
#   2b. the conformance suite: the official Alibaba Cloud Python SDKs (PyPI, own venv) judge the emulator;
#   3. the end-to-end tests: the built binary under real ACME clients (pebble with certbot, lego, acme.sh,
#      dehydrated, uacme) through hooks/;
#   4. the release artifacts (one release build, --static-swift-stdlib), installed and run in a root
#      without the Swift toolchain (scripts/package-check.sh; needs root);
#   5. a smoke run of the fleet benchmark (bench/fleet/run.sh, 2 accounts x 2 regions x 2 x 5 listeners) on that
#      release build: it fails unless every listener converged.
# Needs: the Swift toolchain, libssl-dev, openssl, python3, curl, strace, pebble, certbot, lego, dehydrated,
# uacme, python3-venv, publicsuffix, util-linux, dpkg-dev, man-db (see .ci/run), and shared/tools/acme.sh beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

# One debug build serves the tests and the suites below (a product-only build would be compiled a second time
# with testing enabled by `swift test`).
swift build --build-tests
swift test --skip-build
bash Tests/conformance/run.sh .build/debug/certhook
bash scripts/reliability.sh
bash Tests/e2e/acme-e2e.sh
bash scripts/release.sh --out .build/dist
# The debug build links the toolchain's Swift runtime: it must fail where the package is proven to run.
bash scripts/package-check.sh --dist .build/dist --control "$(swift build --show-bin-path)/certhook"
ACCOUNTS=2 REGIONS=2 LBS=2 LISTENERS=5 \
  CERTHOOK_BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/certhook" bash bench/fleet/run.sh
