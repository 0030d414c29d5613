# Shared by the bench scripts: `source "$(dirname "$0")/common.sh"`.

seconds() { # runs "$@", prints elapsed wall seconds (FAILED when it fails)
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "FAILED"; return 0; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
