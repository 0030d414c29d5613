#!/usr/bin/env bash
# What bringing in derived types costs (not run by CI): for one include path of a Graph document,
# generate the crate with derived types (the default) and with `--no-derived-types`, count lines,
# and time `cargo check` of each with its dependencies already built.
#
# usage: bench/derived-types.sh [DOCUMENT] [INCLUDE_PATH]
#   (default: v1.0-Prod.csdl of the corpus and '/deviceManagement/**')
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${ODATA_CORPUS:-$root/../shared/corpus}"
doc="${1:-$corpus/graph/v1.0-Prod.csdl}"
path="${2:-/deviceManagement/**}"
work="${DERIVED_TYPES_DIR:-$root/target/derived-types}"

cargo build --release --quiet -p odata-codegen --manifest-path "$root/Cargo.toml"
bin="$root/target/release/odata-codegen"
mkdir -p "$work"

source "$root/bench/common.sh"

printf '| `%s` | types | polymorphic enums | lines | MB of Rust | check, dependencies built |\n' "$path"
printf '|---|---:|---:|---:|---:|---:|\n'
for setting in derived no-derived; do
    out="$work/$setting"
    rm -rf "$out"
    flags=()
    [ "$setting" = no-derived ] && flags=(--no-derived-types)
    "$bin" generate --metadata "$doc" --include-path "$path" "${flags[@]}" --out "$out" \
        --crate-name "graph-$setting" >/dev/null
    types=$(find "$out/src/models" -name '*.rs' -exec cat {} + | grep -cE '^pub (struct|enum|type) ' || true)
    enums=$(find "$out/src/models" -name '*.rs' -exec cat {} + | grep -cE '^pub enum Any' || true)
    lines=$(find "$out" -name '*.rs' -exec cat {} + | wc -l)
    bytes=$(find "$out" -name '*.rs' -exec cat {} + | wc -c)
    target="$work/target-$setting"
    # dependencies first (the runtime without reqwest, serde, serde_json), then the crate alone
    CARGO_TARGET_DIR="$target" cargo check --quiet --no-default-features --manifest-path "$out/Cargo.toml" \
        >/dev/null 2>&1 || true
    touch "$out/src/lib.rs"
    check=$(CARGO_TARGET_DIR="$target" seconds cargo check --quiet --no-default-features --manifest-path "$out/Cargo.toml")
    printf '| %s | %s | %s | %s | %.1f | %s |\n' "$setting" "$types" "$enums" "$lines" \
        "$(echo "$bytes / 1048576" | bc -l)" "$check"
done
