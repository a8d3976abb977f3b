"""`revsync emulator`: run the local Revenium API emulator in the foreground."""

from __future__ import annotations

import click

from ..emulator import DEFAULT_API_KEY, DEFAULT_OWNER_ID, DEFAULT_TEAM_ID, Emulator, FaultConfig

DEFAULT_PORT = 8765
PROBABILITY = click.FloatRange(0, 1)


@click.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="0 = any free port.",
)
@click.option(
    "--db", default=":memory:", show_default=True, help="SQLite file that keeps the data."
)
@click.option("--api-key", default=DEFAULT_API_KEY, show_default=True)
@click.option("--team-id", default=DEFAULT_TEAM_ID, show_default=True)
@click.option("--tenant-id", default=None, help="Defaults to the team id.")
@click.option("--owner-id", default=DEFAULT_OWNER_ID, show_default=True)
@click.option(
    "--rate-limit",
    default=50.0,
    show_default=True,
    type=click.FloatRange(0, 100000),
    help="Requests per second per key (the real platform's limit); 0 turns it off.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for ids and faults.")
@click.option(
    "--latency-ms", default=0.0, type=click.FloatRange(0, 60000), help="Added to every request."
)
@click.option("--p429", default=0.0, type=PROBABILITY, help="Probability of an injected 429.")
@click.option("--p5xx", default=0.0, type=PROBABILITY, help="Probability of an injected 5xx.")
@click.option(
    "--p-drop",
    default=0.0,
    type=PROBABILITY,
    help="Probability a committed write loses its response.",
)
def emulator_command(
    host: str,
    port: int,
    db: str,
    api_key: str,
    team_id: str,
    tenant_id: str | None,
    owner_id: str,
    rate_limit: float,
    seed: int,
    latency_ms: float,
    p429: float,
    p5xx: float,
    p_drop: float,
) -> int:
    """Run the local Revenium API emulator (serves /profitstream/v2/api/...).

    Fault injection can also be changed while it runs: PUT /_emulator/faults.
    """
    try:
        faults = FaultConfig(
            seed=seed, latency_ms=latency_ms, p429=p429, p5xx=p5xx, p_drop_after_write=p_drop
        )
        FaultConfig.from_dict(faults.__dict__)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    emu = Emulator(
        host=host,
        port=port,
        db=db,
        api_key=api_key,
        team_id=team_id,
        tenant_id=tenant_id,
        owner_id=owner_id,
        rate_limit=rate_limit,
        seed=seed,
        faults=faults,
    )
    try:
        server_ready = emu.bind()
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    click.echo(f"Revenium API emulator listening on {emu.api_url}")
    click.echo(f"  api key:   {api_key}")
    click.echo(f"  team id:   {team_id}")
    click.echo(f"  tenant id: {emu.tenant_id}")
    click.echo(f"  owner id:  {owner_id}")
    click.echo(f"  database:  {db}")
    click.echo("Point revsync at it with:")
    click.echo(f"  export REVENIUM_API_URL={emu.api_url} REVENIUM_API_KEY={api_key}")
    click.echo(f"  export REVENIUM_TEAM_ID={team_id} REVENIUM_OWNER_ID={owner_id}")
    click.echo("Ctrl-C stops it.", err=True)
    try:
        server_ready.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        emu.stop()
    return 0
