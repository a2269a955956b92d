#!/usr/bin/env bash
# Installs what slareport needs to build and test, only when it is missing.
# Debian packages through apt-get; nothing else is fetched.
set -euo pipefail

# bsdutils (`script`, a pty for the progress tests) and util-linux (`prlimit`, the memory-limit test) are needed by tests
# that fail under CI=true without them; so is victoria-metrics (the pull agreement test's second server).
apt_packages=(libsqlite3-dev libssl-dev libxlsxwriter-dev tzdata pkg-config locales bsdutils util-linux victoria-metrics)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >&2
fi

# Tests only: openpyxl reads the XLSX back; a German locale proves the output ignores LANG.
python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install --quiet openpyxl >&2 \
  || python3 -m pip install --quiet --user --break-system-packages openpyxl >&2
locale -a 2>/dev/null | grep -qi '^de_DE.utf-\?8$' || localedef -i de_DE -f UTF-8 de_DE.UTF-8 >&2 || true

command -v swift >/dev/null || { echo "setup: the Swift toolchain is not on PATH (expected /opt/swift)" >&2; exit 1; }
# Tests only: Debian's prometheus (prometheus, promtool) for PrometheusAgreementTests and PullAgreementTests.
command -v prometheus >/dev/null && command -v promtool >/dev/null || python3 "$(dirname "$0")/prometheus/agree.py" install >&2 || true
