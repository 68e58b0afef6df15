"""The bot's own database (SQLAlchemy): SQLite by default, PostgreSQL via DATABASE_URL."""
