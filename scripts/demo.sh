#!/usr/bin/env bash
# The README's first command: a full application run through every mock ATS flow in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-browser.sh
exec cargo run --quiet -p autoapply -- demo "$@"
