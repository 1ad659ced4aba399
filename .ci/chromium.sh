#!/usr/bin/env bash
# Install Debian's Chromium for tests/workshop/test_browser.py when it is absent. Idempotent
# (does nothing when /usr/bin/chromium is there) and silent on stdout (apt's output goes to
# stderr). The test drives /usr/bin/chromium through the playwright package of the `test`
# extra: never `playwright install`, which downloads a browser of its own. Needs root for
# apt-get (CI is root).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
[ -x /usr/bin/chromium ] || { echo "chromium.sh: /usr/bin/chromium is still missing" >&2; exit 1; }
