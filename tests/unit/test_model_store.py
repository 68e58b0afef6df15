from pathlib import Path

from bot.model_store import TRAINING_INPUTS, ensure_model, fingerprint, model_path, training_cache


def project(root: Path) -> Path:
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "data" / "nlu" / "de.yml").write_text("nlu: []\n")
    (root / "domain").mkdir()
    (root / "domain" / "core.yml").write_text("version: '3.1'\n")
    config = root / "config.yml"
    config.write_text("pipeline: []\n")
    return config


def test_fingerprint_is_stable_and_follows_data_and_config(tmp_path):
    config = project(tmp_path)
    first = fingerprint(config, tmp_path)
    assert fingerprint(config, tmp_path) == first
    (tmp_path / "data" / "nlu" / "de.yml").write_text("nlu: [x]\n")
    second = fingerprint(config, tmp_path)
    assert second != first
    config.write_text("pipeline: [y]\n")
    assert fingerprint(config, tmp_path) != second


def test_inputs_cover_what_shapes_a_model():
    assert {"domain", "data", "bot/nlu"} <= set(TRAINING_INPUTS)


def test_existing_model_is_reused_without_training(tmp_path, monkeypatch):
    config = Path(__file__).resolve().parents[2] / "config.yml"
    target = model_path(config, tmp_path)
    target.write_bytes(b"trained before")

    def no_training(*args, **kwargs):
        raise AssertionError("must not train")

    monkeypatch.setattr("bot.model_store.subprocess.run", no_training)
    assert ensure_model(config, out_dir=tmp_path) == target


def test_training_cache_follows_the_code_not_the_data(tmp_path):
    config = project(tmp_path)
    (tmp_path / "bot" / "nlu").mkdir(parents=True)
    component = tmp_path / "bot" / "nlu" / "component.py"
    component.write_text("VERSION = 1\n")
    caches = tmp_path / "caches"
    first = training_cache(tmp_path, caches)
    (tmp_path / "data" / "nlu" / "de.yml").write_text("nlu: [changed]\n")
    config.write_text("pipeline: [changed]\n")
    assert training_cache(tmp_path, caches) == first
    component.write_text("VERSION = 2\n")
    assert training_cache(tmp_path, caches) != first


def test_training_uses_its_code_versions_cache_and_drops_the_others(tmp_path, monkeypatch):
    caches = tmp_path / "caches"
    stale = caches / "code-000000000000"
    (stale / "entry").mkdir(parents=True)
    unrelated = caches / "notes"
    unrelated.mkdir()
    monkeypatch.setattr("bot.model_store.TRAINING_CACHES", caches)
    monkeypatch.setattr("bot.model_store.training_cache", lambda: caches / "code-111111111111")
    seen = {}

    def fake_rasa_train(command, cwd, env, check):
        seen["cache"] = env["RASA_CACHE_DIRECTORY"]
        out = Path(command[command.index("--out") + 1])
        out.mkdir(parents=True, exist_ok=True)
        (out / (command[command.index("--fixed-model-name") + 1] + ".tar.gz")).touch()

    monkeypatch.setattr("bot.model_store.subprocess.run", fake_rasa_train)
    ensure_model(Path(__file__).resolve().parents[2] / "config.yml", out_dir=tmp_path / "models")
    assert seen["cache"] == str(caches / "code-111111111111")
    assert (caches / "code-111111111111").is_dir()
    assert not stale.exists()
    assert unrelated.exists()


def test_fingerprint_follows_the_detection_settings_not_the_business_rules(tmp_path):
    config = project(tmp_path)
    settings = tmp_path / "settings.yml"
    settings.write_text("language_detection:\n  ignored_words: [kindle]\nreturns:\n  window_days: 30\n")
    first = fingerprint(config, tmp_path)
    settings.write_text("language_detection:\n  ignored_words: [kindle]\nreturns:\n  window_days: 14\n")
    assert fingerprint(config, tmp_path) == first
    settings.write_text("language_detection:\n  ignored_words: [kindle, prime]\nreturns:\n  window_days: 14\n")
    assert fingerprint(config, tmp_path) != first
