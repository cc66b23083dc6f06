#!/usr/bin/env python3
"""The naive baseline of issue 2: a Python loop that only splits headers, inserts and renames.

It does none of what dialogd does (no validation, no symlink/hard-link checks, no dates,
money or durations parsed, no content keys, no fsync of directories): it sets the floor
dialogd has to beat while doing far more. The files are the ones `dialogbench files` writes
(dates spread over D days, default 7), and `dialogbench peers` runs it in the same run.
Usage: python3 docs/bench/naive-ingest.py [N [D]]
"""
import datetime, os, shutil, sqlite3, sys, tempfile, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
days = int(sys.argv[2]) if len(sys.argv) > 2 else 7
channels = ["email", "twitter", "phone", "chat", "xing"]
root = tempfile.mkdtemp(prefix="naive-ingest-")
for d in ("tmp", "new", "cur"):
    os.makedirs(f"{root}/{d}")
now = datetime.datetime.now(datetime.timezone.utc)
for i in range(n):
    date = (now - datetime.timedelta(days=i % days, seconds=i % 86400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(f"{root}/tmp/f{i}.conv", "w") as f:
        f.write(f"Date: {date}\nEmployee: employee{i % 40}\nChannel: {channels[i % 5]}\nDuration: {i % 55 + 5}m\n"
                f"Outcome: resolved\nValue: {i % 300},50 €\n\nConversation number {i} about an order that did not arrive in time.\n")
for i in range(n):
    os.rename(f"{root}/tmp/f{i}.conv", f"{root}/new/f{i}.conv")
os.sync()  # the setup's writeback must not run during the measurement

db = sqlite3.connect(f"{root}/naive.db")
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE c (name TEXT, date TEXT, employee TEXT, channel TEXT, text TEXT)")
start = time.perf_counter()
done = 0
while done < n:
    names = os.listdir(f"{root}/new")
    for start_batch in range(0, len(names), 1000):
        batch = names[start_batch:start_batch + 1000]
        for name in batch:
            with open(f"{root}/new/{name}", encoding="utf-8") as f:
                head, _, body = f.read().partition("\n\n")
            h = dict(line.split(": ", 1) for line in head.splitlines())
            db.execute("INSERT INTO c VALUES (?,?,?,?,?)", (name, h.get("Date"), h.get("Employee"), h.get("Channel"), body))
        db.commit()
        for name in batch:
            os.rename(f"{root}/new/{name}", f"{root}/cur/{name}")
        done += len(batch)
seconds = time.perf_counter() - start
print(f"| naive Python loop, {n} pre-dropped .conv files, {days} days | {n} | {seconds:.2f} s | {n / seconds:.0f} /s |")
shutil.rmtree(root)
