"""referral cases and their timelines; a fax's case and candidate cases

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referral_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source_fax_id", sa.Integer(), nullable=True),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("patient_name", sa.String(length=200), nullable=True),
        sa.Column("patient_dob", sa.String(length=10), nullable=True),
        sa.Column("member_id", sa.String(length=60), nullable=True),
        sa.Column("payer", sa.String(length=200), nullable=True),
        sa.Column("referring_provider", sa.String(length=200), nullable=True),
        sa.Column("referring_npi", sa.String(length=10), nullable=True),
        sa.Column("referring_fax", sa.String(length=10), nullable=True),
        sa.Column("referring_phone", sa.String(length=10), nullable=True),
        sa.Column("specialty", sa.String(length=100), nullable=True),
        sa.Column("receiving_provider", sa.String(length=200), nullable=True),
        sa.Column("diagnosis_codes", sa.JSON(), nullable=False),
        sa.Column("procedure_codes", sa.JSON(), nullable=False),
        sa.Column("auth_number", sa.String(length=60), nullable=True),
        sa.Column("auth_valid_from", sa.String(length=10), nullable=True),
        sa.Column("auth_valid_to", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_referral_cases_state", "referral_cases", ["state"])
    op.create_index("ix_referral_cases_due_at", "referral_cases", ["due_at"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=True),
        sa.Column("to_state", sa.String(length=30), nullable=True),
        sa.Column("fax_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["referral_cases.id"]),
        sa.ForeignKeyConstraint(["fax_id"], ["faxes.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    with op.batch_alter_table("faxes") as batch:
        batch.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("case_candidates", sa.JSON(), nullable=True))
        batch.create_foreign_key("fk_faxes_case", "referral_cases", ["case_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("faxes") as batch:
        batch.drop_constraint("fk_faxes_case", type_="foreignkey")
        batch.drop_column("case_candidates")
        batch.drop_column("case_id")
    op.drop_table("case_events")
    op.drop_table("referral_cases")
