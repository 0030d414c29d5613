# Shared by the bench scripts: `source "$(dirname "$0")/common.sh"`.

seconds() { # runs "$@", prints elapsed wall seconds (FAILED when it fails)
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "FAILED"; return 0; }
    end=$(date +%s.%N)
    printf '%.1f s\n' "$(echo "$end - $start" | bc)"
}

measured() { # runs "$@", prints "WALL s, CPU s, PEAK MiB" (user+sys and peak RSS include children)
    local log
    log=$(mktemp)
    /usr/bin/time -o "$log" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || { rm -f "$log"; echo "FAILED"; return 0; }
    awk '{ printf "%.1f s, %.1f s CPU, %d MiB", $1, $2 + $3, $4 / 1024 }' "$log"
    rm -f "$log"
}
