"""the ops files' texts per language: names and descriptions of journeys, stamp types, drops and benefits

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('translations',
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=78), nullable=False),
    sa.Column('field', sa.String(length=16), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('subject', 'subject_id', 'field', 'locale')
    )


def downgrade() -> None:
    op.drop_table('translations')
