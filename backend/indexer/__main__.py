"""`odyssey-indexer`: index the chain named by the settings into the database (until Ctrl-C / SIGTERM)."""
import argparse
import logging
import signal
import sys
import threading

from backend.chain.deployment import DeploymentError
from backend.indexer.runner import Indexer
from backend.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="odyssey-indexer", description=__doc__)
    parser.add_argument("--reset", action="store_true", help="drop the indexed data and re-index from the start block")
    parser.add_argument("--once", action="store_true", help="index up to the head, then exit")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings = Settings()
    indexer = Indexer(settings)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if not indexer.acquire_lock(stop):  # another indexer writes this database: wait for it to stop
        return 0
    try:
        indexer.setup(reset=args.reset)
        if args.once:
            for sig in (signal.SIGINT, signal.SIGTERM):  # a batch is one transaction: stopping anywhere is safe
                signal.signal(sig, signal.SIG_DFL)
            indexer.sync(timeout=float("inf"))
        else:
            indexer.run(stop)
    except DeploymentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        indexer.release_lock()
    return 0


if __name__ == "__main__":
    sys.exit(main())
