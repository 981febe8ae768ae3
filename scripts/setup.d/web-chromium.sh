#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests of the web pages
# (chromedp drives /usr/bin/chromium headless). Safe to run again; asks
# nothing (CI=true is fine). Without it those tests skip when run by hand
# and fail in CI.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
	echo "web-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
	exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "web-chromium: installed $(/usr/bin/chromium --version 2>/dev/null)"
