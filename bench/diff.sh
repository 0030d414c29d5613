#!/usr/bin/env bash
# Wall-clock time of `odata-codegen diff` on two whole Graph documents: v1.0-Prod.csdl against
# beta-USNat.csdl (every type and path of both, text report to /dev/null), release build, median
# of RUNS, with the user CPU seconds and the load average. Not run by CI.
#
#   RUNS=10 bench/diff.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ODATA_CORPUS:-$root/../shared/corpus}"
old="$corpus/graph/v1.0-Prod.csdl"
new="$corpus/graph/beta-USNat.csdl"
runs="${RUNS:-10}"
if [[ ! -f "$old" || ! -f "$new" ]]; then
    echo "skipped: no $old or $new (set ODATA_CORPUS to the corpus folder)" >&2
    exit 0
fi

cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --quiet --release -p odata-codegen --bin odata-codegen
bin="$target/release/odata-codegen"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
walls=()
for _ in $(seq "$runs"); do
    # exit status 1: the documents differ in breaking ways, as expected
    line=$( { /usr/bin/time -f "%e %U" "$bin" diff --old "$old" --new "$new" >/dev/null || true; } 2>&1 | tail -1)
    walls+=("${line%% *}")
    echo "wall ${line%% *} s, user ${line##* } s"
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median wall: $median s over $runs runs"
