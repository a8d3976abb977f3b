"""How many requests per second the emulator sustains on loopback (rate limit off).

    make bench-emulator        # or: python benchmarks/emulator.py [--seconds 5]
    python benchmarks/emulator.py --db ACCOUNT.sqlite   # also: pages of a large account

Target: >= 500 req/s for list pages and for creates, so the emulator is never the
bottleneck of the other benchmarks. With `--db` (an account loaded by `benchmarks/run.py
--cache DIR`, e.g. 100,000 objects) list pages of 100 are read across the whole of its
large collections (subscriptions, which embed a product, an organization and a
subscriber per item; products; subscribers; organizations): first every page once, in
order, as a plan reads them ("first read": the emulator renders every item), then every
page in turn from 1 and 4 clients; then the emulator is restarted on the same database and
every page is read once more ("read after restart"). The emulator keeps each object's
rendered list item in the database, made when the object is written; a database written
by an older emulator has none, so its first read renders (and keeps) every item once.
A first read costs the emulator one range query per page, and it prepares the next page
of a list while the client reads this one (as a plan's in-order reads benefit), so on
a busy machine the first-read rate also depends on a core being free for that work.
Prints a table; writes benchmarks/results/emulator.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _emulator_process import KEY, TEAM, emulator_process


def hammer(api_url: str, clients: int, seconds: float, request) -> tuple[int, int]:
    """Run `request(client, i)` from `clients` threads for `seconds`; count successes."""
    done = [0] * clients
    failed = [0] * clients
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        with httpx.Client(base_url=api_url + "/v2/api", headers={"x-api-key": KEY}) as client:
            i = 0
            while time.monotonic() < stop:
                response = request(client, n * 10_000_000 + i)
                i += 1
                if response.status_code == 200:
                    done[n] += 1
                else:
                    failed[n] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done), sum(failed)


def create(client: httpx.Client, i: int) -> httpx.Response:
    body = {"name": f"element-{i}", "type": "NUMBER", "teamId": TEAM}
    return client.post("/metering-element-definitions", json=body)


def list_page(client: httpx.Client, i: int) -> httpx.Response:
    params = {"teamId": TEAM, "size": 100, "page": i % 10}
    return client.get("/metering-element-definitions", params=params)


LARGE_COLLECTIONS = ("subscriptions", "products", "subscribers", "organizations")


def large_list(segment: str, pages: int):
    """Pages of one collection's list, every page in turn (deep offsets included)."""

    def request(client: httpx.Client, i: int) -> httpx.Response:
        params = {"teamId": TEAM, "size": 100, "page": i % pages}
        return client.get(f"/{segment}", params=params)

    return request


def first_read(api_url: str, segment: str) -> tuple[int, float, int]:
    """Every page of a collection once, in order, from one client: (pages, pages/s, errors)."""
    request = large_list(segment, 1 << 30)
    with httpx.Client(
        base_url=api_url + "/v2/api", headers={"x-api-key": KEY}, timeout=60
    ) as client:
        started = time.monotonic()
        pages = request(client, 0).json()["page"]["totalPages"]
        bad = sum(request(client, i).status_code != 200 for i in range(1, pages))
        return pages, pages / (time.monotonic() - started), bad


def large_rows(db: Path, seconds: float) -> list[tuple]:
    """Pages of a large account: read after a start, read again, read after a restart."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "account.sqlite"
        shutil.copyfile(db, copy)
        started = time.monotonic()
        with emulator_process("--rate-limit", "0", "--db", str(copy)) as api_url:
            rows.append(("emulator start (seconds)", 1, time.monotonic() - started, 0))
            for segment in LARGE_COLLECTIONS:
                pages, rate, bad = first_read(api_url, segment)
                if not pages:
                    continue
                rows.append((f"GET {segment}, first read of {pages}", 1, rate, bad))
                for clients in (1, 4):
                    ok, bad = hammer(api_url, clients, seconds, large_list(segment, pages))
                    rows.append((f"GET {segment}, {pages} pages", clients, ok / seconds, bad))
        started = time.monotonic()
        with emulator_process("--rate-limit", "0", "--db", str(copy)) as api_url:
            rows.append(("emulator restart (seconds)", 1, time.monotonic() - started, 0))
            for segment in LARGE_COLLECTIONS:
                pages, rate, bad = first_read(api_url, segment)
                if pages:
                    rows.append((f"GET {segment}, read after restart", 1, rate, bad))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--db", type=Path, help="A loaded account (benchmarks/run.py --cache).")
    args = parser.parse_args()
    rows = []
    with emulator_process("--rate-limit", "0") as api_url:
        for clients in (1, 4):
            ok, bad = hammer(api_url, clients, args.seconds, create)
            rows.append(("POST create", clients, ok / args.seconds, bad))
        for clients in (1, 4):
            ok, bad = hammer(api_url, clients, args.seconds, list_page)
            rows.append(("GET list page (100 items)", clients, ok / args.seconds, bad))
    if args.db:
        rows += large_rows(args.db, args.seconds)
    print(f"{'scenario':<44}{'clients':>8}{'req/s':>10}{'errors':>8}")
    for name, clients, rate, bad in rows:
        print(f"{name:<44}{clients:>8}{rate:>10.{1 if rate < 10 else 0}f}{bad:>8}")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    data = [
        {"scenario": n, "clients": c, "requests_per_second": round(r, 1), "errors": b}
        for n, c, r, b in rows
    ]
    (out / "emulator.json").write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
