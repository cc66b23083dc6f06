#!/usr/bin/env python3
"""The do-it-yourself peer of `dialogbench jsonl` (issue 17): json.loads per line, executemany.

One .jsonl file of N records, the same lines dialogbench writes, already waiting in new/: read
it, json.loads every line, insert the records with executemany into SQLite (WAL,
synchronous=FULL) in one transaction, commit, rename the file to cur/. No validation, no
dates, money or durations parsed, no content keys, no aggregates, no fsync of directories: the
floor dialogd has to beat while doing far more. `dialogbench peers` runs it in the same run.
Usage: python3 docs/bench/naive-jsonl.py [N [D]]
"""
import datetime, json, os, shutil, sqlite3, sys, tempfile, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
days = int(sys.argv[2]) if len(sys.argv) > 2 else 7
root = tempfile.mkdtemp(prefix="naive-jsonl-")
for d in ("tmp", "new", "cur"):
    os.makedirs(f"{root}/{d}")
now = datetime.datetime.now(datetime.timezone.utc)
channels = ["email", "twitter", "phone", "chat", "xing"]
with open(f"{root}/tmp/bulk.jsonl", "w") as f:
    for i in range(n):
        date = (now - datetime.timedelta(days=i % days, seconds=i % 86400)).strftime("%Y-%m-%dT%H:%M:%SZ")
        f.write(json.dumps({"date": date, "employee": f"employee{i % 40}", "channel": channels[i % 5],
                            "duration": f"{i % 55 + 5}m", "outcome": "resolved", "value": f"{i % 300}.50 EUR",
                            "text": f"Conversation number {i} about an order that did not arrive."}) + "\n")
os.rename(f"{root}/tmp/bulk.jsonl", f"{root}/new/bulk.jsonl")
os.sync()  # the setup's writeback must not run during the measurement

db = sqlite3.connect(f"{root}/naive.db")
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE c (name TEXT, line INTEGER, date TEXT, employee TEXT, channel TEXT, duration TEXT,"
           " outcome TEXT, value TEXT, text TEXT)")
start = time.perf_counter()
for name in os.listdir(f"{root}/new"):
    with open(f"{root}/new/{name}", encoding="utf-8") as f:
        rows = []
        for line_number, line in enumerate(f, 1):
            r = json.loads(line)
            rows.append((name, line_number, r.get("date"), r.get("employee"), r.get("channel"), r.get("duration"),
                         r.get("outcome"), r.get("value"), r.get("text")))
    db.executemany("INSERT INTO c VALUES (?,?,?,?,?,?,?,?,?)", rows)
    db.commit()
    os.rename(f"{root}/new/{name}", f"{root}/cur/{name}")
seconds = time.perf_counter() - start
print(f"| naive Python json.loads + executemany, one .jsonl of {n} records, {days} days | {n} | {seconds:.2f} s | {n / seconds:.0f} /s |")
shutil.rmtree(root)
