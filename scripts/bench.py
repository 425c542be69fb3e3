"""dockfix benchmarks: run `uv run python scripts/bench.py` and compare ratios.

Measures, in one run on this machine:
1. parse+print throughput (MB/s, one core) on a generated corpus of >= 5 MB;
2. cold start of `python -c "import dockfix; dockfix.parse(...)"` against
   `python -c pass` (bytecode caching allowed, as on a user's machine);
3. linear cost: a file with one huge RUN line and a file of many lines, each
   at two sizes, so time per MB can be compared;
4. the editor path: `dockfix - --stdin-filename Dockerfile` on a 40-line
   Dockerfile against `hadolint` on the same file (whole processes, medians);
5. a bulk run: `dockfix --write --unsafe-fixes` over 400 generated files in
   their own folders, with one worker and with one per core;
6. the language server on a 300-line Dockerfile: diagnostics after an edit and
   formatting, as the server's own work (its code, in this process) and as a
   client sees them (`dockfix server` in a subprocess, request to response).
   `--server-only` runs just this.

`--peers`, `--stdin`, `--memory`, `--scaling` and `--tree` each run one
comparison instead (see `--help`); `--tree` runs `--check` over a folder of
repositories as it is, where the walk and the .gitignore files count too.

Timings are noisy on shared machines: read the ratios, not the absolute
numbers. Nothing here is a test; nothing fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import dockfix

ROOT = Path(__file__).resolve().parent.parent

BASES = [
    "python:3.12-slim",
    "debian:bookworm",
    "ubuntu:24.04",
    "alpine:3.20",
    "node:20",
    "golang:1.22",
]
PACKAGES = ["curl", "git", "ca-certificates", "build-essential", "libpq-dev", "jq", "unzip", "gcc"]


def generate(rng: random.Random) -> str:
    """One varied, valid Dockerfile."""
    nl = "\r\n" if rng.random() < 0.1 else "\n"
    backtick = rng.random() < 0.05
    esc = "`" if backtick else "\\"
    out: list[str] = []
    if backtick:
        out.append("# escape=`")
    elif rng.random() < 0.3:
        out.append("# syntax=docker/dockerfile:1")
    for stage in range(rng.randint(1, 3)):
        out.append(f"FROM {rng.choice(BASES)} AS stage{stage}")
        for _ in range(rng.randint(4, 14)):
            kind = rng.random()
            if kind < 0.2:
                out.append(f"# step {rng.randint(1, 999)}: explain what comes next")
            elif kind < 0.35:
                pairs = [
                    f"VAR_{rng.randint(0, 99)}=" + rng.choice(["1", "/opt/app", '"a b"'])
                    for _ in range(rng.randint(1, 4))
                ]
                out.append("ENV " + f" {esc}{nl}    ".join(pairs))
            elif kind < 0.6:
                pkgs = rng.sample(PACKAGES, rng.randint(1, 5))
                lines = [
                    "apt-get update",
                    "apt-get install -y --no-install-recommends " + " ".join(pkgs),
                    "rm -rf /var/lib/apt/lists/*",
                ]
                out.append("RUN " + f" {esc}{nl}    && ".join(lines))
            elif kind < 0.7:
                out.append(f"RUN <<EOF{nl}set -e{nl}echo building{nl}make -j4{nl}EOF")
            elif kind < 0.8:
                out.append("COPY --chown=app:app src/ /app/src/")
            elif kind < 0.9:
                out.append('CMD ["python", "-m", "app", "--port", "8000"]')
            else:
                out.append(f'LABEL org.opencontainers.image.title="app{rng.randint(0, 9)}"')
        out.append("")
    return nl.join(out) + nl


def corpus(size: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    files, total = [], 0
    while total < size:
        text = generate(rng)
        files.append(text)
        total += len(text.encode())
    return files


def throughput(files: list[str]) -> tuple[float, float]:
    total = sum(len(t.encode()) for t in files)
    start = time.perf_counter()
    for text in files:
        tree = dockfix.parse(text)
        assert tree.code == text
    elapsed = time.perf_counter() - start
    return total / 1e6, elapsed


def timed_parse(text: str) -> float:
    start = time.perf_counter()
    tree = dockfix.parse(text)
    assert tree.code == text
    return time.perf_counter() - start


def median_process(
    cmd: list[str], runs: int, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> float:
    subprocess.run(cmd, input=stdin, capture_output=True, env=env)  # warm caches, write .pyc
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forty_lines() -> str:
    lines = [
        "FROM python:3.12-slim",
        "ENV PYTHONDONTWRITEBYTECODE=1",
        "ENV PYTHONUNBUFFERED=1",
        'ENV PATH="${PATH}:/opt/venv/bin"',
        "WORKDIR /app",
    ]
    for n in range(11):
        lines += [
            f"# layer {n}",
            f"RUN apt-get update && apt-get install -y pkg{n} \\",
            "    && rm -rf /var/lib/apt/lists/*",
        ]
    lines += ["COPY . .", 'CMD ["python", "-m", "app"]']
    return "\n".join(lines[:40]) + "\n"


def three_hundred_lines() -> str:
    """A 300-line Dockerfile of three stages with a dozen findings."""
    lines = ["# syntax=docker/dockerfile:1"]
    for stage in range(3):
        lines += [
            f"FROM python:3.12-slim AS stage{stage}",
            "ENV PYTHONDONTWRITEBYTECODE=1",
            "ENV PYTHONUNBUFFERED=1",
            'ENV PATH="${PATH}:/opt/venv/bin"',
            "WORKDIR /app",
        ]
        for n in range(18):
            lines += [
                f"# layer {stage}.{n}: what comes next",
                f"RUN apt-get update && apt-get install -y --no-install-recommends pkg{n} \\",
                "    && rm -rf /var/lib/apt/lists/*",
                f'LABEL layer{n}="{stage}.{n}"',
                "",
            ]
        lines += ["COPY . .", "CMD python -m app"]
    return "\n".join(lines[:300]) + "\n"


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def server_in_process(text: str, runs: int) -> tuple[float, float]:
    """The server's own work (its functions, no I/O): an edit of one line to
    published diagnostics, and formatting; medians in ms of CPU time (steadier
    than wall time on a shared machine; the work is single-threaded)."""
    from lsprotocol import types

    from dockfix.core import resolve_settings
    from dockfix.lsp.analysis import analyse
    from dockfix.lsp.text import LineIndex, apply_change, text_edits

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Dockerfile"
        path.write_text(text)
        settings = resolve_settings(path)
        line = text.split("\n").index('LABEL layer7="1.7"')
        diagnostics, formatting = [], []
        for n in range(runs):
            edit = types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, 13), types.Position(line, 16)),
                text=f"{n % 10}.{n % 7}",
            )
            start = time.process_time()
            text = apply_change(text, edit, "utf-16")
            index = LineIndex(text)
            analysis = analyse(text, index, path, path.parent, settings)
            diagnostics.append(time.process_time() - start)
            start = time.process_time()
            result = analysis.fixed()
            assert result.output is not None
            text_edits(text, result.output, index)
            formatting.append(time.process_time() - start)
    return _median_ms(diagnostics), _median_ms(formatting)


def server_round_trip(text: str, runs: int) -> tuple[float, float]:
    """`dockfix server` in a subprocess (diagnostics delay 0): didChange to
    publishDiagnostics, and a formatting request to its response; medians in ms."""
    import asyncio

    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    exe = str(Path(sys.executable).parent / "dockfix")

    async def measure(folder: Path) -> tuple[float, float]:
        path = folder / "Dockerfile"
        path.write_text(text)
        uri = path.as_uri()
        client = LanguageClient("bench", "1")
        arrived: asyncio.Queue[int | None] = asyncio.Queue()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
        def published(params: types.PublishDiagnosticsParams) -> None:
            arrived.put_nowait(params.version)

        await client.start_io(exe, "server")
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                initialization_options={"diagnosticsDelay": 0},
            )
        )
        client.initialized(types.InitializedParams())
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "dockerfile", 0, text))
        )
        await arrived.get()
        line = text.split("\n").index('LABEL layer7="1.7"')
        diagnostics, formatting = [], []
        for n in range(1, runs + 1):
            start = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(version=n, uri=uri),
                    [
                        types.TextDocumentContentChangePartial(
                            range=types.Range(types.Position(line, 13), types.Position(line, 16)),
                            text=f"{n % 10}.{n % 7}",
                        )
                    ],
                )
            )
            while await arrived.get() != n:
                pass
            diagnostics.append(time.perf_counter() - start)
            start = time.perf_counter()
            await client.text_document_formatting_async(
                types.DocumentFormattingParams(
                    types.TextDocumentIdentifier(uri), types.FormattingOptions(4, True)
                )
            )
            formatting.append(time.perf_counter() - start)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()  # type: ignore[no-untyped-call]
        return _median_ms(diagnostics), _median_ms(formatting)

    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(measure(Path(tmp)))


def server(runs: int) -> None:
    text = three_hundred_lines()
    own_diag, own_format = server_in_process(text, runs)
    trip_diag, trip_format = server_round_trip(text, runs)
    print(
        f"language server, 300-line Dockerfile: diagnostics after an edit {own_diag:.1f} ms"
        f" (client round trip {trip_diag:.1f} ms), formatting {own_format:.1f} ms"
        f" (round trip {trip_format:.1f} ms)"
    )


# --- against the peers, on real Dockerfiles -------------------------------------


def _run_measured(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, children included) and peak RSS
    in KiB of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV
    )
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _tool(name: str) -> str | None:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def _real_files(source: Path) -> list[Path]:
    if source.is_file():  # a list of paths, one per line
        return [Path(line) for line in source.read_text().splitlines() if line.strip()]
    return sorted(p for p in source.rglob("*") if p.is_file() and "ockerfile" in p.name)


def _copy_tree(files: list[Path], into: Path) -> list[str]:
    """Each Dockerfile in its own folder (the peers take files, not contexts)."""
    names = []
    for n, path in enumerate(files):
        folder = into / f"f{n:05d}"
        folder.mkdir(parents=True)
        (folder / "Dockerfile").write_bytes(path.read_bytes())
        names.append(str(folder / "Dockerfile"))
    return names


def peers(source: Path, count: int, runs: int, baseline: str | None = None) -> None:
    """Bulk --check and --write over real Dockerfiles against dockerfile-doctor and
    hadolint (and `baseline`, another dockfix's executable, if given): runs
    interleaved, medians of wall and CPU time."""
    files = _real_files(source)[:count]
    exe = str(Path(sys.executable).parent / "dockfix")
    doctor, hadolint = _tool("dockerfile-doctor"), _tool("hadolint")
    # Each command is followed by the files; CACHE stands for the cache folder.
    commands: dict[str, list[str]] = {}
    versions = [("dockfix", exe)] + ([("baseline", baseline)] if baseline else [])
    for jobs in (1, 2):
        j = ["--jobs", str(jobs), "--no-progress"]
        for label, program in versions:
            commands[f"{label} --check, {jobs} job(s), cold"] = [
                program, "--check", "--no-cache", *j
            ]  # fmt: skip
            commands[f"{label} --check, {jobs} job(s), cached"] = [
                program, "--check", "--cache-dir", "CACHE", *j
            ]  # fmt: skip
            commands[f"{label} --write, {jobs} job(s), cold"] = [
                program, "--write", "--no-cache", *j
            ]  # fmt: skip
    if doctor:
        commands["dockerfile-doctor (report)"] = [doctor, "--no-color"]
        commands["dockerfile-doctor --fix"] = [doctor, "--fix", "--no-color"]
    if hadolint:
        commands["hadolint"] = [hadolint, "--no-fail"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache_names = _copy_tree(files, folder / "warm")
        for _, program in versions:  # fill the cache for the "cached" runs
            subprocess.run(
                [program, "--check", "--cache-dir", str(folder / "cache"), *cache_names],
                capture_output=True,
                env=_ENV,
            )

        def measure(name: str) -> tuple[float, float]:
            if "cached" in name:
                names = cache_names
            else:  # a fresh copy: --write and --fix change the files
                shutil.rmtree(folder / "work", ignore_errors=True)
                names = _copy_tree(files, folder / "work")
            argv = [str(folder / "cache") if a == "CACHE" else a for a in commands[name]]
            wall, cpu, _ = _run_measured([*argv, *names], folder)
            return wall, cpu

        _rounds(f"bulk over {len(files)} real Dockerfiles", list(commands), runs, measure)


def _rounds(
    title: str, names: list[str], runs: int, measure: Callable[[str], tuple[float, float]]
) -> None:
    """Run `measure` on each of `names` in turn, `runs` times (the first round
    only warms the disk and bytecode caches), and print the medians."""
    walls: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in names}
    for r in range(runs):
        for name in names:
            wall, cpu = measure(name)
            if r:
                walls[name].append(wall)
                cpus[name].append(cpu)
    print(f"{title} ({runs - 1} interleaved runs, medians):")
    for name in names:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"  {name:40s} wall {wall:6.2f} s  CPU {cpu:6.2f} s")


def tree(source: Path, runs: int, baseline: str | None = None) -> None:
    """`dockfix --check` over a whole folder of repositories as it is (the
    walk, .gitignore files and build contexts included), with 1 and 2 jobs,
    and `baseline` in the same rounds: interleaved, medians."""
    exe = str(Path(sys.executable).parent / "dockfix")
    versions = [("dockfix", exe)] + ([("baseline", baseline)] if baseline else [])
    flags = ["--check", "--no-cache", "--no-progress", "-q"]
    commands = {
        f"{label} --check, {jobs} job(s), cold": [program, *flags, "--jobs", str(jobs), str(source)]
        for jobs in (1, 2)
        for label, program in versions
    }

    def measure(name: str) -> tuple[float, float]:
        wall, cpu, _ = _run_measured(commands[name], source)
        return wall, cpu

    _rounds(f"the folder {source}", list(commands), runs, measure)


def memory(runs: int, baseline: str | None = None) -> None:
    """Peak RSS of a bulk --check at 500 and at 10,000 files (generated), and
    of `baseline` (another dockfix's executable) on the same files if given."""
    exe = str(Path(sys.executable).parent / "dockfix")
    versions = [("dockfix", exe)] + ([("baseline", baseline)] if baseline else [])
    texts = corpus(3_000_000, seed=5)
    for count in (500, 10_000):
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(count):
                folder = Path(tmp) / f"s{n:05d}"
                folder.mkdir()
                (folder / "Dockerfile").write_text(texts[n % len(texts)])
            peaks: dict[str, list[int]] = {label: [] for label, _ in versions}
            for _ in range(max(1, runs // 7)):
                for label, program in versions:
                    argv = [program, "--check", "--no-cache", "--jobs", "1", "--no-progress", tmp]
                    peaks[label].append(_run_measured(argv)[2])
        for label, _ in versions:
            peak = statistics.median(peaks[label]) / 1024
            print(f"peak RSS, bulk --check of {count:,} files ({label}): {peak:.1f} MiB")


def _stdin_measured(cmd: list[str], data: bytes | None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one command fed `data` on stdin."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_ENV,
    )
    if data is not None:
        assert proc.stdin is not None
        proc.stdin.write(data)
        proc.stdin.close()
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def stdin_path(runs: int, baseline: str | None = None) -> None:
    """The editor path on a 40-line Dockerfile against hadolint on the same
    file (and `baseline`, another dockfix's executable, if given): runs
    interleaved, medians of wall and CPU time."""
    data = forty_lines().encode()
    exe = str(Path(sys.executable).parent / "dockfix")
    hadolint = _tool("hadolint")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Dockerfile"
        path.write_bytes(data)
        commands: dict[str, tuple[list[str], bytes | None]] = {
            "dockfix - --stdin-filename Dockerfile": (
                [exe, "-", "--stdin-filename", str(path)],
                data,
            ),
        }
        if baseline:
            commands["baseline - --stdin-filename Dockerfile"] = (
                [baseline, "-", "--stdin-filename", str(path)],
                data,
            )
        if hadolint:
            commands["hadolint Dockerfile"] = ([hadolint, "--no-fail", str(path)], None)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for r in range(runs + 1):
            for name, (cmd, stdin) in commands.items():
                wall, cpu = _stdin_measured(cmd, stdin)
                if r:  # the first round warms the caches
                    walls[name].append(wall)
                    cpus[name].append(cpu)
    print(f"stdin path, 40-line Dockerfile ({runs} interleaved runs, medians):")
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"  {name:40s} wall {wall * 1000:6.1f} ms  CPU {cpu * 1000:6.1f} ms")


def _long_file(lines: int) -> str:
    """One stage of about `lines` lines, in blocks that several fixes change:
    a comment, two ENVs, an apt-get RUN over two lines, a COPY, a pip RUN and
    a WORKDIR."""
    out = ["FROM python:3.12-slim AS app"]
    n = 0
    while len(out) < lines:
        out += [
            f"# step {n}: explain what comes next",
            f"ENV APP_{n}=/opt/app{n}",
            f"ENV MODE_{n}=prod",
            "RUN apt-get update \\",
            f"    && apt-get install -y curl pkg{n}",
            f"COPY src{n}/ /app/src{n}/",
            f"RUN pip install -r requirements{n}.txt",
            f"WORKDIR /app/{n}",
        ]
        n += 1
    return "\n".join(out) + "\n"


def scaling(runs: int) -> None:
    """`dockfix --check --no-cache` on one file of growing size: CPU time per
    1,000 lines should stay flat as the file doubles."""
    exe = str(Path(sys.executable).parent / "dockfix")
    print("one file of growing size, dockfix --check --no-cache (median CPU):")
    for lines in (1_000, 2_000, 4_000):
        text = _long_file(lines)
        count = text.count("\n")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "Dockerfile"
            path.write_text(text)
            cpu = statistics.median(
                _run_measured([exe, "--check", "--no-cache", "--no-progress", str(path)])[1]
                for _ in range(runs)
            )
        print(
            f"  {count:,} lines ({len(text) / 1e3:.0f} kB): CPU {cpu:.2f} s"
            f" = {cpu / count * 1000:.2f} s per 1,000 lines"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--server-only", action="store_true", help="only the language server")
    parser.add_argument(
        "--peers",
        type=Path,
        help="a folder of real Dockerfiles, or a file listing them: compare with the peers",
    )
    parser.add_argument(
        "--tree",
        type=Path,
        help="a folder of repositories: --check over all of it, as it is (with --baseline)",
    )
    parser.add_argument("--peer-files", type=int, default=500)
    parser.add_argument(
        "--baseline",
        help="another dockfix executable (an older checkout's) to run beside this one"
        " in --peers, --stdin and --memory",
    )
    parser.add_argument("--peer-runs", type=int, default=4)
    parser.add_argument("--memory", action="store_true", help="only peak RSS at 500/10,000 files")
    parser.add_argument(
        "--stdin", action="store_true", help="only the stdin path against hadolint (CPU and wall)"
    )
    parser.add_argument(
        "--scaling", action="store_true", help="only --check on one file of growing size"
    )
    args = parser.parse_args()
    env = _ENV
    if args.server_only:
        server(args.runs)
        return
    if args.peers:
        peers(args.peers, args.peer_files, args.peer_runs, args.baseline)
        return
    if args.tree:
        tree(args.tree, args.peer_runs, args.baseline)
        return
    if args.memory:
        memory(args.runs, args.baseline)
        return
    if args.stdin:
        stdin_path(args.runs, args.baseline)
        return
    if args.scaling:
        scaling(max(1, args.runs // 7))
        return

    files = corpus(int(args.size_mb * 1e6))
    mb, elapsed = throughput(files)
    print(
        f"throughput: {mb:.1f} MB in {len(files)} files parsed and printed in {elapsed:.2f} s"
        f" = {mb / elapsed:.2f} MB/s"
    )

    py = sys.executable
    bare = median_process([py, "-c", "pass"], args.runs, env=env)
    cold = median_process(
        [py, "-c", "import dockfix; dockfix.parse('FROM a\\nRUN b\\n')"], args.runs, env=env
    )
    print(
        f"cold start: python -c pass {bare * 1000:.1f} ms; import+parse {cold * 1000:.1f} ms;"
        f" difference {(cold - bare) * 1000:.1f} ms"
    )

    print("linear cost (time per MB should stay flat as size doubles):")
    for mb_size in (2.5, 5):
        body = "x" * int(mb_size * 1e6)
        text = f"FROM a\nRUN echo {body}\n" + "RUN y\n" * int(mb_size * 1e6 / 6)
        t = timed_parse(text)
        print(
            f"  one {mb_size:g} MB RUN line in a {len(text) / 1e6:.1f} MB file: {t:.2f} s"
            f" ({t / (len(text) / 1e6):.3f} s/MB)"
        )
    for lines in (50_000, 100_000):
        text = "FROM a\n" + "".join(f"RUN echo {n} \\\n    && true\n" for n in range(lines // 2))
        t = timed_parse(text)
        print(
            f"  {lines:,} lines ({len(text) / 1e6:.1f} MB): {t:.2f} s"
            f" ({t / (len(text) / 1e6):.3f} s/MB)"
        )

    dockerfile = forty_lines().encode()
    exe = Path(py).parent / "dockfix"
    ours = median_process(
        [str(exe), "-", "--stdin-filename", "Dockerfile"], args.runs, stdin=dockerfile, env=env
    )
    hadolint = shutil.which("hadolint", path=str(Path(py).parent)) or shutil.which("hadolint")
    if hadolint:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "Dockerfile"
            path.write_bytes(dockerfile)
            theirs = median_process([hadolint, "--no-fail", str(path)], args.runs, env=env)
        print(
            f"stdin path (40 lines): dockfix {ours * 1000:.1f} ms, hadolint {theirs * 1000:.1f} ms,"
            f" ratio {ours / theirs:.2f}x"
        )
    else:
        print(f"stdin path (40 lines): dockfix {ours * 1000:.1f} ms (hadolint not installed)")

    bulk = corpus(1_000_000, seed=11)[:400]
    for jobs in (1, os.cpu_count() or 1):
        with tempfile.TemporaryDirectory() as tmp:
            for n, text in enumerate(bulk):
                folder = Path(tmp) / f"svc{n:03d}"
                folder.mkdir()
                (folder / "Dockerfile").write_bytes(text.encode())
            start = time.perf_counter()
            subprocess.run(
                [str(exe), "--write", "--unsafe-fixes", "--no-progress", "--jobs", str(jobs), tmp],
                capture_output=True,
                env=env,
            )
            elapsed = time.perf_counter() - start
        count = min(len(bulk), 400)
        print(
            f"bulk --write --unsafe-fixes: {count} files, {jobs} job(s): {elapsed:.2f} s"
            f" = {count / elapsed:.0f} files/s"
        )

    server(args.runs)


if __name__ == "__main__":
    main()
