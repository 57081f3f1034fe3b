#!/usr/bin/env bash
# Makes sure a command from a Debian package is installed: ensure-deb.sh COMMAND PACKAGE.
# As root it installs the package; otherwise it says how and exits 2.
set -euo pipefail

cmd=${1:?usage: ensure-deb.sh COMMAND PACKAGE}
package=${2:?usage: ensure-deb.sh COMMAND PACKAGE}

if command -v "$cmd" >/dev/null 2>&1; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "$cmd is missing; run: sudo apt-get install -y $package" >&2
    exit 2
fi
echo "vigil: installing $package with apt-get" >&2
# A fresh machine or container has no package lists yet; an up-to-date one is not refreshed again.
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq "$package" >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq "$package" >/dev/null
fi
command -v "$cmd" >/dev/null 2>&1 || { echo "$cmd is still missing after apt-get install $package" >&2; exit 2; }
