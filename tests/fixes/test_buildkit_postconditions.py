"""Each BuildKit-check fix's post-condition catches a deliberately wrong rewrite.

The post-condition a fix attaches to its finding is applied to the input and a
hand-made wrong output: it must say why the output is wrong. On the fix's own
output it must hold.
"""

from __future__ import annotations

from pathlib import Path

import dockfix
from dockfix import engine
from dockfix.config import Settings
from dockfix.registry import lookup
from dockfix.rule import Context, Finding


def _context() -> Context:
    return Context(Path("/nonexistent"), Settings())


def _fixed_finding(fix: str, text: str) -> Finding:
    found = [f for f in engine.findings(dockfix.parse(text), [lookup(fix)], _context()) if f.fix]
    assert found, f"{fix} offers no fix for {text!r}"
    return found[0]


def _verdicts(fix: str, text: str, wrong: str) -> tuple[str | None, str | None]:
    finding = _fixed_finding(fix, text)
    assert finding.fix is not None and finding.fix.postcondition is not None
    condition = finding.fix.postcondition
    right = engine.run(dockfix.parse(text), [lookup(fix)], _context(), unsafe=True).code
    before = dockfix.parse(text)
    return condition(before, dockfix.parse(right)), condition(before, dockfix.parse(wrong))


def test_relative_workdir_postcondition() -> None:
    text = "FROM scratch\nWORKDIR /app/\nWORKDIR src/\nCOPY . .\n"
    holds, fails = _verdicts(
        "relative-workdir",
        text,
        # An absolute path is kept as written: /app/src/ is not where `src/` led.
        "FROM scratch\nWORKDIR /app/\nWORKDIR /app/src/\nCOPY . .\n",
    )
    assert holds is None
    assert fails == "stage 1: the build steps differ (mkdir step)"


def test_relative_workdir_postcondition_sees_parent_triggers() -> None:
    parent = "FROM scratch AS a\nWORKDIR /app\nONBUILD WORKDIR /srv\n"
    holds, fails = _verdicts(
        "relative-workdir", parent + "FROM a\nWORKDIR sub\n", parent + "FROM a\nWORKDIR /app/sub\n"
    )
    assert holds is None
    assert fails is not None and "stage 2" in fails


def test_multiple_instructions_postcondition() -> None:
    text = 'FROM alpine\nCMD ["a"]\nENTRYPOINT ["e"]\nCMD ["b"]\nENTRYPOINT ["f"]\n'
    # Keeping the first CMD instead of the last changes what runs.
    holds, fails = _verdicts(
        "multiple-instructions", text, 'FROM alpine\nCMD ["a"]\nENTRYPOINT ["f"]\n'
    )
    assert holds is None
    assert fails == "stage 1: the image config's cmd differs"
    # Dropping every CMD: the ENTRYPOINT now clears the base image's CMD.
    _, fails = _verdicts("multiple-instructions", text, 'FROM alpine\nENTRYPOINT ["f"]\n')
    assert fails == "stage 1: the image config's cmd differs"


def test_json_args_exec_form_postcondition() -> None:
    text = "FROM alpine\nCMD ./migrate && gunicorn app --bind 0.0.0.0:$PORT\n"
    holds, fails = _verdicts(
        "json-args", text, 'FROM alpine\nCMD ["/bin/sh", "-c", "./migrate && exec gunicorn app"]\n'
    )
    assert holds is None
    assert fails == "stage 1: CMD is not the same command"
    # JSON without the shell: `$PORT` and `&&` would be passed as words.
    wrong = 'FROM alpine\nCMD ["./migrate", "&&", "gunicorn", "app", "--bind", "0.0.0.0:$PORT"]\n'
    assert _verdicts("json-args", text, wrong)[1] == "stage 1: CMD is not the same command"


def test_json_args_variable_program_postcondition() -> None:
    text = "FROM ubi9/s2i-core\nCMD $STI_SCRIPTS_PATH/usage\n"
    holds, fails = _verdicts(
        "json-args",
        text,
        'FROM ubi9/s2i-core\nCMD ["/bin/sh", "-c", "exec \\"$STI_SCRIPTS_PATH\\"/usage"]\n',
    )
    assert holds is None  # the fix's own output: exec before the word as written
    # Quoting the variable stops the splitting the shell form did: another command.
    assert fails == "stage 1: CMD is not the same command"
    # JSON without the shell: `$STI_SCRIPTS_PATH` would be the program's name as written.
    wrong = 'FROM ubi9/s2i-core\nCMD ["$STI_SCRIPTS_PATH/usage"]\n'
    assert _verdicts("json-args", text, wrong)[1] == "stage 1: CMD is not the same command"


def test_json_args_postcondition_under_another_shell() -> None:
    shell = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
    text = f"FROM debian:12\n{shell}CMD ./migrate && gunicorn app\n"
    # The stage's own shell, not /bin/sh, runs the command with exec.
    wrong = f'FROM debian:12\n{shell}CMD ["/bin/sh", "-c", "./migrate && exec gunicorn app"]\n'
    holds, fails = _verdicts("json-args", text, wrong)
    assert holds is None
    assert fails == "stage 1: CMD is not the same command"


def test_json_args_postcondition_shell_written_out() -> None:
    text = "FROM alpine\nCMD app | tee /log\n"
    # Written out, the command stays the same text: `exec` there would be another one.
    wrong = 'FROM alpine\nCMD ["/bin/sh", "-c", "exec app | tee /log"]\n'
    holds, fails = _verdicts("json-args", text, wrong)
    assert holds is None
    assert fails == "stage 1: CMD is not the same command"


def test_relative_workdir_on_an_official_image_postcondition() -> None:
    """Read as starting in `/` (python sets no WORKDIR), `app` is `/app`, not
    another folder; on an image the fix knows nothing of, nothing is read so."""
    text = "FROM python:3.12-slim\nWORKDIR app\nRUN make\n"
    holds, fails = _verdicts(
        "relative-workdir", text, "FROM python:3.12-slim\nWORKDIR /srv/app\nRUN make\n"
    )
    assert holds is None
    assert fails is not None and "stage 1" in fails
    from dockfix.fixes.relative_workdir import _same_build_from_root

    other = "FROM myorg/app\nWORKDIR app\n"
    assert _same_build_from_root(
        dockfix.parse(other), dockfix.parse("FROM myorg/app\nWORKDIR /app\n")
    )
