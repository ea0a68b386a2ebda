"""governance details: multiple-choice proposals and the IdeaBoard's ideas

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('votes_weight', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('option_ends', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('approval', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_hash', sa.String(length=66), nullable=True))
        batch_op.add_column(sa.Column('stages_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('stages_reached', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('deadline', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('proposer', sa.String(length=42), nullable=True))
        batch_op.add_column(sa.Column('realised_block', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('co_creator_stamp_id', sa.String(length=78), nullable=True))
        batch_op.add_column(sa.Column('sale_stamp_id', sa.String(length=78), nullable=True))
        batch_op.add_column(sa.Column('share_bps', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        for name in ('share_bps', 'sale_stamp_id', 'co_creator_stamp_id', 'realised_block', 'proposer', 'deadline',
                     'stages_reached', 'stages_version', 'content_hash'):
            batch_op.drop_column(name)
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        for name in ('approval', 'option_ends', 'votes_weight'):
            batch_op.drop_column(name)
