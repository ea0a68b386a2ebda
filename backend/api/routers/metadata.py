"""ERC-1155 metadata at the URI the contract points to (`/metadata/{id}.json`, {id} = 64 hex chars or decimal), in
each language at the URI its `localization` names (`/metadata/{locale}/{id}.json`), and generated SVG art per stamp
type and journey, its names in the language asked."""
import hashlib
import json
import math
import re
from functools import partial
from html import escape
from typing import Annotated

from babel.numbers import format_decimal

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response

from backend.api import queries
from backend.api.art import font_face, font_stack
from backend.api.deps import UINT256_MAX, BlockDep, JourneyPath, LocaleDep, SessionDep, SettingsDep, block_headers, locale_headers
from backend.api.errors import responses
from backend.db import models
from backend.i18n import DEFAULT_LOCALE, LOCALES, babel_locale, translations

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


LocalePath = Annotated[str, Path(description="one of the metadata's `localization.locales`: en, zh-Hans, zh-Hant")]


def _metadata(stamp: models.StampType, session, block, settings, locale: str) -> dict:
    """A stamp type's ERC-1155 metadata in `locale`: its names from the ops files' texts, the sentences the API writes
    itself through gettext (domain `api`), numbers by Babel."""
    words = translations("api", locale)
    _ = words.gettext
    name = queries.stamp_name(session, stamp=stamp, locale=locale)
    journey_name = queries.journey_name(session, journey_id=stamp.journey_id, locale=locale)
    number = partial(format_decimal, locale=babel_locale(locale))
    edition = (_("limited edition of {supply}").format(supply=number(stamp.max_supply)) if stamp.max_supply
               else _("open edition"))
    kind = _("soulbound") if stamp.soulbound else _("collectible")
    description = words.ngettext("{name}: a {kind} {journey} stamp worth {points} point ({edition}).",
                                 "{name}: a {kind} {journey} stamp worth {points} points ({edition}).", stamp.points)
    image = f"{settings.public_url}/images/{stamp.id}.svg" + ("" if locale == DEFAULT_LOCALE else f"?lang={locale}")
    return {
        "name": name,
        "description": description.format(name=name, kind=kind, journey=journey_name, points=number(stamp.points),
                                          edition=edition),
        "image": image,
        "external_url": f"{settings.public_url}/stamps/{stamp.id}",
        "decimals": 0,
        "attributes": [
            {"trait_type": _("Journey"), "value": journey_name},
            {"trait_type": _("Points"), "value": stamp.points, "display_type": "number"},
            {"trait_type": _("Kind"), "value": kind},
            {"trait_type": _("Edition"), "value": edition},
            {"trait_type": _("Minted"), "value": stamp.minted, "display_type": "number"},
        ],
        "properties": {"journey_id": stamp.journey_id, "max_supply": stamp.max_supply, "block": block.number},
    }


def _json(body: dict, block, locale: str) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json",
                    headers={**block_headers(block), **locale_headers(locale)})


@router.get("/metadata/{token}.json", summary="ERC-1155 metadata of a stamp type",
            responses={200: {"description": "ERC-1155 metadata JSON", "content": {"application/json": {"example": {
                "name": "Origins Quiz", "description": "Origins Quiz: a soulbound Coffee Origins stamp worth 10 points "
                "(open edition).", "image": "http://127.0.0.1:8000/images/101.svg", "decimals": 0,
                "localization": {"uri": "http://127.0.0.1:8000/metadata/{locale}/{id}.json", "default": "en",
                                 "locales": list(LOCALES)}}}}},
                       **responses(404, 422, 503)})
def metadata(token: TokenPath, session: SessionDep, block: BlockDep, settings: SettingsDep):
    """The ERC-1155 metadata the stamps contract's `uri(id)` points to: name, description, image, attributes, in
    English (the default locale, whatever the request asks), and the standard's `localization`: where a wallet finds
    the same in each of `locales` (`/metadata/{locale}/{id}.json`). The body is the standard's, without the envelope;
    the block it reflects is in `X-Odyssey-Block`."""
    stamp = queries.existing_stamp(session, stamp_id=parse_token_id(token))
    body = _metadata(stamp, session, block, settings, DEFAULT_LOCALE)
    body["localization"] = {"uri": f"{settings.public_url}/metadata/{{locale}}/{{id}}.json", "default": DEFAULT_LOCALE,
                            "locales": list(LOCALES)}
    return _json(body, block, DEFAULT_LOCALE)


@router.get("/metadata/{locale}/{token}.json", summary="ERC-1155 metadata of a stamp type in one language",
            responses={200: {"description": "ERC-1155 metadata JSON in that language", "content": {"application/json": {
                "example": {"name": "咖啡产地小测验", "description": "咖啡产地小测验：“咖啡溯源”旅程中一枚不可转让的印章，"
                            "价值 10 积分（不限量）。", "image": "http://127.0.0.1:8000/images/101.svg?lang=zh-Hans",
                            "decimals": 0}}}},
                       **responses(404, 422, 503, described={404: "an unknown stamp type, or a locale not in `locales`"})})
def localized_metadata(locale: LocalePath, token: TokenPath, session: SessionDep, block: BlockDep, settings: SettingsDep):
    """What `localization.uri` of the metadata names, `{locale}` replaced by one of its `locales`: the same metadata
    with its names, description and attributes in that language (English where the ops files gave no translation).
    404 for a locale not listed."""
    if locale not in LOCALES:
        raise HTTPException(404, f"no metadata in {locale!r}: the locales are {', '.join(LOCALES)}")
    stamp = queries.existing_stamp(session, stamp_id=parse_token_id(token))
    return _json(_metadata(stamp, session, block, settings, locale), block, locale)


def stamp_svg(stamp: models.StampType, name: str, journey_name: str, locale: str) -> str:
    digest = hashlib.sha256(f"odyssey-stamp-{stamp.id}".encode()).digest()
    hue, hue2 = digest[0] * 360 // 256, digest[1] * 360 // 256
    name, journey_name = name[:28], journey_name[:32]
    rays = "".join(
        f'<line x1="256" y1="256" x2="{256 + 200 * c:.1f}" y2="{256 + 200 * s:.1f}" stroke="hsl({hue2},70%,75%)" stroke-width="3"/>'
        for c, s in _unit_circle(digest[2] % 8 + 8)
    )
    ring = "stroke-dasharray=\"6 6\"" if stamp.soulbound else ""
    number = format_decimal(stamp.points, locale=babel_locale(locale))
    points = translations("api", locale).ngettext("{points} pt", "{points} pts", stamp.points).format(points=number)
    face = font_face(journey_name + name + points)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{locale}" viewBox="0 0 512 512" width="512" height="512">{face}
<defs><radialGradient id="g"><stop offset="0" stop-color="hsl({hue},70%,60%)"/><stop offset="1" stop-color="hsl({hue},60%,30%)"/></radialGradient></defs>
<rect width="512" height="512" fill="hsl({hue2},30%,12%)"/>
{rays}
<circle cx="256" cy="256" r="190" fill="url(#g)" stroke="#fff" stroke-width="8" {ring}/>
<g font-family="{font_stack(locale, bool(face))}" fill="#fff" text-anchor="middle">
<text x="256" y="200" font-size="22">{escape(journey_name)}</text>
<text x="256" y="265" font-size="34" font-weight="bold">{escape(name)}</text>
<text x="256" y="330" font-size="30">{escape(points)}</text>
</g>
<text x="256" y="370" font-family="monospace" font-size="16" fill="#eee" text-anchor="middle">#{escape(stamp.id[:20])}</text>
</svg>"""


def _unit_circle(n: int):
    return [(math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i in range(n)]


@router.get("/images/{token}.svg", summary="Generated SVG image of a stamp type", response_class=Response,
            responses={200: {"description": "the image", "content": {"image/svg+xml": {
                "schema": {"type": "string"},
                "example": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">…</svg>'}}},
                       **responses(404, 422, 503)})
def image(token: TokenPath, session: SessionDep, block: BlockDep, locale: LocaleDep):
    """A generated picture of a stamp type (colours from its id, its journey, name and points), its names in the
    language asked."""
    stamp = queries.existing_stamp(session, stamp_id=parse_token_id(token))
    svg = stamp_svg(stamp, queries.stamp_name(session, stamp=stamp, locale=locale),
                    queries.journey_name(session, journey_id=stamp.journey_id, locale=locale), locale)
    return Response(svg, media_type="image/svg+xml", headers={**block_headers(block), **locale_headers(locale),
                                                              "Cache-Control": "public, max-age=60"})


def journey_svg(journey: models.Journey, name: str, stamps: int, locale: str) -> str:
    digest = hashlib.sha256(f"odyssey-journey-{journey.id}".encode()).digest()
    hue, hue2 = digest[0] * 360 // 256, digest[1] * 360 // 256
    name = name[:40]
    face = font_face(name)
    count = min(stamps, 8) + 2  # a hill per stamp type, and one at each end
    hills = "".join(
        f'<circle cx="{i * 1200 // (count - 1)}" cy="{340 - digest[2 + i] % 70}" r="{110 + digest[12 + i] % 60}" '
        f'fill="hsl({(hue + 28 * i) % 360},45%,{36 + 7 * (i % 3)}%)" opacity=".8"/>'
        for i in range(count)
    )
    return f"""<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{locale}" viewBox="0 0 1200 360" width="1200" height="360">{face}
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl({hue},55%,72%)"/><stop offset="1" stop-color="hsl({hue2},50%,88%)"/></linearGradient></defs>
<rect width="1200" height="360" fill="url(#sky)"/>
<circle cx="{900 + digest[4] % 200}" cy="{70 + digest[5] % 40}" r="44" fill="hsl(45,90%,70%)"/>
{hills}
<text x="60" y="120" font-family="{font_stack(locale, bool(face))}" font-size="64" font-weight="bold" fill="#1d2327">{escape(name)}</text>
</svg>"""


@router.get("/images/journeys/{journey_id}.svg", summary="Generated SVG art of a journey", response_class=Response,
            responses={200: {"description": "the image", "content": {"image/svg+xml": {
                "schema": {"type": "string"},
                "example": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 360" width="1200" height="360">…</svg>'}}},
                       **responses(404, 422, 503)})
def journey_image(journey_id: JourneyPath, session: SessionDep, block: BlockDep, locale: LocaleDep):
    """A generated banner of a journey (colours from its id, its name in the language asked, a hill per stamp
    type)."""
    journey = queries.existing_journey(session, journey_id=journey_id)
    svg = journey_svg(journey, queries.journey_name(session, journey_id=journey_id, locale=locale),
                      queries.stamp_count(session, journey_id=journey_id), locale)
    return Response(svg, media_type="image/svg+xml", headers={**block_headers(block), **locale_headers(locale),
                                                              "Cache-Control": "public, max-age=60"})
