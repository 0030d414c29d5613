#!/usr/bin/env bash
# Peak resident memory of a client paging through 1,000, 100,000 and 400,000 items (999 a page)
# served by the loopback emulator in another process (runtime/examples/paging_memory.rs, release
# build), so that only the client is measured. Memory should stay flat: one page is held at a
# time. Not run by CI.
#
#   bench/paging-memory.sh [COUNT...]      (default: 1000 100000 400000)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --quiet --release -p odata-runtime --example paging_memory)
bin="$target/release/examples/paging_memory"
counts=("$@")
if [[ ${#counts[@]} -eq 0 ]]; then counts=(1000 100000 400000); fi
for n in "${counts[@]}"; do
    origin_file=$(mktemp)
    "$bin" serve "$n" >"$origin_file" &
    server=$!
    for _ in $(seq 50); do [[ -s "$origin_file" ]] && break; sleep 0.1; done
    "$bin" "$n" "$(cat "$origin_file")"
    kill "$server"
    wait "$server" 2>/dev/null || true
    rm -f "$origin_file"
done
