#!/bin/sh
# The 40,000-file row natively, from dialogd's start to new/ empty, on N pre-dropped .conv files
# (issue 17, docs/benchmarks.md "The 40,000-file row on the loop"): the wall time and dialogd's
# CPU, optionally under perf. Waiting looks at the first entry of new/ every 10 ms, not at cur/
# (listing 40,000 names every 50 ms took 8.7 % of the machine under test).
#
#   docs/bench/files-native.sh [DIALOGD] [N]        (defaults: .build/release/dialogd, 40000)
#   PERF="record -g -F 2999 -o perf.data" docs/bench/files-native.sh ...   (dialogd under perf)
#
# Default settings but for the temp paths; LEVEL=info logs each batch. KEEP=1 keeps the temp directory.
set -eu
. "$(dirname "$0")/callgrind-lib.sh"
dialogd=${1:-.build/release/dialogd}
n=${2:-40000}
bench_root files-native
callgrind_config "$root" ""
sed -i "s/level = notice/level = ${LEVEL:-notice}/" "$root/dialogd.conf"
make_store "$dialogd" "$root"
drop_conv_files "$root/spool" "$n"
sync
start=$(date +%s.%N)
if [ -n "${PERF:-}" ]; then
    # shellcheck disable=SC2086
    perf $PERF -- "$dialogd" --config "$root/dialogd.conf" 2> "$root/dialogd.log" &
else
    "$dialogd" --config "$root/dialogd.conf" 2> "$root/dialogd.log" &
fi
pid=$!
python3 - "$root/spool/new" <<'PY'
import os, sys, time
def first():
    with os.scandir(sys.argv[1]) as entries: return next(entries, None)
while first() is not None: time.sleep(0.01)
PY
end=$(date +%s.%N)
daemon=$(pgrep -n -f -- "--config $root/dialogd.conf" || true)
cpu=$( [ -z "$daemon" ] || python3 -c "import sys, os; f = open('/proc/$daemon/stat').read().rsplit(')', 1)[1].split(); t = os.sysconf('SC_CLK_TCK'); print(f', dialogd CPU {int(f[11]) / t:.2f} s user + {int(f[12]) / t:.2f} s system')")
kill -TERM "$pid"; wait "$pid" || true
pid=
python3 -c "import sys; print(f'{sys.argv[1]} pre-dropped files drained in {float(sys.argv[3]) - float(sys.argv[2]):.3f} s{sys.argv[4]}')" "$n" "$start" "$end" "$cpu"
[ -z "${KEEP:-}" ] || echo "kept $root"
