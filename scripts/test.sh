#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run all tests.
# Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Headless Chromium for the browser tests (Debian's package; no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

# A Chinese font for the browser tests' layout checks (placeholders shown whole, badges on the title's line, A4 print):
# without one Chromium draws every Chinese character as a missing-glyph box of another width. A clerk's machine always
# has one; a bare Debian machine may not (Debian's Noto CJK; fontconfig's fc-list comes with chromium).
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
  fi
fi

# nginx for tests/e2e/test_hosting.py (the README's server block on a real nginx; Debian's package, not started).
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  fi
fi

# The project in its own virtual environment.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# axe-core for the accessibility tests (package.json / package-lock.json; node_modules/ is gitignored).
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq npm >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq npm >/dev/null; fi
fi
npm ci --no-audit --no-fund --silent
export NO_MKDOCS_2_WARNING=1
.venv/bin/python -m ruff check gongkai tests scripts
# type check: strict on the core (errors, model, load/, checks/), every body checked elsewhere (pyproject.toml)
.venv/bin/python -m mypy
# two processes (pytest-xdist); a test file's tests stay in one process, so its module fixtures are built once
.venv/bin/python -m pytest -q -n 2 --dist loadfile "$@"
