"""a benefit's snapshot block and each delegate's vote checkpoints (levels count the votes there); an idea whose
co-creator stamp is owed

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('vote_checkpoints',
    sa.Column('delegate', sa.String(length=42), nullable=False),
    sa.Column('block_number', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('votes', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('delegate', 'block_number')
    )
    with op.batch_alter_table('benefits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot_block', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('co_creator_stamp_owed', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('co_creator_stamp_owed')
    with op.batch_alter_table('benefits', schema=None) as batch_op:
        batch_op.drop_column('snapshot_block')
    op.drop_table('vote_checkpoints')
