"""outbox mail bytes in their own table (outbox_raw)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:00:00

SQLite rewrites a whole row on UPDATE, overflow pages and all: leasing and marking an outbox row sent wrote its
mail twice more. The bytes move to outbox_raw, keyed by the outbox row; the row keeps only its state.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # The foreign key is added after outbox is rebuilt without its column: on SQLite the rebuild drops and
    # renames outbox, which a table already referring to it would not allow.
    op.create_table('outbox_raw',
                    sa.Column('outbox_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('raw', sa.LargeBinary(), nullable=False),
                    sa.PrimaryKeyConstraint('outbox_id', name=op.f('pk_outbox_raw')))
    op.execute("INSERT INTO outbox_raw (outbox_id, raw) SELECT id, raw FROM outbox")
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('raw')
    with op.batch_alter_table('outbox_raw') as batch:
        batch.create_foreign_key(op.f('fk_outbox_raw_outbox_id_outbox'), 'outbox', ['outbox_id'], ['id'])


def downgrade():
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('raw', sa.LargeBinary(), nullable=True))
    op.execute("UPDATE outbox SET raw = (SELECT raw FROM outbox_raw WHERE outbox_raw.outbox_id = outbox.id)")
    op.drop_table('outbox_raw')
    op.execute("UPDATE outbox SET raw = X'' WHERE raw IS NULL" if op.get_bind().dialect.name == "sqlite"
               else "UPDATE outbox SET raw = '' WHERE raw IS NULL")
    with op.batch_alter_table('outbox') as batch:
        batch.alter_column('raw', existing_type=sa.LargeBinary(), nullable=False)
