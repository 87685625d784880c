"""referral cases: time in state (due times follow the clinic's timers file), direction,
visit date, FHIR push mark

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral_cases") as batch:
        batch.add_column(sa.Column("state_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("direction", sa.String(length=10), nullable=False, server_default="inbound")
        )
        batch.add_column(sa.Column("visit_date", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("fhir_pushed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE referral_cases SET state_since = updated_at")
    with op.batch_alter_table("referral_cases") as batch:
        batch.alter_column("state_since", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_index("ix_referral_cases_due_at")
        batch.drop_column("due_at")


def downgrade() -> None:
    with op.batch_alter_table("referral_cases") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_referral_cases_due_at", ["due_at"])
        batch.drop_column("fhir_pushed_at")
        batch.drop_column("visit_date")
        batch.drop_column("direction")
        batch.drop_column("state_since")
