"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 02:08:26.803686
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('balances',
    sa.Column('address', sa.String(length=42), nullable=False),
    sa.Column('block_number', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('wei', sa.String(length=78), nullable=False),
    sa.PrimaryKeyConstraint('address', 'block_number')
    )
    op.create_table('benefits',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('min_level', sa.Integer(), nullable=False),
    sa.Column('stock', sa.BigInteger(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('uri', sa.Text(), nullable=False),
    sa.Column('redeemed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('blocks',
    sa.Column('number', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=66), nullable=False),
    sa.Column('parent_hash', sa.String(length=66), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('number')
    )
    op.create_table('claims',
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('log_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('member', sa.String(length=42), nullable=False),
    sa.Column('stamp_id', sa.String(length=78), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('ref', sa.String(length=78), nullable=False),
    sa.PrimaryKeyConstraint('tx_hash', 'log_index')
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_feed', ['block_number', 'log_index'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_member'), ['member'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_stamp_id'), ['stamp_id'], unique=False)

    op.create_table('config',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('delegations',
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('log_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.Column('delegator', sa.String(length=42), nullable=False),
    sa.Column('from_delegate', sa.String(length=42), nullable=False),
    sa.Column('to_delegate', sa.String(length=42), nullable=False),
    sa.PrimaryKeyConstraint('tx_hash', 'log_index')
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegations_block_number'), ['block_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegations_delegator'), ['delegator'], unique=False)

    op.create_table('holdings',
    sa.Column('address', sa.String(length=42), nullable=False),
    sa.Column('stamp_id', sa.String(length=78), nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('first_block', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('address', 'stamp_id')
    )
    with op.batch_alter_table('holdings', schema=None) as batch_op:
        batch_op.create_index('ix_holdings_stamp', ['stamp_id', 'balance'], unique=False)

    op.create_table('idea_supporters',
    sa.Column('idea_id', sa.String(length=78), nullable=False),
    sa.Column('supporter', sa.String(length=42), nullable=False),
    sa.Column('weight', sa.BigInteger(), nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('idea_id', 'supporter')
    )
    with op.batch_alter_table('idea_supporters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_supporters_supporter'), ['supporter'], unique=False)

    op.create_table('ideas',
    sa.Column('id', sa.String(length=78), nullable=False),
    sa.Column('board', sa.String(length=64), nullable=False),
    sa.Column('author', sa.String(length=42), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('uri', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('supporters', sa.Integer(), nullable=False),
    sa.Column('support_weight', sa.BigInteger(), nullable=False),
    sa.Column('proposal_id', sa.String(length=78), nullable=True),
    sa.Column('created_block', sa.BigInteger(), nullable=False),
    sa.Column('created_time', sa.BigInteger(), nullable=False),
    sa.Column('updated_block', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideas_author'), ['author'], unique=False)
        batch_op.create_index(batch_op.f('ix_ideas_stage'), ['stage'], unique=False)

    op.create_table('indexer_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chain_id', sa.BigInteger(), nullable=False),
    sa.Column('deployment_key', sa.String(length=66), nullable=False),
    sa.Column('start_block', sa.BigInteger(), nullable=False),
    sa.Column('cursor', sa.BigInteger(), nullable=False),
    sa.Column('cursor_hash', sa.String(length=66), nullable=True),
    sa.Column('cursor_time', sa.BigInteger(), nullable=True),
    sa.Column('final_block', sa.BigInteger(), nullable=False),
    sa.Column('chain_head', sa.BigInteger(), nullable=True),
    sa.Column('events', sa.BigInteger(), nullable=False),
    sa.Column('reorgs', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('journal',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.Column('table', sa.String(length=64), nullable=False),
    sa.Column('key', sa.JSON(), nullable=False),
    sa.Column('old', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_block_number'), ['block_number'], unique=False)

    op.create_table('journeys',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('uri', sa.Text(), nullable=False),
    sa.Column('start', sa.BigInteger(), nullable=False),
    sa.Column('end', sa.BigInteger(), nullable=False),
    sa.Column('configured_block', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('members',
    sa.Column('address', sa.String(length=42), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('since', sa.BigInteger(), nullable=True),
    sa.Column('joined_block', sa.BigInteger(), nullable=True),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.Column('stamps', sa.Integer(), nullable=False),
    sa.Column('delegate', sa.String(length=42), nullable=True),
    sa.PrimaryKeyConstraint('address'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_leaderboard', ['points', 'number'], unique=False)

    op.create_table('proposal_tallies',
    sa.Column('proposal_id', sa.String(length=78), nullable=False),
    sa.Column('option', sa.Integer(), nullable=False),
    sa.Column('weight', sa.BigInteger(), nullable=False),
    sa.Column('voters', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('proposal_id', 'option')
    )
    op.create_table('proposals',
    sa.Column('id', sa.String(length=78), nullable=False),
    sa.Column('governor', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('proposer', sa.String(length=42), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.BigInteger(), nullable=False),
    sa.Column('deadline', sa.BigInteger(), nullable=False),
    sa.Column('created_block', sa.BigInteger(), nullable=False),
    sa.Column('created_tx', sa.String(length=66), nullable=False),
    sa.Column('created_time', sa.BigInteger(), nullable=False),
    sa.Column('eta', sa.BigInteger(), nullable=True),
    sa.Column('queued_block', sa.BigInteger(), nullable=True),
    sa.Column('executed_block', sa.BigInteger(), nullable=True),
    sa.Column('canceled_block', sa.BigInteger(), nullable=True),
    sa.Column('timelock_id', sa.String(length=66), nullable=True),
    sa.Column('idea_id', sa.String(length=78), nullable=True),
    sa.Column('voters', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_created_block'), ['created_block'], unique=False)

    op.create_table('quorum_checkpoints',
    sa.Column('governor', sa.String(length=64), nullable=False),
    sa.Column('block_number', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('numerator', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('governor', 'block_number')
    )
    op.create_table('raw_events',
    sa.Column('block_number', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('log_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('tx_index', sa.Integer(), nullable=False),
    sa.Column('block_hash', sa.String(length=66), nullable=False),
    sa.Column('contract', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=42), nullable=False),
    sa.Column('event', sa.String(length=64), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('block_number', 'log_index')
    )
    with op.batch_alter_table('raw_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_raw_events_contract'), ['contract'], unique=False)
        batch_op.create_index(batch_op.f('ix_raw_events_event'), ['event'], unique=False)
        batch_op.create_index('ix_raw_events_tx_log', ['tx_hash', 'log_index'], unique=True)

    op.create_table('redemptions',
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('log_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('benefit_id', sa.BigInteger(), nullable=False),
    sa.Column('member', sa.String(length=42), nullable=False),
    sa.Column('stock_left', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('tx_hash', 'log_index')
    )
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemptions_benefit_id'), ['benefit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemptions_block_number'), ['block_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemptions_member'), ['member'], unique=False)

    op.create_table('sales',
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('log_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('buyer', sa.String(length=42), nullable=False),
    sa.Column('stamp_id', sa.String(length=78), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('paid', sa.String(length=78), nullable=False),
    sa.Column('creator_share', sa.String(length=78), nullable=False),
    sa.PrimaryKeyConstraint('tx_hash', 'log_index')
    )
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_block_number'), ['block_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_buyer'), ['buyer'], unique=False)

    op.create_table('stamp_types',
    sa.Column('id', sa.String(length=78), nullable=False),
    sa.Column('journey_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.Column('max_supply', sa.BigInteger(), nullable=False),
    sa.Column('price', sa.String(length=78), nullable=False),
    sa.Column('wallet_cap', sa.Integer(), nullable=False),
    sa.Column('soulbound', sa.Boolean(), nullable=False),
    sa.Column('minted', sa.BigInteger(), nullable=False),
    sa.Column('holders', sa.Integer(), nullable=False),
    sa.Column('allowlist_root', sa.String(length=66), nullable=True),
    sa.Column('creator', sa.String(length=42), nullable=True),
    sa.Column('creator_share_bps', sa.Integer(), nullable=False),
    sa.Column('configured_block', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stamp_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stamp_types_journey_id'), ['journey_id'], unique=False)

    op.create_table('supply_checkpoints',
    sa.Column('block_number', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('block_number')
    )
    op.create_table('timelock_operations',
    sa.Column('id', sa.String(length=66), nullable=False),
    sa.Column('timelock', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('calls', sa.JSON(), nullable=False),
    sa.Column('predecessor', sa.String(length=66), nullable=True),
    sa.Column('delay', sa.BigInteger(), nullable=False),
    sa.Column('ready_at', sa.BigInteger(), nullable=False),
    sa.Column('scheduled_block', sa.BigInteger(), nullable=False),
    sa.Column('executed_block', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('transfers',
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('log_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('operator', sa.String(length=42), nullable=False),
    sa.Column('from_address', sa.String(length=42), nullable=False),
    sa.Column('to_address', sa.String(length=42), nullable=False),
    sa.Column('stamp_id', sa.String(length=78), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('tx_hash', 'log_index', 'position')
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfers_block_number'), ['block_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfers_from_address'), ['from_address'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfers_to_address'), ['to_address'], unique=False)

    op.create_table('treasury_flows',
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('log_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('to_address', sa.String(length=42), nullable=False),
    sa.Column('amount', sa.String(length=78), nullable=False),
    sa.PrimaryKeyConstraint('tx_hash', 'log_index')
    )
    with op.batch_alter_table('treasury_flows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treasury_flows_block_number'), ['block_number'], unique=False)

    op.create_table('votes',
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('log_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('block_number', sa.BigInteger(), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('proposal_id', sa.String(length=78), nullable=False),
    sa.Column('voter', sa.String(length=42), nullable=False),
    sa.Column('support', sa.Integer(), nullable=False),
    sa.Column('weight', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('params', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('tx_hash', 'log_index')
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_proposal', ['proposal_id', 'block_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_voter'), ['voter'], unique=False)

    op.create_table('voting_power',
    sa.Column('address', sa.String(length=42), nullable=False),
    sa.Column('votes', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('address')
    )


def downgrade() -> None:
    op.drop_table('voting_power')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_voter'))
        batch_op.drop_index('ix_votes_proposal')

    op.drop_table('votes')
    with op.batch_alter_table('treasury_flows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treasury_flows_block_number'))

    op.drop_table('treasury_flows')
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfers_to_address'))
        batch_op.drop_index(batch_op.f('ix_transfers_from_address'))
        batch_op.drop_index(batch_op.f('ix_transfers_block_number'))

    op.drop_table('transfers')
    op.drop_table('timelock_operations')
    op.drop_table('supply_checkpoints')
    with op.batch_alter_table('stamp_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stamp_types_journey_id'))

    op.drop_table('stamp_types')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_buyer'))
        batch_op.drop_index(batch_op.f('ix_sales_block_number'))

    op.drop_table('sales')
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redemptions_member'))
        batch_op.drop_index(batch_op.f('ix_redemptions_block_number'))
        batch_op.drop_index(batch_op.f('ix_redemptions_benefit_id'))

    op.drop_table('redemptions')
    with op.batch_alter_table('raw_events', schema=None) as batch_op:
        batch_op.drop_index('ix_raw_events_tx_log')
        batch_op.drop_index(batch_op.f('ix_raw_events_event'))
        batch_op.drop_index(batch_op.f('ix_raw_events_contract'))

    op.drop_table('raw_events')
    op.drop_table('quorum_checkpoints')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_created_block'))

    op.drop_table('proposals')
    op.drop_table('proposal_tallies')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_leaderboard')

    op.drop_table('members')
    op.drop_table('journeys')
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_block_number'))

    op.drop_table('journal')
    op.drop_table('indexer_state')
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideas_stage'))
        batch_op.drop_index(batch_op.f('ix_ideas_author'))

    op.drop_table('ideas')
    with op.batch_alter_table('idea_supporters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_supporters_supporter'))

    op.drop_table('idea_supporters')
    with op.batch_alter_table('holdings', schema=None) as batch_op:
        batch_op.drop_index('ix_holdings_stamp')

    op.drop_table('holdings')
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegations_delegator'))
        batch_op.drop_index(batch_op.f('ix_delegations_block_number'))

    op.drop_table('delegations')
    op.drop_table('config')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_stamp_id'))
        batch_op.drop_index(batch_op.f('ix_claims_member'))
        batch_op.drop_index('ix_claims_feed')

    op.drop_table('claims')
    op.drop_table('blocks')
    op.drop_table('benefits')
    op.drop_table('balances')
