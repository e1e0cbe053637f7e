#!/usr/bin/env bash
# Installs the system programs DocFleet needs, when missing: redis-server (the tests and the demo
# start their own) and tesseract with its English data (an OCR engine of the OCR worker).
set -euo pipefail

missing=()
command -v redis-server >/dev/null || missing+=(redis)
tesseract --list-langs 2>/dev/null | grep -qx eng || missing+=(tesseract)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

# The packages that provide each program, per package manager.
names_apt() { case $1 in redis) echo redis-server ;; tesseract) echo tesseract-ocr tesseract-ocr-eng ;; esac; }
names_brew() { case $1 in redis) echo redis ;; tesseract) echo tesseract ;; esac; }
names_dnf() { case $1 in redis) echo redis ;; tesseract) echo tesseract tesseract-langpack-eng ;; esac; }
packages() {
  local manager=$1 program
  shift
  for program in "$@"; do "names_$manager" "$program"; done
}

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if command -v apt-get >/dev/null; then
  # shellcheck disable=SC2046  # one word per package
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends $(packages apt "${missing[@]}")
elif command -v brew >/dev/null; then
  # shellcheck disable=SC2046
  brew install $(packages brew "${missing[@]}")
elif command -v dnf >/dev/null; then
  # shellcheck disable=SC2046
  $SUDO dnf install -y $(packages dnf "${missing[@]}")
else
  echo "Please install $(packages apt "${missing[@]}" | tr '\n' ' ')(Debian package names) and re-run." >&2
  exit 1
fi
