"""faxes: a provider's fax id is unique together with the content's hash, so a provider (or a
HylaFAX modem's communication id counter) reusing an id for a different fax never drops it

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("faxes") as batch:
        batch.drop_constraint("uq_fax_provider_id", type_="unique")
        batch.create_unique_constraint("uq_fax_provider_id_content", ["source", "provider_fax_id", "sha256"])


def downgrade() -> None:
    with op.batch_alter_table("faxes") as batch:
        batch.drop_constraint("uq_fax_provider_id_content", type_="unique")
        batch.create_unique_constraint("uq_fax_provider_id", ["source", "provider_fax_id"])
