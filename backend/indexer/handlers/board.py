"""THE PLACE for the co-creation IdeaBoard and the multiple-choice proposal handlers.

The governance contracts are written in parallel; when they land in deployments/<chainId>.json their raw
events are already stored (raw_events) with no change here. To mirror them, register handlers in this
module, e.g. (event names are the board's, whatever they turn out to be):

    @on("OdysseyIdeaBoard:IdeaSubmitted")
    def idea_submitted(event, db):
        a = event.args
        db.get_or_create(models.Idea, str(a["ideaId"]), board=event.contract, author=a["author"],
                         title=a["title"], uri=a["uri"], stage="submitted", supporters=0, support_weight=0,
                         created_block=event.block_number, created_time=event.timestamp,
                         updated_block=event.block_number)

    @on("OdysseyIdeaBoard:IdeaSupported")       # IdeaSupporter row + idea.supporters / support_weight
    @on("OdysseyIdeaBoard:IdeaStageChanged")    # idea.stage (free text: submitted, shortlisted, proposed, ...)
    @on("OdysseyIdeaBoard:IdeaProposed")        # idea.proposal_id and proposal.idea_id: the link both ways

    @on("OdysseyMultipleChoice:ProposalCreated")
    def mc_created(event, db):
        governor.create_proposal(event, db, event.args["proposalId"], kind="multiple",
                                 options=list(event.args["options"]), proposer=..., title=..., description=...,
                                 actions=[], snapshot=..., deadline=...)

    @on("OdysseyMultipleChoice:VoteCast")      # governor.record_vote(event, db, id, voter, option, weight, reason)

The tables (models.Idea, IdeaSupporter, Proposal.options/kind/idea_id, Tally per option) and the API routes
(/ideas, /ideas/{id}, /members/{address}/ideas, /proposals with per-option tallies) already exist, and
every change is journaled for reorgs automatically. backend/governance.py computes states; a multiple-choice
counting rule other than "most weight wins, quorum on total weight" goes there.
"""
from backend.db import models  # noqa: F401  (for the handlers to come)
from backend.indexer.handlers import on  # noqa: F401
from backend.indexer.handlers import governor  # noqa: F401
