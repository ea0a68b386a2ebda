"""the relay's transaction in flight per member and per-member gas budgets: relay_in_flight, relay_gas

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('relay_in_flight',
    sa.Column('member', sa.String(length=42), nullable=False),
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('gas_limit', sa.BigInteger(), nullable=False),
    sa.Column('budget_window', sa.BigInteger(), nullable=False),
    sa.Column('sent_at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('member'),
    sa.UniqueConstraint('tx_hash')
    )
    op.create_table('relay_gas',
    sa.Column('member', sa.String(length=42), nullable=False),
    sa.Column('window_start', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('gas', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('member', 'window_start')
    )
    with op.batch_alter_table('relay_gas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relay_gas_window_start'), ['window_start'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('relay_gas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relay_gas_window_start'))
    op.drop_table('relay_gas')
    op.drop_table('relay_in_flight')
