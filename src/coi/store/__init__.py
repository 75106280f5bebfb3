"""SQLAlchemy: schema, engine, migrations and queries that return domain objects."""
