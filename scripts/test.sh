#!/usr/bin/env bash
# certhook's whole test suite: the Swift unit and integration tests, then the end-to-end tests that
# run the built binary under real ACME clients (pebble, certbot, lego) against the bundled emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product certhook
swift test
bash Tests/e2e/acme-e2e.sh
