"""dockfix.gocompat against the answers Go and BuildKit give.

Expected values come from Go's strconv/unicode/encoding/json and from BuildKit's
heredoc detection (parser.go heredocsFromLine over shell/lex.go, v0.13+); the
heredoc names were also checked against BuildKit's parser where it agrees.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest

from dockfix.gocompat import (
    GO_SPACE,
    HeredocError,
    HeredocSpec,
    NotJSONArray,
    NotStringArray,
    go_quote,
    heredoc_from_word,
    heredocs_from_line,
    is_go_space,
    parse_json_array,
)

# --- go_quote ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("", '""'),
        ("plain text 123 ~!@#", '"plain text 123 ~!@#"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("a\tb\nc", '"a\\tb\\nc"'),
        ("\a\b\f\r\v", '"\\a\\b\\f\\r\\v"'),
        ("\x00\x01\x1f", '"\\x00\\x01\\x1f"'),
        ("\x7f", '"\\x7f"'),
        ("\x85", '"\\u0085"'),  # a C1 control: not below 0x20, so \u
        ("\xa0", '"\\u00a0"'),  # a space, but not the ASCII one
        ("\u200b", '"\\u200b"'),  # a format character
        ("\xad\ufeff", '"\\u00ad\\ufeff"'),
        ("\u2028", '"\\u2028"'),
        ("\u0378", '"\\u0378"'),  # unassigned
        ("\ud800", '"\\ud800"'),  # a lone surrogate that is not an escaped byte
        ("\U000e0001", '"\\U000e0001"'),  # a format character outside the BMP
        ("😀", '"😀"'),
        ("中文", '"中文"'),
        ("é e\u0301 ☃ \ufffd", '"é e\u0301 ☃ \ufffd"'),  # printable non-ASCII is kept
        ("\udcff", '"\\xff"'),  # the byte 0xFF, decoded with surrogateescape
        ("a\udc80b", '"a\\x80b"'),
    ],
)
def test_go_quote(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


def test_go_quote_fast_and_slow_paths_agree() -> None:
    ascii_printable = "".join(chr(c) for c in range(0x20, 0x7F))
    expected = '"' + ascii_printable.replace("\\", "\\\\").replace('"', '\\"') + '"'
    assert go_quote(ascii_printable) == expected
    # A non-ASCII character takes the slow path; the ASCII part reads the same.
    assert go_quote(ascii_printable + "é") == expected[:-1] + 'é"'


def test_surrogate_escaped_text_quotes_as_its_bytes() -> None:
    raw = b"caf\xe9 \xff"
    assert go_quote(raw.decode("utf-8", "surrogateescape")) == '"caf\\xe9 \\xff"'


# --- Go white space -------------------------------------------------------------------


def test_go_space_is_unicode_white_space() -> None:
    latin1 = {"\t", "\n", "\v", "\f", "\r", " ", "\x85", "\xa0"}
    beyond = {
        chr(c) for c in range(0x100, 0x10000) if unicodedata.category(chr(c)) in ("Zs", "Zl", "Zp")
    }
    assert set(GO_SPACE) == latin1 | beyond
    assert len(GO_SPACE) == len(set(GO_SPACE)) == 25
    assert all(is_go_space(ch) for ch in GO_SPACE)


@pytest.mark.parametrize("ch", ["\x1c", "\x1d", "\x1e", "\x1f", "\u200b", "\ufeff", "\u180e", "a"])
def test_not_go_space(ch: str) -> None:
    assert not is_go_space(ch)


def test_python_isspace_differs() -> None:
    assert "\x1c".isspace() and not is_go_space("\x1c")


# --- JSON arrays ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("[]", []),
        ("[ ]", []),
        ('[ "a", "b" ]', ["a", "b"]),
        ('["a"]\n', ["a"]),
        ('\u3000\t ["x"] \r\n', ["x"]),  # Go spaces before, JSON white space after
        ('[""]', [""]),
        ('["\\u0000"]', ["\x00"]),
        ('["\\ud800"]', ["\ufffd"]),  # lone surrogate escape
        ('["\\udc00\\ud800x"]', ["\ufffd\ufffdx"]),
        ('["\\ud83d\\ude00"]', ["😀"]),  # a valid pair
        ('["\\u2603 \\/ \\" \\\\"]', ['☃ / " \\']),
        ('["\udcff"]', ["\ufffd"]),  # an invalid UTF-8 byte in a string
        ('["a\x7fb"]', ["a\x7fb"]),
    ],
)
def test_json_arrays(text: str, items: list[str]) -> None:
    assert parse_json_array(text) == items


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "",
        '"[]"',
        '{"a": "b"}',
        '["a",]',
        "['a']",
        '["a"] x',
        '["a"]["b"]',
        '["a"] \v',  # \v is a Go space but not JSON white space
        '\x1c["a"]',  # Python's isspace, not Go's
        '["a"',
        '["a" "b"]',
        "[NaN]",
        "[Infinity]",
        "[-Infinity]",
        "[1e400]",
        "[" + "1" * 400 + "]",  # an integer too large for float64
        '[{"a": 1e400}]',  # decoding fails even inside an object
        '["a", 1, 1e400]',
        "[01]",
        "[1.]",
        '["\\x"]',
        '["\\u12"]',
        '["a\x1fb"]',  # a raw control character
        '["a\nb"]',
    ],
)
def test_not_json_arrays(text: str) -> None:
    with pytest.raises(NotJSONArray):
        parse_json_array(text)


@pytest.mark.parametrize(
    "text",
    [
        "[1]",
        "[-0]",
        "[1e-400]",
        '["a", true]',
        "[false]",
        "[null]",
        '[["a"]]',
        '[{"a": 1}]',
        "[[]]",
    ],
)
def test_non_string_elements(text: str) -> None:
    with pytest.raises(NotStringArray):
        parse_json_array(text)


def test_deep_nesting_follows_go_limit() -> None:
    # Go's decoder allows 10000 levels, far more than Python's recursion limit.
    assert sys.getrecursionlimit() < 10000
    with pytest.raises(NotStringArray):
        parse_json_array("[" * 10000 + "]" * 10000)
    with pytest.raises(NotStringArray):
        parse_json_array("[" + '{"k": ' * 6000 + '"v"' + "}" * 6000 + "]")
    with pytest.raises(NotJSONArray):
        parse_json_array("[" * 10001 + "]" * 10001)
    with pytest.raises(NotJSONArray):
        parse_json_array("[" * 5000 + "]" * 4999)
    with pytest.raises(NotJSONArray):
        parse_json_array("[" * 3000 + "1e400" + "]" * 3000)
    with pytest.raises(NotJSONArray):
        parse_json_array("[" * 3000 + "]" * 3000 + " x")


# --- heredocs ---------------------------------------------------------------------------


def heredocs(line: str) -> list[tuple[str, int, bool, bool]]:
    return [(h.name, h.file_descriptor, h.expand, h.chomp) for h in heredocs_from_line(line)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("RUN <<EOF", [("EOF", 0, True, False)]),
        ("RUN cat <<EOF", [("EOF", 0, True, False)]),
        ("COPY <<FILE1 <<FILE2 /dest", [("FILE1", 0, True, False), ("FILE2", 0, True, False)]),
        ("RUN 3<<EOF cat", [("EOF", 3, True, False)]),
        ("RUN 0<<EOF", [("EOF", 0, True, False)]),
        ("RUN 99999999999999999999999<<EOF", [("EOF", 2**64 - 1, True, False)]),
        ("RUN <<-EOF", [("EOF", 0, True, True)]),
        ("RUN <<--EOF", [("-EOF", 0, True, True)]),
        ("RUN <<EOF python3", [("EOF", 0, True, False)]),
        ("RUN <<EOF > foo", [("EOF", 0, True, False)]),
        ("COPY <<file.txt /dest", [("file.txt", 0, True, False)]),
        # Quoting any part of the name turns expansion off.
        ("RUN <<'EOF'", [("EOF", 0, False, False)]),
        ('RUN <<"EOF"', [("EOF", 0, False, False)]),
        ("RUN <<-'EOF'", [("EOF", 0, False, True)]),
        ('RUN <<EO"F"', [("EOF", 0, False, False)]),
        ("RUN <<eo'f'", [("eof", 0, False, False)]),
        ('RUN <<a""', [("a", 0, False, False)]),
        ("RUN <<'one two'", [("one two", 0, False, False)]),
        ("RUN <<'e'o\\'f", [("eo'f", 0, False, False)]),
        # An escaped quote is a quote in both lexings: the counts match, it expands.
        ("RUN <<eo\\'f", [("eo'f", 0, True, False)]),
        ("RUN <<-\\EOT", [("EOT", 0, True, True)]),
        ("RUN <<E\\ OF", [("E OF", 0, True, False)]),
        # Variables are unset and kept as written.
        ("RUN <<$EOF", [("$EOF", 0, True, False)]),
        ("RUN <<${EOF}", [("${EOF}", 0, True, False)]),
        ("RUN <<EOF${a:b}", [("EOF${a:b}", 0, True, False)]),
        ("RUN <<EOF${a:-x}y", [("EOF${a:-x}y", 0, True, False)]),
        ("RUN <<EOF${a//x/y}", [("EOF${a/x/y}", 0, True, False)]),  # one `/` is lost
        ("RUN <<${\u0663}", [("${\u0663}", 0, True, False)]),  # an Nd digit is a name
        ("RUN <<$\u216b", [("$\u216b", 0, True, False)]),
        # Go's text/scanner: a leading BOM is skipped, invalid UTF-8 reads as U+FFFD.
        ("RUN <<\ufeffEOF", [("EOF", 0, True, False)]),
        ("RUN <<E\udcffF", [("E\ufffdF", 0, True, False)]),
        # Not heredocs.
        ("RUN << EOF", []),
        ("RUN <<", []),
        ("RUN <<-", []),
        ("RUN <<<EOF", []),
        ("RUN <EOF", []),
        ("RUN cat<<EOF", []),
        ("RUN <<EOF<<EOF2", []),
        ('RUN echo "<<EOF"', []),
        ("RUN '<<EOF'", []),
        ('RUN <<""', []),  # an empty name is no word at all
        ("RUN <<\ufeff", []),
        ("RUN echo hi", []),
        # The line itself does not lex: no heredocs at all.
        ("RUN <<'EOF", []),
        ('RUN <<"EOF', []),
        ("RUN echo ${", []),
        ("RUN <<EOF ${", []),
        ("RUN <<EOF ${a", []),
        ("RUN <<EOF ${a!}", []),
        ("RUN <<EOF ${:}", []),
        ("RUN <<EOF ${a/b", []),
        ("RUN <<${\xb2}", []),  # superscript two (No) is neither digit nor letter for Go
        ("RUN <<${\u216b}", []),  # a roman numeral (Nl) neither
    ],
)
def test_heredocs_from_line(line: str, expected: list[tuple[str, int, bool, bool]]) -> None:
    assert heredocs(line) == expected


def test_heredoc_spec_is_a_frozen_value() -> None:
    spec = heredocs_from_line("RUN <<-'EOF'")[0]
    assert spec == HeredocSpec(name="EOF", file_descriptor=0, expand=False, chomp=True)
    with pytest.raises(AttributeError):
        spec.name = "X"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        # The line lexes (the escape is raw), but inside `${a:-…}` the escape is
        # processed, leaving an unbalanced quote in the heredoc word.
        ("RUN <<${a:-\\'}", "failed to process \"${a:-'}\": syntax error: missing '}'"),
        # The expansion's space splits the word; its first half does not lex.
        ('RUN <<${a:-"x y"}', 'failed to process "${a:-\\"x": syntax error: missing \'}\''),
    ],
)
def test_heredoc_word_errors(line: str, message: str) -> None:
    with pytest.raises(HeredocError) as info:
        heredocs_from_line(line)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("word", "message"),
    [
        (
            "<<'EOF",
            'failed to process "\'EOF": '
            "unexpected end of statement while looking for matching single-quote",
        ),
        (
            '<<"EOF',
            'failed to process "\\"EOF": '
            "unexpected end of statement while looking for matching double-quote",
        ),
        (
            "<<EOF'",
            'failed to process "EOF\'": '
            "unexpected end of statement while looking for matching single-quote",
        ),
        (
            '<<EOF"',
            'failed to process "EOF\\"": '
            "unexpected end of statement while looking for matching double-quote",
        ),
        ("<<${", "failed to process \"${\": syntax error: missing '}'"),
        ("<<${}", 'failed to process "${}": syntax error: bad substitution'),
        ("<<${{a}", 'failed to process "${{a}": syntax error: bad substitution'),
        ("<<${a!b}", 'failed to process "${a!b}": unsupported modifier (!) in substitution'),
        ("<<${a", 'failed to process "${a": unsupported modifier (\ufffd) in substitution'),
        ("<<${a:", "failed to process \"${a:\": syntax error: missing '}'"),
        ("<<${a:-x", "failed to process \"${a:-x\": syntax error: missing '}'"),
        ("<<${a/x", "failed to process \"${a/x\": syntax error: missing '/' in ${}"),
        ("<<${a/x/y", "failed to process \"${a/x/y\": syntax error: missing '}'"),
        (
            "<<${a:-${b!}}",
            'failed to process "${a:-${b!}}": unsupported modifier (!) in substitution',
        ),
        (
            "<<E\udcff'",
            'failed to process "E\\xff\'": '
            "unexpected end of statement while looking for matching single-quote",
        ),
    ],
)
def test_parse_heredoc_word_errors(word: str, message: str) -> None:
    with pytest.raises(HeredocError) as info:
        heredoc_from_word(word)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("<<EOF", "EOF"),
        ("<<'EOF'", "EOF"),
        ('<<"EOF"', "EOF"),
        ("<<-EOF", "EOF"),
        ("<<-'EOF'", "EOF"),
        ('<<-"EOF"', "EOF"),
        ('<<EO"F"', "EOF"),
        ("<<EOF sh", None),  # two words
        ("<<", None),
        ("<<-", None),
        ("<EOF", None),
        ("<<<EOF", None),
        ("EOF", None),
        ("", None),
        ("x<<EOF", None),
    ],
)
def test_parse_heredoc_word(word: str, name: str | None) -> None:
    spec = heredoc_from_word(word)
    assert (spec.name if spec else None) == name


def test_double_quote_escapes() -> None:
    # Inside double quotes only \" \$ \\ escape; other backslashes stay.
    assert heredocs('RUN <<"a\\"b\\$c\\\\d\\e"') == [('a"b$c\\d\\e', 0, False, False)]
