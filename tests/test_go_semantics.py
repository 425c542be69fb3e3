"""Go and BuildKit behaviour reproduced in dockfix.gocompat."""

from __future__ import annotations

import pytest

from dockfix.gocompat import (
    HeredocError,
    NotJSONArray,
    NotStringArray,
    go_quote,
    heredoc_from_word,
    heredocs_from_line,
    is_go_space,
    parse_json_array,
)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", '"plain"'),
        ('say "hi" \\ now', '"say \\"hi\\" \\\\ now"'),
        ("a\tb\nc\r\x07\x08\x0b\x0c", '"a\\tb\\nc\\r\\a\\b\\v\\f"'),
        ("\x01\x7f", '"\\x01\\x7f"'),
        ("\xa0\u200b", '"\\u00a0\\u200b"'),
        ("é☃♥😀", '"é☃♥😀"'),
        ("\udcff", '"\\xff"'),  # a byte that was not UTF-8
        ("\U000e0001", '"\\U000e0001"'),  # a format character outside the BMP
    ],
)
def test_go_quote(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


def test_go_space_differs_from_python_isspace() -> None:
    assert is_go_space("\x85") and is_go_space("\u3000") and is_go_space("\v")
    assert not is_go_space("\x1c") and "\x1c".isspace()


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("[]", []),
        ('[ "a", "b" ]', ["a", "b"]),
        ('  ["x"]  ', ["x"]),
        ('["\\u0000"]', ["\x00"]),
        ('["\\ud800"]', ["\ufffd"]),
        ('["\\u2603"]', ["☃"]),
    ],
)
def test_json_arrays(text: str, items: list[str]) -> None:
    assert parse_json_array(text) == items


@pytest.mark.parametrize(
    "text", ['["a",]', "['a']", '["a"] x', "[NaN]", "[1e400]", "not json", '"[]"', '["a"']
)
def test_not_json_arrays(text: str) -> None:
    with pytest.raises(NotJSONArray):
        parse_json_array(text)


@pytest.mark.parametrize("text", ["[1]", '["a", true]', "[null]", '[["a"]]', '[{"a": 1}]'])
def test_non_string_elements(text: str) -> None:
    with pytest.raises(NotStringArray):
        parse_json_array(text)


def names(line: str) -> list[tuple[str, int, bool, bool]]:
    return [(h.name, h.file_descriptor, h.expand, h.chomp) for h in heredocs_from_line(line)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("RUN <<EOF", [("EOF", 0, True, False)]),
        ("RUN cat <<EOF", [("EOF", 0, True, False)]),
        ("COPY <<FILE1 <<FILE2 /dest", [("FILE1", 0, True, False), ("FILE2", 0, True, False)]),
        ("RUN 3<<EOF cat", [("EOF", 3, True, False)]),
        ("RUN <<-EOF", [("EOF", 0, True, True)]),
        ("RUN <<'EOF'", [("EOF", 0, False, False)]),
        ('RUN <<"EOF"', [("EOF", 0, False, False)]),
        ('RUN <<EO"F"', [("EOF", 0, False, False)]),
        ("RUN <<'one two'", [("one two", 0, False, False)]),
        ("RUN <<$EOF", [("$EOF", 0, True, False)]),
        ("RUN <<EOF python3", [("EOF", 0, True, False)]),
        ("RUN <<-\\EOT", [("EOT", 0, True, True)]),
        ("RUN << EOF", []),
        ("RUN <<<EOF", []),
        ("RUN cat<<EOF", []),
        ('RUN echo "<<EOF"', []),
        ("RUN <<'EOF", []),  # the line does not split: no heredocs
        ("RUN echo ${", []),
    ],
)
def test_heredoc_words(line: str, expected: list[tuple[str, int, bool, bool]]) -> None:
    assert names(line) == expected


def test_unbalanced_quote_in_a_heredoc_word_is_an_error() -> None:
    # A whole line with an unbalanced quote does not split, so it has no
    # heredocs (above); a single word that does is BuildKit's ParseHeredoc error.
    with pytest.raises(HeredocError):
        heredoc_from_word("<<'EOF")
    assert heredoc_from_word("<<EOF") is not None
