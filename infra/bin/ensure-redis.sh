#!/usr/bin/env bash
# Makes sure Debian's redis-server is installed: the local stack and the integration tests run the real one.
exec "$(dirname "${BASH_SOURCE[0]}")/ensure-deb.sh" redis-server redis-server
