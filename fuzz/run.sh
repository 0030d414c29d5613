#!/usr/bin/env bash
# Runs one fuzz target for a bounded time with the limits RELIABILITY.md records.
# Usage: fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
# Needs `cargo install cargo-fuzz`; works on stable through RUSTC_BOOTSTRAP (sanitizer flags).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: fuzz/run.sh TARGET [SECONDS]}"
seconds="${2:-600}"
shift $(($# < 2 ? $# : 2))
[ -d "$here/corpus/$target" ] || "$here/seed.sh"
max_len=131072
[ "$target" = models_json ] && max_len=65536
cd "$here"
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir "$here" "$target" "$here/corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$max_len" \
    -print_final_stats=1 $(case "$target" in read_resolve) echo "-dict=$here/csdl.dict" ;; esac) "$@"
