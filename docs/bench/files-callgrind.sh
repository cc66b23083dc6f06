#!/bin/sh
# Instructions of the whole dialogd, from its start to drained, on N pre-dropped single-record
# .conv files (issue 17): the user-space cost of the 40,000-file row as a count that does not
# move with this VM's speed (docs/benchmarks.md "The renames' floor, and the intake's generic
# code"). The kernel's part (renames, opens, reads) is not counted.
#
#   docs/bench/files-callgrind.sh [DIALOGD] [N]    (defaults: .build/release/dialogd, 8000)
#
# dialogd makes its store on a first start, stops, the files go into new/ (`dialogbench
# predropped`'s shape: the same headers and text, dates fixed on 7 days), then it runs under
# callgrind until new/ is empty and cur/ has N.
# Prints each thread's instructions and their sum. Under valgrind the threads take turns (the
# loop prepares chunks a worker would have): compare builds by the sum. `batch_max_ms` is
# raised so batches hold `batch_max_files` as they do natively; BATCH_MAX_MS=500 (the default)
# cuts them as a loaded machine would.
# KEEP=1 keeps the temp directory and its cg.out-* files (for callgrind_annotate).
set -eu
. "$(dirname "$0")/callgrind-lib.sh"
dialogd=${1:-.build/release/dialogd}
n=${2:-8000}
root=$(mktemp -d /tmp/files-callgrind-XXXXXX)
pid=
trap 'kill "$pid" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$root"' EXIT
objcopy --strip-debug "$dialogd" "$root/dialogd"
callgrind_config "$root" "batch_max_ms = ${BATCH_MAX_MS:-60000}"
: > "$root/first.log"
"$root/dialogd" --config "$root/dialogd.conf" 2> "$root/first.log" &
pid=$!
until grep -q " ready: " "$root/first.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$root/first.log" >&2; exit 1; }
    sleep 0.1
done
kill -TERM "$pid"; wait "$pid" || true
python3 - "$root/spool" "$n" <<'EOF'
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
valgrind --tool=callgrind --separate-threads=yes \
    --callgrind-out-file="$root/cg.out" "$root/dialogd" --config "$root/dialogd.conf" 2> "$root/dialogd.log" &
pid=$!
while [ -n "$(ls -A "$root/spool/new")" ] || [ "$(ls "$root/spool/cur" | wc -l)" -lt "$n" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$root/dialogd.log" >&2; exit 1; }
    [ -z "$(ls -A "$root/spool/quarantine" 2>/dev/null)" ] || { echo "quarantined:" >&2; tail -5 "$root/dialogd.log" >&2; exit 1; }
    sleep 0.5
done
kill -TERM "$pid"; wait "$pid" || true
callgrind_totals "$root" "$n" file
[ -z "${KEEP:-}" ] || echo "kept $root"
