#!/usr/bin/env bash
# Load test of `encore serve` on loopback with wrk (Debian package `wrk`), bounded in time: the song
# page (its HTML) and the song API it loads, 10 s each, 8 connections on 2 threads. Prints p99
# latency and errors per endpoint.
#
# Usage: crates/encore-server/bench/load.sh [BASE_URL] [SONG_ID]
#   BASE_URL defaults to http://127.0.0.1:8080 (start the server first: `encore serve --store …`).
set -euo pipefail

base="${1:-http://127.0.0.1:8080}"
song="${2:-running_up_that_hill}"
case "$base" in
    http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
    *) echo "load.sh only runs against loopback (got $base)" >&2; exit 2 ;;
esac
command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

for path in "/#/song/$song" "/api/songs/$song" "/api/leaderboard"; do
    echo "== $base$path"
    # wrk never sends the fragment (#/song/…): the song page is the page shell plus /api/songs/ID.
    report="$(timeout 30 wrk --latency -d 10s -c 8 -t 2 "$base${path%%#*}")"
    grep -E "Requests/sec|requests in|^ +(50|90|99)%" <<<"$report"
    # wrk prints these lines only when there were errors.
    grep -E "Non-2xx|Socket errors" <<<"$report" || echo "  errors: 0"
done
