"""Compile grammar/dockerfile.lark into a standalone LALR parser module.

Runs as a hatch build hook (every wheel and editable build) and as a script
(`python grammar/build_parser.py`). The generated module carries lark's
serialised tables, so dockfix never imports lark nor rebuilds the tables at
start-up: importing it costs a few milliseconds instead of lark's ~75 ms.
"""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "grammar" / "dockerfile.lark"
OUTPUT = ROOT / "src" / "dockfix" / "_lark_parser.py"


def grammar_hash() -> str:
    """The hash of what the parser is made from: the grammar and this script."""
    return hashlib.sha256(GRAMMAR.read_bytes() + Path(__file__).read_bytes()).hexdigest()


def generate() -> str:
    """Return the source of the standalone parser for the current grammar."""
    from lark import Lark
    from lark.tools.standalone import gen_standalone

    lark_inst = Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual")
    out = io.StringIO()
    gen_standalone(lark_inst, out=out)  # type: ignore[no-untyped-call]
    # The line terminals that INSTRUCTION and TRIVIA are made of, which the
    # lexer no longer uses on their own: dockfix.parser splits tokens with them.
    every, _, _ = lark_inst.grammar.compile(lark_inst.options.start, "*")
    lines = {t.name: t.pattern.to_regexp() for t in every if t.name in LINE_TERMINALS}
    header = (
        "# Generated from grammar/dockerfile.lark by grammar/build_parser.py; do not edit.\n"
        f"GRAMMAR_SHA256 = {grammar_hash()!r}\n"
        f"LINE_PATTERNS = {lines!r}\n"
    )
    return header + _without_inspect(_without_logging(out.getvalue()))


LINE_TERMINALS = ("BLANK_LINE", "COMMENT_LINE", "LINE_CONT", "LINE")


# lark logs only while building tables and for debugging, neither of which
# happens at run time; importing `logging` would cost every start ~5 ms.
_LOGGING = (
    "import logging\n",
    'logger: logging.Logger = logging.getLogger("lark")\n'
    "logger.addHandler(logging.StreamHandler())\n",
    "logger.setLevel(logging.CRITICAL)\n",
)
_QUIET_LOGGER = (
    "class _QuietLogger:\n"
    "    def __getattr__(self, name):\n"
    "        return lambda *args, **kwargs: None\n\n\n"
    "logger = _QuietLogger()\n"
)


# lark's parser cache and `Lark.save`/`load` use these; dockfix loads its
# tables from the module itself, and importing them costs every start ~5 ms.
_CACHE_IMPORTS = "import pickle, zlib, base64\n"


def _without_logging(source: str) -> str:
    source = source.replace(_CACHE_IMPORTS, "", 1)
    if not all(part in source for part in _LOGGING):
        return source  # another lark version: keep its logging as it is
    source = source.replace(_LOGGING[0], "", 1).replace(_LOGGING[2], "", 1)
    return source.replace(_LOGGING[1], _QUIET_LOGGER, 1)


# dockfix defers `inspect` (see dockfix._codecache): lark needs it only to
# apply `v_args` to a transformer, which dockfix never does, and `dataclasses`
# only for a class without a docstring, for which it makes one.
_INSPECT_IMPORT = "from inspect import getmembers, getmro\n"
_INSPECT_USE = "    def _apply_v_args(cls, visit_wrapper):\n"
_TEXT_SLICE = "class TextSlice(Generic[AnyStr]):\n    #--\n"


def _without_inspect(source: str) -> str:
    if not all(part in source for part in (_INSPECT_IMPORT, _INSPECT_USE, _TEXT_SLICE)):
        return source  # another lark version: it imports inspect as it is
    source = source.replace(_INSPECT_IMPORT, "", 1)
    source = source.replace(
        _INSPECT_USE, _INSPECT_USE + "        " + _INSPECT_IMPORT.replace("\n", "\n\n"), 1
    )
    return source.replace(
        _TEXT_SLICE, _TEXT_SLICE + '    """A slice of a text (lark\'s)."""\n\n', 1
    )


def write() -> Path:
    """Regenerate the parser module unless it was made from this very grammar."""
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    if f"GRAMMAR_SHA256 = {grammar_hash()!r}" not in current:
        OUTPUT.write_text(generate(), encoding="utf-8")
    return OUTPUT


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # used as a plain script, without hatchling
    pass
else:

    class ParserBuildHook(BuildHookInterface):  # type: ignore[misc]
        PLUGIN_NAME = "custom"

        def initialize(self, version: str, build_data: dict[str, Any]) -> None:
            path = write()
            # The generated file is git-ignored, so include it explicitly.
            build_data["force_include"][str(path)] = "dockfix/_lark_parser.py"
            # In a checkout, src/dockfix/{fixes,grammar} link to the top-level
            # folders; an sdist drops links, so map the folders themselves.
            for name in ("fixes", "grammar"):
                if not (ROOT / "src" / "dockfix" / name).exists():
                    build_data["force_include"][str(ROOT / name)] = f"dockfix/{name}"


if __name__ == "__main__":
    print(write())
    sys.exit(0)
