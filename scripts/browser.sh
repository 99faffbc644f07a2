#!/usr/bin/env bash
# The browser the page tests drive: Debian's Chromium (Playwright's own download is not
# used; the tests point Playwright at /usr/bin/chromium). Installs it when missing.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "browser: $CHROMIUM is missing and there is no apt-get to install it; install Chromium and set CHROMIUM" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "browser: installing Debian's chromium (once)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
test -x "$CHROMIUM" || { echo "browser: chromium did not install at $CHROMIUM" >&2; exit 1; }
