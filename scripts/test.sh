#!/usr/bin/env bash
# The README's second command, and what CI runs: every test of the workspace, browser ones included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-browser.sh
exec cargo test --workspace "$@"
