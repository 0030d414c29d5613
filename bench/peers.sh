#!/usr/bin/env bash
# Times odata-codegen against two npm OData generators on the same CSDL and records what fails:
#   - @odata2ts/odata2ts   (TypeScript; `--mode models` = model types only, `--mode all` = models,
#                           q-objects and service classes, i.e. the full client)
#   - @sap-cloud-sdk/generator (`generate-odata-client`; full client only, it has no models-only
#                           switch)
# Each peer is installed with npm into a fresh `mktemp -d` folder (pinned versions below); nothing
# is installed globally. Every run has a timeout; a failing or timed-out run is recorded (exit code
# and the first error lines), never fatal. Prints a Markdown report and writes it to
# bench/peers-results.md. Not run by CI. Needs cargo, python3, node (20+) and npm with registry
# access.
#
# Neither peer reads Graph v1.0 as published, so each peer gets its own minimally patched copy
# (bench/patch-csdl.py, an XML parser; the report lists every patch, why, and how many elements it
# touches), and ours runs on the same copy for the ratio:
#   - odata2ts:      fill-empty-enums (the two member-less enum types get one member) and
#                    rename-reserved-word-types (the entity type `case` becomes `case_`)
#   - SAP generator: drop-path-bindings (navigation property bindings whose Target is a path) and
#                    rename-same-name-types (enum and complex types whose name another namespace
#                    also uses); the file is named graph.edmx, as the generator derives the service
#                    name from the file name and "v1.0-Prod" gives an invalid TypeScript name.
# odata2ts runs with `bundledFileGeneration: false` (one file per model, from odata2ts.config.js):
# with its default, one bundled file for all models, models only on Graph ran 387 s without
# finishing the entity types (ts-morph edits one ever-growing source file). O2TS_BUNDLED=1 keeps
# the default.
# The unpatched document is tried too (peers fail within seconds on it); UNPATCHED=0 skips that.
#
#   bench/peers.sh                       # defaults below
#   TIMEOUT=900 REPS_OURS=7 bench/peers.sh
#   UNPATCHED=0 bench/peers.sh           # skip the runs on the unpatched Graph document
#
# All figures of one report come from one run of this script on one machine.
set -euo pipefail

ODATA2TS_VERSION=0.34.0
# 4.8.0 is the newest generator on npm, but at the time of writing its dependency
# @sap-cloud-sdk/generator-common@^4.8.0 was not published (npm ETARGET); 4.5.1 installs.
SAP_GENERATOR_VERSION=4.5.1
# odata2ts 0.34.0 gets TypeScript through peer dependencies (cosmiconfig, ts-node), which npm
# resolves to the newest release (7.x, whose JS API lacks `ts.ModuleResolutionKind`): odata2ts then
# fails with "Cannot convert undefined or null to object" before reading any metadata. Pin 5.x.
TYPESCRIPT_VERSION=5.9.3

TIMEOUT="${TIMEOUT:-600}"           # seconds per run
REPS_OURS="${REPS_OURS:-5}"         # repetitions of our commands (median reported)
REPS_SMALL="${REPS_SMALL:-3}"       # repetitions of peer runs on the small document
REPS_GRAPH="${REPS_GRAPH:-1}"       # repetitions of peer runs on Graph v1.0 (minutes each)
UNPATCHED="${UNPATCHED:-1}"         # also run everything on the unpatched Graph document
O2TS_BUNDLED="${O2TS_BUNDLED:-0}"   # 1: odata2ts's default bundled output (one file for all models)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ODATA_CORPUS:-$root/../shared/corpus}"
graph="$corpus/graph/v1.0-Prod.csdl"
small="$corpus/odata/openapi-net-odata/TripService.xml"
results="$root/bench/peers-results.md"
for tool in python3 node npm; do
    command -v "$tool" >/dev/null || { echo "peers.sh: $tool not found" >&2; exit 1; }
done
for f in "$graph" "$small"; do
    if [[ ! -f "$f" ]]; then
        echo "skipped: no $f (set ODATA_CORPUS to the corpus folder)" >&2
        exit 0
    fi
done

# --- build ours (the repository's own target folder) ---------------------------------------------
cd "$root"
cargo build --quiet --release -p odata-codegen --target-dir "$root/target"
ours="$root/target/release/odata-codegen"
commit="$(git -C "$root" rev-parse --short HEAD)"
dirty=""
if ! git -C "$root" diff --quiet HEAD -- codegen runtime Cargo.toml Cargo.lock 2>/dev/null; then
    dirty=" (with uncommitted changes under codegen/ or runtime/)"
fi

# --- install the peers into a temporary folder ---------------------------------------------------
work="$(mktemp -d -t odata-peers.XXXXXX)"
trap 'rm -rf "$work"' EXIT
echo "temporary folder: $work" >&2
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error \
    "@odata2ts/odata2ts@$ODATA2TS_VERSION" \
    "@sap-cloud-sdk/generator@$SAP_GENERATOR_VERSION" \
    "typescript@$TYPESCRIPT_VERSION" >"$work/npm-install.log" 2>&1 || {
    echo "npm install failed:" >&2
    cat "$work/npm-install.log" >&2
    exit 1
}
# odata2ts reads ./tsconfig.json even when it only emits .ts files.
printf '%s\n' '{"compilerOptions":{"target":"ES2020","module":"commonjs","strict":true,"skipLibCheck":true}}' \
    >"$work/tsconfig.json"
if [[ $O2TS_BUNDLED != 1 ]]; then
    echo 'module.exports = { bundledFileGeneration: false };' >"$work/odata2ts.config.js"
fi
pkgver() { node -p "require('$work/node_modules/$1/package.json').version"; }
v_o2ts="$(pkgver @odata2ts/odata2ts)"
v_sap="$(pkgver @sap-cloud-sdk/generator)"
v_ts="$(pkgver typescript)"
v_ours="$("$ours" --version 2>/dev/null | awk '{print $NF}' || true)"
v_ours="${v_ours:-?} ($commit)"
echo "versions: odata-codegen $v_ours, @odata2ts/odata2ts $v_o2ts, @sap-cloud-sdk/generator $v_sap," \
    "typescript $v_ts, node $(node --version), npm $(npm --version)" >&2
o2ts_bin="$work/node_modules/.bin/odata2ts"
sap_bin="$work/node_modules/.bin/generate-odata-client"

# Inputs. The SAP generator reads a folder of service definitions (.edmx/.xml/.json) and names the
# service after the file, so each input gets a folder and a file name that is a valid identifier.
mkdir -p "$work/in/graph" "$work/in/small" "$work/in/graph-o2ts" "$work/in/graph-sap"
cp "$graph" "$work/in/graph/graph.edmx"
cp "$small" "$work/in/small/TripService.edmx"
patches=() # report lines: one per patch
# apply_patches KEY PEER PATCH... : writes $work/in/KEY/graph.edmx, records the counts of patched elements.
apply_patches() {
    local key=$1 peer=$2 out p n
    shift 2
    out="$(python3 "$root/bench/patch-csdl.py" "$graph" "$work/in/$key/graph.edmx" "$@" 2>"$work/patch.log")" || {
        echo "peers.sh: patching Graph for $peer failed:" >&2
        cat "$work/patch.log" >&2
        exit 1
    }
    while read -r p n; do
        patches+=("- **$peer**: \`$p\`: $n elements. ${patch_why[$p]}")
    done <<<"$out"
    if [[ -s $work/patch.log ]]; then patches+=("  ($(paste -sd ' ' "$work/patch.log" | sed 's/^ *//'))"); fi
}
declare -A patch_why=(
    [fill-empty-enums]="The member-less \`<EnumType Name=\"…\" />\` elements get one member (\`unknownFutureValue\` = 0): odata2ts crashes on them (\`et.Member.map\` on \`undefined\`: \"Cannot read properties of undefined (reading 'map')\")."
    [drop-path-bindings]="Removed the \`<NavigationPropertyBinding>\` elements whose \`Target\` is a path (contains \`/\`, e.g. \`policies/appManagementPolicies\`): the SAP generator looks a Target up as an entity set name only (\"Failed to find the entity from the service\")."
    [rename-reserved-word-types]="Types named by a JavaScript reserved word (Graph v1.0: the abstract entity type \`microsoft.graph.security.case\`) renamed to \`word_\`, counted with the attributes that refer to them: odata2ts keeps model names as they are, and \`interface case\` does not parse (\"Inserting syntax kind of InterfaceDeclaration, but ExpressionStatement was inserted\")."
    [rename-same-name-types]="Enum and complex types whose name a type of the same kind in another namespace also has (7 enum, 6 complex types: \`modality\`, \`identitySet\`, …) renamed to \`NAMESPACESEGMENT_name\` in the second namespace, counted with the attributes that refer to them (\`Type\`, \`Annotations Target\`): the SAP generator names these types by their unqualified name, so both of a pair get the same file (\"A source file already exists at …/Modality_1.ts\"; \`--overwrite\` would instead let the second file replace the first)."
)
apply_patches graph-o2ts odata2ts fill-empty-enums rename-reserved-word-types
apply_patches graph-sap "SAP generator" drop-path-bindings rename-same-name-types

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- measuring -----------------------------------------------------------------------------------
rows=()     # Markdown table rows
notes=()    # failure details
declare -A ours_ms   # input label -> median ms of ours `generate --all`

# First error lines of a log: ANSI colours, stack frames and WARN/INFO lines dropped, each line cut.
errsummary() {
    sed -E 's/\x1b\[[0-9;]*m//g' "$1" |
        grep -vE '^[[:space:]]+at |^\[[^]]+\] +(WARN|INFO|DEBUG)|^Duplicate name:' |
        grep -E 'Error|ERROR|Exception|Caused by|[Ff]ailed' |
        head -n 3 | cut -c1-220 | sed -E 's/\|/\\|/g' | paste -sd '~' | sed 's/~/ \/ /g' || true
}
fmt_ms() { awk -v ms="$1" 'BEGIN { if (ms >= 10000) printf "%.1f s", ms / 1000; else if (ms >= 1000) printf "%.2f s", ms / 1000; else printf "%.0f ms", ms }'; }
median() { sort -n | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : int((t[NR / 2] + t[NR / 2 + 1]) / 2) }'; }
outsize() { # files and bytes under a folder
    if [[ -d "$1" ]]; then
        local n b
        n="$(find "$1" -type f | wc -l)"
        b="$(du -sb "$1" | cut -f1)"
        awk -v n="$n" -v b="$b" 'BEGIN { printf "%d file%s, ", n, (n == 1 ? "" : "s"); if (b >= 1e6) printf "%.1f MB", b / 1e6; else printf "%.0f kB", b / 1e3 }'
    else
        echo "none"
    fi
}

# measure TOOL VERSION INPUT MODE REPS OUTDIR -- CMD...   (OUTDIR is emptied before each rep)
# Sets last_status, last_ms (median wall of successful reps, or wall of the failed rep).
measure() {
    local tool=$1 version=$2 input=$3 mode=$4 reps=$5 out=$6
    shift 7
    local log="$work/log.$RANDOM" times=() rss=() cpu=() status=ok code=0 i
    echo "running: $tool $mode on $input ($reps x)" >&2
    for ((i = 0; i < reps; i++)); do
        rm -rf "$out"
        local start end
        start=$(date +%s%N)
        set +e
        /usr/bin/time -f '%M %U %S' -o "$log.rss" timeout "$TIMEOUT" "$@" >"$log" 2>&1
        code=$?
        set -e
        end=$(date +%s%N)
        times+=($(((end - start) / 1000000)))
        rss+=("$(tail -n 1 "$log.rss" 2>/dev/null | awk '{ print $1 + 0 }')")
        cpu+=("$(tail -n 1 "$log.rss" 2>/dev/null | awk '{ printf "%d", ($2 + $3) * 1000 }')")
        if ((code != 0)); then
            if ((code == 124)); then status="timeout (${TIMEOUT} s)"; else status="FAILED (exit $code)"; fi
            notes+=("- **$tool $version, $input, $mode**: $status after $(fmt_ms "${times[-1]}"). $(errsummary "$log")")
            times=("${times[-1]}")
            rss=("${rss[-1]}")
            cpu=("${cpu[-1]}")
            break
        fi
    done
    last_status=$status
    last_tool=$tool
    last_input=$input
    last_mode=$mode
    last_ms="$(printf '%s\n' "${times[@]}" | median)"
    local rss_mb
    rss_mb="$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1 | awk '{ printf "%.0f MiB", $1 / 1024 }')"
    local size="-"
    [[ $status == ok ]] && size="$(outsize "$out")"
    local cpu_ms
    cpu_ms="$(printf '%s\n' "${cpu[@]}" | median)"
    last_row="| $tool | $version | $input | $mode | $status | $(fmt_ms "$last_ms") | $(fmt_ms "$cpu_ms") | ${#times[@]} | $rss_mb | $size |"
    rm -f "$log" "$log.rss"
}

# ratio PEER_MS INPUT STATUS -> "Nx" (peer / ours generate --all on the same input)
ratio() {
    if [[ $3 != ok || ${ours_ms[$2]} == 0 ]]; then echo "—"; return; fi
    awk -v p="$1" -v o="${ours_ms[$2]}" 'BEGIN { r = p / o; if (r >= 10) printf "**%.0fx**", r; else if (r >= 1) printf "**%.1fx**", r; else printf "%.2fx", r }'
}
best_ratio=""    # smallest ratio (peer / ours on the same input) of a peer full client on Graph
best_peer=""
small_peer_ms=0  # fastest successful peer run of any mode on the small document
small_peer=""
add_row() {
    rows+=("${last_row} $(ratio "$last_ms" "$1" "$last_status") |")
    if [[ $last_tool != odata-codegen && $last_status == ok && $last_input == Graph* &&
        $last_mode == "full client"* && ${ours_ms[$1]} != 0 ]]; then
        local r
        r="$(awk -v p="$last_ms" -v o="${ours_ms[$1]}" 'BEGIN { printf "%.2f", p / o }')"
        if [[ -z $best_ratio ]] || awk -v a="$r" -v b="$best_ratio" 'BEGIN { exit !(a < b) }'; then
            best_ratio=$r
            best_peer="$last_tool $last_mode, $(fmt_ms "$last_ms") against ours $(fmt_ms "${ours_ms[$1]}") on \"$1\""
        fi
    fi
    if [[ $last_tool != odata-codegen && $last_status == ok && $last_input == "${label[small]}" ]] &&
        ((small_peer_ms == 0 || last_ms < small_peer_ms)); then
        small_peer_ms=$last_ms
        small_peer="$last_tool $last_mode"
    fi
}

declare -A inputs=([graph]="$work/in/graph/graph.edmx" [small]="$work/in/small/TripService.edmx"
    [graph-o2ts]="$work/in/graph-o2ts/graph.edmx" [graph-sap]="$work/in/graph-sap/graph.edmx")
declare -A label=([graph]="Graph v1.0-Prod.csdl" [small]="TripService.xml"
    [graph-o2ts]="Graph v1.0, patched for odata2ts" [graph-sap]="Graph v1.0, patched for SAP")
declare -A peer_reps=([graph]="$REPS_GRAPH" [small]="$REPS_SMALL" [graph-o2ts]="$REPS_GRAPH" [graph-sap]="$REPS_GRAPH")
declare -A peers_of=([graph]="odata2ts sap" [small]="odata2ts sap" [graph-o2ts]="odata2ts" [graph-sap]="sap")
order=(small graph-o2ts graph-sap)
[[ $UNPATCHED == 1 ]] && order=(graph "${order[@]}")

for key in "${order[@]}"; do
    file="${inputs[$key]}"
    in="${label[$key]}"
    reps="${peer_reps[$key]}"

    # ours: full client (models + request builders) in one run; inspect = read + resolve only.
    measure odata-codegen "$v_ours" "$in" "full client (\`generate --all\`)" "$REPS_OURS" "$work/out/ours" -- \
        "$ours" generate --all --metadata "$file" --crate-name peer-bench --out "$work/out/ours"
    if [[ $last_status == ok ]]; then ours_ms[$in]=$last_ms; else ours_ms[$in]=0; fi
    rows+=("${last_row} 1x |")
    measure odata-codegen "$v_ours" "$in" "read + resolve only (\`inspect\`)" "$REPS_OURS" "$work/out/none" -- \
        "$ours" inspect --metadata "$file"
    add_row "$in"

    cd "$work"   # odata2ts reads ./tsconfig.json
    if [[ " ${peers_of[$key]} " == *" odata2ts "* ]]; then
        measure odata2ts "$v_o2ts" "$in" "models only (\`-m models -e ts -p\`)" "$reps" "$work/out/o2ts" -- \
            "$o2ts_bin" -s "$file" -o "$work/out/o2ts" -m models -e ts -p
        add_row "$in"
        measure odata2ts "$v_o2ts" "$in" "full client (\`-m all -e ts -p\`)" "$reps" "$work/out/o2ts" -- \
            "$o2ts_bin" -s "$file" -o "$work/out/o2ts" -m all -e ts -p
        add_row "$in"
    fi

    [[ " ${peers_of[$key]} " == *" sap "* ]] || continue
    rows+=("| SAP generator | $v_sap | $in | models only | n/a: no models-only option (always entities + request builders + API) | — | — | — | — | — | — |")
    measure "SAP generator" "$v_sap" "$in" "full client (defaults)" "$reps" "$work/out/sap" -- \
        "$sap_bin" -i "$work/in/$key" -o "$work/out/sap"
    add_row "$in"
    measure "SAP generator" "$v_sap" "$in" "full client (\`--skipValidation\`)" "$reps" "$work/out/sap" -- \
        "$sap_bin" -i "$work/in/$key" -o "$work/out/sap" --skipValidation
    add_row "$in"
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report --------------------------------------------------------------------------------------
graph_ms="${ours_ms[${label[graph-o2ts]}]}"   # ours on a Graph copy (the patches hardly change our work)
if ((graph_ms > 0 && graph_ms < 2000)); then t1="met ($(fmt_ms "$graph_ms"))"; else t1="**missed** ($(fmt_ms "$graph_ms"))"; fi
if [[ -z $best_ratio ]]; then
    t2="cannot be checked: no peer produced a full client from a Graph copy (see failures)"
else
    t2="${best_ratio}x, $best_peer"
    awk -v r="$best_ratio" 'BEGIN { exit !(r >= 50) }' && t2="met: $t2" || t2="**missed**: $t2"
fi

small_ms="${ours_ms[${label[small]}]}"
if ((small_peer_ms == 0 || small_ms == 0)); then
    t3="cannot be checked: no successful run on both sides"
else
    t3="the fastest successful peer run, $small_peer ($(fmt_ms "$small_peer_ms")), takes $(awk -v p="$small_peer_ms" -v o="$small_ms" 'BEGIN { printf "%.0fx", p / o }') the time of our full client ($(fmt_ms "$small_ms"))"
fi

{
    echo "# Peer generators (\`bench/peers.sh\`)"
    echo
    echo "- **Date**: $(date -u +%Y-%m-%d) · **Code**: \`$commit\`$dirty, release build"
    echo "- **Machine**: $(nproc) vCPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM; shared and noisy (load average $load_start at start, $load_end at end)."
    echo "- **Tools**: node $(node --version), npm $(npm --version); @odata2ts/odata2ts $v_o2ts, @sap-cloud-sdk/generator $v_sap, typescript $v_ts (pinned, see the script)."
    echo "- **Runs**: ours median of $REPS_OURS; peers median of $REPS_SMALL on the small document and $REPS_GRAPH on Graph; timeout $TIMEOUT s per run; a failed run stops the repetitions. Each run writes into an empty folder. All figures are from **one run** of the script; expect ±20–30 % between runs."
    echo "- **Ratio** = wall time of the row / wall time of our \`generate --all\` on the same input (only for runs that succeeded). CPU time and peak RSS come from \`/usr/bin/time\` and include child processes; on this busy machine CPU time is the steadier figure."
    echo "- Our models and request builders come from the same \`generate --all\` run (there is no models-only switch), so the same figure stands for both."
    echo "- Peers write formatted TypeScript (odata2ts with \`-p\` = prettier; the SAP generator runs prettier by default, no transpile, no package.json); ours writes prettyplease-formatted Rust."
    if [[ $O2TS_BUNDLED == 1 ]]; then
        echo "- odata2ts runs with its defaults (\`bundledFileGeneration: true\`: one file for all models, one for all q-objects)."
    else
        echo "- odata2ts runs with \`bundledFileGeneration: false\` (odata2ts.config.js; one file per model): with its default, one bundled file, models only ran 387 s (235 s CPU) on the Graph copy and had not finished the entity types when it stopped at \`case\` (ts-morph edits one ever-growing source file; \`O2TS_BUNDLED=1\` runs the default)."
    fi
    echo
    echo "| Tool | Version | Input | Mode | Status | Wall (median) | CPU user+sys (median) | Runs | Peak RSS | Output | Ratio to ours (wall) |"
    echo "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |"
    printf '%s\n' "${rows[@]}"
    echo
    echo "## Targets (Graph v1.0, metadata to formatted files on disk)"
    echo
    echo "- Ours under 2 s (on the copy patched for odata2ts): $t1."
    echo "- At least 50x faster than the fastest peer that succeeds (smallest ratio on the same input): $t2."
    echo "- On ${label[small]}: $t3."
    echo
    echo "## Failures"
    echo
    if ((${#notes[@]})); then printf '%s\n' "${notes[@]}"; else echo "None."; fi
    echo
    echo "## Patches (bench/patch-csdl.py, applied to a copy of v1.0-Prod.csdl per peer)"
    echo
    printf '%s\n' "${patches[@]}"
    echo
    echo "Ours runs on each patched copy too, for the ratio. The SAP copy is named \`graph.edmx\`, as are the others: the SAP generator names the service after the file, and \`v1.0-Prod\` gives \`V1.0Prod\`, which is not a TypeScript name (prettier fails on the generated \`batch.ts\`)."
} | tee "$results"
