"""review: users, audit log, claims, corrections, queue summary columns

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("fax_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["fax_id"], ["faxes.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_index("ix_audit_log_fax_id", "audit_log", ["fax_id"])
    with op.batch_alter_table("faxes") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))
        batch.add_column(sa.Column("doc_types", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("patient_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("patient_dob", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("member_id", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("claimed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("review_note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("letter_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("export_path", sa.String(length=500), nullable=True))
        batch.create_foreign_key("fk_faxes_claimed_by", "users", ["claimed_by_id"], ["id"])
        batch.create_foreign_key("fk_faxes_reviewed_by", "users", ["reviewed_by_id"], ["id"])
        batch.create_index("ix_faxes_review_state", ["review_state"])
    with op.batch_alter_table("fields") as batch:
        batch.add_column(sa.Column("extracted_value", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("corrected", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("flags") as batch:
        batch.add_column(sa.Column("resolution", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("resolved_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key("fk_flags_resolved_by", "users", ["resolved_by_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("flags") as batch:
        batch.drop_constraint("fk_flags_resolved_by", type_="foreignkey")
        for name in ("resolution", "resolved_by_id", "resolved_at"):
            batch.drop_column(name)
    with op.batch_alter_table("fields") as batch:
        batch.drop_column("extracted_value")
        batch.drop_column("corrected")
    with op.batch_alter_table("faxes") as batch:
        batch.drop_index("ix_faxes_review_state")
        batch.drop_constraint("fk_faxes_claimed_by", type_="foreignkey")
        batch.drop_constraint("fk_faxes_reviewed_by", type_="foreignkey")
        for name in (
            "priority",
            "doc_types",
            "patient_name",
            "patient_dob",
            "member_id",
            "claimed_by_id",
            "claimed_at",
            "reviewed_by_id",
            "reviewed_at",
            "review_note",
            "letter_key",
            "export_path",
        ):
            batch.drop_column(name)
    op.drop_table("audit_log")
    op.drop_table("users")
