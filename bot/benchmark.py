"""`make benchmark`: train, evaluate and load-test the bot's pipeline beside two others.

Candidates, all trained on the same data in the same run:
  bot           config.yml (whitespace tokens with entities masked, character n-grams)
  lemma         config.yml with bot/nlu/lemma_tokenizer.py instead (the tokenizer comparison)
  embeddings    config.yml plus sentence embeddings as a dense feature for DIET
  rasa_default  Rasa's default pipeline and policies (what `rasa init` writes): the baseline

For each: held-out intent accuracy and macro-F1 per language, out-of-scope recall, in-scope
messages wrongly sent to the fallback, language-detection accuracy, training time, REST latency
p50/p95 at 1 and 20 concurrent conversations, and the Rasa server's memory. Prints a table and
writes benchmarks/results/benchmark.json. Takes a while (three trainings).

--latency-only measures the current model without training: REST and the website widget's
Socket.IO channel side by side, with the same messages on the same servers.

--throughput sizes servers: open-loop REST arrivals stepped up in rate until p95 reaches 500 ms,
giving the highest sustainable turns/s and the CPU ms per turn of the Rasa server and the action
server, for the current model and Rasa's default pipeline (trained first: over an hour on two
cores; --default-model reuses an archive). Writes throughput.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import socketio
import yaml

from bot import PROJECT_ROOT
from bot.evaluation import (
    calibration,
    configured_ensemble,
    configured_fallback,
    ensemble_weight_sweep,
    figures,
    predict,
    recording_ensemble_parts,
    threshold_sweep,
)
from bot.launcher import BotServers
from bot.model_store import ensure_model
from bot.nlu_files import Example, read_examples
from bot.settings import load_settings
from bot.throughput import Turn, cpu_seconds, open_loop, poisson_arrivals

RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
CANDIDATES = ("bot", "lemma", "embeddings", "rasa_default")
SWEEP = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8]
# IntentEnsemble's DIET weights the calibration replays, each at these fallback settings.
ENSEMBLE_WEIGHTS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8]
ENSEMBLE_THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4]
ENSEMBLE_AMBIGUITIES = [0.0, 0.03, 0.05]
DEFAULT_PORT = 5205  # the action server gets port + 50
# A Python client over websocket fails against the pinned aiohttp (see DESIGN.md), so the widget's
# channel is measured over long polling; the browser widget upgrades to websocket.
SOCKETIO_TRANSPORT = "polling"


def candidate_config(name: str, directory: Path) -> Path:
    """Write the candidate's config file into `directory` and return its path."""
    base = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    if name == "lemma":
        base["pipeline"] = [
            {"name": "bot.nlu.lemma_tokenizer.LemmaTokenizer"} if step["name"].endswith("WhitespaceTokenizer")
            else step
            for step in base["pipeline"]
        ]
    elif name == "embeddings":
        # The help search's sentence embeddings as an extra dense feature for DIET.
        position = next(i for i, step in enumerate(base["pipeline"]) if step["name"] == "DIETClassifier")
        base["pipeline"].insert(position, {"name": "bot.nlu.sentence_embedding_featurizer.SentenceEmbeddingFeaturizer"})
    elif name == "rasa_default":
        # No pipeline and no policies: Rasa fills in its defaults, as for `rasa init`.
        base = {"recipe": "default.v1", "assistant_id": "baseline", "language": "xx",
                "pipeline": None, "policies": None}
    path = directory / f"{name}.yml"
    path.write_text(yaml.safe_dump(base, sort_keys=False), encoding="utf-8")
    return path


def held_out_examples(folder: str = "nlu") -> list[Example]:
    """tests/nlu: written like the training data; tests/nlu_styled: a second set by another writer in
    a deliberately different style (terse, misspelt, run-on, code-switched, copied from e-mails)."""
    languages = load_settings().languages.supported
    return [e for lang in languages for e in read_examples(PROJECT_ROOT / "tests" / folder / f"{lang}.yml", lang)]


def _post(url: str, sender: str, text: str, language: str) -> float:
    body = json.dumps({"sender": sender, "message": text, "metadata": {"language": language}}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def conversation_messages(examples: list[Example], concurrency: int, turns: int) -> list[list[Example]]:
    """The messages of each of `concurrency` conversations, drawn before any is sent so that every
    channel measured gets the same ones."""
    rng = random.Random(concurrency)
    return [rng.sample(examples, turns) for _ in range(concurrency)]


def timed_conversations(conversations: list[list[Example]],
                        talk: Callable[[int, list[Example]], list[float]]) -> dict[str, float]:
    """Runs `talk(index, messages)` for all conversations at once; percentiles of the turn times it returns."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(conversations)) as pool:
        timings = [t for result in pool.map(talk, range(len(conversations)), conversations) for t in result]
    wall = time.perf_counter() - started
    return {**percentiles(timings), "turns_per_second": round(len(timings) / wall, 2)}


def latency(servers: BotServers, examples: list[Example], concurrency: int, turns: int) -> dict[str, float]:
    """p50/p95 of REST turns: `concurrency` conversations at once, `turns` messages each."""
    url = f"{servers.url}/webhooks/rest/webhook"

    def conversation(index: int, messages: list[Example]) -> list[float]:
        sender = f"bench-{concurrency}-{index}-{time.time_ns()}"
        return [_post(url, sender, e.text, e.language) for e in messages]

    return timed_conversations(conversation_messages(examples, concurrency, turns), conversation)


class WidgetSession:
    """One widget conversation over Socket.IO, as the widget talks: connect, `session_request`,
    wait for `history`, then `user_uttered` with a message id and an ack."""

    def __init__(self, url: str, session_id: str) -> None:
        self.session_id = session_id
        self.sent = 0
        self.client = socketio.Client(reconnection=False)
        ready = threading.Event()
        self.client.on("history", lambda _: ready.set())
        self.client.connect(url, transports=[SOCKETIO_TRANSPORT], socketio_path="/socket.io", wait_timeout=30)
        self.client.emit("session_request", {"session_id": session_id})
        if not ready.wait(30):
            self.close()
            raise TimeoutError(f"no history for widget session {session_id}")

    def turn(self, text: str, language: str) -> float:
        """Seconds from sending a message to its ack, which the server sends when the turn is done
        (the bot's answers arrive before it as `bot_uttered`)."""
        self.sent += 1
        message = {"message": text, "session_id": self.session_id, "message_id": f"m{self.sent}",
                   "customData": {"language": language}}
        started = time.perf_counter()
        ack = self.client.call("user_uttered", message, timeout=60)
        elapsed = time.perf_counter() - started
        if ack != {"status": "ok"}:
            raise RuntimeError(f"widget turn not handled: {ack}")
        return elapsed

    def close(self) -> None:
        """Takes about 30 s over polling: the client waits for its pending long poll, which the server
        lets run out instead of answering it on a disconnect. `close_all` closes sessions in parallel."""
        self.client.disconnect()


def close_all(sessions: list[WidgetSession]) -> None:
    with ThreadPoolExecutor(max_workers=max(1, len(sessions))) as pool:
        list(pool.map(WidgetSession.close, sessions))


def socketio_latency(servers: BotServers, examples: list[Example], concurrency: int, turns: int) -> dict[str, float]:
    """Like `latency`, over the widget's Socket.IO channel, one client per conversation. The clients
    connect before the clock starts: the widget connects once per page, not per message."""
    prefix = f"bench-sio-{concurrency}-{time.time_ns()}"
    sessions: list[WidgetSession] = []
    try:
        for index in range(concurrency):
            sessions.append(WidgetSession(servers.url, f"{prefix}-{index}"))
        return timed_conversations(
            conversation_messages(examples, concurrency, turns),
            lambda index, messages: [sessions[index].turn(e.text, e.language) for e in messages],
        )
    finally:
        close_all(sessions)


def percentiles(timings: list[float]) -> dict[str, float]:
    """Number of turns, p50/p95 and mean in milliseconds."""
    ordered = sorted(timings)
    return {
        "turns": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
    }


def order_lookup_latency(servers: BotServers, turns: int) -> dict[str, float]:
    """p50/p95 of a verified order lookup: one message with order number and e-mail, answered from
    the order database (NLU, the form, the action server and the lookup), each in a new conversation."""
    from bot.orders.seed import DEMO_ORDERS

    url = f"{servers.url}/webhooks/rest/webhook"
    timings = []
    for turn in range(turns):
        order = DEMO_ORDERS[turn % len(DEMO_ORDERS)]
        text = f"Where is my order {order.number}? e-mail {order.email}"
        timings.append(_post(url, f"bench-order-{turn}-{time.time_ns()}", text, "en"))
    return percentiles(timings)


def measure_servers(servers: BotServers, examples: list[Example], load_turns: int,
                    widget: bool = False) -> dict[str, Any]:
    """Latency of plain turns and of verified order lookups, and the servers' memory, on running servers.

    With `widget`, plain turns also over Socket.IO (under "socketio"), each right after the REST run
    with the same conversations, so both see the same server state."""
    loads = {"latency_1": (1, load_turns), "latency_20": (20, max(3, load_turns // 10))}
    _post(f"{servers.url}/webhooks/rest/webhook", "warm-up", "hallo", "de")
    if widget:
        warm_up = WidgetSession(servers.url, f"warm-up-{time.time_ns()}")
        warm_up.turn("hallo", "de")
        warm_up.close()
    measured: dict[str, Any] = {}
    sockets: dict[str, Any] = {"transport": SOCKETIO_TRANSPORT}
    for key, (concurrency, turns) in loads.items():
        measured[key] = latency(servers, examples, concurrency, turns)
        if widget:
            sockets[key] = socketio_latency(servers, examples, concurrency, turns)
    if widget:
        measured["socketio"] = sockets
    measured["order_lookup"] = order_lookup_latency(servers, turns=max(10, load_turns // 2))
    measured["memory"] = {"rasa_server_rss_mb": rss_mb(servers.processes[1].pid),
                          "action_server_rss_mb": rss_mb(servers.processes[0].pid)}
    return measured


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def train_candidate(name: str, work: Path) -> tuple[Path, float]:
    """The candidate's model trained into `work`, and the seconds training took."""
    config = candidate_config(name, work)
    started = time.perf_counter()
    model = ensure_model(config, out_dir=work / "models")
    return model, time.perf_counter() - started


def run_candidate(name: str, work: Path, examples: list[Example], load_turns: int,
                  port: int = DEFAULT_PORT) -> dict[str, Any]:
    model, training_seconds = train_candidate(name, work)
    predictions = predict(model, examples)
    per_language = {lang: asdict(f) for lang, f in figures(predictions).items()}
    styled = {lang: asdict(f) for lang, f in figures(predict(model, held_out_examples("nlu_styled"))).items()}
    for values in (*per_language.values(), *styled.values()):
        values.pop("confusions")
    servers = BotServers(model=model, port=port, action_port=port + 50,
                         database=f"sqlite:///{work / f'{name}.sqlite3'}", log_dir=work / f"{name}-logs")
    servers.start()
    try:
        measured = measure_servers(servers, examples, load_turns)
    finally:
        servers.stop()
    return {
        "training_seconds": round(training_seconds, 1),
        "held_out": per_language,
        "held_out_styled": styled,
        "fallback_threshold_sweep": threshold_sweep(predictions, SWEEP, _configured_ambiguity()),
        **measured,
    }


def _configured_ambiguity() -> float:
    """The sweep applies config.yml's ambiguity rule too, as the FallbackClassifier does."""
    return configured_fallback(PROJECT_ROOT / "config.yml")[1]


def print_table(results: dict[str, dict[str, Any]], languages: tuple[str, ...]) -> None:
    names = list(results)
    width = 14
    print("\n" + "metric".ljust(34) + "".join(n.rjust(width) for n in names))
    def row(label: str, pick) -> None:
        print(label.ljust(34) + "".join(str(pick(results[n])).rjust(width) for n in names))
    for lang in (*languages, "all"):
        row(f"intent accuracy {lang}", lambda r, lang=lang: f"{r['held_out'][lang]['intent_accuracy']:.3f}")
        row(f"macro-F1 {lang}", lambda r, lang=lang: f"{r['held_out'][lang]['macro_f1']:.3f}")
    for lang in (*languages, "all"):
        row(f"styled set accuracy {lang}", lambda r, lang=lang: f"{r['held_out_styled'][lang]['intent_accuracy']:.3f}")
    row("out-of-scope recall (all)", lambda r: f"{r['held_out']['all']['out_of_scope_recall']:.3f}")
    row("styled set out-of-scope recall", lambda r: f"{r['held_out_styled']['all']['out_of_scope_recall']:.3f}")
    row("in-scope sent to fallback (all)", lambda r: f"{r['held_out']['all']['in_scope_fallback_rate']:.3f}")
    row("language detection acc. (all)", lambda r: f"{r['held_out']['all']['language_detection_accuracy']:.3f}")
    row("training time s", lambda r: r["training_seconds"])
    row("REST p50 ms, 1 conversation", lambda r: r["latency_1"]["p50_ms"])
    row("REST p95 ms, 1 conversation", lambda r: r["latency_1"]["p95_ms"])
    row("REST p50 ms, 20 concurrent", lambda r: r["latency_20"]["p50_ms"])
    row("REST p95 ms, 20 concurrent", lambda r: r["latency_20"]["p95_ms"])
    row("verified order lookup p50 ms", lambda r: r["order_lookup"]["p50_ms"])
    row("verified order lookup p95 ms", lambda r: r["order_lookup"]["p95_ms"])
    row("Rasa server RSS MB", lambda r: r["memory"]["rasa_server_rss_mb"])
    row("action server RSS MB", lambda r: r["memory"]["action_server_rss_mb"])
    print("\nFallback threshold sweep (bot pipeline, held-out, all languages):")
    print("threshold  in-scope->fallback  in-scope accepted wrong  out-of-scope recall")
    for item in results.get("bot", next(iter(results.values())))["fallback_threshold_sweep"]:
        print(f"{item['threshold']:>9}  {item['in_scope_fallback_rate']:>18.3f}  "
              f"{item['in_scope_accepted_wrong_rate']:>23.3f}  {item['out_of_scope_recall']:>19.3f}")


def latency_only(turns: int, output: Path, port: int = DEFAULT_PORT) -> None:
    """Plain turns over REST and the widget's Socket.IO side by side, and verified order lookups, on
    the current model."""
    from bot.model_store import ensure_model

    with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
        servers = BotServers(model=ensure_model(), port=port, action_port=port + 50,
                             database=f"sqlite:///{Path(tmp) / 'latency.sqlite3'}", log_dir=Path(tmp) / "logs")
        servers.start()
        try:
            measured = measure_servers(servers, held_out_examples(), turns, widget=True)
        finally:
            servers.stop()
    channels = {"REST": measured, f"Socket.IO ({measured['socketio']['transport']})": measured["socketio"]}

    def cells(values: list[str]) -> str:
        return "    " + "".join(v.rjust(8) for v in values)

    print("\n" + " " * 40 + "".join(name.rjust(36) for name in channels))
    print("turn".ljust(40) + cells(["turns", "p50 ms", "p95 ms", "mean ms"]) * len(channels))
    for label, key in (("plain turn, 1 conversation (baseline)", "latency_1"),
                       ("plain turn, 20 concurrent", "latency_20"),
                       ("verified order lookup, 1 conversation", "order_lookup")):
        print(label.ljust(40) + "".join(
            cells([str(figures_[key][k]) for k in ("turns", "p50_ms", "p95_ms", "mean_ms")] if key in figures_
                  else ["-"] * 4)
            for figures_ in channels.values()))
    output.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": {"cpus": os.cpu_count()}, "latency": measured}
    output.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nWritten to {output}")


THROUGHPUT_RATES = (1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 14.0, 18.0, 24.0)
P95_TARGET_MS = 500.0
# Each step's turns go round new conversations of this many turns, spread over the step: every step
# has the same share of first turns (a session start, an empty tracker), whatever its rate.
THROUGHPUT_TURNS_PER_CONVERSATION = 5


def throughput_step(servers: BotServers, examples: list[Example], rate: float, seconds: float) -> dict[str, Any]:
    """One open-loop step: Poisson arrivals at `rate` turns/s for `seconds`, going round new conversations
    of THROUGHPUT_TURNS_PER_CONVERSATION turns; latency, errors and the servers' CPU ms per answered turn."""
    offsets = poisson_arrivals(rate, seconds, seed=int(rate * 1000))
    count = max(1, -(-len(offsets) // THROUGHPUT_TURNS_PER_CONVERSATION))
    conversations = conversation_messages(examples, count, THROUGHPUT_TURNS_PER_CONVERSATION)
    turns = []
    for index in range(len(offsets)):
        conversation, position = index % count, index // count
        example = conversations[conversation][position]
        turns.append(Turn(f"throughput-{rate:g}-{conversation}", example.text, example.language))
    pids = {"rasa": servers.processes[1].pid, "actions": servers.processes[0].pid}
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    outcomes, wall = open_loop(f"{servers.url}/webhooks/rest/webhook", turns, offsets)
    answered = sum(o.error is None for o in outcomes)
    cpu_ms = {name: round((cpu_seconds(pid) - cpu_before[name]) * 1000 / max(1, answered), 1)
              for name, pid in pids.items()}
    return {"offered_per_s": rate, "achieved_per_s": round(answered / max(seconds, wall), 2),
            **percentiles([o.seconds for o in outcomes]),
            "errors": len(outcomes) - answered,
            "cpu_ms_per_turn": {**cpu_ms, "total": round(sum(cpu_ms.values()), 1)},
            "machine_load_average": round(os.getloadavg()[0], 2)}  # other work on the machine skews p95


def throughput_steps(servers: BotServers, examples: list[Example], rates: list[float],
                     seconds: float) -> dict[str, Any]:
    """Steps up the rate until p95 reaches P95_TARGET_MS or a turn fails; the last step before is sustainable."""
    # Warm-up, one message per intent and language in new conversations: both servers load parts lazily
    # (the first turn alone takes over a second), which would otherwise land on the first step.
    warm_up = {(e.intent, e.language): e for e in examples}
    for index, example in enumerate(warm_up.values()):
        _post(f"{servers.url}/webhooks/rest/webhook", f"warm-up-{index}", example.text, example.language)
    steps: list[dict[str, Any]] = []
    print(f"{'offered/s':>10}{'achieved/s':>11}{'turns':>7}{'p50 ms':>9}{'p95 ms':>9}{'errors':>7}"
          f"{'CPU ms/turn rasa':>18}{'actions':>9}{'load avg':>10}", flush=True)
    for rate in rates:
        step = throughput_step(servers, examples, rate, seconds)
        steps.append(step)
        cpu = step["cpu_ms_per_turn"]
        print(f"{rate:>10g}{step['achieved_per_s']:>11}{step['turns']:>7}{step['p50_ms']:>9}{step['p95_ms']:>9}"
              f"{step['errors']:>7}{cpu['rasa']:>18}{cpu['actions']:>9}{step['machine_load_average']:>10}", flush=True)
        if step["errors"] or step["p95_ms"] >= P95_TARGET_MS:
            break
    passed = [s for s in steps if not s["errors"] and s["p95_ms"] < P95_TARGET_MS]
    # CPU per turn at the sustainable rate; if none, at the lowest rate tried.
    cpu_step = passed[-1] if passed else steps[0]
    return {"steps": steps, "sustainable": passed[-1] if passed else None,
            "cpu_ms_per_turn": {"at_offered_per_s": cpu_step["offered_per_s"], **cpu_step["cpu_ms_per_turn"]}}


def throughput(rates: list[float], seconds: float, output: Path, port: int = DEFAULT_PORT,
               model: Path | None = None, default_model: Path | None = None) -> None:
    """Sustainable open-loop turns/s (p95 under P95_TARGET_MS) and CPU ms per turn of the Rasa server
    and the action server, for the bot's model (the current one unless `model`) and Rasa's default
    pipeline (trained here unless `default_model`)."""
    bot_model = model or ensure_model()
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"  # a real training time for the default pipeline
    examples = held_out_examples()
    results: dict[str, dict[str, Any]] = {}
    training_seconds: float | None = None
    with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
        work = Path(tmp)
        if default_model is None:
            print("Training Rasa's default pipeline (over an hour on 2 busy cores) ...", flush=True)
            default_model, took = train_candidate("rasa_default", work)
            training_seconds = round(took, 1)
            print(f"Rasa's default pipeline trained in {training_seconds:.0f} s", flush=True)
        for name, archive in (("bot", bot_model), ("rasa_default", default_model)):
            print(f"\n=== {name}: {archive.name}, {seconds:g} s per step ===", flush=True)
            servers = BotServers(model=archive, port=port, action_port=port + 50,
                                 database=f"sqlite:///{work / f'{name}.sqlite3'}", log_dir=work / f"{name}-logs")
            servers.start()
            try:
                results[name] = {"model": archive.name, **throughput_steps(servers, examples, rates, seconds)}
            finally:
                servers.stop()

    def at_sustainable(pick: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], str]:
        return lambda result: str(pick(result["sustainable"])) if result["sustainable"] else "-"

    print(f"\nOpen loop, {seconds:g} s per step, p95 target {P95_TARGET_MS:g} ms")
    print("metric".ljust(34) + "".join(name.rjust(14) for name in results))
    for label, pick in (
        ("sustainable turns/s", at_sustainable(lambda s: s["offered_per_s"])),
        ("achieved turns/s at that rate", at_sustainable(lambda s: s["achieved_per_s"])),
        ("p50 ms at that rate", at_sustainable(lambda s: s["p50_ms"])),
        ("p95 ms at that rate", at_sustainable(lambda s: s["p95_ms"])),
        ("CPU ms/turn measured at turns/s", lambda r: str(r["cpu_ms_per_turn"]["at_offered_per_s"])),
        ("CPU ms/turn Rasa server", lambda r: str(r["cpu_ms_per_turn"]["rasa"])),
        ("CPU ms/turn action server", lambda r: str(r["cpu_ms_per_turn"]["actions"])),
        ("CPU ms/turn total", lambda r: str(r["cpu_ms_per_turn"]["total"])),
    ):
        print(label.ljust(34) + "".join(pick(result).rjust(14) for result in results.values()))
    output.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
              "step_seconds": seconds, "p95_target_ms": P95_TARGET_MS,
              "turns_per_conversation": THROUGHPUT_TURNS_PER_CONVERSATION,
              "rasa_default_training_seconds": training_seconds, "models": results}
    output.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nWritten to {output}")


HELP_ROWS = (
    ("ResponseSelector top-3 (no threshold)", "selector_top3"),
    ("search BM25 only top-1", "search_lexical_top1"),
    ("search BM25 only top-3", "search_lexical_top3"),
    ("search embeddings only top-1", "search_semantic_top1"),
    ("search embeddings only top-3", "search_semantic_top3"),
    ("search combined top-1", "search_combined_top1"),
    ("search combined top-3", "search_combined_top3"),
    ("bot without search: right article", "without_search_top1"),
    ("bot without search: right in top 3", "without_search_top3"),
    ("bot without search: nothing offered", "without_search_nothing_offered"),
    ("bot with search: right article", "with_search_top1"),
    ("bot with search: right in top 3", "with_search_top3"),
    ("bot with search: nothing offered", "with_search_nothing_offered"),
    ("classified as another intent", "with_search_other_intent"),
)


def help_articles(output: Path) -> None:
    """Help-article accuracy on tests/help/<lang>.yml with the current model (no training)."""
    from bot.help.evaluation import help_figures, parse_all
    from bot.help.search import help_search
    from bot.nlu_files import intent_examples, plain_text

    settings = load_settings()
    languages = settings.languages.supported
    examples = [
        (Example(plain_text(text), topic.split("/")[0], language), topic)
        for language in languages
        for topic, texts in intent_examples(PROJECT_ROOT / "tests" / "help" / f"{language}.yml").items()
        for text in texts
    ]
    started = time.perf_counter()
    cases = parse_all(ensure_model(), examples)
    results = help_figures(cases, help_search(), settings)
    columns = (*languages, "all")
    print(f"\nHelp articles, {len(cases)} held-out questions ({time.perf_counter() - started:.0f} s)")
    print("metric".ljust(40) + "".join(c.rjust(8) for c in columns))
    print("questions".ljust(40) + "".join(str(results[c]["questions"]).rjust(8) for c in columns))
    for label, key in HELP_ROWS:
        print(label.ljust(40) + "".join(f"{results[c][key]:.3f}".rjust(8) for c in columns))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"machine": {"cpus": os.cpu_count()}, "help_articles": results}, indent=2),
                      encoding="utf-8")
    print(f"\nWritten to {output}")


def language_detection(output: Path) -> None:
    """Language detection per detector and combination (bot/language_evaluation.py), no training."""
    from bot.language_evaluation import language_figures

    settings = load_settings()
    started = time.perf_counter()
    results = language_figures(settings)
    chosen = "+".join(settings.language_detection.detectors)
    columns = [*(f"first_{language}" for language in settings.languages.supported), "first_all", "first_min",
               "short", "conversation_turns", "no_letters", "clear_share", "clear_errors", "ms_per_message"]
    for part, rows in results.items():
        print(f"\nLanguage of a first message without hint, {part} messages"
              f" ({time.perf_counter() - started:.0f} s; langdetect alone is the baseline,"
              " * marks settings.yml's choice)")
        print("detectors".ljust(44) + "".join(c.removeprefix("first_")[:10].rjust(11) for c in columns))
        for name, row in sorted(rows.items(), key=lambda item: -item[1]["first_all"]):
            label = ("* " if name == chosen else "  ") + name
            print(label.ljust(44) + "".join(
                (f"{row[c]:.3f}" if c in row else "-").rjust(11) for c in columns))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"machine": {"cpus": os.cpu_count()}, "chosen": chosen, **results}, indent=2),
                      encoding="utf-8")
    print(f"\nWritten to {output}")


def calibration_report(output: Path) -> None:
    """Calibration and the fallback-threshold sweep of the current model on both held-out sets."""
    model = ensure_model()
    report: dict[str, Any] = {"model": model.name}
    threshold, ambiguity = configured_fallback(PROJECT_ROOT / "config.yml")
    ensemble = configured_ensemble(PROJECT_ROOT / "config.yml")
    for folder in ("nlu", "nlu_styled"):
        with recording_ensemble_parts() as parts:
            predictions = predict(model, held_out_examples(folder))
        report[folder] = {"calibration": calibration(predictions),
                          "threshold_sweep": threshold_sweep(predictions, SWEEP, ambiguity)}
        if ensemble is not None and len(parts) != len(predictions):
            # A message without features skips the ensemble; the rankings no longer line up.
            print(f"No weight sweep on tests/{folder}: {len(parts)} ensemble rankings for {len(predictions)} messages")
        elif ensemble is not None:
            report[folder]["ensemble_weight_sweep"] = ensemble_weight_sweep(
                predictions, parts, ensemble, ENSEMBLE_WEIGHTS, sorted({*ENSEMBLE_THRESHOLDS, threshold}),
                sorted({*ENSEMBLE_AMBIGUITIES, ambiguity}))
        print(f"\nCalibration on tests/{folder} ({len(predictions)} messages): accuracy of the best intent per"
              " confidence band")
        print(f"{'band':>10}  {'share':>6}  {'accuracy':>8}  {'mean conf.':>10}")
        for row in report[folder]["calibration"]:
            print(f"{row['band']:>10}  {row['share']:>6.3f}  {row['accuracy']:>8.3f}  {row['mean_confidence']:>10.3f}")
        print(f"{'threshold':>10}  {'in-scope to fallback':>20}  {'in-scope accepted wrong':>23}  "
              f"{'out-of-scope recall':>19}")
        for row in report[folder]["threshold_sweep"]:
            print(f"{row['threshold']:>10}  {row['in_scope_fallback_rate']:>20.3f}  "
                  f"{row['in_scope_accepted_wrong_rate']:>23.3f}  {row['out_of_scope_recall']:>19.3f}")
        if "ensemble_weight_sweep" in report[folder]:
            print(f"IntentEnsemble's DIET weight (config.yml {ensemble['diet_weight']}; messages of"
                  f" {ensemble['short_message_words']} words or fewer keep {ensemble['short_message_diet_weight']}),"
                  f" replayed on the same rankings at threshold {threshold} and ambiguity {ambiguity}; the JSON"
                  " has every threshold x ambiguity")
            print(f"{'weight':>10}  {'accuracy':>8}  {'out-of-scope recall':>19}  {'in-scope to fallback':>20}")
            for row in report[folder]["ensemble_weight_sweep"]:
                if (row["threshold"], row["ambiguity"]) == (threshold, ambiguity):
                    print(f"{row['diet_weight']:>10}  {row['intent_accuracy']:>8.3f}  "
                          f"{row['out_of_scope_recall']:>19.3f}  {row['in_scope_fallback_rate']:>20.3f}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nWritten to {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES), choices=CANDIDATES)
    parser.add_argument("--turns", type=int, default=60, help="messages for the one-conversation latency run")
    parser.add_argument("--output", type=Path, default=None,
                        help="JSON file (default benchmarks/results/benchmark.json; latency.json, help.json,"
                             " languages.json, calibration.json and throughput.json for those modes)")
    parser.add_argument("--latency-only", action="store_true",
                        help="no training: latency of plain turns over REST and Socket.IO and of verified order"
                             " lookups on the current model")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help="the Rasa server's port for the latency runs; the action server gets port + 50")
    parser.add_argument("--help-articles", action="store_true",
                        help="no training: help-article accuracy with and without the search on the current model")
    parser.add_argument("--languages", action="store_true",
                        help="no training: language detection per detector and combination")
    parser.add_argument("--throughput", action="store_true",
                        help="open-loop load: sustainable turns/s and CPU ms per turn, the current model beside"
                             " Rasa's default pipeline (trained once)")
    parser.add_argument("--rates", nargs="+", type=float, default=list(THROUGHPUT_RATES),
                        help="arrival rates in turns/s for --throughput, tried in order")
    parser.add_argument("--step-seconds", type=float, default=20.0, help="seconds of load per --throughput step")
    parser.add_argument("--model", type=Path, default=None,
                        help="model archive for --throughput's bot column (default: the current one, trained if stale)")
    parser.add_argument("--default-model", type=Path, default=None,
                        help="a trained archive of Rasa's default pipeline for --throughput (default: train one)")
    parser.add_argument("--nlu-candidates", nargs="+", default=None, metavar="NAME",
                        help="NLU-only training of intent-classification candidates (bot/nlu_candidates.py:"
                             " bot ensemble augmented augmented_ensemble logreg diet_large diet_seed7"
                             " diet_dropout diet_regularised), both held-out sets")
    parser.add_argument("--calibration", action="store_true",
                        help="no training: accuracy per confidence band and the threshold sweep on both held-out sets")
    args = parser.parse_args()
    if args.throughput:
        throughput(args.rates, args.step_seconds, args.output or RESULTS_DIR / "throughput.json", args.port,
                   args.model, args.default_model)
        return
    if args.nlu_candidates:
        from bot.nlu_candidates import compare

        compare(args.nlu_candidates, {folder: held_out_examples(folder) for folder in ("nlu", "nlu_styled")},
                args.output or RESULTS_DIR / "nlu_candidates.json")
        return
    if args.calibration:
        calibration_report(args.output or RESULTS_DIR / "calibration.json")
        return
    if args.languages:
        language_detection(args.output or RESULTS_DIR / "languages.json")
        return
    if args.help_articles:
        help_articles(args.output or RESULTS_DIR / "help.json")
        return
    if args.latency_only:
        latency_only(args.turns, args.output or RESULTS_DIR / "latency.json", args.port)
        return
    args.output = args.output or RESULTS_DIR / "benchmark.json"

    # Train every candidate from scratch: Rasa's cache would otherwise reuse trained components
    # and make the training times meaningless.
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    examples = held_out_examples()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
        for name in args.candidates:
            print(f"\n=== {name} ===", flush=True)
            results[name] = run_candidate(name, Path(tmp), examples, args.turns, args.port)
    languages = load_settings().languages.supported
    print_table(results, languages)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
              "held_out_examples": len(examples), "candidates": results}
    args.output.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
