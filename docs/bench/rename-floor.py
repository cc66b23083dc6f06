#!/usr/bin/env python3
"""The kernel's floor under the 40,000-file rows of issue 17: the renames alone.

Every ingester of the spool protocol moves each file from new/ to cur/ — the Python peer
(`naive-ingest.py`) and dialogd alike. This writes the same N files as `naive-ingest.py` into
new/ (sync, so no writeback runs during the clock), then times only `os.rename` new/ → cur/ of
every file in the directory's order (the cheapest order), once in one process and once split
between two processes. Renames between two directories take the file system's rename lock
(Linux `lock_rename`: `s_vfs_rename_mutex`), so the second row is no faster: a second core does
not shorten the floor. No ingester that moves each file can take less than the first row, so
(peer's time) ÷ (floor) is the best ratio to the peer any of them can reach.
`dialogbench peers` runs it in the same run. Usage: python3 docs/bench/rename-floor.py [N [D]]
"""
import datetime, os, shutil, sys, tempfile, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
days = int(sys.argv[2]) if len(sys.argv) > 2 else 7
channels = ["email", "twitter", "phone", "chat", "xing"]


def spool():
    """A spool whose new/ holds naive-ingest.py's N files, synced."""
    root = tempfile.mkdtemp(prefix="rename-floor-")
    for d in ("new", "cur"):
        os.makedirs(f"{root}/{d}")
    now = datetime.datetime.now(datetime.timezone.utc)
    for i in range(n):
        date = (now - datetime.timedelta(days=i % days, seconds=i % 86400)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with open(f"{root}/new/f{i}.conv", "w") as f:
            f.write(f"Date: {date}\nEmployee: employee{i % 40}\nChannel: {channels[i % 5]}\nDuration: {i % 55 + 5}m\n"
                    f"Outcome: resolved\nValue: {i % 300},50 €\n\nConversation number {i} about an order that did not arrive in time.\n")
    os.sync()
    return root


def move(root, names):
    for name in names:
        os.rename(f"{root}/new/{name}", f"{root}/cur/{name}")


def timed(processes):
    root = spool()
    names = os.listdir(f"{root}/new")
    start = time.perf_counter()
    children = []
    for part in range(processes):
        pid = os.fork()
        if pid == 0:
            move(root, names[part::processes])
            os._exit(0)
        children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        if status != 0:
            sys.exit(f"a renaming process failed (status {status})")
    seconds = time.perf_counter() - start
    left = os.listdir(f"{root}/new")
    shutil.rmtree(root)
    if left:
        sys.exit(f"{len(left)} files were not moved")
    return seconds


for processes in (1, 2):
    seconds = timed(processes)
    who = "one process" if processes == 1 else "two processes, half each"
    print(f"| the renames alone: {n} files new/ → cur/, {who} | {n} | {seconds:.2f} s | {n / seconds:.0f} /s |")
