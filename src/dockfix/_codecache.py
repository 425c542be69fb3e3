"""Start-up: the functions `dataclasses` writes for each class, compiled once.

For every `@dataclass`, the standard library writes `__init__`, `__repr__`,
`__eq__` and the rest as source text and compiles it while the class is
created, at every start: for the ~50 classes the editor path creates, about
a fifth of its time. `install()` (called first thing by `import dockfix`)
gives `dataclasses` an `exec` that keeps each compiled text, by its source,
in the package's `__pycache__` folder beside the bytecode Python keeps there
(and, like Python, writes nothing when bytecode writing is off). The code is
the same as `exec` compiles: same text, file name and flags, so the classes
are the same; a file from another Python, or one that cannot be read, is
ignored.
"""

from __future__ import annotations

import builtins
import contextlib
import marshal
import os
import sys
from types import CodeType
from typing import Any

_codes: dict[str, CodeType] = {}
_new = False  # compiled something that is not in the file yet


def _path() -> str:
    tag = sys.implementation.cache_tag or "python"
    return os.path.join(os.path.dirname(__file__), "__pycache__", f"_dataclass_code.{tag}.bin")


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
            code = _codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
            _new = True
        source = code
    builtins.exec(source, globals, locals)


def _read() -> dict[str, CodeType]:
    try:
        with open(_path(), "rb") as f:
            data = f.read()
    except OSError:
        return {}
    magic = _magic()
    if not data.startswith(magic):
        return {}
    try:
        loaded = marshal.loads(data[len(magic) :])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {k: v for k, v in loaded.items() if type(k) is str and type(v) is CodeType}


def _save() -> None:
    if not _new or sys.dont_write_bytecode:
        return
    path = _path()
    codes = {**_read(), **_codes}
    if len(codes) > 4000:  # old entries pile up as classes change: start again
        codes = dict(_codes)
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "wb") as f:
            f.write(_magic() + marshal.dumps(codes))
        os.replace(temp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temp)


def install() -> None:
    """Give `dataclasses` the caching `exec` (once per process)."""
    import atexit
    import dataclasses

    if getattr(dataclasses, "exec", None) is _exec:
        return
    _codes.update(_read())
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    atexit.register(_save)
