"""Differential test: dockfix against BuildKit's own parser.

The `dockerfile` package on PyPI wraps BuildKit's Go parser (v0.12, through
cgo). For random Dockerfile-like texts, both must accept or reject the same
inputs, and agree on each instruction's keyword, lines, flags, arguments and
heredocs. Known, documented differences are left out: newer BuildKit decodes
exec-form JSON with json.Unmarshal (text after `]` makes it shell form) where
v0.12 used a decoder that ignored it; BuildKit 0.14 added the `check` parser
directive, which v0.12 reads as a comment, and rejects a second one; the cgo
wrapper cuts strings at NUL and cannot return text that is not UTF-8. A
`<<-` heredoc's body is compared without its lines' leading tabs, as BuildKit
uses it (its parser keeps them; dockfix's reading removes them).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dockfix
from tests.dockerfile_text import lines, texts

buildkit = pytest.importorskip("dockerfile")

# JSON followed by more text on the line: read differently since BuildKit v0.13.
JSON_THEN_TEXT = re.compile(r"\[[^\n]*\][ \t\r]*[^ \t\r\n]")


def ours(text: str) -> Any:
    try:
        tree = dockfix.parse(text)
    except dockfix.ParseError:
        return "error"
    rows = []
    for loc in tree.located():
        reading = loc.instruction.reading
        target = reading.child if reading.keyword == "onbuild" and reading.child else reading
        args = list(target.args)
        if target.keyword in ("env", "label"):
            args = [a for i, a in enumerate(args) if i % 3 != 2]  # v0.12 has no separator
        if target is not reading:
            args = None  # the wrapper flattens ONBUILD its own way
        heredocs = [(h.spec.name, h.content) for h in loc.instruction.heredocs]
        if target is not reading:
            heredocs = []  # the wrapper does not show ONBUILD's (its lines still count)
        rows.append(
            (
                reading.keyword,
                loc.start_line,
                loc.end_line,
                [f.text for f in reading.flags],
                args,
                heredocs,
            )
        )
    return rows


def theirs(text: str) -> Any:
    try:
        commands = buildkit.parse_string(text)
    except buildkit.GoParseError:
        return "error"
    rows = []
    for c in commands:
        args = None if c.sub_cmd else list(c.value)
        chomped = _chomped_names(c.value)
        heredocs = [
            (h.name, _LEADING_TABS.sub("", h.content) if h.name in chomped else h.content)
            for h in c.heredocs
        ]
        rows.append(
            ((c.cmd or "").lower(), c.start_line, c.end_line, list(c.flags), args, heredocs)
        )
    return rows


# BuildKit's parser keeps a `<<-` heredoc's body as written; the instruction
# parser and RUN's dispatch then remove every line's leading tabs
# (parser.ChompHeredocContent), which dockfix's reading has done already.
_LEADING_TABS = re.compile(r"(?m)^\t+")
_HEREDOC_WORD = re.compile(r"\A\d*<<-(.+)\Z")


def _chomped_names(values: Any) -> set[str]:
    """The names of the `<<-` heredocs the instruction's words open."""
    names = set()
    for value in values or ():
        for word in str(value).split():
            m = _HEREDOC_WORD.match(word)
            if m:
                names.add(re.sub(r"[\"'\\]", "", m.group(1)))
    return names


# A parser directive line (BuildKit's directiveRegexp).
DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*")


def repeated_check_directive(text: str) -> bool:
    """Whether the directives opening `text` name `check` twice: an error since
    BuildKit 0.14, a comment to v0.12."""
    seen = 0
    for line in text.lstrip("\ufeff").splitlines():
        m = DIRECTIVE.fullmatch(line)
        if m is None:
            break
        seen += m.group(1).lower() == "check"
    return seen > 1


# A line continuation (either escape character), joined to see logical lines.
CONTINUATION = re.compile(r"[\\`][ \t]*\r?\n")


def check(text: str) -> None:
    if JSON_THEN_TEXT.search(text) or JSON_THEN_TEXT.search(CONTINUATION.sub("", text)):
        return
    if repeated_check_directive(text):
        return
    try:
        expected = theirs(text)
    except UnicodeDecodeError:
        return  # BuildKit produced bytes that are not UTF-8; the wrapper cannot say which
    assert ours(text) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_fragments_read_like_buildkit(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_lines_read_like_buildkit(text: str) -> None:
    check(text)


def test_json_then_text_across_a_continuation_is_a_known_difference() -> None:
    """`RUN [ \\` then `] FROM`: the logical line is JSON and more text, which
    BuildKit v0.12 (the oracle) reads as exec form and newer BuildKit, like
    dockfix, as shell form."""
    text = "FROM a\nRUN [ \\\n] FROM"
    assert theirs(text)[1][4] == [] and ours(text)[1][4] == ["[ ] FROM"]
    check(text)


HEREDOC_LINES = [
    "RUN <<EOF", "RUN <<-EOF cat", "COPY <<A <<B /d/", "RUN 3<<'X' a \\", "  && b <<Y",
    'ADD <<"Q R" /x', "RUN cat <<EOF", "ONBUILD RUN <<EOF", 'RUN ["<<EOF"]', "USER <<EOF",
    'RUN echo "<<EOF"', "RUN <<EOF \\", "EOF", "\tEOF", "\t\tEOF", "A", "B", "X", "Y", "Q R",
    "body", "# comment", "", "RUN x", "FROM b", "EOF ", "RUN <<e\\'o", 'RUN <<EO"F"', "RUN << EOF",
    "\tbody \\", "\t\tindented", "RUN <<-'EOF'", 'COPY <<-"A" /a',
]  # fmt: skip
heredoc_files = st.tuples(
    st.lists(st.sampled_from(HEREDOC_LINES), min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n"]),
).map(lambda case: "FROM a" + case[1] + case[1].join(case[0]) + case[1])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(heredoc_files)
def test_heredocs_read_like_buildkit(text: str) -> None:
    check(text)


def test_the_oracle_is_buildkit() -> None:
    (from_, env) = buildkit.parse_string("FROM a\nENV A=1\n")
    assert (from_.cmd.lower(), env.value) == ("from", ("A", "1"))


def test_a_repeated_check_directive() -> None:
    """The difference left out above, shown: BuildKit 0.14+ (and dockfix)
    reject a second `check` directive, v0.12 reads both as comments."""
    text = "# check=skip=all\n# check=skip=all\nFROM a\n"
    assert repeated_check_directive(text)
    assert ours(text) == "error"
    assert theirs(text) != "error"
    assert not repeated_check_directive("# check=skip=all\nFROM a\n# check=x\n")


def test_a_chomped_heredoc_is_compared_as_buildkit_uses_it() -> None:
    """`<<-`: BuildKit's parser keeps the body's tabs (theirs, raw), its
    instruction parser and RUN's dispatch remove them, as dockfix reads it."""
    text = (
        "FROM a\nRUN <<-'EOF'\n\tmake \\\n\t\tVERBOSE=1 \\\n\t;\nEOF\n"
        "COPY <<-A <<B /d/\n\ta\nA\n\tb\nB\n"
    )
    raw = buildkit.parse_string(text)
    assert raw[1].heredocs[0].content == "\tmake \\\n\t\tVERBOSE=1 \\\n\t;\n"
    assert ours(text)[1][5] == [("EOF", "make \\\nVERBOSE=1 \\\n;\n")]
    assert ours(text)[2][5] == [("A", "a\n"), ("B", "\tb\n")]  # only `<<-` is chomped
    check(text)
