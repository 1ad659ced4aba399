#!/usr/bin/env bash
# Install Ralph (ralph-malph on PyPI, the open-source LRS of France Université Numérique) in a
# virtual environment of its own, outside the repository, for tests/export/test_lrs.py. Its
# last line on stdout is the path of the `ralph` command, for SAM_COWBOY_TEST_RALPH; pip's
# output goes to stderr. Idempotent: an existing install is reused.
set -euo pipefail
venv="${XDG_CACHE_HOME:-$HOME/.cache}/sam-cowboy-ci/ralph"
if [ ! -x "$venv/bin/ralph" ]; then
  python3 -m venv "$venv" >&2
  # requests: imported by Ralph's auth module but missing from its extras
  "$venv/bin/pip" install --quiet 'ralph-malph[cli,lrs,backend-fs]>=5.1,<6' 'requests>=2.31' >&2
fi
"$venv/bin/ralph" --version >&2
echo "$venv/bin/ralph"
