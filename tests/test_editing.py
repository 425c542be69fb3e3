"""The editing surface: nodes in and out of a Dockerfile, and flags, words and
pairs inside an instruction; every byte not edited stays as it was."""

from __future__ import annotations

import pytest

import dockfix
from dockfix.build import continued, instruction
from dockfix.editing import edit, insert_after, remove_flag, set_flag, set_pair
from dockfix.tree import Instruction

TEXT = (
    "# syntax=docker/dockerfile:1\n"
    "FROM python:3.12 AS base\n"
    "\n"
    "RUN --mount=type=cache,target=/root/.cache \\\n"
    "    # a comment inside\n"
    "    pip install -r requirements.txt\n"
    "ENV A=1 \\\n"
    '    B="two words"\n'
    "CMD python app.py"
)


def test_replace_insert_and_remove_keep_every_other_byte() -> None:
    tree = dockfix.parse(TEXT)
    run, env, cmd = tree.instructions[1:]
    new_cmd = instruction('CMD ["python", "app.py"]')
    replaced = tree.replace(cmd, new_cmd)
    assert replaced.code == TEXT.replace("CMD python app.py", 'CMD ["python", "app.py"]')
    label = instruction("LABEL x=y\n")
    inserted = tree.insert_before(env, label)
    assert inserted.code == TEXT.replace("ENV A=1", "LABEL x=y\nENV A=1")
    removed = tree.remove(run)
    assert removed.code == TEXT.replace(run.code, "")
    # Inserting after the last line, which has no newline, gives it one.
    appended = insert_after(tree, cmd, instruction("USER app"))
    assert appended.code == TEXT + "\nUSER app"
    for t in (replaced, inserted, removed, appended):
        assert dockfix.parse(t.code).code == t.code


def test_unknown_node_cannot_be_edited() -> None:
    tree = dockfix.parse(TEXT)
    with pytest.raises(ValueError):
        tree.remove(instruction("RUN x\n"))


def test_flag_edits_keep_the_layout() -> None:
    run = dockfix.parse(TEXT).instructions[1]
    changed = set_flag(run, "mount", "type=cache,target=/root/.cache/pip")
    assert changed.code == run.code.replace("target=/root/.cache ", "target=/root/.cache/pip ")
    added = set_flag(run, "network", "none")
    assert added.reading.flag("network").value == "none"  # type: ignore[union-attr]
    assert "    # a comment inside\n" in added.code
    removed = remove_flag(run, "mount")
    assert removed.reading.flags == ()
    assert removed.reading.args == run.reading.args


def test_flag_added_to_an_instruction_without_flags() -> None:
    copy = instruction("COPY a /b/\n")
    assert set_flag(copy, "chown", "app:app").code == "COPY --chown=app:app a /b/\n"
    assert set_flag(copy, "link", None).code == "COPY --link a /b/\n"


def test_pair_edits() -> None:
    env = dockfix.parse(TEXT).instructions[2]
    changed = set_pair(env, "B", '"other"')
    assert changed.code == 'ENV A=1 \\\n    B="other"\n'
    appended = set_pair(env, "C", "3")
    assert [(p.key, p.value) for p in appended.reading.pairs] == [
        ("A", "1"),
        ("B", '"two words"'),
        ("C", "3"),
    ]


def test_edits_are_parsed_again_and_bad_ones_rejected() -> None:
    env = instruction("ENV A=1\n")
    with pytest.raises(dockfix.ParseError):
        edit(env, 4, 7, "A")  # `ENV A` has no value
    with pytest.raises(ValueError):
        instruction("RUN a\nRUN b\n")  # two instructions


def test_canonical_layout_of_new_continued_instructions() -> None:
    built = continued("ENV", ["A=1", "B=2"], newline="\r\n", indent="  ")
    assert isinstance(built, Instruction)
    assert built.code == "  ENV A=1 \\\r\n      B=2\r\n"
    backtick = continued("ENV", ["A=1", "B=2"], escape="`")
    assert backtick.code == "ENV A=1 `\n    B=2\n"
