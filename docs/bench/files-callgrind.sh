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
bench_root files-callgrind
objcopy --strip-debug "$dialogd" "$root/dialogd"
callgrind_config "$root" "batch_max_ms = ${BATCH_MAX_MS:-60000}"
make_store "$root/dialogd" "$root"
drop_conv_files "$root/spool" "$n"
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
