"""time entries remember whether their category was stated

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 19:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Entries from before this revision are kept as they were filed: their category counts as stated.
    with op.batch_alter_table('time_entries') as batch:
        batch.add_column(sa.Column('category_stated', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('time_entries') as batch:
        batch.drop_column('category_stated')
