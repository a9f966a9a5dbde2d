"""A bounded load test of the web server (`kg serve`): N clients for S seconds.

    .venv/bin/python bench/load.py --store kg-data [--clients 50] [--seconds 30]
    .venv/bin/python bench/load.py --url http://127.0.0.1:7878 [--clients 50] [--seconds 30]

With --store it starts `kg serve` on a free loopback port (and stops it at the end); with --url
it uses a server that is already running. Each client sends one request after the other, as
fast as the server answers, picking at random among: the landing page (GET /), the list of
named queries (GET /api/queries), a named query with parameters (GET /api/queries/NAME?…),
SPARQL by GET and by POST (/sparql) and a graph view (GET /graph?view=…). The parameters are
real IRIs read from the store before the clock starts.

Prints the requests sent, the errors by status (any answer other than 200, a landing page
whose figures timed out, and connection failures or client timeouts as "connection"),
requests per second, and the median, p95 and maximum latency per kind of request and
overall. --json FILE also writes those figures as JSON. Exit status 1 when there was an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DK = "https://w3id.org/dipkg/ontology#"
CLIENT_TIMEOUT_S = 60.0
KEEPALIVE_S = 2.0
#: (kind, weight): how often each kind of request is picked
MIX = [
    ("landing", 1),
    ("list", 1),
    ("named", 3),
    ("sparql-get", 2),
    ("sparql-post", 2),
    ("graph", 1),
]
VIEWS = ("countries", "actors", "events", "topics")
SPARQL = [
    f"""PREFIX dk: <{DK}>
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ?type
  FILTER(?type IN (dk:Meeting, dk:Visit, dk:Call)) }} GROUP BY ?type ORDER BY ?type""",
    f"""PREFIX dk: <{DK}>
SELECT ?e ?date WHERE {{ ?e a dk:Meeting OPTIONAL {{ ?e dk:date ?date }} }}
ORDER BY ?e LIMIT 20""",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    f"PREFIX dk: <{DK}>\nASK {{ ?e a dk:Visit }}",
    f"PREFIX dk: <{DK}>\nCONSTRUCT {{ ?e a dk:Call }} WHERE {{ ?e a dk:Call }}",
]


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    url: str
    log: Any  # the server's output, a binary file

    def problems(self) -> list[str]:
        """What the server logged besides its access lines for 200 answers."""
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").splitlines()
        return [line for line in lines if not re.search(r'" 200( OK)?$', line)]


@contextmanager
def kg_serve(store: Path, *, start_within_s: float = 60.0) -> Iterator[Served]:
    """`kg serve` on a free loopback port. Its output goes to a temporary file, shown (the end
    of it) if it does not start."""
    port = free_port()
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_within_s
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    tail = log.read().decode(errors="replace")[-3000:]
                    raise RuntimeError(f"kg serve did not start:\n{tail}")
                try:
                    if httpx.get(url + "/api/queries", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            yield Served(url, log)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


# --- what to ask --------------------------------------------------------------------------


def _column(client: httpx.Client, url: str, query: str) -> list[str]:
    response = client.get(url + "/sparql", params={"query": query, "format": "json"})
    response.raise_for_status()
    rows = response.json()["results"]["bindings"]
    return [row[name]["value"] for row in rows for name in row]


@dataclass
class Plan:
    """The requests the clients pick from: named queries with parameters from the store."""

    named: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @classmethod
    def read(cls, url: str) -> Plan:
        with httpx.Client(timeout=CLIENT_TIMEOUT_S) as client:
            events = _column(
                client,
                url,
                f"PREFIX dk: <{DK}>\nSELECT DISTINCT ?e WHERE {{ ?e a ?t "
                f"FILTER(?t IN (dk:Meeting, dk:Visit, dk:Call)) }} ORDER BY ?e LIMIT 10",
            )
            people = _column(
                client,
                url,
                f"PREFIX dk: <{DK}>\nSELECT DISTINCT ?a WHERE {{ ?p a dk:Participation ; "
                f"dk:agent ?a . ?a a dk:Person }} ORDER BY ?a LIMIT 10",
            )
            countries = _column(
                client,
                url,
                f"PREFIX dk: <{DK}>\nSELECT DISTINCT ?c WHERE {{ ?p a dk:Participation ; "
                f"dk:representing ?c }} ORDER BY ?c LIMIT 10",
            )
            listing = client.get(url + "/api/queries")
            listing.raise_for_status()
        if not (events and people and countries):
            raise RuntimeError("the store holds no events, people or countries to ask about")
        rng = random.Random(1)
        plan = cls()
        for query in listing.json():
            for _ in range(3):  # a few parameter sets per query
                params: dict[str, str] = {}
                for parameter in query["parameters"]:
                    name, kind = parameter["name"], parameter["kind"]
                    if kind == "iri":
                        pool = (
                            events
                            if "event" in name
                            else countries
                            if "country" in name
                            else people + countries
                        )
                        params[name] = rng.choice(pool)
                    elif kind == "date":
                        params[name] = rng.choice(["2020-01-01", "2023-06-01", ""])
                    elif kind == "integer":
                        params[name] = str(rng.randint(1, 10))
                    else:
                        params[name] = ""
                plan.named.append((query["name"], {k: v for k, v in params.items() if v}))
        return plan

    def request(self, kind: str, rng: random.Random) -> tuple[str, str, dict[str, Any]]:
        """(method, path, httpx keyword arguments) of one request of this kind."""
        if kind == "landing":
            return "GET", "/", {}
        if kind == "list":
            return "GET", "/api/queries", {}
        if kind == "named":
            name, params = rng.choice(self.named)
            return "GET", f"/api/queries/{name}", {"params": params}
        if kind == "sparql-get":
            return "GET", "/sparql", {"params": {"query": rng.choice(SPARQL)}}
        if kind == "sparql-post":
            query = rng.choice(SPARQL)
            if rng.random() < 0.5:
                return "POST", "/sparql", {"data": {"query": query}}
            return (
                "POST",
                "/sparql",
                {"content": query, "headers": {"Content-Type": "application/sparql-query"}},
            )
        if kind == "graph":
            return "GET", "/graph", {"params": {"view": rng.choice(VIEWS)}}
        raise ValueError(kind)


# --- the load -----------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    error_examples: dict[str, str] = field(default_factory=dict)


async def client_loop(
    number: int, url: str, plan: Plan, stop_at: float, http: httpx.AsyncClient, tally: Tally
) -> None:
    rng = random.Random(number)
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    while time.monotonic() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        method, path, kwargs = plan.request(kind, rng)
        started = time.perf_counter()
        try:
            response = await http.request(method, url + path, **kwargs)
            await response.aread()
            status = str(response.status_code)
            text = response.text[:200] if response.status_code != 200 else ""
            if kind == "landing" and status == "200" and "figures unavailable" in response.text:
                status, text = "200 without figures", "the figures timed out"
        except httpx.HTTPError as error:
            status, text = "connection", f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        tally.latencies[kind].append(elapsed)
        if status != "200":
            tally.errors[status] += 1
            tally.error_examples.setdefault(status, f"{method} {path}: {text}")


async def load(url: str, plan: Plan, clients: int, seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    # connections idle longer than the server's keep-alive (uvicorn: 5 s) are not reused: the
    # server may be closing one just as a request is sent on it (no error of the server's)
    limits = httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=KEEPALIVE_S
    )
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT_S, limits=limits) as http:
        started = time.monotonic()
        stop_at = started + seconds
        await asyncio.gather(
            *(client_loop(n, url, plan, stop_at, http, tally) for n in range(clients))
        )
        return tally, time.monotonic() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(tally: Tally, elapsed: float, clients: int) -> dict[str, Any]:
    def figures(values: list[float]) -> dict[str, float]:
        return {
            "requests": len(values),
            "median_ms": round(statistics.median(values) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1),
        }

    everything = [value for values in tally.latencies.values() for value in values]
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(everything),
        "requests_per_s": round(len(everything) / elapsed, 1) if elapsed else 0.0,
        "errors": sum(tally.errors.values()),
        "errors_by_status": dict(sorted(tally.errors.items())),
        "error_examples": tally.error_examples,
        "overall": figures(everything) if everything else {},
        "kinds": {kind: figures(values) for kind, values in sorted(tally.latencies.items())},
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        f"{result['requests']} requests from {result['clients']} clients in "
        f"{result['seconds']} s: {result['requests_per_s']} requests/s, "
        f"{result['errors']} errors",
    ]
    for status, count in result["errors_by_status"].items():
        lines.append(f"  error {status}: {count} (e.g. {result['error_examples'][status]})")
    lines.append(f"{'kind':<12} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    rows = [*result["kinds"].items(), ("overall", result["overall"])]
    for kind, figures in rows:
        if figures:
            lines.append(
                f"{kind:<12} {figures['requests']:>8} {figures['median_ms']:>10} "
                f"{figures['p95_ms']:>8} {figures['max_ms']:>8}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", type=Path, help="store directory: start `kg serve` on it")
    where.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:7878")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to run (30)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients must be at least 1 and --seconds positive")

    def run(url: str) -> dict[str, Any]:
        plan = Plan.read(url)
        print(
            f"{args.clients} clients for {args.seconds:g} s against {url} "
            f"({len(plan.named)} named-query requests to pick from)",
            flush=True,
        )
        tally, elapsed = asyncio.run(load(url, plan, args.clients, args.seconds))
        return summary(tally, elapsed, args.clients)

    if args.store is not None:
        if not args.store.is_dir():
            parser.error(f"no store at {args.store}")
        with kg_serve(args.store) as served:
            result = run(served.url)
            if result["errors"]:
                print("the server logged:", *served.problems()[-40:], sep="\n", flush=True)
    else:
        result = run(args.url.rstrip("/"))
    print(report(result), flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
