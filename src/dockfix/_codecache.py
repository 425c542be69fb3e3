"""Start-up: what Python compiles at every start from text, compiled once.

Two things are compiled from text each time a module is imported, not kept
in its bytecode: the functions `dataclasses` writes for each class
(`__init__`, `__repr__`, `__eq__`, ... as source text, compiled when the class
is created) and regular expressions (parsed and compiled to `_sre` code by
`re`, in Python). For the editor path they were about a third of the time.
`install()` (called first thing by `import dockfix`) keeps both, keyed by
their text, in the package's `__pycache__` folder beside the bytecode Python
keeps there (and, like Python, writes nothing when bytecode writing is off):

- `dataclasses` gets an `exec` that compiles each source text once (same
  text, file name and flags as its own `exec`, so the same functions);
- `re` gets a compiler that keeps, for each pattern and flags, the arguments
  its own compiler hands to `_sre.compile` (the same pattern object results;
  patterns with the DEBUG flag are left to `re`).

A file from another Python, or one that cannot be read, is ignored; the
regular-expression part is switched on only where a probe compiles alike.
"""

from __future__ import annotations

import builtins
import contextlib
import marshal
import os
import sys
from collections.abc import Iterator
from types import CodeType, ModuleType
from typing import Any

_codes: dict[str, CodeType] = {}
# (pattern, flags) -> the arguments of _sre.compile after the pattern
_patterns: dict[
    tuple[str | bytes, int], tuple[int, list[int], int, dict[Any, int], tuple[Any, ...]]
]
_patterns = {}
_new = False  # compiled something that is not in the file yet


def _path() -> str:
    tag = sys.implementation.cache_tag or "python"
    return os.path.join(os.path.dirname(__file__), "__pycache__", f"_compiled.{tag}.bin")


def _magic() -> bytes:
    from importlib._bootstrap_external import MAGIC_NUMBER  # already loaded (frozen)

    return MAGIC_NUMBER


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """`exec` for `dataclasses`: a source text is compiled once, then reused."""
    global _new
    if type(source) is str:
        code = _codes.get(source)
        if type(code) is not CodeType:
            # As `exec(source)` called from `dataclasses` compiles it (no future
            # flags inherited: that module has none).
            code = compile(source, "<string>", "exec", dont_inherit=True)
            if _ours(globals):  # kept for dockfix's own classes only
                _codes[source] = code
                _new = True
        source = code
    builtins.exec(source, globals, locals)


def _ours(namespace: Any) -> bool:
    """Whether a module namespace is dockfix's (its classes and patterns are
    kept; other libraries' in the same process are not)."""
    name = namespace.get("__name__") if isinstance(namespace, dict) else None
    return isinstance(name, str) and (name == "dockfix" or name.startswith("dockfix."))


def _arguments(pattern: str | bytes, flags: int) -> tuple[Any, ...]:
    """What `re._compiler.compile(pattern, flags)` passes to `_sre.compile`
    after the pattern (its own steps, as in CPython 3.11 to 3.13)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    # Opcodes are int subclasses, which marshal does not keep: _sre reads values.
    code = [int(op) for op in _compiler._code(parsed, flags)]
    groupindex = parsed.state.groupdict
    indexgroup: list[Any] = [None] * parsed.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (
        flags | parsed.state.flags,
        code,
        parsed.state.groups - 1,
        dict(groupindex),
        tuple(indexgroup),
    )


def _make_compile(original: Any) -> Any:
    import _sre  # type: ignore[import-not-found]
    from re import DEBUG

    def compile_pattern(p: Any, flags: int = 0) -> Any:
        """`re._compiler.compile` for a pattern text: parsed and compiled once."""
        global _new
        if type(p) not in (str, bytes) or type(flags) is not int or flags & DEBUG:
            return original(p, flags)
        key = (p, flags)
        found = _patterns.get(key)
        if found is None:
            try:  # the caller of re.compile (re.match, ...): 1 re._compile, 2 re.compile
                caller = sys._getframe(3)
            except ValueError:
                return original(p, flags)
            if not _ours(caller.f_globals) or not _at_import(caller):
                return original(p, flags)
            found = _patterns[key] = _arguments(p, flags)
            _new = True
        assert found is not None
        final, code, groups, groupindex, indexgroup = found
        return _sre.compile(p, final, code, groups, dict(groupindex), indexgroup)

    compile_pattern.original = original  # type: ignore[attr-defined]
    return compile_pattern


def _at_import(frame: Any) -> bool:
    """Whether a pattern is compiled by a module's own code as it is
    imported (a constant of the module), not by a function at work: patterns
    a fix builds from a file's text (an escaped `RUN` line) would pile up in
    the file, which every start reads (`re` keeps those for the run)."""
    return bool(frame.f_code.co_name == "<module>")


def _alike(ours: Any, original: Any) -> bool:
    """Whether `ours` compiles a probe as `re` does."""
    probe = r"(?P<a>x+)(?i:y)|(?P<b>[^\s\d]{2,})\b\1?"
    try:
        a, b = ours(probe, 8), original(probe, 8)
    except Exception:
        return False
    text = "xxY ab1 xx"
    return (a.pattern, a.flags, a.groups, a.groupindex) == (
        b.pattern,
        b.flags,
        b.groups,
        b.groupindex,
    ) and [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]


def _read() -> tuple[dict[str, CodeType], dict[Any, Any]]:
    try:
        with open(_path(), "rb") as f:
            data = f.read()
    except OSError:
        return {}, {}
    magic = _magic()
    if not data.startswith(magic):
        return {}, {}
    try:
        loaded = marshal.loads(data[len(magic) :])
    except (EOFError, ValueError, TypeError):
        return {}, {}
    if not isinstance(loaded, tuple) or len(loaded) != 2:
        return {}, {}
    codes, patterns = loaded
    if not isinstance(codes, dict) or not isinstance(patterns, dict):
        return {}, {}
    codes = {k: v for k, v in codes.items() if type(k) is str and type(v) is CodeType}
    patterns = {
        k: v
        for k, v in patterns.items()
        if type(k) is tuple and len(k) == 2 and type(v) is tuple and len(v) == 5
    }
    return codes, patterns


def _save() -> None:
    if not _new or sys.dont_write_bytecode:
        return
    path = _path()
    old_codes, old_patterns = _read()
    codes, patterns = {**old_codes, **_codes}, {**old_patterns, **_patterns}
    if len(codes) + len(patterns) > 2000:  # old entries pile up as code changes: start again
        codes, patterns = dict(_codes), dict(_patterns)
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "wb") as f:
            f.write(_magic() + marshal.dumps((codes, patterns)))
        os.replace(temp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temp)


class _Deferred(ModuleType):
    """Stands in for a standard module that one module imports but seldom
    uses: the real one is imported the first time an attribute is asked for."""

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self.__name__), attribute)


@contextlib.contextmanager
def _deferred(name: str) -> Iterator[None]:
    """While importing a module, let its `import NAME` bind a `_Deferred`
    (any other import of NAME afterwards gets the real module).

    `dataclasses` imports `inspect` (with `ast`, `dis`, `tokenize`: a tenth
    of the editor path's time) only to describe a class that has no
    docstring; every dockfix class has one, so most runs never load it."""
    if name in sys.modules:
        yield
        return
    sys.modules[name] = _Deferred(name)
    try:
        yield
    finally:
        if isinstance(sys.modules.get(name), _Deferred):
            del sys.modules[name]


def install() -> None:
    """Give `dataclasses` and `re` their caching compilers (once per process),
    and let `dataclasses` import `inspect` lazily."""
    import atexit

    with _deferred("inspect"):
        import dataclasses
    from re import _compiler  # type: ignore[attr-defined]

    if getattr(dataclasses, "exec", None) is _exec:
        return
    codes, patterns = _read()
    _codes.update(codes)
    _patterns.update(patterns)
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    original = _compiler.compile
    ours = _make_compile(original)
    if _alike(ours, original):
        _compiler.compile = ours
    atexit.register(_save)
