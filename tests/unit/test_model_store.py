from pathlib import Path

from bot.model_store import TRAINING_INPUTS, ensure_model, fingerprint, model_path


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
