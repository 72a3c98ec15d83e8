"""The REST API (FastAPI): routers, pydantic schemas, authentication, the HTTP error mapping."""
