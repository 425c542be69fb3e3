"""Which folder is the build context when `--build-context` is not given:
`dockfix.buildcontext` on real folders made by each test."""

from __future__ import annotations

from pathlib import Path

import pytest

import dockfix
from dockfix.buildcontext import MAX_LEVELS, literal_sources, locate
from dockfix.config import Settings
from dockfix.core import context_for, fix_text


def write(path: Path, text: str = "x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def repo(root: Path, *files: str) -> Path:
    """A repository (a `.git` folder at `root`) holding `files`."""
    (root / ".git").mkdir(parents=True)
    for name in files:
        write(root / name)
    return root


def sources(text: str) -> tuple[str, ...]:
    return literal_sources(dockfix.parse(text))


def test_literal_sources_are_the_local_named_paths() -> None:
    text = (
        "FROM alpine AS base\n"
        "COPY ./app.py /srv/\n"  # normalised
        "COPY /etc/conf.d ../../lib /srv/\n"  # `/` and `..` stay in the context
        'COPY ["a b.txt", "/srv/"]\n'  # JSON form
        "COPY 'quoted.txt' /srv/\n"
        "COPY . /srv/\n"  # the root: always there
        "COPY *.json /srv/\n"  # a wildcard may match nothing
        "COPY $APP/x /srv/\n"  # a variable
        "COPY --from=base /bin/sh /bin/\n"  # another stage
        "ADD https://example.com/x.tgz /tmp/\n"
        "ADD git@github.com:o/r.git /src\n"
        "ADD github.com/o/r /src\n"  # ADD may read a host as a git source
        "COPY <<EOF /etc/motd\nhi\nEOF\n"
        "ONBUILD COPY later.txt /srv/\n"  # the child image's context
        "COPY app.py /again/\n"  # each once
    )
    assert sources(text) == ("app.py", "etc/conf.d", "lib", "a b.txt", "quoted.txt")


def test_sources_in_the_dockerfiles_folder_keep_it_as_the_context(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "entrypoint.sh", "docker/entrypoint.sh")
    found = locate(root / "docker", ["entrypoint.sh"])
    assert found.root == root / "docker" and found.reason == "" and not found.elsewhere


def test_no_sources_keep_the_dockerfiles_folder(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "package.json")
    assert locate(root / "docker", []).root == root / "docker"
    assert sources("FROM node\nCOPY . .\n") == ()


def test_sources_in_a_parent_make_it_the_context(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "docker/entrypoint.sh", "src/main.go")
    (root / "docker" / "Dockerfile").write_text("FROM x\n")
    found = locate(root / "docker", ["docker/entrypoint.sh", "src"])
    assert found.root == root and found.elsewhere
    assert found.reason == "../, which holds `docker/entrypoint.sh` and `src`, is the build context"


def test_a_deeper_dockerfile_finds_the_repository_root(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "services/api/app.py", "go.mod")
    folder = root / "services" / "api" / "deploy"
    folder.mkdir(parents=True)
    found = locate(folder, ["go.mod", "services/api/app.py"])
    assert found.root == root
    assert found.reason.startswith("../../../, which holds")


def test_the_nearest_folder_with_only_some_sources_does_not_count(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "services/go.mod", "go.mod", "cmd/main.go")
    folder = root / "services" / "api"
    folder.mkdir(parents=True)
    assert locate(folder, ["go.mod", "cmd/main.go"]).root == root


def test_no_folder_holding_every_source_leaves_the_context_unknown(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "docker/start.sh")
    found = locate(root / "docker", ["docker/start.sh", "target/app.jar"])
    assert found.root is None
    assert found.reason.startswith(
        "`docker/start.sh` and `target/app.jar` are not in the Dockerfile's folder"
    )
    assert "up to the repository's root" in found.reason


def test_two_folders_holding_every_source_leave_the_context_unknown(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "src/main.py", "services/src/main.py")
    folder = root / "services" / "api"
    folder.mkdir(parents=True)
    found = locate(folder, ["src/main.py"])
    assert found.root is None
    assert "several folders above it hold every COPY/ADD source (../, ../../)" in found.reason


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / "outside" / "shared.txt")  # above the repository: never the context
    root = repo(tmp_path / "outside" / "repo")
    (root / "docker").mkdir()
    assert locate(root / "docker", ["shared.txt"]).root is None
    # A Dockerfile at the repository root does not look above it.
    write(root / "x.txt")
    assert locate(root, ["x.txt"]).root == root
    assert locate(root, ["shared.txt"]).reason.endswith(
        "(it is the repository's root) holds every COPY/ADD source"
    )


def test_without_a_repository_the_search_stops_after_a_few_folders(tmp_path: Path) -> None:
    top = tmp_path / "top"
    write(top / "unique-name-for-this-test.txt")
    near = top
    for n in range(MAX_LEVELS):
        near = near / f"d{n}"
    near.mkdir(parents=True)
    assert locate(near, ["unique-name-for-this-test.txt"]).root == top
    far = near / "one-more"
    far.mkdir()
    found = locate(far, ["unique-name-for-this-test.txt"])
    assert found.root is None and f"{MAX_LEVELS} folders up" in found.reason


def test_a_text_without_a_folder_has_no_context() -> None:
    found = locate(None, ["app.py"])
    assert found.root is None and found.reason == "the Dockerfile has no folder on disk"


@pytest.mark.parametrize("given", [True, False])
def test_the_context_given_is_used_as_it_is(tmp_path: Path, given: bool) -> None:
    root = repo(tmp_path / "repo", "docker/entrypoint.sh")
    dockerfile = write(root / "docker" / "Dockerfile", "FROM x\nCOPY docker/entrypoint.sh /\n")
    tree = dockfix.parse(dockerfile.read_text())
    context = context_for(tree, Settings(), dockerfile, root / "docker" if given else None)
    assert context.build_context == (root / "docker" if given else root)
    assert context.elsewhere() == (
        "" if given else "../, which holds `docker/entrypoint.sh`, is the build context"
    )


def test_fix_text_reads_the_located_context(tmp_path: Path) -> None:
    """The one core every front end calls: the `.dockerignore` it would create
    goes to the located context, and a refusal names why."""
    root = repo(tmp_path / "repo", "docker/entrypoint.sh", "package.json")
    text = "FROM node:20\nCOPY docker/entrypoint.sh /\nCOPY . /app\nRUN cd /app && npm ci\n"
    dockerfile = write(root / "docker" / "Dockerfile", text)
    settings = Settings(select=frozenset({"dockerignore"}), unsafe_fixes=True)
    result = fix_text(text, dockerfile, settings=settings)
    assert result.context is not None and result.context.build_context == root
    assert list(result.new_files) == [".dockerignore"]
    assert "node_modules" in result.new_files[".dockerignore"]  # the parent's package.json
    (root / "docker" / "entrypoint.sh").unlink()
    result = fix_text(text, dockerfile, settings=settings)
    assert result.context is not None and result.context.build_context is None
    assert result.new_files == {}
    [finding] = result.findings
    assert "the build context is unknown" in finding.finding.message
