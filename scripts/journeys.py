"""Create or update journeys and their stamp types from YAML files in journeys/.

    brownie run scripts/journeys.py main journeys/coffee-origins.yaml [more.yaml ...] --network odyssey-local

The whole file is checked before anything is sent; then each journey and stamp type is created if missing and
updated only where it differs, so re-running a file changes nothing and an interrupted run is finished by the
next one. A stamp type's points and soulbound flag never change once created (members' points depend on them),
and its points stay within the DAO's cap (OdysseyStamps.issuanceBounds). A `price` puts the stamp on sale in the
shop (OdysseyShop.setListing) with its `wallet_cap`.

Names and descriptions (the journey's, each stamp's, its `earn` description, a quiz's questions and choices) are
English, or given per language: `name: {en: Coffee Origins, zh-Hans: 咖啡溯源, zh-Hant: 咖啡溯源}` (backend/content.py).
The chain keeps the English names; every language goes to the `translations` table, which the API answers from.

A stamp's `earn` says how members earn it (backend/issuer/earn.py: quiz, code, receipt, completion, or link,
allowlist, airdrop, sale, drop). The secrets it names must be in the issuer's secrets (ODYSSEY_ISSUER_SECRETS_FILE or
ODYSSEY_ISSUER_SECRETS, as the API reads them); the rules go to the issuer's database (DATABASE_URL, the API's), where
only what differs is written.
"""
import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from backend.content import Localized, save_texts
from backend.issuer.earn import Completion, Earn, resolve_journey
from backend.issuer.rules import save_rules
from backend.issuer.vault import SecretsError, Vault
from backend.i18n import DEFAULT_LOCALE
from backend.settings import Settings, get_settings
from scripts.lib.common import ScriptError, account_for, contract, load_spec, run_main, wei_amount

UINT32_MAX = 2**32 - 1
UINT96_MAX = 2**96 - 1


class Named(BaseModel):
    """A name (and description) in every language the file gives; `name` is the English, which the chain keeps."""

    model_config = ConfigDict(extra="forbid")

    names: Localized = Field(alias="name")
    description: Localized | None = None

    @property
    def name(self) -> str:
        return self.names[DEFAULT_LOCALE]

    def texts(self) -> dict:
        return {"name": self.names, "description": self.description}


class StampSpec(Named):
    id: int = Field(ge=1)
    points: int = Field(ge=0, le=UINT32_MAX)
    soulbound: bool = True
    max_supply: int = Field(default=0, ge=0, le=UINT32_MAX)
    price: int = Field(default=0, ge=0, le=UINT96_MAX)
    wallet_cap: int = Field(default=0, ge=0, le=2**16 - 1)
    earn: Earn | None = None

    _price_in_wei = field_validator("price", mode="before")(wei_amount)

    @model_validator(mode="after")
    def _sold_when_on_sale(self):
        if self.earn is not None and self.earn.kind == "sale" and not self.price:
            raise ValueError("earn: sale needs a price")
        return self


class JourneySpec(Named):
    id: int = Field(ge=1, le=UINT32_MAX)
    uri: str = ""
    start: datetime.datetime | int | None = None
    end: datetime.datetime | int | None = None

    @property
    def window(self) -> tuple[int, int]:
        return _timestamp(self.start), _timestamp(self.end)

    @model_validator(mode="after")
    def _window_in_order(self):
        start, end = self.window
        if end and end < start:
            raise ValueError("end is before start")
        return self


class JourneyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    journey: JourneySpec
    stamps: list[StampSpec] = []

    @model_validator(mode="after")
    def _unique_stamp_ids(self):
        ids = [s.id for s in self.stamps]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"stamp ids repeated: {duplicates}")
        for s in self.stamps:
            try:
                s.earn = resolve_journey(s.earn, s.id, ids)
            except ValueError as exc:
                raise ValueError(f"stamp {s.id}: {exc}") from None
        return self


def _timestamp(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp())
    return int(value)


def load_journey_file(path: str | Path) -> JourneyFile:
    """Read and check a journey file; any problem becomes a one-line ScriptError naming it."""
    return load_spec(path, JourneyFile)


def check_secrets(path, spec: JourneyFile, vault: Vault) -> None:
    """ScriptError naming the first secret `spec`'s earn rules name and the issuer's secrets lack (or that does not fit:
    a quiz's answers one per question, each one of its choices)."""
    for s in spec.stamps:
        if s.earn is not None:
            try:
                vault.check(s.id, s.earn)
            except SecretsError as exc:
                raise ScriptError(f"{path}: {exc}") from None


def issuer_vault(settings: Settings) -> Vault:
    try:
        return Vault.from_settings(settings)
    except SecretsError as exc:
        raise ScriptError(str(exc)) from None


def apply_journey_file(stamps, shop, spec: JourneyFile, sender) -> list[str]:
    """Bring the chain in line with `spec`; returns what changed (empty when nothing did)."""
    tx = {"from": sender}
    changes = []
    j = spec.journey
    cap = stamps.issuanceBounds()[0]
    in_file = {s.id for s in spec.stamps}
    for s in spec.stamps:
        if s.points > cap and stamps.stampType(s.id)[0] == 0:
            raise ScriptError(f"stamp {s.id}: {s.points} points is above the DAO's cap of {cap} points per stamp type")
        for required in s.earn.required if isinstance(s.earn, Completion) else []:
            if required not in in_file and stamps.stampType(required)[0] == 0:
                raise ScriptError(f"stamp {s.id}: its completion requires stamp {required}, an unknown stamp")
    start, end = j.window
    on_chain = stamps.journey(j.id)
    if on_chain[0] == "":
        stamps.createJourney(j.id, j.name, j.uri, start, end, tx)
        changes.append(f"created journey {j.id} {j.name!r}")
    elif tuple(on_chain) != (j.name, j.uri, start, end):
        stamps.updateJourney(j.id, j.name, j.uri, start, end, tx)
        changes.append(f"updated journey {j.id} {j.name!r}")

    for s in spec.stamps:
        journey_id, points, max_supply, minted, soulbound = stamps.stampType(s.id)
        if journey_id == 0:
            stamps.createStampType(s.id, j.id, s.name, s.points, s.soulbound, s.max_supply, tx)
            changes.append(f"created stamp {s.id} {s.name!r}")
            changes += _apply_listing(shop, s, tx)
            continue
        fixed = {"journey": (journey_id, j.id), "points": (points, s.points), "soulbound": (soulbound, s.soulbound)}
        for field, (have, want) in fixed.items():
            if have != want:
                raise ScriptError(
                    f"stamp {s.id} exists with {field} {have}, the file says {want}: "
                    f"{field} cannot change once created (give the stamp a new id)"
                )
        if s.max_supply and s.max_supply < minted:
            raise ScriptError(f"stamp {s.id}: max_supply {s.max_supply} is below the {minted} already minted")
        if (stamps.stampName(s.id), max_supply) != (s.name, s.max_supply):
            stamps.updateStampType(s.id, s.name, s.max_supply, tx)
            changes.append(f"updated stamp {s.id} {s.name!r}")
        changes += _apply_listing(shop, s, tx)
    return changes


def _apply_listing(shop, s: StampSpec, tx: dict) -> list[str]:
    """Put the stamp on sale at its price and wallet cap in the shop (or off sale), if the shop differs."""
    if tuple(shop.listing(s.id)) == (s.price, s.wallet_cap):
        return []
    shop.setListing(s.id, s.price, s.wallet_cap, tx)
    return [f"listed stamp {s.id} at {s.price} wei, {s.wallet_cap or 'no'} per-wallet cap" if s.price else f"took stamp {s.id} off sale"]


def apply_earn_rules(spec: JourneyFile, settings: Settings) -> list[str]:
    """Bring the issuer's earn rules of `spec`'s stamps in line with it; what changed."""
    return save_rules(settings, spec.journey.id, {s.id: s.earn for s in spec.stamps})


def apply_texts(spec: JourneyFile, settings: Settings) -> list[str]:
    """Bring the stored names and descriptions of `spec`'s journey and stamps, in every language, in line with it."""
    return (save_texts(settings, "journey", {str(spec.journey.id): spec.journey.texts()})
            + save_texts(settings, "stamp", {str(s.id): s.texts() for s in spec.stamps}))


def main(*paths: str) -> list[str]:
    def body():
        if not paths:
            raise ScriptError("name at least one journey file, e.g. journeys/coffee-origins.yaml")
        specs = [(path, load_journey_file(path)) for path in paths]  # check every file before sending anything
        settings = get_settings()
        if any(s.earn is not None for _, spec in specs for s in spec.stamps):
            vault = issuer_vault(settings)
            for path, spec in specs:
                check_secrets(path, spec, vault)
        stamps, shop = contract("OdysseyStamps"), contract("OdysseyShop")
        ops = account_for("ops")
        changes = []
        for path, spec in specs:
            done = apply_journey_file(stamps, shop, spec, ops)
            done += apply_earn_rules(spec, settings)
            done += apply_texts(spec, settings)
            print(f"{path}: " + ("; ".join(done) if done else "up to date"))
            changes.extend(done)
        return changes

    return run_main(body)
