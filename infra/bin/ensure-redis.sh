#!/usr/bin/env bash
# Makes sure Debian's redis-server is installed: the local stack and the integration tests run the real one.
# As root it installs the package; otherwise it says how and exits 2.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "redis-server is missing; run: sudo apt-get install -y redis-server" >&2
    exit 2
fi
echo "vigil: installing redis-server with apt-get" >&2
# A fresh machine or container has no package lists yet; an up-to-date one is not refreshed again.
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq redis-server >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq redis-server >/dev/null
fi
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is still missing after apt-get install" >&2; exit 2; }
