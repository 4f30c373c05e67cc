"""public signing keys: signing_key holds Ed25519 public keys; no secret stays in the database

The previous release kept HMAC secrets in `signing_key.secret`: this installation's own, and the
ones departments sent. Any copy of the database could sign as any department. After this
migration the table holds public keys only (`public_key`, empty for a department registered
before: its registration, and so the refusal of its unsigned files, stays until its new key is
registered). The own secret is dropped (a new key pair is made, outside the database, when
first needed). The secrets of registered departments are moved out to an owner-only file beside
this user's private keys (store/keys.save_legacy_secrets), so that files signed by the previous
release still verify during one transition release — only when this installation's own live
database is upgraded; a restored backup's secrets are dropped, never kept.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import context

    from kplan_desktop.store.keys import save_legacy_secrets

    # Only the upgrade of this installation's own live database keeps secrets; a restored
    # backup's are dropped (Store.migrate(keep_legacy_secrets=False)).
    keep = bool(context.config.attributes.get("keep_legacy_secrets", True))
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        # Freed pages are zeroed: the secrets do not stay behind in the file's free space (nor
        # in every backup copied from it).
        conn.execute(sa.text("PRAGMA secure_delete = ON"))
    database = conn.execute(
        sa.text("SELECT value FROM meta WHERE key = 'database_id'")
    ).scalar_one_or_none()
    rows = conn.execute(sa.text("SELECT database_id, secret FROM signing_key WHERE NOT own")).all()
    secrets = {str(r[0]): str(r[1]) for r in rows if r[1]}
    if secrets and database and keep:
        save_legacy_secrets(str(database), secrets)
    conn.execute(sa.text("DELETE FROM signing_key WHERE own"))
    with op.batch_alter_table("signing_key") as batch:
        batch.add_column(sa.Column("public_key", sa.String(length=64), nullable=True))
        batch.drop_column("secret")


def downgrade() -> None:
    # The secrets are not put back: a downgraded installation registers its keys again.
    op.execute("DELETE FROM signing_key")
    with op.batch_alter_table("signing_key") as batch:
        batch.add_column(sa.Column("secret", sa.String(length=128), nullable=False))
        batch.drop_column("public_key")
