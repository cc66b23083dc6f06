# Shared by loop-callgrind.sh, files-callgrind.sh and files-native.sh (sourced, POSIX sh): the
# temp dialogd's config, the pre-dropped files, and the per-thread instruction totals of a
# `valgrind --separate-threads=yes` run.

# bench_root NAME: sets root to a new /tmp/NAME-XXXXXX, removed at exit unless KEEP is set, and
# at exit kills the process in $pid (the daemon under test, when one runs).
bench_root() {
    root=$(mktemp -d "/tmp/$1-XXXXXX")
    pid=
    trap 'kill "$pid" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$root"' EXIT
}

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

# drop_conv_files SPOOL N: N single-record .conv files written into SPOOL/tmp and renamed into
# SPOOL/new (`dialogbench predropped`'s shape: the same headers and text, dates fixed on 7 days).
drop_conv_files() {
    python3 - "$1" "$2" <<'EOF'
import os, sys
spool, n = sys.argv[1], int(sys.argv[2]); channels = ["email", "twitter", "phone", "chat", "xing"]
for i in range(n):
    with open(f"{spool}/tmp/f{i}.conv", "w") as f:
        f.write(f"Date: 2026-11-{1 + i % 7:02d} 10:00\nEmployee: employee{i % 40}\nChannel: {channels[i % 5]}\n"
                f"Duration: {i % 55 + 5}m\nOutcome: resolved\nValue: {i % 300},50 €\n\n"
                f"Conversation number {i} about an order that did not arrive in time.\n")
for i in range(n):
    os.rename(f"{spool}/tmp/f{i}.conv", f"{spool}/new/f{i}.conv")
EOF
}

# make_store DIALOGD ROOT: starts DIALOGD on ROOT/dialogd.conf until it is ready (the store is
# made), then stops it; its log in ROOT/first.log. Held in $pid meanwhile, so bench_root's exit
# trap stops it if the script is interrupted.
make_store() {
    : > "$2/first.log"
    "$1" --config "$2/dialogd.conf" 2> "$2/first.log" &
    pid=$!
    until grep -q " ready: " "$2/first.log"; do
        kill -0 "$pid" 2>/dev/null || { cat "$2/first.log" >&2; return 1; }
        sleep 0.1
    done
    kill -TERM "$pid"; wait "$pid" || true
    pid=
}
