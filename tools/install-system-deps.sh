#!/bin/sh
# Debian packages the test suite needs: Chromium for browser tests, gettext for translations,
# a CJK font so screenshots and PDFs show Chinese. Installs only what is missing.
set -e
need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
command -v msgfmt >/dev/null 2>&1 || need="$need gettext"
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || need="$need fonts-wqy-microhei"
[ -n "$need" ] || exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install:$need (browser tests will be skipped without chromium)" >&2
  exit 0
fi
echo "Installing Debian packages:$need"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
