#!/usr/bin/env python3
"""Writes a telemetry.json (format 1.2) holding a full history: every model x caste x source in
every hourly bucket of the last 14 days and every daily bucket of the last 400 days, with
lifetime aggregates equal to the days' sums. Usage: generate.py FILE [MODELS CASTES SOURCES DAYS]"""
import datetime
import sys

path = sys.argv[1]
models, castes, sources, days = (int(a) for a in (sys.argv[2:6] or ["20", "10", "4", "400"]))
HOURS = 14 * 24
now = datetime.datetime.now(datetime.timezone.utc)
today = now.replace(hour=0, minute=0, second=0, microsecond=0)
this_hour = now.replace(minute=0, second=0, microsecond=0)
stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
names = {
    "model": ["model-%02d/provider-%d" % (m, m % 3) for m in range(models)],
    "caste": ["caste-%02d" % c for c in range(castes)],
    "source": ["source-%d" % s for s in range(sources)],
}
# per hour and per model x caste: one spawn per source, half completed, the rest failed or blocked
per_hour = {"spawns": sources, "success": sources // 2, "failures": (sources + 1) // 4, "blocked": sources - sources // 2 - (sources + 1) // 4}


def cell(start, model, caste, source, scale):
    counts = {k: v * scale for k, v in per_hour.items()}
    if source is not None:
        share = {k: v // sources for k, v in counts.items()}
        return ('{"start":"%s","model":"%s","caste":"%s","source":"%s","spawns":%d,"success":%d,"failures":%d,'
                '"blocked":%d,"tokens":%d}' % (start, model, caste, source, share["spawns"], share["success"],
                                               share["failures"], share["blocked"], share["spawns"] * 1500))
    return ('{"start":"%s","model":"%s","caste":"%s","spawns":%d,"success":%d,"failures":%d,"blocked":%d,'
            '"tokens":%d,"tools":{"read":%d,"grep":0,"edit":0,"bash":0},"clock_skew":0,"durations":{"completed":'
            '[0,0,0,0,0,0,0,%d],"failed":[0,0,0,0,0,0,0,0,0,%d],"blocked":[0,0,0,0,0,%d]}}'
            % (start, model, caste, counts["spawns"], counts["success"], counts["failures"], counts["blocked"],
               counts["spawns"] * 1500, counts["spawns"], counts["success"], counts["failures"], counts["blocked"]))


def bucket_cells(out, starts, scale):
    first = True
    for start in starts:
        for model in names["model"]:
            for caste in names["caste"]:
                for source in [None] + names["source"]:
                    out.write(("" if first else ",") + cell(start, model, caste, source, scale))
                    first = False


with open(path, "w") as out:
    out.write('{"version":"1.2","last_updated":"%s","models":{' % stamp(now))
    for m, model in enumerate(names["model"]):
        total = {k: v * 24 * days * castes for k, v in per_hour.items()}
        out.write(('' if m == 0 else ',') + '"%s":{"total_spawns":%d,"successful_completions":%d,"failed_completions":%d,'
                  '"blocked":%d,"by_caste":{' % (model, total["spawns"], total["success"], total["failures"], total["blocked"]))
        for c, caste in enumerate(names["caste"]):
            n = {k: v * 24 * days for k, v in per_hour.items()}
            out.write(('' if c == 0 else ',') + '"%s":{"spawns":%d,"success":%d,"failures":%d,"blocked":%d,"tokens":%d}'
                      % (caste, n["spawns"], n["success"], n["failures"], n["blocked"], n["spawns"] * 1500))
        out.write('}}')
    out.write('},"routing_decisions":[],"time_buckets":{"hour":[')
    bucket_cells(out, [stamp(this_hour - datetime.timedelta(hours=h)) for h in reversed(range(HOURS))], 1)
    out.write('],"day":[')
    bucket_cells(out, [stamp(today - datetime.timedelta(days=d)) for d in reversed(range(days))], 24)
    out.write(']}}')
