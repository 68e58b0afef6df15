"""Forwards of handoffs to an external help desk, retried from the database.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('desk_forwards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handoff_request_id', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['handoff_request_id'], ['handoff_requests.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('desk_forwards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_forwards_handoff_request_id'), ['handoff_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_forwards_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('desk_forwards')
