#!/usr/bin/env bash
# The Debian packages the test suite needs, installed only when missing (idempotent):
#   chromium          browser tests (Playwright drives Debian's Chromium)
#   poppler-utils     reading PDFs back (pdftotext, pdffonts)
#   fonts-liberation2 Liberation 2.x: Times-metric serif with Vietnamese, for the PDF report
#   libharfbuzz-subset0, libpango-1.0-0, libpangoft2-1.0-0   WeasyPrint's rendering libraries
#   gettext           makemessages / compilemessages
set -euo pipefail

packages=(chromium poppler-utils fonts-liberation2 libharfbuzz-subset0 libpango-1.0-0
          libpangoft2-1.0-0 gettext)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Missing system packages (${missing[*]}): install them as root with apt-get." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
