#!/usr/bin/env bash
# Debian packages the tests use: Chromium (browser tests), a CJK font, the real consumers the
# export tests open files in (epubcheck, LibreOffice, poppler, markdown: the original
# Markdown.pl), nginx (the TLS proxy in front of the real server in tests/e2e/test_proxy_e2e.py),
# and the real servers the scale-out tests start themselves in temporary folders (PostgreSQL with
# pg_trgm, Redis). Installs only what is missing; the distribution's own PostgreSQL cluster and
# Redis service are not used.
set -euo pipefail
packages=(chromium fonts-noto-cjk epubcheck libreoffice-writer-nogui poppler-utils nginx markdown
          postgresql postgresql-contrib redis-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
