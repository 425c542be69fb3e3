"""The shell splitter the fixes use to find commands in RUN lines."""

from __future__ import annotations

import pytest

from dockfix.shell import commands, has_comment, tokens, top_level, top_level_operators


def split(script: str) -> list[tuple[str, list[str], str, str]] | None:
    found = commands(script)
    if found is None:
        return None
    return [(c.name, c.args, c.before, c.after) for c in found]


def test_operators_split_commands_and_quotes_do_not() -> None:
    assert split('apt-get update && apt-get install -y "a b" | tee log; echo done') == [
        ("apt-get", ["update"], "", "&&"),
        ("apt-get", ["install", "-y", "a b"], "&&", "|"),
        ("tee", ["log"], "|", ";"),
        ("echo", ["done"], ";", ""),
    ]


def test_substitutions_and_escapes_stay_inside_words() -> None:
    assert split('echo "$(date; echo x)" ${A:-"b c"} \\&\\& `id -u`') == [
        ("echo", ["$(date; echo x)", "${A:-b c}", "&&", "`id -u`"], "", ""),
    ]


def test_assignments_and_reserved_words_are_not_the_command() -> None:
    assert split("DEBIAN_FRONTEND=noninteractive apt-get install -y x") == [
        ("apt-get", ["install", "-y", "x"], "", ""),
    ]
    assert [c[0] for c in split("if true; then apt-get install x; fi") or []] == [
        "true",
        "apt-get",
    ]


def test_spans_point_into_the_script() -> None:
    script = "set -eux;   pip install  -r requirements.txt"
    (_, pip) = commands(script) or ()
    assert script[pip.start : pip.end] == "pip install  -r requirements.txt"
    assert [script[w.start : w.end] for w in pip.words] == [
        "pip",
        "install",
        "-r",
        "requirements.txt",
    ]


def test_case_patterns_are_not_commands() -> None:
    script = 'case "$arch" in (amd64|x86_64) a=1 ;; arm64) echo arm; b ;; *) exit 1 ;; esac; make'
    assert split(script) == [
        ("echo", ["arm"], ")", ";"),
        ("b", [], ";", ";;"),
        ("exit", ["1"], ")", ";;"),
        ("make", [], ";", ""),
    ]


@pytest.mark.parametrize(
    ("script", "outside"),
    [
        ("a && cd /x", True),
        ("(a; cd /x", False),
        ("(a; b) && cd /x", True),
        ("if a; then cd /x", False),
        ("if a; then b; fi; cd /x", True),
        # A pattern's `)` closes no subshell.
        ("case $m in x86_64) a ;; aarch64) b ;; esac; cd /x", True),
        ("case $m in x86_64) cd /x", False),
        ("case $m in (x) case $n in y) b ;; esac ;; esac && cd /x", True),
        ("case $m in x) (a) ;; esac; cd /x", True),
        # Reserved words that are arguments open nothing.
        ("echo if { case && cd /x", True),
    ],
)
def test_top_level(script: str, outside: bool) -> None:
    assert top_level(script, script.rindex("cd /x")) is outside


def test_top_level_operators() -> None:
    assert top_level_operators("a && (b; c) || case $x in y) d ;; esac; e") == [
        "&&",
        "(",
        ")",
        "||",
        ";",
    ]
    assert top_level_operators("echo 'unbalanced") is None


@pytest.mark.parametrize(
    "script", ["cat <<EOF", "echo 'unterminated", 'echo "unterminated', "echo $(never closed"]
)
def test_what_it_cannot_read_is_none(script: str) -> None:
    assert commands(script) is None


def test_comments() -> None:
    assert split("echo a # echo b") == [("echo", ["a"], "", "")]
    assert has_comment("echo a # trailing")
    assert not has_comment("echo 'a # quoted'")


def test_splitting_is_cached() -> None:
    # Several fixes read the same RUN lines; apt-hygiene reads every later one.
    script = "apt-get update && apt-get install -y curl # cached?"
    assert commands(script) is commands(script)


def test_tokens_are_words_and_operators() -> None:
    from dockfix.shell import tokens

    assert tokens("a 'b c' && d # e\nf|g") == ("a", "b c", "&&", "d", "\n", "f", "|", "g")
    assert tokens("echo 'unterminated") is None


def test_edited_only_accepts_only_the_pieces_given() -> None:
    from dockfix.shell import edited_only

    def flag(words: tuple[str, ...]) -> bool:
        return words == ("-y",)

    def clean(words: tuple[str, ...]) -> bool:
        return words in {("-y",), ("&&", "yum", "clean", "all")}

    assert edited_only("yum install x", "yum  install -y x", flag) is None
    assert edited_only("yum install", "yum install -y && yum clean all", clean) is None
    assert edited_only("yum install x", "yum install -y y", flag) is not None
    assert edited_only("yum install x", "yum install", flag) is not None
    drop = edited_only("sudo yum install x", "yum install x", flag, lambda w: w == ("sudo",))
    assert drop is None
    assert edited_only("yum install x", "yum install -y -y x", flag) is None
    assert edited_only("yum install x", "yum install 'x", flag) is not None

    # A word removed and another put in its place: both must be allowed.
    def update(w: tuple[str, ...]) -> bool:
        return w == ("-U",)

    no_cache = lambda w: w == ("--no-cache",)  # noqa: E731
    assert edited_only("apk add -U x", "apk add --no-cache x", no_cache, update) is None
    assert edited_only("apk add -U x", "apk add --no-cachex x", no_cache, update) is not None
    assert edited_only("apk add -q x", "apk add --no-cache x", no_cache, update) is not None


def test_edited_only_finds_the_alignment_that_fits() -> None:
    from dockfix.shell import edited_only

    def update(words: tuple[str, ...]) -> bool:
        return words == ("apk", "update", "&&")

    old = "set -ex && apk update && apk add curl"
    assert edited_only(old, "set -ex && apk add curl", lambda w: False, update) is None
    assert edited_only(old, "set -ex && apk add", lambda w: False, update) is not None


def test_redirections_with_an_ampersand_or_a_bar_are_one_word() -> None:
    """`2>&1`, `>&2`, `<&3` and `>|` are redirections, not `&` (a background
    job) or `|` (a pipe): `a 2>&1 | b` is two commands, not three."""
    found = commands("nginx -v 2>&1 | grep -q x && echo ok >&2; cat <&3 >| f")
    assert found is not None
    assert [(c.name, c.args) for c in found] == [
        ("nginx", ["-v", "2>&1"]),
        ("grep", ["-q", "x"]),
        ("echo", ["ok", ">&2"]),
        ("cat", ["<&3", ">|", "f"]),
    ]
    assert [c.after for c in found] == ["|", "&&", ";", ""]
    assert tokens("a & b") == ("a", "&", "b")
