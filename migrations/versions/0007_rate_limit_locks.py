"""One row per rate-limit bucket, locked while a request is counted, so parallel requests in the
same bucket are counted one after another (no burst past the limit).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_limit_locks',
    sa.Column('bucket', sa.String(length=128), nullable=False),
    sa.Column('touched_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('bucket')
    )


def downgrade() -> None:
    op.drop_table('rate_limit_locks')
