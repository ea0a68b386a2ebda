"""Backfill once into an empty database and print {"events", "blocks", "seconds", "peak_rss_mb"}: a process of its
own, so its peak resident memory is the backfill's alone."""
import json
import logging
import resource
import sys
import time

from backend.db import models
from backend.indexer.runner import Indexer
from backend.settings import Settings

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
indexer = Indexer(Settings())
indexer.setup(reset=True)
with indexer.sessions() as session:
    start = session.get(models.IndexerState, 1).cursor
began = time.perf_counter()
last = indexer.sync(timeout=float("inf"))
seconds = time.perf_counter() - began
with indexer.sessions() as session:
    events = session.get(models.IndexerState, 1).events
peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
print(json.dumps({"events": events, "blocks": last - start, "seconds": seconds, "peak_rss_mb": peak_rss_mb}))
