"""fair drops and their entries: drops, drop_entries

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drops',
    sa.Column('id', sa.String(length=78), nullable=False),
    sa.Column('stamp_id', sa.String(length=78), nullable=False),
    sa.Column('supply', sa.BigInteger(), nullable=False),
    sa.Column('price', sa.String(length=78), nullable=False),
    sa.Column('opens_at', sa.BigInteger(), nullable=False),
    sa.Column('closes_at', sa.BigInteger(), nullable=False),
    sa.Column('min_level', sa.Integer(), nullable=False),
    sa.Column('min_points', sa.BigInteger(), nullable=False),
    sa.Column('required_stamp', sa.String(length=78), nullable=False),
    sa.Column('seed_block', sa.BigInteger(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('claimed', sa.Integer(), nullable=False),
    sa.Column('refunded', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=66), nullable=True),
    sa.Column('seed_block_hash', sa.String(length=66), nullable=True),
    sa.Column('drawn_block', sa.BigInteger(), nullable=True),
    sa.Column('configured_block', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('drop_entries',
    sa.Column('drop_id', sa.String(length=78), nullable=False),
    sa.Column('member', sa.String(length=42), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('paid', sa.String(length=78), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('entered_block', sa.BigInteger(), nullable=False),
    sa.Column('settled_block', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('drop_id', 'member')
    )
    with op.batch_alter_table('drop_entries', schema=None) as batch_op:
        batch_op.create_index('ix_drop_entries_position', ['drop_id', 'position'], unique=True)
        batch_op.create_index(batch_op.f('ix_drop_entries_member'), ['member'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('drop_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drop_entries_member'))
        batch_op.drop_index('ix_drop_entries_position')
    op.drop_table('drop_entries')
    op.drop_table('drops')
