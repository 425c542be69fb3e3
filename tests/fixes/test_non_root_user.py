"""non-root-user beside the fixes that change what it decides on, and the
parts of its post-condition the snapshot cases cannot show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import dockfix
from dockfix import engine
from dockfix.config import settings_for
from dockfix.registry import lookup
from dockfix.rule import Context

PYPROJECT = (
    '[project]\nname = "tool"\nversion = "1"\n\n[project.scripts]\nmytool = "tool.cli:main"\n'
)
NO_CMD = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n"


def _run(folder: Path, names: list[str]) -> engine.Result:
    text = (folder / "Dockerfile").read_text(encoding="utf-8")
    settings = settings_for(folder).with_cli(unsafe_fixes=True)
    context = Context(folder, settings, dockerfile=folder / "Dockerfile")
    return engine.run(dockfix.parse(text), [lookup(n) for n in names], context, unsafe=True)


def test_no_cmd_is_a_base_image_and_gets_no_user(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(NO_CMD, encoding="utf-8")
    result = _run(tmp_path, ["non-root-user"])
    assert result.code == NO_CMD and not result.remaining  # made to run as root: nothing to say
    # A `USER root` the file writes last is reported (hadolint's DL3002), with the reason.
    written = NO_CMD.replace("WORKDIR", "USER root\nWORKDIR")
    (tmp_path / "Dockerfile").write_text(written, encoding="utf-8")
    result = _run(tmp_path, ["non-root-user"])
    assert result.code == written
    ((finding, _),) = result.remaining
    assert finding.fix is None and "no CMD or ENTRYPOINT" in finding.message


def test_a_cmd_missing_cmd_adds_is_seen_in_the_next_round(tmp_path: Path) -> None:
    """missing-cmd (DF010) runs after non-root-user (DF009) in a round: the
    first round leaves the stage alone (no CMD yet), the next one sees the CMD
    that missing-cmd inferred from the project and adds the user before it."""
    (tmp_path / "Dockerfile").write_text(NO_CMD, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    result = _run(tmp_path, ["non-root-user", "missing-cmd"])
    assert result.code.endswith('RUN pip install .\nUSER 10001:10001\nCMD ["mytool"]\n')
    assert {a.finding.rule.name for a in result.applied} == {"non-root-user", "missing-cmd"}
    assert not result.remaining


ENTRY = 'FROM debian:bookworm-slim\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n'


def test_an_entrypoint_script_too_large_to_read_is_not_guessed(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "start.sh").write_text("#!/bin/sh\n" + "true\n" * 60_000, encoding="utf-8")
    ((finding, _),) = _run(tmp_path, ["non-root-user"]).remaining
    assert finding.fix is None and "could not be read" in finding.message
    (tmp_path / "start.sh").write_text("#!/bin/sh\nexec server\n", encoding="utf-8")
    fixed = _run(tmp_path, ["non-root-user"])
    assert fixed.applied and "USER 10001:10001" in fixed.code


def test_an_entrypoint_script_leading_out_of_the_context_is_not_read(tmp_path: Path) -> None:
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "outside.sh").write_text("#!/bin/sh\nexec server\n", encoding="utf-8")
    (context / "start.sh").symlink_to(tmp_path / "outside.sh")
    ((finding, _),) = _run(context, ["non-root-user"]).remaining
    assert "could not be read" in finding.message


def test_the_result_cache_sees_the_entrypoint_script_change(tmp_path: Path) -> None:
    dockfix_ = str(Path(sys.executable).parent / "dockfix")
    (tmp_path / "Dockerfile").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "start.sh").write_text("#!/bin/sh\nexec server\n", encoding="utf-8")

    def run() -> str:
        done = subprocess.run(
            [dockfix_, "--no-progress", "--unsafe-fixes", "--select", "non-root-user", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout

    assert "DF009" in run() and "[*]" in run()  # the second run reads the cache
    (tmp_path / "start.sh").write_text("#!/bin/sh\nexec gosu app server\n", encoding="utf-8")
    assert "DF009" not in run()  # it steps down itself: nothing to report


LATE_WORKDIR = (
    "FROM python:3.12-slim\nRUN pip install flask\nWORKDIR /app\nCOPY . .\nRUN mkdir logs\n"
    'CMD ["python", "app.py"]\n'
)
CREATE = (
    "RUN groupadd --gid 10001 app && useradd --no-log-init --uid 10001 --gid app --create-home app"
)
LATE_WORKDIR_FIXED = (
    f"FROM python:3.12-slim\nRUN pip install flask\nWORKDIR /app\n{CREATE} \\\n"
    "    && chown app:app /app\nCOPY --chown=app:app . .\n"
    'RUN mkdir logs && chown app:app /app/logs\nUSER 10001:10001\nCMD ["python", "app.py"]\n'
)


def test_the_fix_hands_over_a_working_directory_made_after_the_first_run(
    tmp_path: Path,
) -> None:
    (tmp_path / "Dockerfile").write_text(LATE_WORKDIR, encoding="utf-8")
    assert _run(tmp_path, ["non-root-user"]).code == LATE_WORKDIR_FIXED


@pytest.mark.parametrize(
    "wrong",
    [
        # the user created first, as before: WORKDIR /app is then root's
        f"FROM python:3.12-slim\n{CREATE}\nRUN pip install flask\nWORKDIR /app\n"
        "COPY --chown=app:app . .\nRUN mkdir logs && chown app:app /app/logs\n"
        'USER 10001:10001\nCMD ["python", "app.py"]\n',
        # logs/ left to root
        LATE_WORKDIR_FIXED.replace(" && chown app:app /app/logs", ""),
        # chowned before it is made
        LATE_WORKDIR_FIXED.replace(
            "&& chown app:app /app\n", "&& chown app:app /app /app/logs\n"
        ).replace(" && chown app:app /app/logs", ""),
        # another folder
        LATE_WORKDIR_FIXED.replace("chown app:app /app/logs", "chown app:app /app/log"),
        # another owner
        LATE_WORKDIR_FIXED.replace("chown app:app /app/logs", "chown nobody /app/logs"),
        # the chown first, then the folder made
        LATE_WORKDIR_FIXED.replace(
            "RUN mkdir logs && chown app:app /app/logs",
            "RUN chown app:app /app/logs\nRUN mkdir logs",
        ),
    ],
)
def test_the_post_condition_sees_a_folder_left_to_root(wrong: str) -> None:
    """The step-by-step comparison lets these through (each added RUN only
    creates the user or chowns, each copy only gains --chown); the check that
    the user owns its working directory and the folders made in it does not."""
    from dockfix.fixes import non_root_user

    before = dockfix.parse(LATE_WORKDIR)
    assert non_root_user.POSTCONDITION(before, dockfix.parse(LATE_WORKDIR_FIXED)) is None
    assert non_root_user._ALIGNED(before, dockfix.parse(wrong)) is None
    assert non_root_user.POSTCONDITION(before, dockfix.parse(wrong)) is not None


def test_an_existing_users_home_is_its_own_but_not_what_root_makes_in_it(
    tmp_path: Path,
) -> None:
    # `useradd -m` made the home the user's; `mkdir data`, run as root, is root's.
    text = (
        "FROM debian:bookworm-slim\nRUN useradd -ms /bin/sh -u 1500 svc\n"
        'WORKDIR /home/svc\nCOPY app ./\nRUN mkdir data\nCMD ["./app"]\n'
    )
    (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    assert _run(tmp_path, ["non-root-user"]).code == text.replace(
        "COPY app", "COPY --chown=svc app"
    ).replace("mkdir data", "mkdir data && chown svc /home/svc/data").replace(
        "CMD", "USER 1500\nCMD"
    )
    # A working directory WORKDIR makes (as root) inside the home is handed over too.
    text = (
        "FROM debian:bookworm-slim\nRUN useradd -ms /bin/sh -u 1500 svc\n"
        'WORKDIR /home/svc/app\nCOPY app ./\nCMD ["./app"]\n'
    )
    (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    assert _run(tmp_path, ["non-root-user"]).code == text.replace(
        "COPY app ./\n", "COPY --chown=svc app ./\nRUN chown svc /home/svc/app\n"
    ).replace("CMD", "USER 1500\nCMD")


def test_a_pragma_counts_over_the_last_user_root_only(tmp_path: Path) -> None:
    over_last = 'FROM debian:bookworm-slim\n# hadolint ignore=DL3002\nUSER root\nCMD ["ip", "a"]\n'
    (tmp_path / "Dockerfile").write_text(over_last, encoding="utf-8")
    assert not _run(tmp_path, ["non-root-user"]).remaining
    over_earlier = (
        "FROM debian:bookworm-slim\n# hadolint ignore=DL3002\nUSER root\n"
        'RUN true\nUSER root\nCMD ["ip", "a"]\n'
    )
    (tmp_path / "Dockerfile").write_text(over_earlier, encoding="utf-8")
    ((finding, _),) = _run(tmp_path, ["non-root-user"]).remaining
    assert finding.fix is None and "author's decision" in finding.message


def test_a_server_started_by_the_entrypoints_cmd_is_seen(tmp_path: Path) -> None:
    text = (
        "FROM debian:bookworm-slim\nCOPY entrypoint.sh /usr/local/bin/\n"
        'ENTRYPOINT ["entrypoint.sh"]\nCMD ["/usr/sbin/php-fpm8.2", "-F"]\n'
    )
    (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    (tmp_path / "entrypoint.sh").write_text('#!/bin/sh\nexec "$@"\n', encoding="utf-8")
    result = _run(tmp_path, ["non-root-user"])
    assert result.code == text and not result.remaining  # php-fpm drops privileges itself
    # With a last `USER root` (reported, as hadolint's DL3002), the reason shows.
    text = text.replace("ENTRYPOINT", "USER root\nENTRYPOINT")
    (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    ((finding, _),) = _run(tmp_path, ["non-root-user"]).remaining
    assert finding.fix is None and "its CMD starts `php-fpm8.2`" in finding.message
