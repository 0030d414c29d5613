#!/usr/bin/env bash
# Two builds of odata-codegen on whole commands, interleaved: each round runs both binaries (the
# order alternates), and the ratio after/before is taken within the round, so load that comes and
# goes on a shared machine hits both sides alike. Prints the median time of each and the median
# and quartiles of the per-round ratios. Not run by CI.
#
#   bench/compare-commands.sh BEFORE_BIN AFTER_BIN [inspect|generate] [ROUNDS]
set -euo pipefail

before="${1:?usage: bench/compare-commands.sh BEFORE_BIN AFTER_BIN [inspect|generate] [ROUNDS]}"
after="${2:?usage: bench/compare-commands.sh BEFORE_BIN AFTER_BIN [inspect|generate] [ROUNDS]}"
mode="${3:-inspect}"
rounds="${4:-40}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ODATA_CORPUS:-$root/../shared/corpus}"
file="$corpus/graph/v1.0-Prod.csdl"
if [[ ! -f "$file" ]]; then
    echo "skipped: no $file (set ODATA_CORPUS to the corpus folder)" >&2
    exit 0
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

run() { # BIN SIDE -> elapsed microseconds
    local start end
    start=$(date +%s%N)
    if [[ "$mode" == generate ]]; then
        "$1" generate --all --metadata "$file" --out "$out/$2" >/dev/null 2>&1
    else
        "$1" inspect --metadata "$file" >/dev/null 2>&1
    fi
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
}

run "$before" before >/dev/null
run "$after" after >/dev/null
pairs="$out/pairs"
for ((i = 0; i < rounds; i++)); do
    if ((i % 2)); then
        a=$(run "$after" after)
        b=$(run "$before" before)
    else
        b=$(run "$before" before)
        a=$(run "$after" after)
    fi
    echo "$b $a" >>"$pairs"
done

# quantile Q (0..1) of a sorted column on stdin
quantile() { awk -v q="$1" '{ x[NR] = $1 } END { i = int(q * (NR - 1)) + 1; print x[i] }'; }
median_ms() { sort -n | awk '{ x[NR] = $1 } END { m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'; }
ratios="$out/ratios"
awk '{ printf "%.4f\n", $2 / $1 }' "$pairs" | sort -g >"$ratios"
echo "$mode, $rounds rounds (load average $(cut -d' ' -f1 /proc/loadavg) at the end)"
echo "before median $(cut -d' ' -f1 "$pairs" | median_ms) ms, after median $(cut -d' ' -f2 "$pairs" | median_ms) ms"
echo "after/before per round: median $(quantile 0.5 <"$ratios"), quartiles $(quantile 0.25 <"$ratios")-$(quantile 0.75 <"$ratios")"
