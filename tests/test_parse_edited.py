"""`parse_edited`, the engine's re-parse of an edited tree: it parses only the
run of items an edit replaced, and must give exactly what parsing the whole
text gives (the same tree, or the same error)."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dockfix
from dockfix.parser import parse_edited
from dockfix.tree import Blank, Comment, Directive, Dockerfile, Instruction, Line, Node
from tests.dockerfile_text import FRAGMENTS, lines

# Files that may start with a BOM and directives (an edit right after them
# must leave them directives, and one that adds a line there must not).
_tops = st.sampled_from(
    ["", "\ufeff", "# escape=`\n", "# syntax=x\n", "\ufeff# check=a\n# escape=`\n"]
)
_files = st.builds(lambda top, text: top + text, _tops, lines)
_line = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map(" ".join)
_ending = st.sampled_from(["\n", "\r\n", "", " \\\n", " `\n"])
# Nodes as a fix might build them, right or wrong: what they hold need not be
# what their type says (a "comment" holding an instruction, a line without an
# ending, a continued line that swallows the next item).
_nodes = st.one_of(
    st.sampled_from([Comment("# escape=`\n"), Comment("# syntax=y\n"), Directive("# check=b\n")]),
    st.builds(lambda t, e: Comment(t + e), _line, _ending),
    st.builds(lambda t, e: Blank(t + e), st.sampled_from(["", " ", "\t", "\r"]), _ending),
    st.builds(
        lambda ls: Instruction(tuple(Line(t + e, e.endswith("\\\n")) for t, e in ls)),
        st.lists(st.tuples(_line, _ending), min_size=1, max_size=3),
    ),
)


def _outcome(parse: object) -> tuple[object, ...]:
    try:
        tree = parse()  # type: ignore[operator]
    except dockfix.ParseError as e:
        return ("error", e.message, e.line, e.column)
    assert isinstance(tree, Dockerfile)
    return (
        "tree",
        tree.bom,
        tree.escape,
        tree.items,
        [i.escape for i in tree.instructions],
        [i.reading for i in tree.instructions],
    )


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files, lines, st.data())
def test_parsing_the_edited_run_gives_what_parsing_the_text_gives(
    text: str, other: str, data: st.DataObject
) -> None:
    try:
        before = dockfix.parse(text)
    except dockfix.ParseError:
        assume(False)
        return
    top = sum(isinstance(item, Directive) for item in before.items)  # edits next to them
    count = len(before.items)
    start = data.draw(st.one_of(st.integers(0, count), st.sampled_from([top, min(top + 1, count)])))
    end = data.draw(st.integers(start, len(before.items)))
    try:
        donor: tuple[Node, ...] = dockfix.parse(other).items
    except dockfix.ParseError:
        donor = ()
    new = data.draw(st.lists(st.one_of(_nodes, st.sampled_from(donor or (Blank("\n"),)))))
    after = Dockerfile(
        before.items[:start] + tuple(new) + before.items[end:], before.bom, before.escape
    )
    assert _outcome(lambda: parse_edited(before, after)) == _outcome(
        lambda: dockfix.parse(after.code)
    )


def test_an_item_after_an_open_continuation_joins_it() -> None:
    """The old text ends inside an instruction (a continued last line): what
    an edit puts after it is read as part of it, as parsing the whole text
    reads it (a draw of the test above found the partial parse reading two
    items there)."""
    before = dockfix.parse("# escape=`\nFROM a\n` \n")
    after = Dockerfile((*before.items, Comment("# x\n")), before.bom, before.escape)
    assert _outcome(lambda: parse_edited(before, after)) == _outcome(
        lambda: dockfix.parse(after.code)
    )
    assert len(parse_edited(before, after).items) == len(before.items)


def test_untouched_items_are_kept_and_only_the_run_is_parsed() -> None:
    before = dockfix.parse("# escape=`\nFROM a\n# c\nRUN x `\n  y\nENV A=1\nUSER me\n")
    built = dockfix.parse("FROM b\nENV A=1 B=2\n").instructions[1]
    items = before.items
    after = Dockerfile((*items[:4], built, *items[5:]), before.bom, before.escape)
    tree = parse_edited(before, after)
    assert tree.code == after.code == dockfix.parse(after.code).code
    assert all(a is b for a, b in zip(tree.items[:4], items[:4], strict=True))
    assert tree.items[5] is items[5]
    assert tree.items[4] is not built and tree.items[4] == built
    assert tree.items[4].escape == "`"


def test_an_edit_at_the_top_or_inside_an_instruction_parses_the_whole_text() -> None:
    before = dockfix.parse("FROM a\nRUN <<EOF\nx\nEOF\nUSER me\n")
    # A new directive line at the top is read as a directive by the whole parse.
    after = Dockerfile((Comment("# escape=`\n"), *before.items), before.bom, before.escape)
    tree = parse_edited(before, after)
    assert tree.escape == "`" and tree == dockfix.parse(after.code)
    # A directive line right after the directives is one too.
    before = dockfix.parse("# escape=`\nFROM a\n")
    after = Dockerfile((before.items[0], Comment("# syntax=y\n"), before.items[1]), "", "`")
    assert parse_edited(before, after).items[1] == Directive("# syntax=y\n")
    # A continued line swallows the next instruction.
    before = dockfix.parse("FROM a\nRUN <<EOF\nx\nEOF\nUSER me\n")
    run = dockfix.parse("FROM a\nRUN a \\\n").instructions[1]
    after = Dockerfile((before.items[0], run, before.items[2]), before.bom, before.escape)
    assert parse_edited(before, after).instructions[1].code == "RUN a \\\nUSER me\n"
