#!/usr/bin/env bash
# Prints the path of a promtool binary, fetching it the first time from Debian's `prometheus` package
# (the build machines have Debian's package archive but nothing pre-installed). Nothing is installed
# system-wide: the package is only unpacked into a cache the next runs reuse.
#   PROMTOOL=/path/to/promtool   use that one
#   PAYLEDGER_TOOLS=dir          cache directory (default ~/.cache/payledger/tools)
set -euo pipefail

if [[ -n "${PROMTOOL:-}" ]]; then echo "$PROMTOOL"; exit 0; fi
if command -v promtool >/dev/null 2>&1; then command -v promtool; exit 0; fi

cache="${PAYLEDGER_TOOLS:-$HOME/.cache/payledger/tools}"
if [[ -x "$cache/promtool" ]]; then echo "$cache/promtool"; exit 0; fi

command -v apt-get >/dev/null 2>&1 || { echo "promtool is missing and there is no apt-get to fetch it; set PROMTOOL" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download prometheus >/dev/null 2>&1; then
  # an empty package index on a fresh machine: refresh it (as root, or with passwordless sudo)
  if [[ "$(id -u)" == 0 ]]; then apt-get update -qq >/dev/null; else sudo -n apt-get update -qq >/dev/null; fi
  apt-get download prometheus >/dev/null 2>&1
fi
dpkg-deb -x prometheus_*.deb unpacked
mkdir -p "$cache"
install -m 0755 unpacked/usr/bin/promtool "$cache/promtool"
echo "$cache/promtool"
