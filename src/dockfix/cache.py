"""A content-hash cache of results, as ruff keeps one: on the next run, a
Dockerfile whose text, settings and build-context inputs have not changed
costs a hash and a small read instead of a parse and every fix.

An entry is keyed by dockfix's own code (a hash of the installed package's
sources, so any change to dockfix or its fixes starts afresh), the file's
path and text, the settings in force and the run's mode. It records what the
fixes read from the build context (files, globs, the Dockerfile's own
`.dockerignore`, the hadolint configuration's ignored rules); an entry whose
recorded inputs no longer match is ignored. Internal errors are never cached.

The cache lives in `.dockfix_cache/` in the working directory (or
`$DOCKFIX_CACHE_DIR`, or `--cache-dir`), which holds a `.gitignore` of `*` so
that fleet scripts committing with `git add -A` never pick it up.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from dockfix.rule import Context

_VERSION = 1


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of dockfix's installed sources (the fixes and grammar included)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(str(_VERSION).encode())
    # os.walk follows links: in a checkout, `fixes` is a link to the top-level folder.
    paths = sorted(
        Path(folder, name)
        for folder, _, names in os.walk(package, followlinks=True)
        for name in names
        if name.endswith((".py", ".lark"))
    )
    for path in paths:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package).as_posix().encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _digest(text: str | None) -> str | None:
    return None if text is None else hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def dependencies(context: Context) -> dict[str, Any]:
    """What a file's fixes read besides its text, in a form `valid` re-checks."""
    located = context.located
    return {
        "root": str(context.build_context.resolve()) if context.build_context else None,
        # What the build context was located from, and why (None: it was given).
        "located": {
            "sources": list(located.sources),
            "hints": [list(h) for h in located.hints],
            "whole": located.whole,
            "reason": located.reason,
        }
        if located is not None and not located.given
        else None,
        "files": {name: _digest(text) for name, text in context.files.items()},
        "globs": {p: list(found) for p, found in context.globs.items()},
        "probes": dict(context.probes),
        "own_ignore": _digest(context.memo.get("own_ignore"))  # type: ignore[arg-type]
        if "own_ignore" in context.memo
        else "unread",
        "hadolint": sorted(context.hadolint_ignored()),
    }


def valid(recorded: dict[str, Any], context: Context) -> bool:
    """Whether the build context still gives the fixes what it gave them.
    `context.build_context` is the one given, or, when the entry recorded the
    sources it was located from, the folder it was located from."""
    where = context.build_context
    located = recorded.get("located")
    if located is not None:
        from dockfix.buildcontext import locate

        again = locate(
            where,
            located["sources"],
            hints=located.get("hints", ()),
            whole=located.get("whole", False),
        )
        if again.reason != located["reason"]:
            return False
        where = again.root
    root = str(where.resolve()) if where else None
    if recorded.get("root") != root:
        return False
    fresh = Context(where, context.settings, dockerfile=context.dockerfile)
    for name, digest in recorded["files"].items():
        if _digest(fresh.read(name)) != digest:
            return False
    for pattern, found in recorded["globs"].items():
        if list(fresh.glob(pattern)) != found:
            return False
    for key, answer in recorded.get("probes", {}).items():
        question, _, path = key.partition(":")
        if fresh.probe(question, path) != answer:
            return False
    if recorded["own_ignore"] != "unread":
        fresh.ignore_file()
        if _digest(fresh.memo.get("own_ignore")) != recorded["own_ignore"]:  # type: ignore[arg-type]
            return False
    return bool(sorted(fresh.hadolint_ignored()) == recorded["hadolint"])


def _plain(value: object) -> object:
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return str(value)


class ResultCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / code_fingerprint()

    @staticmethod
    def key(*parts: object) -> str:
        """A hash of `parts` (dataclasses, such as the settings, by their fields;
        sets sorted, so the key is the same in every process)."""
        return hashlib.sha256(
            json.dumps(parts, default=_plain).encode("utf-8", "surrogatepass")
        ).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, context: Context) -> dict[str, Any] | None:
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not valid(entry["dependencies"], context):
            return None
        payload = entry.get("payload")
        return payload if isinstance(payload, dict) else None

    def put(self, key: str, payload: dict[str, Any], context: Context) -> None:
        """Store an entry; a cache that cannot be written is no error, only slower."""
        entry = {"dependencies": dependencies(context), "payload": payload}
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(entry, f)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)

    def _prepare(self) -> None:
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            ignore.write_text("# Automatically created by dockfix.\n*\n", encoding="utf-8")
