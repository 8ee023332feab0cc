"""job_runs: when each scheduled job last ran, and how it went

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 16:00:00

`mailbot health` and /healthz tell an operator that scheduled work has stopped (no daemon running the scheduler,
or a job failing at every wake-up); a daemon writes here after each run of a job.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_runs",
        sa.Column("job", sa.String(50), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
        sa.Column("last_ok_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_job_runs")),
    )


def downgrade():
    op.drop_table("job_runs")
