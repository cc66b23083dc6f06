#!/usr/bin/env python3
"""Writes a demo data set for the report screenshot: about 3,000 conversations over the last
360 days as one .jsonl file (record format, docs/spool.md). Deterministic (seeded).
Usage: demo-data.py > demo.jsonl"""
import json, random, sys, datetime as dt

random.seed(7)
now = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
employees = ["anna.schmidt", "ben.k", "cem.yilmaz", "dora.m", "eva.l", "finn.w"]
plan = [  # department, outcome, weight, value (None = outcome default), minutes
    ("service", "resolved", 30, None, (8, 35)), ("service", "escalated", 6, None, (10, 40)),
    ("service", "unresolved", 4, None, (5, 25)), ("sales", "lead", 10, None, (15, 45)),
    ("sales", "won", 4, "deal", (30, 90)), ("sales", "lost", 5, None, (15, 60)),
    ("marketing", "engaged", 12, None, (3, 15)), ("marketing", "advocacy", 4, None, (5, 20)),
    ("product", "idea", 5, None, (10, 30)), ("product", "bug", 4, None, (10, 30)),
]
channels = {"service": ["email", "chat", "twitter", "phone"], "sales": ["xing", "linkedin", "email", "phone"],
            "marketing": ["twitter", "instagram", "linkedin", "facebook"], "product": ["email", "chat", "twitter"]}
weights = [p[2] for p in plan]
for day in range(360, 0, -1):
    growth = 1 + (360 - day) / 360          # activity doubles over the year
    for _ in range(int(random.gauss(6, 2) * growth) + 1):
        dept, outcome, _, value, (lo, hi) = random.choices(plan, weights)[0]
        when = now - dt.timedelta(days=day, hours=random.randint(0, 23), minutes=random.randint(0, 59))
        rec = {"date": when.isoformat(), "employee": random.choice(employees), "channel": random.choice(channels[dept]),
               "department": dept, "outcome": outcome, "duration": f"{random.randint(lo, hi)}m",
               "satisfaction": random.choice([3, 4, 4, 5, 5]), "sentiment": random.choice(["positive", "positive", "neutral", "negative"])}
        if value == "deal":
            rec["value"] = f"{random.randint(8, 60) * 100}.00 EUR"
        if random.random() < 0.06:               # left to classification
            del rec["department"], rec["outcome"]
        sys.stdout.write(json.dumps(rec) + "\n")
