# Helper, sourced first by every script that takes arguments (eng/*.sh, eng/containers/*.sh): `--help` (or `-h`)
# prints the script's header comment, its usage, and exits before anything is installed, built or started.
#   msashop_help "$0" "$@"
msashop_help() {
    local script=$1 arg
    shift
    for arg in "$@"; do
        case "$arg" in
            --) return 0 ;;   # what follows belongs to another program
            -h|--help)
                awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$script"
                exit 0 ;;
        esac
    done
}
