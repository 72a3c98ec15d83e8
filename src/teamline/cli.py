"""The `teamline` command: serve, demo, db upgrade, user create.

Bad arguments exit with code 2 and one sentence naming what to fix (Typer/Click does this for
unknown options and wrong types; domain errors are turned into the same form here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from teamline.config import Settings
from teamline.domain.errors import Conflict, InvalidInput, TeamlineError
from teamline.domain.users import parse_role
from teamline.services.log_masking import install_card_masking
from teamline.store.db import UnsafeDurability, check_durability, make_engine, session_factory
from teamline.store.migrate import is_current, upgrade
from teamline.store.uow import UnitOfWork

app = typer.Typer(
    help="Teamline: a contact center where every customer has a team.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Logins.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Domain errors become one sentence and exit code 2 (1 when the database is the cause)."""
    try:
        yield
    except (InvalidInput, Conflict) as exc:
        fail(str(exc))
    except UnsafeDurability as exc:
        fail(str(exc), code=1)
    except TeamlineError as exc:
        fail(str(exc), code=1)


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        fail(f"bad TEAMLINE_* setting: {exc}")


def _uow_factory(settings: Settings) -> Callable[[], UnitOfWork]:
    engine = make_engine(settings.database_url)
    check_durability(engine)
    if not is_current(engine):
        fail("the database schema is not current: run `teamline db upgrade` first", code=1)
    sessions = session_factory(engine)
    return lambda: UnitOfWork(sessions)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest revision."""
    settings = _settings()
    with clear_errors():
        engine = make_engine(settings.database_url)
        check_durability(engine)
        upgrade(engine)
    out.print(f"database at the newest schema: {engine.url.render_as_string(hide_password=True)}")


@user_app.command("create")
def user_create(
    role: Annotated[str, typer.Option(help="customer, agent, supervisor or admin")],
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option(help="display name")] = "",
    customer_id: Annotated[str | None, typer.Option(help="for a customer login")] = None,
    agent_id: Annotated[str | None, typer.Option(help="for an agent or supervisor")] = None,
) -> None:
    """Create a login (the operator's own act: audited without an actor)."""
    from teamline.services.auth import register_user

    settings = _settings()
    with clear_errors():
        parsed_role = parse_role(role)
        new_uow = _uow_factory(settings)
        user = register_user(
            new_uow(),
            email,
            password,
            parsed_role,
            name or email.split("@")[0],
            datetime.now(UTC),
            customer_id,
            agent_id,
        )
    out.print(f"created {user.role.value} {user.email} ({user.id})")


@app.command()
def demo() -> None:
    """Load the demo company (idempotent) and print its logins."""
    from teamline.services.demo import load_demo

    settings = _settings()
    with clear_errors():
        new_uow = _uow_factory(settings)
        started = datetime.now(UTC)
        result = load_demo(new_uow, settings.demo_seed, settings.demo_customers, started)
        seconds = (datetime.now(UTC) - started).total_seconds()
    what = "loaded" if result.loaded else "already loaded"
    out.print(f"demo company {what}: {result.customers} customers ({seconds:.1f} s)")
    table = Table(title="Demo logins (http://127.0.0.1:8000/login)")
    for column in ("role", "email", "password", "who"):
        table.add_column(column)
    for login in result.logins:
        table.add_row(login.role.value, login.email, login.password, login.who)
    out.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="API worker processes")] = 1,
    access_log: Annotated[bool, typer.Option(help="log every request")] = True,
) -> None:
    """Serve the API and the pages."""
    import uvicorn

    from teamline.app import create_app

    settings = _settings()
    with clear_errors():
        _uow_factory(settings)  # refuses unsafe durability and a stale schema before binding
        application = create_app(settings) if workers == 1 else None
    out.print(f"Teamline on http://{host}:{port}  (API docs at /docs)")
    if application is None:  # each worker builds its own app from the same settings
        uvicorn.run("teamline.app:app_from_environment", factory=True, workers=workers,
                    host=host, port=port, log_level="info", access_log=access_log)  # fmt: skip
    else:
        uvicorn.run(application, host=host, port=port, log_level="info", access_log=access_log)


from teamline.cli_sim import simulate  # noqa: E402  (the command's own module; loads lightly)

app.command()(simulate)

from teamline.cli_wfm import staff  # noqa: E402  (the command's own module; loads lightly)

app.command()(staff)

from teamline.cli_mail import smtp  # noqa: E402  (the command's own module; loads lightly)

app.command()(smtp)

from teamline.cli_etf import etf  # noqa: E402  (the command's own module; loads lightly)

app.command()(etf)

from teamline.cli_qa import csat_app, qa_app  # noqa: E402  (the groups' own module; loads lightly)

app.add_typer(qa_app, name="qa")
app.add_typer(csat_app, name="csat")

from teamline.cli_cases import cases_app  # noqa: E402  (the group's own module; loads lightly)

app.add_typer(cases_app, name="cases")


def main() -> None:
    install_card_masking()  # every command, the mail listener too (issue 9)
    app()
