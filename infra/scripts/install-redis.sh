#!/usr/bin/env bash
# Installs redis-server from the system's packages; the tests and the demo start their own.
set -euo pipefail
if command -v redis-server >/dev/null; then exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if command -v apt-get >/dev/null; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server
elif command -v brew >/dev/null; then
  brew install redis
elif command -v dnf >/dev/null; then
  $SUDO dnf install -y redis
else
  echo "Please install redis-server (Redis 7) and re-run." >&2
  exit 1
fi
