#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ (git-ignored) before a run:
# - read_resolve: every CSDL document of the shared corpus, the Graph documents cut to their first
#   64 KiB (whole ones make every execution slow; the cut ones still hold Graph's constructs);
# - models_json: a few payloads of `remoteAssistanceSettings`;
# - structure: starts empty (its inputs are `arbitrary` trees, not text).
# Usage: fuzz/seed.sh [CORPUS_DIR]   (default: $ODATA_CORPUS, else ../shared/corpus beside the repo)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
corpus="${1:-${ODATA_CORPUS:-$here/../../shared/corpus}}"
if [ ! -d "$corpus" ]; then
    echo "no CSDL corpus at $corpus" >&2
    exit 1
fi

rr="$here/corpus/read_resolve"
mkdir -p "$rr" "$here/corpus/structure" "$here/corpus/models_json"
n=0
while IFS= read -r -d '' f; do
    base="$(basename "$f")"
    size="$(wc -c <"$f")"
    if [ "$size" -gt 131072 ]; then
        head -c 65536 "$f" >"$rr/head64k-$base"
    else
        cp "$f" "$rr/$base"
    fi
    n=$((n + 1))
done < <(find "$corpus" -type f \( -name '*.xml' -o -name '*.csdl' \) -print0)
echo "read_resolve: $n seeds from $corpus"

mj="$here/corpus/models_json"
printf '%s' '{"@odata.type":"#microsoft.graph.remoteAssistanceSettings","id":"1","remoteAssistanceState":"enabled","allowSessionsToUnenrolledDevices":true,"blockChat":false}' >"$mj/full.json"
printf '%s' '{"remoteAssistanceState":"somethingNew","extra":{"a":[1,2.5,null,"x"]}}' >"$mj/unknown-member.json"
printf '%s' '{"id":null,"blockChat":null,"remoteAssistanceState":null}' >"$mj/nulls.json"
printf '%s' '{"id":"99999999999999999999999","n":-9223372036854775809,"m":18446744073709551616,"f":1e400}' >"$mj/numbers.json"
printf '%s' '"enabled"' >"$mj/state.json"
printf '%s' '[{"id":"a"},{"id":"b","blockChat":true}]' >"$mj/list.json"
printf '%s' '{"x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}' >"$mj/nested.json"
echo "models_json: $(ls "$mj" | wc -l) seeds"
