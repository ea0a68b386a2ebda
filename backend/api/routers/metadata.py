"""ERC-1155 metadata at the URI the contract points to (`/metadata/{id}.json`, {id} = 64 hex chars or decimal)
and a generated SVG image per stamp type."""
import hashlib
import json
import math
import re
from html import escape
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response

from backend.api import queries
from backend.api.deps import UINT256_MAX, BlockDep, JourneyPath, SessionDep, SettingsDep, block_headers
from backend.api.errors import responses
from backend.db import models

router = APIRouter(tags=["metadata"])


TOKEN = r"^([0-9a-fA-F]{64}|[0-9]{1,78}|0x[0-9a-fA-F]{1,64})$"  # the ERC-1155 {id} form first


def parse_token_id(token: str, field: str = "id") -> int:
    """ERC-1155 `{id}`: 64 hex characters (any case accepted), or a plain decimal id, or 0x-hex; ASCII only."""
    value = -1
    if re.fullmatch(TOKEN, token):
        value = int(token, 16) if len(token) == 64 or token.startswith("0x") else int(token)
    if not 0 <= value <= UINT256_MAX:
        raise HTTPException(
            status_code=422,
            detail=[{"loc": ["path", field], "msg": "token id must be decimal or 64 hex characters (ERC-1155 {id})", "type": "value_error"}],
        )
    return value


TokenPath = Annotated[str, Path(description="stamp type id: 64 hex characters (ERC-1155 {id}), decimal, or 0x-hex",
                                json_schema_extra={"pattern": TOKEN})]


@router.get("/metadata/{token}.json", summary="ERC-1155 metadata of a stamp type",
            responses={200: {"description": "ERC-1155 metadata JSON", "content": {"application/json": {"example": {
                "name": "Origins Quiz", "description": "Origins Quiz: a soulbound Coffee Origins stamp worth 10 points "
                "(open edition).", "image": "http://127.0.0.1:8000/images/101.svg", "decimals": 0}}}},
                       **responses(404, 422, 503)})
def metadata(token: TokenPath, session: SessionDep, block: BlockDep, settings: SettingsDep):
    """The ERC-1155 metadata the stamps contract's `uri(id)` points to: name, description, image, attributes. The
    body is the standard's, without the envelope; the block it reflects is in `X-Odyssey-Block`."""
    stamp = queries.existing_stamp(session, stamp_id=parse_token_id(token))
    journey_name = queries.journey_name(session, journey_id=stamp.journey_id)
    edition = f"limited edition of {stamp.max_supply}" if stamp.max_supply else "open edition"
    kind = "soulbound" if stamp.soulbound else "collectible"
    body = {
        "name": stamp.name,
        "description": f"{stamp.name}: a {kind} {journey_name} stamp worth {stamp.points} points ({edition}).",
        "image": f"{settings.public_url}/images/{stamp.id}.svg",
        "external_url": f"{settings.public_url}/stamps/{stamp.id}",
        "decimals": 0,
        "attributes": [
            {"trait_type": "Journey", "value": journey_name},
            {"trait_type": "Points", "value": stamp.points, "display_type": "number"},
            {"trait_type": "Kind", "value": kind},
            {"trait_type": "Edition", "value": edition},
            {"trait_type": "Minted", "value": stamp.minted, "display_type": "number"},
        ],
        "properties": {"journey_id": stamp.journey_id, "max_supply": stamp.max_supply, "block": block.number},
    }
    return Response(json.dumps(body), media_type="application/json", headers=block_headers(block))


def stamp_svg(stamp: models.StampType, journey_name: str) -> str:
    digest = hashlib.sha256(f"odyssey-stamp-{stamp.id}".encode()).digest()
    hue, hue2 = digest[0] * 360 // 256, digest[1] * 360 // 256
    name, journey_name = escape(stamp.name[:28]), escape(journey_name[:32])
    rays = "".join(
        f'<line x1="256" y1="256" x2="{256 + 200 * c:.1f}" y2="{256 + 200 * s:.1f}" stroke="hsl({hue2},70%,75%)" stroke-width="3"/>'
        for c, s in _unit_circle(digest[2] % 8 + 8)
    )
    ring = "stroke-dasharray=\"6 6\"" if stamp.soulbound else ""
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
<defs><radialGradient id="g"><stop offset="0" stop-color="hsl({hue},70%,60%)"/><stop offset="1" stop-color="hsl({hue},60%,30%)"/></radialGradient></defs>
<rect width="512" height="512" fill="hsl({hue2},30%,12%)"/>
{rays}
<circle cx="256" cy="256" r="190" fill="url(#g)" stroke="#fff" stroke-width="8" {ring}/>
<text x="256" y="200" font-family="sans-serif" font-size="22" fill="#fff" text-anchor="middle">{journey_name}</text>
<text x="256" y="265" font-family="sans-serif" font-size="34" font-weight="bold" fill="#fff" text-anchor="middle">{name}</text>
<text x="256" y="330" font-family="sans-serif" font-size="30" fill="#fff" text-anchor="middle">{stamp.points} pts</text>
<text x="256" y="370" font-family="monospace" font-size="16" fill="#eee" text-anchor="middle">#{escape(stamp.id[:20])}</text>
</svg>"""


def _unit_circle(n: int):
    return [(math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i in range(n)]


@router.get("/images/{token}.svg", summary="Generated SVG image of a stamp type", response_class=Response,
            responses={200: {"description": "the image", "content": {"image/svg+xml": {
                "schema": {"type": "string"},
                "example": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">…</svg>'}}},
                       **responses(404, 422, 503)})
def image(token: TokenPath, session: SessionDep, block: BlockDep):
    """A generated picture of a stamp type (colours from its id, its journey, name and points)."""
    stamp = queries.existing_stamp(session, stamp_id=parse_token_id(token))
    svg = stamp_svg(stamp, queries.journey_name(session, journey_id=stamp.journey_id))
    return Response(svg, media_type="image/svg+xml", headers={**block_headers(block), "Cache-Control": "public, max-age=60"})


def journey_svg(journey: models.Journey, stamps: int) -> str:
    digest = hashlib.sha256(f"odyssey-journey-{journey.id}".encode()).digest()
    hue, hue2 = digest[0] * 360 // 256, digest[1] * 360 // 256
    name = escape(journey.name[:40])
    count = min(stamps, 8) + 2  # a hill per stamp type, and one at each end
    hills = "".join(
        f'<circle cx="{i * 1200 // (count - 1)}" cy="{340 - digest[2 + i] % 70}" r="{110 + digest[12 + i] % 60}" '
        f'fill="hsl({(hue + 28 * i) % 360},45%,{36 + 7 * (i % 3)}%)" opacity=".8"/>'
        for i in range(count)
    )
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 360" width="1200" height="360">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl({hue},55%,72%)"/><stop offset="1" stop-color="hsl({hue2},50%,88%)"/></linearGradient></defs>
<rect width="1200" height="360" fill="url(#sky)"/>
<circle cx="{900 + digest[4] % 200}" cy="{70 + digest[5] % 40}" r="44" fill="hsl(45,90%,70%)"/>
{hills}
<text x="60" y="120" font-family="sans-serif" font-size="64" font-weight="bold" fill="#1d2327">{name}</text>
</svg>"""


@router.get("/images/journeys/{journey_id}.svg", summary="Generated SVG art of a journey", response_class=Response,
            responses={200: {"description": "the image", "content": {"image/svg+xml": {
                "schema": {"type": "string"},
                "example": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 360" width="1200" height="360">…</svg>'}}},
                       **responses(404, 422, 503)})
def journey_image(journey_id: JourneyPath, session: SessionDep, block: BlockDep):
    """A generated banner of a journey (colours from its id, its name, a hill per stamp type)."""
    journey = queries.existing_journey(session, journey_id=journey_id)
    svg = journey_svg(journey, queries.stamp_count(session, journey_id=journey_id))
    return Response(svg, media_type="image/svg+xml", headers={**block_headers(block), "Cache-Control": "public, max-age=60"})
