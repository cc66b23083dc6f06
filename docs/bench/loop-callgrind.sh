#!/bin/sh
# Instructions per thread while dialogd stores one .jsonl of N records (issue 17): the store
# loop's cost as a count that does not move with the VM's speed, unlike `dialogbench jsonl`'s
# wall and CPU seconds (docs/benchmarks.md "The store loop's SQLite, sessions 13–14").
#
#   docs/bench/loop-callgrind.sh [DIALOGD] [N]     (defaults: .build/release/dialogd, 20000)
#
# Runs dialogd under callgrind with collection off, turns it on once dialogd is ready, drops
# the file, turns it off when the file is in cur/, and prints each thread's instruction count
# (thread 1 is the store loop). Under valgrind the threads take turns, so the loop prepares
# chunks a worker would have: compare builds by the sum over all threads. The records are
# `dialogbench jsonl`'s. Takes ~1 minute. Valgrind 3.19 gives up on a Swift release binary's
# debug info, so it runs a copy made by `objcopy --strip-debug` (symbols stay).
# KEEP=1 keeps the temp directory and its cg.out-* files (for callgrind_annotate).
set -eu
. "$(dirname "$0")/callgrind-lib.sh"
dialogd=${1:-.build/release/dialogd}
n=${2:-20000}
bench_root loop-callgrind
objcopy --strip-debug "$dialogd" "$root/dialogd"
mkdir -p "$root/spool/tmp" "$root/spool/new" "$root/lib" "$root/run"
callgrind_config "$root" "max_file_bytes = 1G
batch_max_ms = 60000"
python3 - "$n" > "$root/bulk.jsonl" <<'EOF'
import sys, datetime
n = int(sys.argv[1]); channels = ["email", "twitter", "phone", "chat", "xing"]
start = datetime.datetime(2026, 11, 1, 8, 0, 0)
for i in range(n):
    date = (start + datetime.timedelta(seconds=i * 7 * 86400 // n)).strftime("%Y-%m-%dT%H:%M:%S")
    print('{"date": "%s", "employee": "employee%d", "channel": "%s", "duration": "%dm", "outcome": "resolved", '
          '"value": "%d.50 EUR", "text": "Conversation number %d about an order that did not arrive."}'
          % (date, i % 40, channels[i % 5], i % 55 + 5, i % 300, i))
EOF
mv "$root/bulk.jsonl" "$root/spool/tmp/bulk.jsonl"
valgrind --tool=callgrind --separate-threads=yes --instr-atstart=no \
    --callgrind-out-file="$root/cg.out" "$root/dialogd" --config "$root/dialogd.conf" 2> "$root/dialogd.log" &
pid=$!
until grep -q " ready: " "$root/dialogd.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$root/dialogd.log" >&2; exit 1; }
    sleep 0.5
done
callgrind_control -i on "$pid" > /dev/null
mv "$root/spool/tmp/bulk.jsonl" "$root/spool/new/bulk.jsonl"
until [ -e "$root/spool/cur/bulk.jsonl" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$root/dialogd.log" >&2; exit 1; }
    [ -z "$(ls -A "$root/spool/quarantine" 2>/dev/null)" ] || { echo "quarantined:" >&2; tail -5 "$root/dialogd.log" >&2; exit 1; }
    sleep 0.5
done
callgrind_control -i off "$pid" > /dev/null
kill -TERM "$pid"; wait "$pid" || true
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from conversations').fetchone()[0])" "$root/lib/dialogd.db")
echo "records stored: $stored of $n"
callgrind_totals "$root" "$n" record
