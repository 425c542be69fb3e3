"""Which folder is the build context when `--build-context` is not given:
`dockfix.buildcontext` on real folders made by each test."""

from __future__ import annotations

from pathlib import Path

import pytest

import dockfix
from dockfix.buildcontext import MAX_LEVELS, Evidence, evidence, literal_sources, locate
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
        "ADD deploy@git.example.com:team/app.git /src\n"  # scp-like: a clone
        "COPY user@host:notes.txt /srv/\n"  # COPY has no git sources: a file
        "ADD github.com/o/r /src\n"  # ADD may read a host as a git source
        "COPY <<EOF /etc/motd\nhi\nEOF\n"
        "ONBUILD COPY later.txt /srv/\n"  # the child image's context
        "COPY app.py /again/\n"  # each once
    )
    assert sources(text) == (
        "app.py",
        "etc/conf.d",
        "lib",
        "a b.txt",
        "quoted.txt",
        "user@host:notes.txt",
    )


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


# --- Evidence beyond literal sources: wildcards, copies of the whole context ---


def found_for(dockerfile: Path) -> tuple[Path | None, str]:
    """Where `context_for` (what every front end calls) locates the context."""
    tree = dockfix.parse(dockerfile.read_text())
    located = context_for(tree, Settings(), dockerfile).located
    assert located is not None
    return located.root, located.reason


def test_a_wildcards_folder_part_is_a_hint() -> None:
    ev = evidence(
        dockfix.parse(
            "FROM php\n"
            "COPY . /var/www/html\n"
            "COPY ./docker/apache/*.conf /etc/apache2/sites-available/\n"
            "COPY conf/a/../b/x?.ini /etc/\n"  # cleaned first, as BuildKit joins it
            "COPY *.json fixture[s]/x.sh /srv/\n"  # nothing before the wildcard
            "COPY --parents ./src/*/pkg/*.go /go/\n"  # --parents: a filter, no walk
            "COPY ${DIR}/*.txt /srv/\n"  # a variable
        )
    )
    assert ev == Evidence(sources=(), hints=(("docker/apache",), ("conf/b",)), whole=True)


def test_the_reviews_layout_is_built_from_the_repository_root(tmp_path: Path) -> None:
    """`docker build -f docker/Dockerfile .`: the wildcard's `docker/apache` is
    only in the folder above; that folder's own .dockerignore is what
    BuildKit reads, and no docker/.dockerignore is created."""
    root = repo(tmp_path / "repo", "app/index.php", "docker/apache/site.conf")
    write(root / ".dockerignore", "/.git/\n/vendor/\n")
    text = (
        "FROM php:8.3-apache\n"
        "COPY . /var/www/html\n"
        "COPY ./docker/apache/*.conf /etc/apache2/sites-available/\n"
        "RUN a2ensite site\n"
    )
    dockerfile = write(root / "docker" / "Dockerfile", text)
    assert found_for(dockerfile) == (
        root,
        "../, which holds `docker/apache`, is the build context",
    )
    settings = Settings(select=frozenset({"dockerignore"}), unsafe_fixes=True)
    result = fix_text(text, dockerfile, settings=settings)
    assert result.new_files == {} and result.findings == []
    # Without the wildcard, nothing in the file says where it is built from.
    write(root / "docker" / "apache.conf")  # the folder is not one of Dockerfiles only
    plain = write(root / "docker" / "Dockerfile", "FROM php\nCOPY . /var/www/html\n")
    assert found_for(plain) == (root / "docker", "")


def test_a_wildcard_folder_found_nowhere_shows_nothing(tmp_path: Path) -> None:
    """A drop folder the instructions ask to create (`patches/`) is in no
    folder yet: the Dockerfile's own folder stays the context."""
    root = repo(tmp_path / "repo", "images/v1/install/setup.sh")
    text = "FROM x\nCOPY install/ /opt/install/\nCOPY Dockerfile patches/* /opt/patches/\n"
    dockerfile = write(root / "images" / "v1" / "Dockerfile", text)
    assert found_for(dockerfile) == (root / "images" / "v1", "")


def test_a_wildcard_folder_in_both_keeps_the_dockerfiles_folder(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "conf/a.conf", "docker/conf/a.conf", "docker/x.txt")
    text = "FROM x\nCOPY . /srv\nCOPY conf/*.conf /etc/\n"
    dockerfile = write(root / "docker" / "Dockerfile", text)
    assert found_for(dockerfile) == (root / "docker", "")


def test_a_folder_of_dockerfiles_copying_everything_has_no_known_context(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "package.json", "index.js")
    text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n'
    dockerfile = write(root / "docker" / "Dockerfile", text)
    write(root / "docker" / "Dockerfile.dev", "FROM x\n")
    write(root / "docker" / "Dockerfile.dev.dockerignore", "*.md\n")
    context, reason = found_for(dockerfile)
    assert context is None
    assert reason.startswith("the Dockerfile's folder holds only Dockerfiles, yet the file copies")
    settings = Settings(select=frozenset({"dockerignore"}), unsafe_fixes=True)
    result = fix_text(text, dockerfile, settings=settings)
    assert result.new_files == {}
    [finding] = result.findings
    assert "the build context is unknown" in finding.finding.message
    # One other file in the folder: it may be what the build copies.
    write(root / "docker" / "index.js")
    assert found_for(dockerfile) == (root / "docker", "")


def test_make_after_the_copy_finds_the_makefiles_folder(tmp_path: Path) -> None:
    """woodpecker's layout: docker/ holds Dockerfiles only; `COPY . .` then
    `make build-agent`, with the Makefile at the repository root."""
    root = repo(tmp_path / "repo", "Makefile", "go.mod", "cmd/agent/main.go")
    text = (
        "FROM golang:1.23 AS build\n"
        "WORKDIR /src\n"
        "COPY . .\n"
        "RUN --mount=type=cache,target=/root/.cache/go-build \\\n"
        "    make build-agent\n"
        "FROM scratch\n"
        "COPY --from=build /src/dist/agent /bin/\n"
    )
    dockerfile = write(root / "docker" / "Dockerfile.agent", text)
    write(root / "docker" / "Dockerfile.cli", "FROM x\n")
    assert found_for(dockerfile) == (root, "../, which holds `Makefile`, is the build context")
    # In a WORKDIR below the copy, the Makefile is looked for there: cmd/.
    below = text.replace("COPY . .\n", "COPY . .\nWORKDIR cmd\n")
    write(root / "docker" / "Dockerfile.agent", below)
    context, reason = found_for(dockerfile)
    assert context is None and "holds only Dockerfiles" in reason  # cmd/ has none
    write(root / "cmd" / "GNUmakefile")
    assert found_for(dockerfile) == (
        root,
        "../, which holds `cmd/GNUmakefile`, is the build context",
    )


@pytest.mark.parametrize(
    ("steps", "found"),
    [
        ("WORKDIR /src\nRUN make\n", True),
        # A `cd` reads as the WORKDIR cd-workdir makes of it: the same file
        # finds the same context before and after that fix.
        ("RUN cd /src && make\n", True),
        ("RUN set -e; cd /src; make\n", True),
        ("RUN mkdir /pkg && cd /src && make DESTDIR=/pkg install\n", True),
        # Inside a subshell, or to a folder not known: nothing after it shows.
        ("RUN (cd /src && make)\n", False),
        ("RUN cd $SRC && make\n", False),
    ],
)
def test_make_after_a_cd_into_the_copy(tmp_path: Path, steps: str, found: bool) -> None:
    root = repo(tmp_path / "repo", "Makefile", "lib/zstd.c")
    text = f"FROM alpine:3.20\nCOPY . /src\n{steps}"
    dockerfile = write(root / "contrib" / "docker" / "Dockerfile", text)
    context, reason = found_for(dockerfile)
    if found:
        assert (context, reason) == (root, "../../, which holds `Makefile`, is the build context")
    else:
        assert context is None and "holds only Dockerfiles" in reason


@pytest.mark.parametrize(
    "run",
    [
        "./configure && make",  # make's Makefile is written by the build
        "cmake . && make",
        "make -C build",  # another folder's Makefile
        "make -f build.mk",
        "cd sub && make",  # in sub/, which holds no Makefile in any folder
        "cp /tmp/Makefile . && make",  # a command before names it
    ],
)
def test_make_whose_makefile_may_come_from_elsewhere_shows_nothing(
    tmp_path: Path, run: str
) -> None:
    root = repo(tmp_path / "repo", "Makefile", "src/main.c")
    write(root / "docker" / "configure")  # not a folder of Dockerfiles only
    text = f"FROM gcc\nWORKDIR /src\nCOPY . .\nRUN {run}\n"
    dockerfile = write(root / "docker" / "Dockerfile", text)
    assert found_for(dockerfile) == (root / "docker", "")


def test_a_script_run_from_the_copy_finds_its_folder(tmp_path: Path) -> None:
    """miniflux's layout: `ADD . /src` and `CMD /src/packaging/debian/build.sh`
    from packaging/debian/: the script is under the repository root."""
    root = repo(tmp_path / "repo", "go.mod", "packaging/debian/build.sh", "packaging/debian/rules")
    text = 'FROM golang\nADD . /src\nCMD ["/src/packaging/debian/build.sh"]\n'
    dockerfile = write(root / "packaging" / "debian" / "Dockerfile", text)
    assert found_for(dockerfile) == (
        root,
        "../../, which holds `packaging/debian/build.sh`, is the build context",
    )


@pytest.mark.parametrize(
    ("instruction", "hint"),
    [
        ("RUN ./scripts/build.sh", "scripts/build.sh"),
        ("RUN sh -e scripts/build.sh --release", "scripts/build.sh"),
        ("RUN chmod +x scripts/build.sh && bash scripts/build.sh", "scripts/build.sh"),
        ('ENTRYPOINT ["/app/docker/entrypoint.sh"]', "docker/entrypoint.sh"),
        ("CMD python3 -u manage.py runserver", "manage.py"),
        ('CMD ["python", "manage.py", "runserver"]', "manage.py"),
        ('CMD ["sh", "-c", "exec ./run.sh"]', None),  # exec: not read
        ("RUN cd web && ./build.sh", None),  # after cd: elsewhere
        ("RUN ./build/out.sh", None),  # named nowhere above: shows nothing
        ("RUN node build.js", None),  # .js may be built (dist/)
    ],
)
def test_scripts_named_under_the_copy_are_hints(
    tmp_path: Path, instruction: str, hint: str | None
) -> None:
    files = ("scripts/build.sh", "docker/entrypoint.sh", "manage.py", "build.js", "run.sh")
    root = repo(tmp_path / "repo", *files)
    write(root / "deploy" / "nginx.conf")
    text = f"FROM python:3.12\nWORKDIR /app\nCOPY . .\n{instruction}\n"
    dockerfile = write(root / "deploy" / "Dockerfile", text)
    ev = evidence(dockfix.parse(text))
    if hint is None:
        assert found_for(dockerfile) == (root / "deploy", "")
    else:
        assert (hint,) in ev.hints
        assert found_for(dockerfile) == (root, f"../, which holds `{hint}`, is the build context")


@pytest.mark.parametrize(
    "before",
    [
        "RUN curl -o /app/start.sh https://example.com/start.sh",  # made by a RUN
        "COPY docker/start.sh /app/",  # put there by another COPY
        "COPY --from=build /out /app",  # or by a copy from a stage
    ],
)
def test_a_script_from_elsewhere_shows_nothing(tmp_path: Path, before: str) -> None:
    root = repo(tmp_path / "repo", "start.sh", "deploy/docker/start.sh", "deploy/app.py")
    text = f"FROM python\nCOPY . /app\n{before}\nCMD /app/start.sh\n"
    dockerfile = write(root / "deploy" / "Dockerfile", text)
    assert found_for(dockerfile) == (root / "deploy", "")


def test_hints_break_a_tie_between_folders_holding_the_sources(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "go.mod", "Makefile", "svc/go.mod")
    text = "FROM golang\nWORKDIR /src\nCOPY go.mod .\nCOPY . .\nRUN make\n"
    dockerfile = write(root / "svc" / "docker" / "Dockerfile", text)
    assert found_for(dockerfile) == (
        root,
        "../../, which holds `go.mod`, is the build context",
    )
    write(root / "svc" / "Makefile")
    assert found_for(dockerfile)[0] is None  # both hold go.mod and a Makefile


def test_a_file_without_copy_reads_no_instruction_for_hints() -> None:
    ev = evidence(dockfix.parse("FROM x\nRUN make\nCMD ./run.sh\n"))
    assert ev == Evidence()


def test_a_hint_found_nowhere_does_not_hide_one_found_above(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo", "Makefile", "go.mod")
    text = "FROM golang\nWORKDIR /src\nCOPY . .\nCOPY patches/*.diff /tmp/\nRUN make\n"
    dockerfile = write(root / "build" / "Dockerfile", text)
    write(root / "build" / "notes.txt")
    assert found_for(dockerfile) == (root, "../, which holds `Makefile`, is the build context")


@pytest.mark.parametrize(
    ("instruction", "hint"),
    [
        # llama.cpp's layout: .devops/*.Dockerfile, `COPY . .`, then cmake at the root.
        ("RUN cmake -B build -DGGML_NATIVE=OFF . && cmake --build build", "CMakeLists.txt"),
        ("RUN cmake -S . -B build", "CMakeLists.txt"),
        ("RUN cmake -B build", "CMakeLists.txt"),
        ("RUN mkdir build && cd build && cmake ..", "CMakeLists.txt"),
        ("RUN cmake -S src -B build -G Ninja", "src/CMakeLists.txt"),
        ("RUN npm ci --omit=dev", "package.json"),
        ("RUN yarn", "package.json"),
        ("RUN pnpm install --frozen-lockfile", "package.json"),
        ("RUN cargo build --release --locked", "Cargo.toml"),
        ("RUN mvn -B package -DskipTests", "pom.xml"),
        # Told to look elsewhere, or not reading the copy's manifest: nothing.
        ("RUN cmake --build build", None),
        ("RUN npm install -g pnpm", None),
        ("RUN npm install express", None),
        ("RUN npm ci --prefix web", None),
        ("RUN cargo install ripgrep", None),
        ("RUN cargo build --manifest-path tools/Cargo.toml", None),
        ("RUN mvn -f backend/pom.xml package", None),
        ("RUN cp /tmp/package.json . && npm ci", None),  # a command before names it
    ],
)
def test_a_build_tools_manifest_in_the_copy_is_a_hint(
    tmp_path: Path, instruction: str, hint: str | None
) -> None:
    files = ("CMakeLists.txt", "src/CMakeLists.txt", "package.json", "Cargo.toml", "pom.xml")
    root = repo(tmp_path / "repo", *files)
    write(root / ".devops" / "tools.sh")  # not a folder of Dockerfiles only
    text = f"FROM debian:12\nWORKDIR /app\nCOPY . .\n{instruction}\n"
    dockerfile = write(root / ".devops" / "cuda.Dockerfile", text)
    if hint is None:
        assert found_for(dockerfile) == (root / ".devops", "")
    else:
        assert found_for(dockerfile) == (root, f"../, which holds `{hint}`, is the build context")
        # The Dockerfile's folder holding the manifest keeps it the context.
        write(root / ".devops" / hint)
        assert found_for(dockerfile) == (root / ".devops", "")


@pytest.mark.parametrize("workdir", ["/app/docker", '"/app/docker"', "'/app/docker'"])
def test_a_quoted_workdir_reads_as_buildkit_reads_it(tmp_path: Path, workdir: str) -> None:
    """`WORKDIR "/app/docker"` is /app/docker to BuildKit (the quotes go): the
    script the CMD runs there is docker/test.sh of the repository, so the
    context is the root, with the quotes as without them (relative-workdir
    takes them off, and the next run must find the same context)."""
    root = repo(tmp_path / "repo", "src/main.c", "docker/test.sh")
    text = f'FROM alpine:3.20\nCOPY . /app\nWORKDIR {workdir}\nCMD ["./test.sh"]\n'
    dockerfile = write(root / "docker" / "Dockerfile", text)
    assert found_for(dockerfile) == (
        root,
        "../, which holds `docker/test.sh`, is the build context",
    )
