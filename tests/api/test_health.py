"""Liveness, readiness, the OpenAPI document, and the app's refusal to run without durability."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from teamline.app import create_app
from teamline.config import Settings
from teamline.store.db import UnsafeDurability, make_engine
from teamline.store.migrate import downgrade

from support.openapi_check import CheckedClient, OpenAPIError


def test_health_and_readiness(client: CheckedClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ready"


def test_readiness_fails_until_the_database_is_migrated(
    client: CheckedClient, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'teamline.db'}")
    downgrade(engine, "base")
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert "teamline db upgrade" in answer.json()["reason"]


def test_the_api_is_versioned_and_described(client: CheckedClient) -> None:
    document = client.get("/openapi.json").json()
    api_paths = [p for p in document["paths"] if p.startswith("/api/")]
    assert api_paths and all(p.startswith("/api/v1/") for p in api_paths)
    assert "ErrorOut" in document["components"]["schemas"]


def test_the_app_refuses_to_start_on_a_database_that_can_lose_writes() -> None:
    with pytest.raises(UnsafeDurability):
        create_app(Settings(database_url="sqlite://"))


def test_the_openapi_checker_catches_undocumented_statuses_and_wrong_shapes() -> None:
    app = FastAPI()

    @app.get("/api/teapot")
    def teapot() -> JSONResponse:
        return JSONResponse({"tea": "earl grey"}, status_code=418)

    class Tea(BaseModel):
        tea: str

    @app.get("/api/tea", response_model=Tea)
    def tea() -> JSONResponse:
        return JSONResponse({"coffee": 1})

    with CheckedClient(app) as checked:
        with pytest.raises(OpenAPIError, match="418, not documented"):
            checked.get("/api/teapot")
        with pytest.raises(OpenAPIError, match="tea"):
            checked.get("/api/tea")
