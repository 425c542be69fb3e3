"""How the command line presents its results: one row per finding in the
chosen output format (concise, json, github, sarif), diffs, errors and the
summary line."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, TextIO

from dockfix.core import Failure, Reported
from dockfix.diff import colorize, new_file_diff
from dockfix.options import Options

OUTPUT_FORMATS = ("concise", "json", "github", "sarif")


@dataclass(frozen=True)
class Row:
    """One finding, as reported (picklable, for worker processes)."""

    path: str
    line: int
    column: int
    code: str
    name: str
    message: str
    fix: str | None  # "safe", "unsafe" or None (a report without a fix)
    applicable: bool  # would this run apply it (safe, or unsafe with --unsafe-fixes)

    @classmethod
    def of(cls, display: str, reported: Reported) -> Row:
        finding = reported.finding
        fix = finding.fix
        return cls(
            display,
            reported.line,
            finding.column,
            finding.rule.code,
            finding.rule.name,
            finding.message,
            fix.safety.value if fix else None,
            reported.applicable,
        )

    def concise(self) -> str:
        marker = ""
        if self.fix is not None:
            marker = " [*]" if self.applicable else " [unsafe fix]"
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.code} [{self.name}] {self.message}{marker}"

    def github(self) -> str:
        # GitHub Actions workflow command: an annotation on the file and line.
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::warning file={self.path},line={self.line},col={self.column},"
            f"title={self.code} [{self.name}]::{message}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "fix": self.fix,
        }


def failure_message(display: str, failure: Failure) -> str:
    """`path:line:col: message` for parse errors, `path: ...` for the others."""
    if failure.kind == "parse":
        return f"{display}:{failure.line}:{failure.column}: {failure.message}"
    if failure.kind == "internal":
        return f"{display}: internal error: {failure.message}"
    return f"{display}: {failure.message}"


@dataclass
class FileOutcome:
    """What the command line shows of one file; built in a worker process,
    printed by the parent."""

    path: str
    changed: bool = False
    written: bool = False
    diff: str = ""
    output: str | None = None
    applied: int = 0
    remaining: list[Row] = field(default_factory=list)
    error: str | None = None  # `path:line:col: message`
    new_files: list[tuple[str, str]] = field(default_factory=list)
    suppressed: int = 0  # suppression comments added
    warning: str | None = None  # `path: message` for a file skipped (not an error)
    text_changed: bool = False  # the Dockerfile's own text (not only new files)


def outcome_to_json(outcome: FileOutcome, text: str) -> dict[str, Any]:
    """What the result cache keeps of an outcome (not whether it was written;
    the output only when it differs from the input `text`)."""
    return {
        "path": outcome.path,
        "changed": outcome.changed,
        "fixed": outcome.output is not None,
        "output": outcome.output if outcome.output != text else None,
        "applied": outcome.applied,
        "remaining": [dataclasses.asdict(r) for r in outcome.remaining],
        "error": outcome.error,
        "new_files": outcome.new_files,
        "suppressed": outcome.suppressed,
    }


def outcome_from_json(data: dict[str, Any], text: str, diff: bool = True) -> FileOutcome:
    """An outcome back from the cache, its diff computed afresh from `text`
    (when it is shown: `diff`)."""
    from dockfix.diff import unified_diff

    output = data["output"] if data["output"] is not None else (text if data["fixed"] else None)
    return FileOutcome(
        data["path"],
        changed=data["changed"],
        output=output,
        diff=unified_diff(text, output, data["path"])
        if diff and output is not None and output != text
        else "",
        applied=data["applied"],
        remaining=[Row(**r) for r in data["remaining"]],
        error=data["error"],
        new_files=[(name, content) for name, content in data["new_files"]],
        suppressed=data.get("suppressed", 0),
        text_changed=data["output"] is not None,
    )


def sarif(rows: list[Row]) -> dict[str, object]:
    """SARIF 2.1.0 for code-scanning uploads: one rule per fix that reported,
    every result with a location (lines start at 1)."""
    from dockfix import __version__
    from dockfix.registry import lookup

    rule_ids = sorted({row.code for row in rows})
    rules = []
    for code in rule_ids:
        fix = lookup(code)
        rules.append(
            {
                "id": code,
                "name": fix.name,
                "shortDescription": {"text": fix.rule.summary},
                "fullDescription": {"text": fix.doc.split("## Why is this bad?")[0].strip()},
                "properties": {"fix-safety": fix.rule.safety.value},
            }
        )
    results = [
        {
            "ruleId": row.code,
            "ruleIndex": rule_ids.index(row.code),
            "level": "warning",
            "message": {"text": row.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": row.path},
                        "region": {"startLine": max(row.line, 1), "startColumn": row.column},
                    }
                }
            ],
        }
        for row in rows
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "dockfix", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }


def print_outcomes(outcomes: list[FileOutcome], options: Options, out: TextIO, err: TextIO) -> None:
    """Errors on `err`; diffs, or findings in the chosen format, on `out`."""
    color = options.color if options.color is not None else out.isatty()
    created: set[str] = set()
    for o in outcomes:
        if o.warning:
            err.write(o.warning + "\n")
        if o.error:
            err.write(o.error + "\n")
        elif options.diff:
            if o.diff:
                out.write(colorize(o.diff) if color else o.diff)
            for name, text in o.new_files:
                if name in created:
                    continue  # two Dockerfiles of one context: create the file once
                created.add(name)
                d = new_file_diff(text, name)
                out.write(colorize(d) if color else d)
        elif options.statistics:
            continue  # counted by print_statistics
        elif not options.check and options.output_format not in ("json", "sarif"):
            for row in o.remaining:
                out.write(
                    (row.github() if options.output_format == "github" else row.concise()) + "\n"
                )
    if options.output_format in ("json", "sarif") and not (
        options.diff or options.check or options.statistics
    ):
        rows = [row for o in outcomes for row in o.remaining]
        data = sarif(rows) if options.output_format == "sarif" else [r.as_dict() for r in rows]
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def plural(n: int, word: str) -> str:
    suffix = "" if n == 1 else ("es" if word.endswith(("x", "s")) else "s")
    return f"{n} {word}{suffix}"


def _changed_files(outcomes: list[FileOutcome]) -> int:
    """The files fixing changes. A Dockerfile whose only change is a new file
    that another Dockerfile of the same context creates already (the same
    `.dockerignore`) is not counted twice: `--diff` shows the file once, and
    `--write` creates it once."""
    claimed: set[str] = set()
    count = 0
    for o in outcomes:
        if not o.changed or o.error:
            continue
        new = {name for name, _ in o.new_files} - claimed
        if o.text_changed or new or not o.new_files:
            count += 1
        claimed |= new
    return count


def print_summary(
    outcomes: list[FileOutcome], files: int, options: Options, out: TextIO, err: TextIO
) -> None:
    """The summary line: on `err`, except for --check's (its only output)."""
    errors = sum(1 for o in outcomes if o.error)
    changed = _changed_files(outcomes)
    remaining = sum(len(o.remaining) for o in outcomes)
    unchanged = plural(files - changed - errors, "file")
    error_tail = f", {plural(errors, 'error')}" if errors else ""
    if options.diff:
        if not options.quiet:
            err.write(f"{plural(changed, 'file')} would be fixed, {unchanged} left unchanged\n")
    elif options.writes:
        if not options.quiet:
            fixed = sum(o.applied for o in outcomes)
            suppressed = sum(o.suppressed for o in outcomes if not o.error)
            suppressions = (
                f", {plural(suppressed, 'suppression')} added" if options.add_suppressions else ""
            )
            err.write(
                f"{plural(changed, 'file')} fixed ({plural(fixed, 'fix')} applied), "
                f"{unchanged} left unchanged, {plural(remaining, 'finding')} remaining"
                f"{suppressions}{error_tail}\n"
            )
    elif options.check:
        out.write(
            f"{plural(changed, 'file')} would be fixed, "
            f"{plural(remaining, 'finding')} remaining{error_tail}\n"
        )
    else:
        pending = sum(1 for o in outcomes if o.changed)
        if not options.quiet and (remaining or pending):
            err.write(
                f"{plural(remaining, 'finding')}; "
                f"{plural(pending, 'file')} can be fixed with --write "
                "(--diff to review first)\n"
            )


@dataclass(frozen=True)
class Statistic:
    """Findings of one fix: how many, and how many this run would fix."""

    code: str
    name: str
    count: int
    fixable_count: int
    unsafe_count: int  # with an unsafe fix this run does not apply

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "count": self.count,
            "fixable": self.fixable_count > 0,
            "fixable_count": self.fixable_count,
        }


def statistics(rows: list[Row]) -> list[Statistic]:
    """Counts per fix, most frequent first (then by code), as ruff orders them."""
    by_code: dict[str, list[Row]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    stats = [
        Statistic(
            code,
            group[0].name,
            len(group),
            sum(1 for r in group if r.applicable),
            sum(1 for r in group if r.fix == "unsafe" and not r.applicable),
        )
        for code, group in by_code.items()
    ]
    return sorted(stats, key=lambda s: (-s.count, s.code))


def print_statistics(outcomes: list[FileOutcome], options: Options, out: TextIO) -> None:
    """`--statistics`, formatted as ruff's: `count<TAB>code<TAB>[*] name` rows
    (`[*]` when this run can fix some, `[ ]` when not; no marker when nothing
    is fixable), then how many findings there are and how many can be fixed.
    With `--output-format json`, the rows as a JSON list."""
    stats = statistics([row for o in outcomes for row in o.remaining])
    if options.output_format == "json":
        out.write(json.dumps([s.as_dict() for s in stats], indent=2) + "\n")
        return
    if not stats:
        return
    count_width = max(len(str(s.count)) for s in stats)
    code_width = max(len(s.code) for s in stats)
    any_fixable = any(s.fixable_count for s in stats)
    for s in stats:
        marker = ("[*] " if s.fixable_count else "[ ] ") if any_fixable else ""
        out.write(f"{s.count:>{count_width}}\t{s.code:<{code_width}}\t{marker}{s.name}\n")
    if options.quiet:
        return
    total = sum(s.count for s in stats)
    fixable = sum(s.fixable_count for s in stats)
    unsafe = sum(s.unsafe_count for s in stats)
    command = "--write"
    out.write(f"Found {plural(total, 'finding')}.\n")
    hint = f"{plural(unsafe, 'unsafe fix')} available with `{command} --unsafe-fixes`"
    if fixable and unsafe:
        out.write(f"[*] {fixable} fixable with `{command}` ({hint}).\n")
    elif fixable:
        out.write(f"[*] {fixable} fixable with `{command}`.\n")
    elif unsafe:
        out.write(f"{hint}.\n")
