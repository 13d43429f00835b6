#!/usr/bin/env bash
# System packages the test suites need beyond Python: Java 17 for local PySpark, Debian's
# chromium for the docs-site browser test (tests/test_docs_site.py; never a downloaded build),
# faketime for the builds under a shifted clock (tests/test_any_date.py).
# Installs only what is missing; needs root (or sudo) and Debian's apt.
set -euo pipefail
missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
echo "install_system_deps: installing ${missing[*]}"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
