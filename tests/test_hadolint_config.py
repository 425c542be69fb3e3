"""Reading `ignored` from hadolint configurations."""

from __future__ import annotations

from pathlib import Path

from dockfix.hadolint_config import ignored_for, ignored_rules


def test_block_and_flow_lists() -> None:
    block = (
        "failure-threshold: warning\n"
        "ignored:\n  - DL3008\n  # why\n  - 'DL3009'\n"
        "label-schema:\n  - x\n"
    )
    assert ignored_rules(block) == {"DL3008", "DL3009"}
    assert ignored_rules('ignored: [DL3008, "DL3015"]  # later\n') == {"DL3008", "DL3015"}
    assert ignored_rules("override:\n  error:\n    - DL3001\n") == frozenset()


def test_closest_configuration_wins(tmp_path: Path) -> None:
    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3008]\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".hadolint.yml").write_text("ignored:\n  - DL3015\n")
    assert ignored_for(tmp_path / "a" / "b") == {"DL3015"}
    (tmp_path / "c").mkdir()
    assert ignored_for(tmp_path / "c") == {"DL3008"}
