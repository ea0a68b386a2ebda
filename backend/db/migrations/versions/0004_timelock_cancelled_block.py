"""the block a timelock operation was cancelled in (a proposal cancelled on the timelock directly)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('timelock_operations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_block', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('timelock_operations', schema=None) as batch_op:
        batch_op.drop_column('cancelled_block')
