"""agents: assignment, time journal, settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 09:10:30.374446
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('settings',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_settings'))
    )
    op.create_table('time_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('agent', sa.String(length=320), nullable=False),
    sa.Column('contact', sa.String(length=320), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('message_row', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_time_entries_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entries'))
    )
    with op.batch_alter_table('time_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_entries_ticket_id'), ['ticket_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('message_row', sa.Integer(), nullable=True))

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('priority', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('impact', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('urgency', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('follows', sa.Integer(), nullable=True))
        batch_op.create_index('ix_tickets_status_assignee', ['status', 'assignee'], unique=False)



def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_status_assignee')
        batch_op.drop_column('follows')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('started_at')
        batch_op.drop_column('urgency')
        batch_op.drop_column('impact')
        batch_op.drop_column('priority')
        batch_op.drop_column('category')
        batch_op.drop_column('assignee')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('message_row')
        batch_op.drop_column('actor')

    with op.batch_alter_table('time_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_entries_ticket_id'))

    op.drop_table('time_entries')
    op.drop_table('settings')
