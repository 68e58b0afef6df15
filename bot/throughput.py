"""Open-loop load for `make benchmark ARGS=--throughput`.

Turns arrive at planned times whether or not earlier ones have been answered (a closed loop, where
each conversation waits for its answer, slows its own arrivals down and so mostly measures
queueing). A turn's time runs from its planned arrival to its complete answer, so a client that
falls behind cannot hide the server's delays. `cpu_seconds` reads a process's CPU time.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Turn:
    sender: str
    text: str
    language: str


@dataclass(frozen=True)
class Outcome:
    seconds: float  # from the planned arrival to the complete answer
    error: str | None = None


def poisson_arrivals(rate: float, duration: float, seed: int) -> list[float]:
    """Arrival offsets in seconds of a Poisson process with `rate` arrivals per second, given exactly
    rate × duration arrivals (sorted uniform times): as bursty as Poisson, and every step offers its rate."""
    rng = random.Random(seed)
    return sorted(rng.uniform(0, duration) for _ in range(round(rate * duration)))


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, all its threads together, so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime and stime, fields 14 and 15


async def _send(session: aiohttp.ClientSession, url: str, turn: Turn, planned: float, timeout: float) -> Outcome:
    await asyncio.sleep(max(0.0, planned - time.perf_counter()))
    body = {"sender": turn.sender, "message": turn.text, "metadata": {"language": turn.language}}
    error = None
    try:
        async with session.post(url, json=body, timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            await response.read()
            if response.status != 200:
                error = f"HTTP {response.status}"
    except (aiohttp.ClientError, TimeoutError) as exc:
        error = type(exc).__name__
    return Outcome(time.perf_counter() - planned, error)


async def _open_loop(url: str, turns: list[Turn], offsets: list[float], timeout: float) -> tuple[list[Outcome], float]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        start = time.perf_counter() + 0.1
        sends = (_send(session, url, t, start + o, timeout) for t, o in zip(turns, offsets, strict=True))
        outcomes = await asyncio.gather(*sends)
        return list(outcomes), time.perf_counter() - start


def open_loop(url: str, turns: list[Turn], offsets: list[float], timeout: float = 30.0) -> tuple[list[Outcome], float]:
    """POSTs turns[i] to the REST channel `url` offsets[i] seconds after the start; the outcomes and
    the seconds from the start to the last answer."""
    return asyncio.run(_open_loop(url, turns, offsets, timeout))
