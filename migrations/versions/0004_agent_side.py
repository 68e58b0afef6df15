"""The agent side of the handoff: queue states, agents, sessions, login attempts, outbox,
callback requests and ratings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=128), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('agent_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('agent_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_sessions_agent_id'), ['agent_id'], unique=False)
    op.create_table('agent_login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agent_login_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_login_attempts_username'), ['username'], unique=False)
        batch_op.create_index(batch_op.f('ix_agent_login_attempts_client_address'), ['client_address'], unique=False)
        batch_op.create_index(batch_op.f('ix_agent_login_attempts_created_at'), ['created_at'], unique=False)
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('sender', sa.String(length=16), nullable=False),
    sa.Column('agent_name', sa.String(length=128), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('in_tracker', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_in_tracker'), ['in_tracker'], unique=False)
    with op.batch_alter_table('handoff_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('agent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_handoff_requests_status'), ['status'], unique=False)
        batch_op.create_foreign_key('fk_handoff_requests_agent_id', 'agents', ['agent_id'], ['id'])
    op.execute("UPDATE handoff_requests SET status = 'waiting' WHERE status = 'open'")
    op.create_table('callback_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('handoff_request_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=False),
    sa.Column('call_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['done_by'], ['agents.id'], ),
    sa.ForeignKeyConstraint(['handoff_request_id'], ['handoff_requests.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_requests_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_requests_status'), ['status'], unique=False)
    op.create_table('conversation_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('topic', sa.String(length=64), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('conversation_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_ratings_conversation_id'), ['conversation_id'], unique=False)


def downgrade() -> None:
    op.drop_table('conversation_ratings')
    op.drop_table('callback_requests')
    op.execute("UPDATE handoff_requests SET status = 'open' WHERE status = 'waiting'")
    with op.batch_alter_table('handoff_requests', schema=None) as batch_op:
        batch_op.drop_constraint('fk_handoff_requests_agent_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_handoff_requests_status'))
        batch_op.drop_column('closed_at')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('agent_id')
        batch_op.drop_column('topic')
    op.drop_table('outbox_messages')
    op.drop_table('agent_login_attempts')
    op.drop_table('agent_sessions')
    op.drop_table('agents')
