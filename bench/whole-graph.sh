#!/usr/bin/env bash
# Whole-Graph figures for BENCHMARKS.md (not run by CI): for each Graph document, generate the whole
# crate (`generate --all`, one feature per area), count files, lines and the largest file, then
# time `cargo check` of the crate (dependencies built first) for one area feature alone and for all
# of them (`full`): wall, CPU (user+sys, rustc included) and peak RSS, and the target folder sizes.
#
# The crate is checked without incremental compilation, as Cargo builds a git or registry
# dependency; CARGO_INCREMENTAL=1 measures Cargo's default for a path dependency instead (a first
# check about 30 % slower on the whole v1.0 crate; README.md says when to turn it off).
#
# usage: bench/whole-graph.sh [DOCUMENT...]   (default: the three Graph documents of the corpus)
set -euo pipefail
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${ODATA_CORPUS:-$root/../shared/corpus}"
work="${WHOLE_GRAPH_DIR:-$root/target/whole-graph}"
area="${AREA:-device-management}"
docs=("$@")
if [ ${#docs[@]} -eq 0 ]; then
    docs=("$corpus/graph/v1.0-Prod.csdl" "$corpus/graph/beta-USNat.csdl" "$corpus/graph/beta-Mooncake-2022-07-27.csdl")
fi

cargo build --release --quiet -p odata-codegen --manifest-path "$root/Cargo.toml"
bin="$root/target/release/odata-codegen"
mkdir -p "$work"

source "$root/bench/common.sh"

printf '| document | generation | files | lines | MB of Rust | largest file (KB) | dependencies | check `%s` alone | target (MB) | check `full` | target (MB) |\n' "$area"
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for doc in "${docs[@]}"; do
    name="$(basename "$doc" .csdl)"
    out="$work/$name"
    rm -rf "$out"
    gen=$(measured "$bin" generate --all --metadata "$doc" --out "$out" --crate-name "graph-$(echo "$name" | tr 'A-Z.' 'a-z-')")
    files=$(find "$out" -name '*.rs' | wc -l)
    lines=$(find "$out" -name '*.rs' -exec cat {} + | wc -l)
    bytes=$(find "$out" -name '*.rs' -exec cat {} + | wc -c)
    largest=$(( $(find "$out" -name '*.rs' -printf '%s\n' | sort -n | tail -1) / 1024 ))
    # dependencies first, so that the figures below are the generated crate's own
    rm -rf "$work/target-deps"
    deps=$(CARGO_TARGET_DIR="$work/target-deps" seconds cargo check --quiet --no-default-features --manifest-path "$out/Cargo.toml")
    one_dir="$work/target-$name-area"; full_dir="$work/target-$name-full"
    rm -rf "$one_dir" "$full_dir"
    cp -a "$work/target-deps" "$one_dir"; cp -a "$work/target-deps" "$full_dir"
    one=$(CARGO_TARGET_DIR="$one_dir" measured cargo check --quiet --no-default-features --features "$area" --manifest-path "$out/Cargo.toml")
    full=$(CARGO_TARGET_DIR="$full_dir" measured cargo check --quiet --no-default-features --features full --manifest-path "$out/Cargo.toml")
    one_mb=$(du -sm "$one_dir" | cut -f1); full_mb=$(du -sm "$full_dir" | cut -f1)
    printf '| %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s |\n' "$name" "$gen" "$files" "$lines" "$(echo "$bytes / 1048576" | bc -l)" "$largest" "$deps" "$one" "$one_mb" "$full" "$full_mb"
done
echo
echo "'from clean' = dependencies + the crate's own check; dependencies are odata-runtime without reqwest, serde, serde_json"
echo "CARGO_INCREMENTAL=$CARGO_INCREMENTAL"
