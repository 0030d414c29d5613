#!/usr/bin/env bash
# Wall-clock time of whole commands: `odata-codegen inspect` on Microsoft Graph v1.0-Prod.csdl and
# `cargo xtask codegen --check`. Uses hyperfine when installed, else a bash loop (median of RUNS).
# Not run by CI.
#
#   RUNS=10 bench/time-commands.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ODATA_CORPUS:-$root/../shared/corpus}"
file="$corpus/graph/v1.0-Prod.csdl"
runs="${RUNS:-10}"
if [[ ! -f "$file" ]]; then
    echo "skipped: no $file (set ODATA_CORPUS to the corpus folder)" >&2
    exit 0
fi

cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --quiet --release -p odata-codegen --bin odata-codegen
cargo build --quiet -p xtask   # what `cargo xtask` runs (the alias builds the dev profile)
bin="$target/release/odata-codegen"

inspect="$bin inspect --metadata $file"
check="cargo xtask codegen --check"

if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" --output=null "$inspect" "$check"
    exit 0
fi

# Fallback: run each command RUNS times after one warm-up, print min / median / max.
measure() {
    local label=$1
    shift
    "$@" >/dev/null
    local times=()
    for ((i = 0; i < runs; i++)); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
        { t[NR] = $1 }
        END {
            med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
            printf "%-40s min %9.1f ms  median %9.1f ms  max %9.1f ms  (%d runs)\n",
                label, t[1] / 1000, med / 1000, t[NR] / 1000, NR
        }'
}
measure "odata-codegen inspect v1.0-Prod.csdl" $inspect
measure "cargo xtask codegen --check" $check
