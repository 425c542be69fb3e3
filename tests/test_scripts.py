"""scripts.script_text: the build-context file a RUN runs, where the file shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

import dockfix
from dockfix.config import Settings
from dockfix.rule import Context
from dockfix.scripts import script_text
from dockfix.shell import commands


def _text(tmp_path: Path, dockerfile: str) -> str | None:
    """The text of the script the last RUN of `dockerfile` runs first."""
    tree = dockfix.parse(dockerfile)
    nodes = [n for n in tree.instructions if n.keyword != "from"]
    run = nodes[-1]
    cmds = commands(run.reading.rest)
    assert cmds
    context = Context(tmp_path, Settings(), dockerfile=tmp_path / "Dockerfile")
    return script_text(context, nodes[:-1], cmds[0])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "setup.sh").write_text("apt-get install -y jq\n")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "build.sh").write_text("make all\n")
    return tmp_path


@pytest.mark.parametrize(
    ("dockerfile", "expected"),
    [
        ("FROM a\nWORKDIR /src\nCOPY . .\nRUN ./setup.sh\n", "apt-get install -y jq\n"),
        ("FROM a\nCOPY setup.sh /usr/local/bin/\nRUN /usr/local/bin/setup.sh\n", "apt-get"),
        ("FROM a\nCOPY setup.sh /opt/run.sh\nRUN sh /opt/run.sh\n", "apt-get"),
        ("FROM a\nCOPY tools /opt/tools\nRUN bash /opt/tools/build.sh\n", "make all\n"),
        ("FROM a\nCOPY tools/ /opt/\nRUN /opt/build.sh\n", "make all\n"),
        ("FROM a\nCOPY setup.sh tools/build.sh /opt/\nRUN /opt/build.sh\n", "make all\n"),
        ("FROM a AS one\nWORKDIR /app\nFROM one\nCOPY . .\nRUN ./setup.sh\n", "apt-get"),
        # Made executable, or looked at, in between: its text is the copied one.
        ("FROM a\nCOPY setup.sh /tmp/\nRUN chmod +x /tmp/setup.sh\nRUN /tmp/setup.sh\n", "apt-get"),
        (
            "FROM a\nCOPY setup.sh /tmp/\nRUN chmod 755 /tmp/setup.sh && ls -l /tmp/setup.sh\n"
            "RUN /tmp/setup.sh\n",
            "apt-get",
        ),
    ],
)
def test_a_script_copied_from_the_context_is_read(
    project: Path, dockerfile: str, expected: str
) -> None:
    text = _text(project, dockerfile)
    assert text is not None and text.startswith(expected[:7])


@pytest.mark.parametrize(
    "dockerfile",
    [
        "FROM a\nCOPY . .\nRUN ./setup.sh\n",  # the working directory is not known
        "FROM a\nWORKDIR /src\nCOPY --from=b / /\nRUN ./setup.sh\n",  # not the context
        "FROM a\nWORKDIR /src\nCOPY . .\nCOPY --from=b /x /src/\nRUN ./setup.sh\n",
        "FROM a\nWORKDIR /src\nCOPY . .\nRUN sed -i s/x/y/ setup.sh\nRUN ./setup.sh\n",
        # chmod, but the RUN writes the file too (a redirection, another command).
        "FROM a\nCOPY setup.sh /tmp/\nRUN chmod +x /tmp/setup.sh > /tmp/setup.sh\n"
        "RUN /tmp/setup.sh\n",
        "FROM a\nCOPY setup.sh /tmp/\nRUN dos2unix /tmp/setup.sh && chmod +x /tmp/setup.sh\n"
        "RUN /tmp/setup.sh\n",
        "FROM a\nARG D=/src\nCOPY . $D\nRUN /src/setup.sh\n",  # a variable
        "FROM a\nWORKDIR /src\nCOPY . .\nRUN ./missing.sh\n",  # not in the context
        "FROM a\nCOPY setup.sh /usr/local/bin/\nRUN setup.sh\n",  # found in PATH
    ],
)
def test_a_script_the_file_does_not_show_is_not_read(project: Path, dockerfile: str) -> None:
    assert _text(project, dockerfile) is None
