#!/usr/bin/env bash
# Render an edition (default: the sample edition) into output/<date>/, installing what is needed first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
cd "$root"
exec .venv/bin/layout render "${1:-2020-05-15}"
