#!/usr/bin/env bash
# Peak resident memory of `odata-codegen inspect` on Microsoft Graph v1.0-Prod.csdl, and its
# ratio to the file size (target: under 10x). Not run by CI.
#
#   bench/peak-memory.sh [FILE]
#
# FILE defaults to $ODATA_CORPUS/graph/v1.0-Prod.csdl ($ODATA_CORPUS defaults to ../shared/corpus
# next to the workspace). Uses GNU time (`/usr/bin/time -v`); without it, polls VmHWM in /proc
# every 5 ms, which can under-read a peak reached in the last few milliseconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ODATA_CORPUS:-$root/../shared/corpus}"
file="${1:-$corpus/graph/v1.0-Prod.csdl}"
if [[ ! -f "$file" ]]; then
    echo "skipped: no $file (set ODATA_CORPUS to the corpus folder)" >&2
    exit 0
fi

target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --quiet --release -p odata-codegen --bin odata-codegen)
bin="$target/release/odata-codegen"

size=$(stat -c %s "$file")
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    how="/usr/bin/time -v"
    report=$( { /usr/bin/time -v "$bin" inspect --metadata "$file" >/dev/null; } 2>&1 )
    rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' <<<"$report")
else
    how="VmHWM polled from /proc"
    "$bin" inspect --metadata "$file" >/dev/null &
    pid=$!
    rss_kb=0
    while [[ -r /proc/$pid/status ]]; do
        hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
        if [[ -n "$hwm" && "$hwm" -gt "$rss_kb" ]]; then rss_kb=$hwm; fi
        sleep 0.005
    done
    wait "$pid"
fi

rss=$((rss_kb * 1024))
awk -v f="$file" -v size="$size" -v rss="$rss" -v how="$how" 'BEGIN {
    printf "file:      %s\n", f
    printf "file size: %d bytes (%.2f MiB)\n", size, size / 1048576
    printf "peak RSS:  %d bytes (%.2f MiB), by %s\n", rss, rss / 1048576, how
    printf "ratio:     %.2fx the file size (target < 10x)\n", rss / size
}'
