"""relay rate limits shared by every API process: relay_hits

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('relay_hits',
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('window_start', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', 'window_start')
    )
    with op.batch_alter_table('relay_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relay_hits_window_start'), ['window_start'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('relay_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relay_hits_window_start'))
    op.drop_table('relay_hits')
