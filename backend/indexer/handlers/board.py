"""IdeaBoard (contracts/governance/IdeaBoard.sol): ideas, their supporters and stages, the link to the proposal
that realises them, and the board's governable settings.

Stored stage follows the events: open (IdeaSubmitted, IdeaStageReached) → qualified (IdeaQualified) → proposed
(IdeaProposed) → realised (IdeaRealised). Expired and Rejected have no event: backend/chain/views.idea_state adds
them at read time, as the board's `ideaState` view does.
"""
from backend.db import models
from backend.indexer.handlers import Event, on
from backend.indexer.store import Row, Store

BOARD = "IdeaBoard"


def _idea(event: Event, db: Store) -> Row | None:
    idea = db.get(models.Idea, str(event.args["ideaId"]))
    if idea is not None:
        idea.updated_block = event.block_number
    return idea


@on(f"{BOARD}:IdeaSubmitted")
def idea_submitted(event: Event, db: Store) -> None:
    a = event.args
    db.get_or_create(
        models.Idea, str(a["ideaId"]), board=event.contract, author=a["author"], title=a["title"], uri=a["uri"],
        content_hash=a["contentHash"], stages_version=a["stagesVersion"], deadline=a["deadline"], stage="open",
        stages_reached=0, supporters=0, support_weight=0, created_block=event.block_number,
        created_time=event.timestamp, updated_block=event.block_number, co_creator_stamp_owed=False,
    )


@on(f"{BOARD}:IdeaSupported")
@on(f"{BOARD}:IdeaSupportWithdrawn")
def idea_support_changed(event: Event, db: Store) -> None:
    """An IdeaSupporter row per current supporter (support is one per member, unweighted) and the count."""
    a = event.args
    idea = _idea(event, db)
    if idea is not None:
        idea.supporters = a["supporters"]
    if event.name == "IdeaSupported":
        db.get_or_create(models.IdeaSupporter, str(a["ideaId"]), a["supporter"], weight=0, block_number=event.block_number)
    else:
        db.delete(models.IdeaSupporter, str(a["ideaId"]), a["supporter"])


@on(f"{BOARD}:IdeaStageReached")
def idea_stage_reached(event: Event, db: Store) -> None:
    a = event.args
    idea = _idea(event, db)
    if idea is not None:
        idea.stages_reached, idea.supporters = a["stage"], a["supporters"]
        idea.deadline = a["deadline"] or None  # 0 once the last stage is reached


@on(f"{BOARD}:IdeaQualified")
def idea_qualified(event: Event, db: Store) -> None:
    idea = _idea(event, db)
    if idea is not None:
        idea.stage, idea.supporters, idea.deadline = "qualified", event.args["supporters"], None


@on(f"{BOARD}:IdeaProposed")
def idea_proposed(event: Event, db: Store) -> None:
    """The link both ways: idea.proposal_id and proposal.idea_id (ProposalCreated came first in the same tx)."""
    a = event.args
    idea = _idea(event, db)
    if idea is not None:
        idea.stage, idea.proposal_id, idea.proposer = "proposed", str(a["proposalId"]), a["proposer"]
    proposal = db.get(models.Proposal, str(a["proposalId"]))
    if proposal is not None:
        proposal.idea_id = str(a["ideaId"])


@on(f"{BOARD}:IdeaRealised")
def idea_realised(event: Event, db: Store) -> None:
    a = event.args
    idea = _idea(event, db)
    if idea is not None:
        idea.stage, idea.realised_block = "realised", event.block_number
        idea.co_creator_stamp_id, idea.sale_stamp_id = str(a["coCreatorStampId"]), str(a["saleStampId"])
        idea.share_bps = a["shareBps"]


@on(f"{BOARD}:CoCreatorStampOwed")
@on(f"{BOARD}:CoCreatorStampClaimed")
def co_creator_stamp_owed(event: Event, db: Store) -> None:
    """Realised while the stamp could not be issued (owed), and settled later by anyone's claim."""
    idea = _idea(event, db)
    if idea is not None:
        idea.co_creator_stamp_owed = event.name == "CoCreatorStampOwed"


@on(f"{BOARD}:StagesSet")
def stages_set(event: Event, db: Store) -> None:
    a = event.args
    db.set_config(f"{event.contract}.stages.{a['version']}", {"supporters": list(a["supporters"]), "durations": list(a["durations"])})
    db.set_config(f"{event.contract}.stages_version", a["version"])


@on(f"{BOARD}:CreatorShareBpsSet")
def creator_share_bps_set(event: Event, db: Store) -> None:
    db.set_config(f"{event.contract}.creator_share_bps", event.args["shareBps"])


@on(f"{BOARD}:CoCreatorStampSet")
def co_creator_stamp_set(event: Event, db: Store) -> None:
    db.set_config(f"{event.contract}.co_creator_stamp", str(event.args["stampId"]))


@on(f"{BOARD}:MinPointsSet")
def min_points_set(event: Event, db: Store) -> None:
    db.set_config(f"{event.contract}.min_points", event.args["minPoints"])


@on(f"{BOARD}:GovernorSet")
def governor_set(event: Event, db: Store) -> None:
    db.set_config(f"{event.contract}.governor", event.args["governor"])
