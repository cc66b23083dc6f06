# Shared by loop-callgrind.sh and files-callgrind.sh (sourced, POSIX sh): the temp dialogd's
# config and the per-thread instruction totals of a `valgrind --separate-threads=yes` run.

# callgrind_config ROOT SPOOL_SETTINGS: ROOT/dialogd.conf with spool, store and socket under ROOT.
callgrind_config() {
    cat > "$1/dialogd.conf" <<EOF
[spool]
dir = $1/spool
$2
[store]
path = $1/lib/dialogd.db
[socket]
path = $1/run/dialogd.sock
[records]
timezone = Europe/Berlin
[log]
level = notice
EOF
}

# callgrind_totals ROOT N UNIT: each thread's instructions in ROOT/cg.out-*, then their sum, per UNIT of N.
callgrind_totals() {
    total=0
    for f in "$1"/cg.out-*; do
        ir=$(sed -n 's/^totals: //p' "$f")
        if [ -n "$ir" ] && [ "$ir" != 0 ]; then
            total=$((total + ir))
            python3 -c "import sys; t, ir, n, u = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]; print(f'thread {t}: {ir:,} Ir, {ir // n:,} per {u}')" "${f##*-}" "$ir" "$2" "$3"
        fi
    done
    python3 -c "import sys; ir, n, u = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]; print(f'all threads: {ir:,} Ir, {ir // n:,} per {u}')" "$total" "$2" "$3"
}
