#!/usr/bin/env bash
# The tests on the lowest version of every dependency that pyproject.toml allows, in a
# separate virtual environment (.venv-lowest), so that its ranges are true.
# Arguments go to pytest (default: the whole suite but the snapshot tests, whose pictures
# are recorded with the newest Textual and differ by a pixel on older ones).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-lowest
.venv-lowest/bin/pip install --quiet --upgrade pip
# every `name>=X` of the dependencies and the test extra, pinned to `name==X`
python3 - > .venv-lowest/constraints.txt <<'PY'
import re
import tomllib

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
    m = re.match(r"\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)", spec)
    if m:
        print(f"{m.group(1)}=={m.group(3)}")
        if m.group(2) == "[binary]":
            print(f"{m.group(1)}-binary=={m.group(3)}")
PY
echo "lowest versions:" && cat .venv-lowest/constraints.txt
.venv-lowest/bin/pip install --quiet -c .venv-lowest/constraints.txt '.[test]'
if [ "$#" -eq 0 ]; then
  set -- --ignore=tests/tui/test_snapshots.py --ignore=tests/tui/test_compose_snapshots.py
fi
.venv-lowest/bin/pytest -p no:cacheprovider "$@"
