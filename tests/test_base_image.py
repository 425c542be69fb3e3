"""stages.is_base_image: the images made to be built FROM, by their command."""

from __future__ import annotations

import pytest

import dockfix
from dockfix.stages import ancestry, entry_instructions, is_base_image, stages


def _base(text: str) -> bool:
    all_stages = stages(dockfix.parse(text))
    return is_base_image(ancestry(all_stages, all_stages[-1]))


@pytest.mark.parametrize(
    "command",
    [
        "",
        'CMD ["bash"]\n',
        'CMD ["/bin/sh", "-l"]\n',
        "CMD bash\n",
        'CMD ["sh", "-c", "exec zsh"]\n',
        'CMD ["python3"]\n',
        'CMD ["python3.12", "-i"]\n',
        'CMD ["node"]\n',
        'CMD ["php", "-a"]\n',
        'CMD ["irb"]\n',
        'CMD ["jshell"]\n',
        'CMD ["R", "--no-save"]\n',
        'CMD ["mvn"]\n',
        'CMD ["gradle", "--version"]\n',
        'ENTRYPOINT ["/usr/bin/mvn"]\n',
        'FROM x AS app\nENTRYPOINT ["sbt"]\n',
        # An ENTRYPOINT that hands over to the CMD: an init, an entrypoint script.
        'ENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["bash"]\n',
        'ENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["/bin/sh"]\n',
        'ENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["python3"]\n',
        'ENTRYPOINT ["/bin/bash", "/run.sh"]\nCMD ["/bin/bash"]\n',
        'ENTRYPOINT ["/usr/local/bin/start.sh"]\nCMD ["sh"]\n',
        # Triggers that run in the builds of the images FROM it.
        'ONBUILD COPY . /src\nCMD ["./server"]\n',
    ],
)
def test_shells_repls_and_build_tools_make_a_base_image(command: str) -> None:
    assert _base(f"FROM x AS base\n{command}")


@pytest.mark.parametrize(
    "command",
    [
        'CMD ["python3", "app.py"]\n',
        'CMD ["python", "-m", "http.server"]\n',
        'CMD ["node", "-e", "require(\'./server\')"]\n',
        'CMD ["node", "server.js"]\n',
        'CMD ["bash", "start.sh"]\n',
        'CMD ["sh", "-c", "cd /app && python3"]\n',
        'CMD ["mvn", "spring-boot:run"]\n',
        'CMD ["php", "artisan", "serve"]\n',
        'ENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node", "server.js"]\n',
        'ENTRYPOINT ["/app/run"]\nCMD ["bash"]\n',
        'ENTRYPOINT ["/bin/bash", "/run.sh", "serve"]\nCMD ["bash"]\n',
        'ENTRYPOINT ["/bin/bash", "/run.sh"]\nCMD ["./server"]\n',
        'ENTRYPOINT ["tini", "--", "serve"]\nCMD ["bash"]\n',
        'CMD ["./app"]\n',
    ],
)
def test_an_application_is_not_a_base_image(command: str) -> None:
    assert not _base(f"FROM x\n{command}")


def test_an_entrypoint_drops_the_cmd_of_an_earlier_stage() -> None:
    text = 'FROM x AS base\nCMD ["bash"]\nFROM base\nENTRYPOINT ["./server"]\n'
    all_stages = stages(dockfix.parse(text))
    entrypoint, cmd = entry_instructions(ancestry(all_stages, all_stages[-1]))
    assert entrypoint is not None and cmd is None
    assert not _base(text)
    # a CMD its own stage sets before the ENTRYPOINT stays
    text = 'FROM x\nCMD ["--port", "80"]\nENTRYPOINT ["./server"]\n'
    all_stages = stages(dockfix.parse(text))
    assert entry_instructions(all_stages)[1] is not None
