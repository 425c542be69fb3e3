"""## What it does
Rewrites a legacy `ENV KEY value` or `LABEL key value` as `KEY=value`,
quoted so that BuildKit reads exactly the same value: `ENV APP_HOME /srv/app`
becomes `ENV APP_HOME=/srv/app`, `ENV GREETING hello  world` becomes
`ENV GREETING="hello  world"`.

## Why is this bad?
In the legacy form the value is the whole rest of the line, spaces included,
and one instruction can set only one variable. It reads unlike every other
`ENV`/`LABEL` and invites the mistake of adding a second pair on the same line
(`ENV A 1 B 2` sets `A` to `1 B 2`). BuildKit's check LegacyKeyValueFormat
asks for `key=value`; the legacy form may be removed in a future release.

## Example
```dockerfile
ENV NODE_ENV production
LABEL description A small web service
```

Use instead:
```dockerfile
ENV NODE_ENV=production
LABEL description="A small web service"
```

## Fix safety
Safe. BuildKit takes a legacy value raw up to the end of the line and then
processes it as one word: quotes removed, escapes applied, `$VAR` and
`${VAR…}` expanded. The fix keeps the value's text and changes only what
surrounds it: the white space after the key becomes `=`, and where the value
holds white space it is wrapped in double quotes (when it has no single quote
or escape character, whose meaning would change inside double quotes; its own
double quotes are then dropped) or, on one line, each unquoted space or tab
gets the escape character (`\\` or the file's `# escape=` character), or
else the whole value is rewritten as one double-quoted word (quoted and
escaped characters as literals). Each candidate is read back and kept only if it is
one `key=value` pair whose key and value BuildKit processes to the same text
for every value of every variable (checked with `dockfix.words`, variables as
opaque unknowns); otherwise the instruction is reported and left alone.
Continuation lines and comment lines inside the instruction stay where they
are. A spelling hadolint cannot parse (an escaped quote outside quotes) is
never chosen. Plain values are written in double quotes when the file writes its plain
values so. A value BuildKit cannot process (an unmatched quote) is reported
only: that build fails anyway. Where the value of a continued `ENV` runs on
to what reads as a second pair (`ENV SCREEN_HEIGHT 600 \\` then
`SCREEN_WIDTH 1200`: one variable), or a value starts with `=`, the message
says so; the fix keeps what BuildKit reads. `ONBUILD ENV …` is left alone: the image
stores the trigger's text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.editing import edit_many
from dockfix.reading import LineError, Pair
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import same_build
from dockfix.tree import Dockerfile, Instruction
from dockfix.words import WordError, process_word, unknown

RULE = Rule(
    code="DF020",
    name="legacy-key-value",
    summary="Use `ENV key=value` and `LABEL key=value`, not the legacy `key value` form",
    safety=Safety.SAFE,
    hadolint=None,
    buildkit="LegacyKeyValueFormat",
)
TRIGGERS = ("env", "label")  # one occurs in every file it reports on
# A pure spelling fix: what BuildKit builds must stay identical.
POSTCONDITION = same_build

_SPACE = re.compile(r"[\t\v\f\r ]+")
# A value the style's quoting may wrap in double quotes as it is.
_PLAIN = re.compile(r"[A-Za-z0-9_./:@%+,=${}-]+\Z")

Edits = list[tuple[int, int, str]]
# A word in the value of a continued legacy ENV that reads as another key
# with its value (`SCREEN_WIDTH 1200`).
_SECOND_PAIR = re.compile(r"\s([A-Z][A-Z0-9]*_[A-Z0-9_]*|[A-Z]{2,}[A-Z0-9]*)[ \t]+\S")


def _symbolic(name: str) -> str:
    """Every variable as an opaque value: texts that process alike under it
    process alike under any environment."""
    return unknown(f"var:{name}")


def processed(text: str, escape: str) -> str | None:
    """How BuildKit processes `text` as one word, or None where it fails."""
    try:
        return process_word(text, _symbolic, escape)
    except WordError:
        return None


def _unquoted_spaces(value: str, escape: str) -> list[int] | None:
    """Offsets of the white space in `value` outside quotes, as BuildKit's
    word splitter sees it; None when a quote is left open."""
    found: list[int] = []
    quote = ""
    i = 0
    while i < len(value):
        ch = value[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote == '"':
                i += 1
        elif ch == escape:
            i += 1
        elif ch in "'\"":
            quote = ch
        elif _SPACE.match(ch):
            found.append(i)
        i += 1
    return None if quote else found


def double_quoted(value: str, escape: str) -> str | None:
    """`value` rewritten as one double-quoted word that processes alike:
    escaped and single-quoted characters become literals (escaped where a
    double quote needs it), double-quoted parts and expansions stay as they
    are. None for shapes it does not handle (the caller verifies anyway)."""
    out: list[str] = []

    def literal(text: str) -> None:
        out.extend(escape + c if c in ('"', "$", escape) else c for c in text)

    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch == escape:
            literal(value[i + 1 : i + 2])
            i += 2
        elif ch == "'":
            end = value.find("'", i + 1)
            if end < 0:
                return None
            literal(value[i + 1 : end])
            i = end + 1
        elif ch == '"':
            j = i + 1
            while j < n and value[j] != '"':
                j += 2 if value[j] == escape else 1
            if j >= n or "${" in value[i:j]:
                return None
            out.append(value[i + 1 : j])
            i = j + 1
        elif value.startswith("${", i):
            end = value.find("}", i)
            if end < 0 or any(c in value[i + 2 : end] for c in "\"'{$" + escape):
                return None
            out.append(value[i : end + 1])
            i = end + 1
        else:
            out.append(ch)
            i += 1
    return '"' + "".join(out) + '"'


def hadolint_reads(value: str, escape: str) -> bool:
    """Whether hadolint's parser reads `value` as a `key=value` value: it
    takes an escaped quote outside quotes for an opening one."""
    quote = ""
    i = 0
    while i < len(value):
        ch = value[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote == '"':
                i += 1
        elif ch == escape:
            if value[i + 1 : i + 2] in ("'", '"'):
                return False
            i += 1
        elif ch in "'\"":
            quote = ch
        i += 1
    return True


def candidates(node: Instruction, pair: Pair, escape: str, quote_plain: bool) -> list[Edits]:
    """Ways to write the legacy pair as `key=value`, preferred first, as edits
    of the logical line."""
    text = node.logical.text
    key_end = pair.span.start + len(pair.key)
    gap = _SPACE.match(text, key_end)
    assert gap is not None
    value_start, value_end = gap.end(), pair.span.end
    value = pair.value
    bare: Edits = [(key_end, value_start, "=")]
    quoted: Edits = [(key_end, value_start, '="'), (value_end, value_end, '"')]
    found: list[Edits] = []
    if not any(c in value for c in "\"'" + escape):
        found.append(quoted)
    elif not any(c in value for c in "'" + escape):
        # `"two words" and more`: the same text inside one pair of quotes.
        inner = [
            (value_start + i, value_start + i + 1, "") for i, c in enumerate(value) if c == '"'
        ]
        found.append([*quoted[:1], *inner, *quoted[1:]])
    plain_first = not (quote_plain and _PLAIN.match(value))
    found.insert(0 if plain_first else len(found), bare)
    a, b = node.raw_span(value_start, value_end)
    if "\n" in node.code[a:b]:
        return found  # the value's lines stay as they are
    spaces = _unquoted_spaces(value, escape)
    if spaces:
        found.append(bare + [(value_start + i, value_start + i, escape) for i in spaces])
    requoted = double_quoted(value, escape)
    if requoted is not None:
        found.append([(key_end, value_end, "=" + requoted)])
    return found


def reads_alike(old: Pair, node: Instruction, escape: str) -> bool:
    """Whether `node` holds one `key=value` pair processed like `old`."""
    reading = node.reading
    if reading.flags or len(reading.pairs) != 1 or reading.pairs[0].legacy:
        return False
    new = reading.pairs[0]
    return (
        hadolint_reads(new.value, escape)
        and processed(new.key, escape) == processed(old.key, escape)
        and processed(new.value, escape) == processed(old.value, escape)
    )


def rewrite(tree: Dockerfile, node: Instruction) -> Instruction | str:
    """`node` with its legacy pair as `key=value`, or why it cannot be."""
    pair = node.reading.pairs[0]
    escape = tree.escape
    if processed(pair.key, escape) is None or processed(pair.value, escape) is None:
        return "BuildKit cannot read the value: an unmatched quote or a bad substitution"
    for edits in candidates(node, pair, escape, tree.style.quote is True):
        try:
            new = edit_many(node, edits)
        except (ValueError, LineError):
            continue
        if reads_alike(pair, new, escape):
            return new
    return "no spelling reads the same value for certain"


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for node in tree.instructions:
        reading = node.reading
        if node.keyword not in ("env", "label") or reading.flags or len(reading.pairs) != 1:
            continue
        if not reading.pairs[0].legacy:
            continue
        keyword = node.keyword_as_written
        message = f'"{keyword} key=value" should be used instead of legacy "{keyword} key value"'
        pair = reading.pairs[0]
        if pair.value.startswith("=") and not pair.key.endswith("="):
            # `KEY = value` is legacy form whose value starts with `=`: kept as
            # BuildKit reads it, but most likely `KEY=value` was meant.
            message += (
                f"; its value starts with `=` (`{pair.key} = x` sets {pair.key} to `= x`):"
                f" drop the `= ` if {pair.key}=x was meant"
            )
        second = _SECOND_PAIR.search(pair.value) if node.keyword == "env" else None
        if second is not None and len(node.lines) > 1:
            # `ENV A 1 \` then `B 2` on the next line: one variable, A, whose
            # value runs on; kept as BuildKit reads it, but two were likely meant.
            message += (
                f"; its value runs on to `{second.group(1)} …`, which reads as a second "
                f"variable, but the legacy form sets one: write `{pair.key}=… "
                f"{second.group(1)}=…` if two were meant"
            )
        new = rewrite(tree, node)
        if isinstance(new, str):
            yield Finding(RULE, node, f"{message} ({new})")
            continue
        fix = Fix(
            (Edit((node,), (new,)),), Safety.SAFE, "Write key=value", postcondition=POSTCONDITION
        )
        yield Finding(RULE, node, message, fix)
