"""the issuer service: earn rules, issued vouchers, sign-in nonces and sessions, member codes, kiosks, webhook deliveries, attempt counters

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('earn_rules',
    sa.Column('stamp_id', sa.String(length=78), nullable=False),
    sa.Column('journey_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('stamp_id')
    )
    with op.batch_alter_table('earn_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_earn_rules_journey_id'), ['journey_id'], unique=False)

    op.create_table('issued_vouchers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('member', sa.String(length=42), nullable=False),
    sa.Column('stamp_id', sa.String(length=78), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=78), nullable=True),
    sa.Column('deadline', sa.BigInteger(), nullable=False),
    sa.Column('signature', sa.String(length=132), nullable=True),
    sa.Column('activity', sa.String(length=16), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.Double(), nullable=False),
    sa.Column('relayed', sa.Boolean(), nullable=False),
    sa.Column('tx_hash', sa.String(length=66), nullable=True),
    sa.Column('sent_at', sa.Double(), nullable=True),
    sa.Column('retry_at', sa.Double(), nullable=True),
    sa.Column('lease_until', sa.Double(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('member', 'stamp_id', 'seq'),
    sa.UniqueConstraint('nonce')
    )
    with op.batch_alter_table('issued_vouchers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_vouchers_outcome'), ['outcome'], unique=False)

    op.create_table('issuer_hits',
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('window_start', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', 'window_start')
    )
    with op.batch_alter_table('issuer_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issuer_hits_window_start'), ['window_start'], unique=False)

    op.create_table('kiosks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('stamp_id', sa.String(length=78), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Double(), nullable=False),
    sa.Column('revoked_at', sa.Double(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('member_codes',
    sa.Column('member', sa.String(length=42), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('member'),
    sa.UniqueConstraint('code')
    )
    op.create_table('member_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('member', sa.String(length=42), nullable=False),
    sa.Column('expires_at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('member_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_sessions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_sessions_member'), ['member'], unique=False)

    op.create_table('siwe_nonces',
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('nonce')
    )
    with op.batch_alter_table('siwe_nonces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_siwe_nonces_expires_at'), ['expires_at'], unique=False)

    op.create_table('webhook_deliveries',
    sa.Column('partner', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.Double(), nullable=False),
    sa.Column('voucher_id', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('partner', 'key')
    )


def downgrade() -> None:
    op.drop_table('webhook_deliveries')
    with op.batch_alter_table('siwe_nonces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_siwe_nonces_expires_at'))

    op.drop_table('siwe_nonces')
    with op.batch_alter_table('member_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_sessions_member'))
        batch_op.drop_index(batch_op.f('ix_member_sessions_expires_at'))

    op.drop_table('member_sessions')
    op.drop_table('member_codes')
    op.drop_table('kiosks')
    with op.batch_alter_table('issuer_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issuer_hits_window_start'))

    op.drop_table('issuer_hits')
    with op.batch_alter_table('issued_vouchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_vouchers_outcome'))

    op.drop_table('issued_vouchers')
    with op.batch_alter_table('earn_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_earn_rules_journey_id'))

    op.drop_table('earn_rules')
