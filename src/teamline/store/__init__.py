"""Storage: SQLAlchemy 2 tables, repositories, the unit of work, the outbox and Alembic migrations.

Only `domain` is imported from Teamline; rows are mapped to domain objects here, outside the model.
"""
