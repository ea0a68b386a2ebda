"""What members read about the benefits: names and descriptions from YAML files in benefits/, in every language given.

    brownie run scripts/benefits.py main benefits/member-perks.yaml [more.yaml ...] --network odyssey-local

A benefit's rules (the level it needs, its stock, its uri) are on the chain: the DAO creates it (a proposal's
`create_benefit`) or ops do (OdysseyBenefits.createBenefit). Its name and description are not: this file gives them, by
the benefit's id, in English or per language (backend/content.py), and they go to the `translations` table (DATABASE_URL,
the API's), which the API answers `/benefits` from. A file may name a benefit before it is created. The whole file is
checked before anything is written; re-running it changes nothing.
"""
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.content import Localized, save_texts
from backend.settings import get_settings
from scripts.lib.common import ScriptError, load_spec, run_main


class BenefitSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=1)
    name: Localized
    description: Localized | None = None


class BenefitFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    benefits: list[BenefitSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self):
        ids = [b.id for b in self.benefits]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"benefit ids repeated: {repeated}")
        return self


def load_benefit_file(path: str | Path) -> BenefitFile:
    """Read and check a benefits file; any problem becomes a one-line ScriptError naming it."""
    return load_spec(path, BenefitFile)


def main(*paths: str) -> list[str]:
    def body():
        if not paths:
            raise ScriptError("name at least one benefits file, e.g. benefits/member-perks.yaml")
        specs = [(path, load_benefit_file(path)) for path in paths]  # check every file before writing anything
        settings, changes = get_settings(), []
        for path, spec in specs:
            done = save_texts(settings, "benefit", {str(b.id): {"name": b.name, "description": b.description}
                                                    for b in spec.benefits})
            print(f"{path}: " + ("; ".join(done) if done else "up to date"))
            changes.extend(done)
        return changes

    return run_main(body)
