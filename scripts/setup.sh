#!/usr/bin/env bash
# Installs what the engine needs on a Debian 12 machine; safe to run again (does nothing when all is there).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

debian_packages=(fonts-noto-cjk fonts-noto-core fonts-lxgw-wenkai ghostscript libgs-common libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
                 mupdf-tools poppler-utils qpdf chromium)
missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  python3 -m venv .venv
fi
# Reinstall only when the lock file or the package metadata changed.
stamp=.venv/.layout-installed
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages from requirements.lock" >&2
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.lock
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
  echo "$want" > "$stamp"
fi
# The engine's bytecode, as a non-editable install would leave it: where PYTHONDONTWRITEBYTECODE is
# set, every command would otherwise compile a hundred modules again (about 0.15 s of `layout fit`).
# Only what is missing or out of date is compiled; a source changed later is compiled in memory.
.venv/bin/python -m compileall -q layout >/dev/null
