"""What the CLI reads from the Odyssey API (the indexer's mirror of the chain): members, stamps, benefits, level
thresholds, proposals and ideas. Every answer says which indexed block it reflects (body `block`, header
X-Odyssey-Block); the CLI shows it with the figures. An action first waits until the API has indexed the block it
acts at (`wait_for`), so what it checks and shows is the chain's current word; an API that indexes only confirmed
blocks (ODYSSEY_CONFIRMATIONS, `confirmations`) never reaches the newest ones, which the node serves instead."""
import time
from functools import cached_property

import httpx

from backend.cli.errors import CliError, response_detail
from backend.cli.language import _

SAME_BLOCK_TRIES = 5
PAGE_SIZE = 500  # the most a page of the API may hold (its Limit, backend/api/deps.py)
CATCH_UP_POLL = 0.3  # seconds between looks at an API that has not reached the block an action needs


class ApiBehind(CliError):
    """The API has not indexed the block asked for in time (behind, or waiting for its confirmations)."""

    def __init__(self, message: str, indexed: int | None):
        super().__init__(message)
        self.indexed = indexed


class Api:
    def __init__(self, base_url: str, timeout: float = 30, locale: str = "en"):
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        # names and descriptions (journeys, stamps, benefits, drops, quizzes) come back in the member's language
        self.headers = {"Accept": "application/json", "Accept-Language": locale}

    def _response(self, path: str, params: dict | None = None) -> httpx.Response:
        try:
            return httpx.get(self.base + path, params=params, timeout=self.timeout, headers=self.headers)
        except httpx.HTTPError as exc:
            raise CliError(_("cannot reach the Odyssey API at {base} ({error}); set --api or ODYSSEY_API_URL").format(
                base=self.base, error=exc.__class__.__name__)) from None

    def _json(self, response: httpx.Response, path: str) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise CliError(_("{base} is not an Odyssey API (HTTP {status}, no JSON for {path}); set --api or ODYSSEY_API_URL").format(
                base=self.base, status=response.status_code, path=path))
        return body

    def get(self, path: str, params: dict | None = None, *, missing_ok: bool = False) -> dict | None:
        """The JSON body of GET `path` (None for a 404 when `missing_ok`); one-line errors otherwise."""
        response = self._response(path, params)
        if missing_ok and response.status_code == 404:
            return None
        body = self._json(response, path)
        if response.status_code >= 400:
            raise CliError(_("the Odyssey API at {base} refused {path}: {detail}").format(
                base=self.base, path=path, detail=response_detail(response)))
        if "block" not in body:
            raise CliError(_("{base} is not an Odyssey API (no block in its answer to {path}); set --api or ODYSSEY_API_URL").format(
                base=self.base, path=path))
        return body

    def _health(self) -> dict:
        return self._json(self._response("/health"), "/health")

    @cached_property
    def confirmations(self) -> int:
        """How many blocks the API lets follow a block before it indexes it: it never shows the newest that many."""
        return int(self._health().get("confirmations") or 0)

    def wait_for(self, block: int, timeout: float | None = None) -> None:
        """Wait (up to `timeout`, default the API's) until the API has indexed `block`; ApiBehind if it has not."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            indexed = self._health().get("indexed_block")
            if indexed is not None and indexed >= block:
                return
            if time.monotonic() > deadline:
                raise ApiBehind(_("the Odyssey API at {base} has indexed up to block {indexed}, not yet {block}; try again "
                                 "shortly").format(base=self.base, indexed=indexed, block=block), indexed)
            time.sleep(CATCH_UP_POLL)

    def at_one_block(self, *paths: str, optional: tuple[str, ...] = ()) -> tuple[list[dict | None], int | None]:
        """GET each path (None for a 404 of an `optional` one), again while the answers reflect different blocks (the
        indexer moved on between them), so the figures shown agree. The bodies and the block they reflect."""
        for _attempt in range(SAME_BLOCK_TRIES):
            bodies = [self.get(path, missing_ok=path in optional) for path in paths]
            blocks = {body["block"]["number"] for body in bodies if body is not None}
            if len(blocks) <= 1:
                return bodies, blocks.pop() if blocks else None
        raise CliError(_("the Odyssey API at {base} kept moving to new blocks while answering; try again").format(base=self.base))

    def all_pages(self, path: str, params: dict | None = None, page_size: int = PAGE_SIZE) -> tuple[list[dict], int | None]:
        """Every item of a paged list (newest first), all from one block: asked again whole while its pages reflect
        different blocks."""
        for _attempt in range(SAME_BLOCK_TRIES):
            items, cursor, blocks = [], None, set()
            while True:
                body = self.get(path, {**(params or {}), "limit": page_size, **({"cursor": cursor} if cursor else {})})
                items += body["data"]
                blocks.add(body["block"]["number"])
                cursor = body.get("next_cursor")
                if not cursor:
                    break
            if len(blocks) == 1:
                return items, blocks.pop()
        raise CliError(_("the Odyssey API at {base} kept moving to new blocks while answering; try again").format(base=self.base))


def as_of(block: int | None) -> str:
    """The line that says which block the figures reflect."""
    return _("(the API has not indexed any block yet)") if block is None else _("(records up to block {block})").format(block=block)
