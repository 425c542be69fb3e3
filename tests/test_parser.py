"""The parser on cases written for dockfix: every syntax point BuildKit reads.

Each case checks the exact round trip and BuildKit's reading (the dump).
"""

from __future__ import annotations

import pytest

import dockfix
from dockfix.tree import Blank, Comment, Directive, Instruction, Line


def dump(text: str) -> list[str]:
    tree = dockfix.parse(text)
    assert tree.code == text
    return tree.dump().splitlines()


# --- keywords, flags, forms ---------------------------------------------------


def test_keywords_are_case_insensitive_and_unknown_ones_are_kept() -> None:
    assert dump("from alpine\nrun echo hi\nFrobnicate --x a b\n") == [
        '(from "alpine")',
        '(run "echo hi")',
        '(frobnicate ["--x"] "")',
    ]
    tree = dockfix.parse("FROM a\nFROBNICATE x\n")
    assert [i.reading.known for i in tree.instructions] == [True, False]


def test_flags_end_at_a_bare_double_dash_and_keep_quotes_processed() -> None:
    assert dump('FROM a\nCOPY --chown="me:me" -- --weird /dst/\n') == [
        '(from "a")',
        '(copy ["--chown=me:me"] "--weird" "/dst/")',
    ]


def test_flag_values_are_available_by_name() -> None:
    tree = dockfix.parse("FROM a\nRUN --mount=type=cache,target=/root/.cache --network=none make\n")
    run = tree.instructions[1].reading
    assert run.flag("mount") is not None
    assert run.flag("mount").value == "type=cache,target=/root/.cache"  # type: ignore[union-attr]
    assert run.flag("network").value == "none"  # type: ignore[union-attr]
    assert run.rest == "make"


def test_valid_json_array_is_exec_form() -> None:
    tree = dockfix.parse('FROM a\nCMD ["python", "-m", "app"]\n')
    cmd = tree.instructions[1].reading
    assert cmd.json and cmd.args == ("python", "-m", "app")


@pytest.mark.parametrize(
    "args",
    ["['a', 'b']", '["a", "b"', '["a"] extra', '"["a"]"', '["a",]', "[NaN]"],
)
def test_invalid_json_silently_becomes_shell_form(args: str) -> None:
    cmd = dockfix.parse(f"FROM a\nCMD {args}\n").instructions[1].reading
    assert not cmd.json
    assert cmd.args == (args,)


@pytest.mark.parametrize("args", ["[1]", '["a", 2]', '[["a"]]', "[null]", "[true]"])
def test_json_array_with_a_non_string_is_an_error(args: str) -> None:
    with pytest.raises(dockfix.ParseError) as info:
        dockfix.parse(f"FROM a\nRUN {args}\n")
    assert info.value.line == 2
    assert "strings only" in info.value.message


def test_json_form_after_flags() -> None:
    assert dump('FROM a\nCMD --x ["a"]\n')[1] == '(cmd ["--x"] "a")'


# --- ENV, LABEL, ARG ---------------------------------------------------------------


def test_env_legacy_and_key_value_pairs_keep_quotes_raw() -> None:
    assert dump('FROM a\nENV A 1 2\nENV B="x y" C=z\\ w\nLABEL k=v\n')[1:] == [
        '(env "A" "1 2" "")',
        '(env "B" "\\"x y\\"" "=" "C" "z\\\\ w" "=")',
        '(label "k" "v" "=")',
    ]


def test_env_pairs_expose_key_value_and_span() -> None:
    env = dockfix.parse("FROM a\nENV A=1 B='two'\n").instructions[1]
    pairs = env.reading.pairs
    assert [(p.key, p.value, p.legacy) for p in pairs] == [("A", "1", False), ("B", "'two'", False)]
    assert env.logical.text[pairs[1].span.start : pairs[1].span.end] == "B='two'"


@pytest.mark.parametrize("text", ["FROM a\nENV PATH\n", "FROM a\nENV A=1 B\n", "FROM a\nLABEL x\n"])
def test_env_and_label_errors(text: str) -> None:
    with pytest.raises(dockfix.ParseError) as info:
        dockfix.parse(text)
    assert info.value.line == 2


def test_arg_allows_bare_names_and_several_per_line() -> None:
    assert dump("ARG a b=c d=\nFROM x\n")[0] == '(arg "a" "b=c" "d=")'


def test_onbuild_wraps_an_instruction() -> None:
    assert dump('FROM a\nONBUILD RUN echo hi\nONBUILD COPY ["a", "b"]\n')[1:] == [
        '(onbuild (run "echo hi"))',
        '(onbuild (copy "a" "b"))',
    ]


def test_healthcheck_forms() -> None:
    assert dump('FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD ["curl", "x"]\n')[1:] == [
        '(healthcheck "NONE")',
        '(healthcheck ["--interval=5s"] "CMD" "curl" "x")',
    ]


# --- lines: comments, continuations, endings -------------------------------------------------


def test_comments_inside_a_continuation_are_skipped_and_kept() -> None:
    text = "FROM a\nRUN a \\\n    # explain b\n  \\\n    b\n"
    assert dump(text)[1] == '(run "a       b")'
    run = dockfix.parse(text).instructions[1]
    assert [type(p) for p in run.parts] == [Line, Comment, Line, Line]


def test_blank_lines_inside_a_continuation() -> None:
    text = "FROM a\nRUN a \\\n\n   \t\n  b\n"
    assert dump(text)[1] == '(run "a   b")'
    assert [type(p) for p in dockfix.parse(text).instructions[1].parts] == [
        Line,
        Blank,
        Blank,
        Line,
    ]


def test_runs_of_comment_lines_and_a_comment_ending_in_the_escape() -> None:
    # Between instructions each comment or blank line is an item of its own;
    # inside a continuation a comment line is a comment even when it ends with
    # the escape character (and does not continue anything).
    for escape, directive in (("\\", ""), ("`", "# escape=`\n")):
        text = (
            f"{directive}# a\n\n  # b {escape}\nFROM x\nRUN a {escape}\n# c {escape}\n\n b\n# d\n"
        )
        tree = dockfix.parse(text)
        assert tree.code == text
        kinds = [type(i) for i in tree.items if not isinstance(i, Directive)]
        assert kinds == [Comment, Blank, Comment, Instruction, Instruction, Comment]
        assert [type(p) for p in tree.instructions[1].parts] == [Line, Comment, Blank, Line]
        assert [p.continued for p in tree.instructions[1].lines] == [True, False]


def test_indented_comment_and_no_end_of_line_comments() -> None:
    text = "  # indented\nFROM a # not a comment\n"
    tree = dockfix.parse(text)
    assert isinstance(tree.items[0], Comment)
    assert tree.dump() == '(from "a" "#" "not" "a" "comment")\n'


def test_spaces_after_the_continuation_escape_are_allowed() -> None:
    assert dump("FROM a\nRUN a \\  \t\n b\n")[1] == '(run "a  b")'


def test_escaped_escape_does_not_continue() -> None:
    assert dump("FROM a\nRUN echo \\\\\nRUN b\n")[1:] == ['(run "echo \\\\\\\\")', '(run "b")']


def test_continuation_at_end_of_file() -> None:
    assert dump("FROM a\nRUN a \\")[1] == '(run "a")'
    assert dump("FROM a\nRUN a \\\n\n# c\n")[1] == '(run "a")'


def test_crlf_mixed_endings_bom_tabs_and_no_final_newline() -> None:
    text = "\ufeffFROM\ta\r\nRUN a \\\r\n\tb\nCMD x"
    tree = dockfix.parse(text)
    assert tree.code == text
    assert tree.bom == "\ufeff"
    assert tree.dump() == '(from "a")\n(run "a \\tb")\n(cmd "x")\n'
    assert tree.newline == "\r\n"


def test_trailing_whitespace_and_carriage_returns_round_trip() -> None:
    text = "FROM a   \r\r\nRUN b\t \n  \n"
    assert dump(text) == ['(from "a")', '(run "b")']


def test_lone_carriage_return_inside_a_line_is_content() -> None:
    text = "FROM a\nRUN a\rb\n"
    assert dump(text)[1] == '(run "a\\rb")'


# --- directives ----------------------------------------------------------------


def test_directives_only_at_the_top() -> None:
    tree = dockfix.parse("# syntax=docker/dockerfile:1\n# ESCAPE=`\n# check=skip=all\nFROM a\n")
    assert tree.directives == {"syntax": "docker/dockerfile:1", "escape": "`", "check": "skip=all"}
    assert tree.escape == "`"
    late = dockfix.parse("# hello\n# escape=`\nFROM a\n")
    assert late.escape == "\\" and late.directives == {}
    assert isinstance(late.items[1], Comment)


def test_blank_line_ends_the_directives() -> None:
    tree = dockfix.parse("# syntax=x\n\n# escape=`\nFROM a\n")
    assert [type(i) for i in tree.items[:3]] == [Directive, Blank, Comment]
    assert tree.escape == "\\"


def test_unknown_directive_ends_the_directives() -> None:
    tree = dockfix.parse("# foo=bar\n# escape=`\nFROM a\n")
    assert tree.escape == "\\"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# escape=\\\n# escape=`\nFROM a\n", "only one escape parser directive"),
        ("# syntax=a\n# SYNTAX=b\nFROM a\n", "only one syntax parser directive"),
        ("# check=skip=all\n# check=error=true\nFROM a\n", "only one check parser directive"),
        ("# escape=x\nFROM a\n", "invalid escape token"),
    ],
)
def test_directive_errors(text: str, message: str) -> None:
    with pytest.raises(dockfix.ParseError) as info:
        dockfix.parse(text)
    assert message in info.value.message


def test_windows_dockerfile_with_backtick_escape() -> None:
    text = (
        "# escape=`\r\n"
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\r\n"
        "COPY testfile.txt c:\\\r\n"
        "RUN dir c:\\ `\r\n"
        "    && echo done\r\n"
    )
    tree = dockfix.parse(text)
    assert tree.code == text
    assert tree.dump().splitlines()[1:] == [
        '(copy "testfile.txt" "c:\\\\")',
        '(run "dir c:\\\\     && echo done")',
    ]


# --- heredocs ----------------------------------------------------------------------


def heredocs(text: str) -> list[tuple[str, str, str]]:
    tree = dockfix.parse(text)
    assert tree.code == text
    return [(h.spec.name, h.body, h.end) for i in tree.instructions for h in i.heredocs]


def test_heredoc_body_and_terminator() -> None:
    assert heredocs("FROM a\nRUN <<EOF\necho hi\n# not a comment\n\nEOF\n") == [
        ("EOF", "echo hi\n# not a comment\n\n", "EOF\n")
    ]


def test_several_heredocs_are_read_in_order() -> None:
    assert heredocs("FROM a\nCOPY <<X <<Y /dst/\nY\nX\nX\nY\n") == [
        ("X", "Y\n", "X\n"),
        ("Y", "X\n", "Y\n"),
    ]


def test_dash_heredoc_strips_tabs_for_the_terminator() -> None:
    tree = dockfix.parse("FROM a\nRUN <<-EOF\n\techo\n\t\tEOF\n")
    heredoc = tree.instructions[1].heredocs[0]
    assert heredoc.end == "\t\tEOF\n"
    assert heredoc.content == "echo\n"


def test_quoted_heredoc_names_disable_expansion() -> None:
    tree = dockfix.parse("FROM a\nRUN <<'EOF' cat\n$HOME\nEOF\nRUN 3<<\"END\"\nx\nEND\n")
    specs = [h.spec for i in tree.instructions for h in i.heredocs]
    assert [(s.name, s.expand, s.file_descriptor) for s in specs] == [
        ("EOF", False, 0),
        ("END", False, 3),
    ]


def test_heredoc_after_a_continued_line() -> None:
    text = "FROM a\nRUN a && \\\n  cat <<EOF \\\n  && c\nbody\nEOF\nRUN d\n"
    assert heredocs(text) == [("EOF", "body\n", "EOF\n")]
    assert [(loc.start_line, loc.end_line) for loc in dockfix.parse(text).located()] == [
        (1, 1),
        (2, 6),
        (7, 7),
    ]


def test_instruction_right_after_a_terminator_and_heredoc_at_eof() -> None:
    assert heredocs("FROM a\nRUN <<EOF\nx\nEOF\n# c\nRUN <<EOF\ny\nEOF") == [
        ("EOF", "x\n", "EOF\n"),
        ("EOF", "y\n", "EOF"),
    ]


def test_heredoc_with_crlf_and_backslash_escape_name() -> None:
    assert heredocs("FROM a\r\nRUN <<-\\EOT\r\nx\r\nEOT\r\n") == [("EOT", "x\r\n", "EOT\r\n")]


def test_heredocs_only_in_run_copy_add_and_not_in_json() -> None:
    tree = dockfix.parse('FROM a\nUSER <<X\nX\nRUN ["<<EOF"]\nEOF\n')
    assert not any(i.heredocs for i in tree.instructions)
    assert [i.keyword for i in tree.instructions] == ["from", "user", "x", "run", "eof"]


def test_heredoc_in_onbuild() -> None:
    assert heredocs("FROM a\nONBUILD RUN <<EOF\nx\nEOF\n") == [("EOF", "x\n", "EOF\n")]


def test_not_heredocs() -> None:
    for line in ("RUN cat<<EOF", "RUN <<<EOF", 'RUN echo "<<EOF"', "RUN << EOF"):
        tree = dockfix.parse(f"FROM a\n{line}\nEOF\n")
        assert not tree.instructions[1].heredocs, line


def test_unterminated_heredoc_is_an_error() -> None:
    with pytest.raises(dockfix.ParseError) as info:
        dockfix.parse("FROM a\nRUN <<EOF\necho\n")
    assert "unterminated heredoc" in info.value.message
    assert info.value.line == 2


# --- errors and positions ------------------------------------------------------------


def test_empty_and_comment_only_files_are_errors() -> None:
    for text in ("", "\n\n", "# only\n# comments\n", "# syntax=x\n"):
        with pytest.raises(dockfix.ParseError) as info:
            dockfix.parse(text)
        assert "no instructions" in info.value.message


def test_error_column_points_at_the_problem() -> None:
    with pytest.raises(dockfix.ParseError) as info:
        dockfix.parse("FROM a\nENV A=1 \\\n    B\n")
    assert (info.value.line, info.value.column) == (3, 5)
    assert str(info.value).startswith("3:5: ")


def test_located_lines_count_directives_comments_and_heredocs() -> None:
    text = "# syntax=x\nFROM a\n\n# c\nRUN a \\\n  # c\n  b\nRUN <<EOF\nx\nEOF\nCMD z"
    spans = [(loc.start_line, loc.end_line) for loc in dockfix.parse(text).located()]
    assert spans == [(2, 2), (5, 7), (8, 10), (11, 11)]


def test_tree_nodes_own_their_bytes() -> None:
    tree = dockfix.parse("FROM a\n# c\n\nRUN x \\\n  y\n")
    assert [type(i) for i in tree.items] == [Instruction, Comment, Blank, Instruction]
    run = tree.items[3]
    assert isinstance(run, Instruction)
    assert [line.raw for line in run.lines] == ["RUN x \\\n", "  y\n"]
    assert run.lines[0].continued and not run.lines[1].continued


def test_parsing_in_threads_with_different_escapes() -> None:
    import threading

    texts = ["# escape=`\nFROM a\nRUN a `\n b\n", "FROM a\nRUN a \\\n b\n"]
    results: list[tuple[str, str]] = []

    def work(text: str) -> None:
        for _ in range(100):
            tree = dockfix.parse(text)
            results.append((text, tree.dump() if tree.code == text else "round trip failed"))

    threads = [threading.Thread(target=work, args=(t,)) for t in texts * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {dump for _, dump in results} == {'(from "a")\n(run "a  b")\n'}


def test_flags_and_healthcheck_type_are_read_byte_by_byte_like_buildkit() -> None:
    # extractBuilderFlags indexes bytes: a non-ASCII flag comes out as Latin-1
    # characters, and a no-break space is not white space before `--`.
    assert dump("FROM a\nCOPY --chown=é a b/\n")[1] == '(copy ["--chown=Ã©"] "a" "b/")'
    assert dump("FROM a\nWORKDIR \u00a0 -- x\n")[1] == '(workdir "-- x")'
    # parseHealthConfig cuts the type at the 0xA0 byte of a no-break space.
    assert dump("FROM a\nHEALTHCHECK CMD\u00a0x\n")[1] == '(healthcheck "CMD\\xc2" "x")'


def test_physical_lines_own_their_continuation_and_ending() -> None:
    tree = dockfix.parse("# escape=`\r\nFROM a\r\nRUN a ` \t\r\n  b\r\n")
    first, last = tree.instructions[1].lines
    assert (first.body, first.continuation, first.ending) == ("RUN a ", "` \t", "\r\n")
    assert (last.body, last.continuation, last.ending) == ("  b", "", "\r\n")
    assert first.body + first.continuation + first.ending == first.raw
