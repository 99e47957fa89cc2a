#!/usr/bin/env bash
# Soak test of `encore serve` on loopback: five minutes (SOAK_SECONDS) of page reads, SQL and ingest
# writes at once against a RELEASE build, then p50/p99 and errors per kind and the server's peak
# resident memory (VmHWM). Needs wrk and curl. Not run in CI: it takes minutes and both cores.
#
# Usage: crates/encore-server/bench/soak.sh STORE_COPY [SONG_ID]
#   STORE_COPY: a throwaway copy of a demo store (ingest writes go into it).
set -euo pipefail

store="${1:?usage: soak.sh STORE_COPY [SONG_ID]}"
song="${2:-running_up_that_hill}"
seconds="${SOAK_SECONDS:-300}"
port="${SOAK_PORT:-18080}"
base="http://127.0.0.1:$port"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
data="$root/../shared/data/billboard-hot-100"
command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "curl is missing" >&2; exit 1; }

work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "soak-write" >"$work/token"
echo "soak-read" >"$work/read-token"

cargo build --release --bin encore --manifest-path "$root/Cargo.toml"
"$root/target/release/encore" serve --store "$store" --addr "127.0.0.1:$port" \
    --token-file "$work/token" --read-token-file "$work/read-token" &
server=$!
for _ in $(seq 1 600); do curl -fs "$base/api/status" >/dev/null && break; sleep 0.1; done

cat >"$work/sql.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer soak-read"
local queries = {
  '{"query": "SELECT chart_date, rank FROM chart_entries WHERE song_id = \'first_snow\'"}',
  '{"query": "SELECT song_id, count(*) AS n FROM chart_entries GROUP BY song_id ORDER BY n DESC"}',
  '{"query": "SELECT repeat(\'x\', 500000000) AS s"}',
}
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, nil, nil, queries[(i % #queries) + 1])
end
LUA

wrk --latency -d "${seconds}s" -c 8 -t 1 "$base/api/songs/$song" >"$work/reads.txt" &
reads=$!
wrk --latency -d "${seconds}s" -c 4 -t 1 -s "$work/sql.lua" "$base/api/sql" >"$work/sql.txt" &
sql=$!

# Writes: the same chart files again and again (the store keeps one copy of a file's rows).
ingested=0
failed=0
end=$((SECONDS + seconds))
while [ "$SECONDS" -lt "$end" ]; do
    for file in "$data"/*.json; do
        [ "$SECONDS" -lt "$end" ] || break
        status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer soak-write" \
            --data-binary "@$file" "$base/api/ingest?file=$(basename "$file")")"
        if [ "$status" = 200 ]; then ingested=$((ingested + 1)); else failed=$((failed + 1)); fi
        sleep 1
    done
done
wait "$reads" "$sql"

# The repeat query is refused with 413 by design: a third of the SQL requests count as Non-2xx.
for kind in reads sql; do
    echo "== $kind"
    grep -E "Requests/sec|requests in|^ +(50|99)%" "$work/$kind.txt"
    grep -E "Non-2xx|Socket errors" "$work/$kind.txt" || echo "  errors: 0"
done
echo "== ingest: $ingested answered 200, $failed failed"
echo "== server peak resident memory: $(grep VmHWM "/proc/$server/status" | awk '{print $2 / 1024 " MiB"}')"
