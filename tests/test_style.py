"""The file's own conventions (dockfix.style), read from real Dockerfile text."""

from __future__ import annotations

import dockfix
from dockfix.build import continued
from dockfix.style import DEFAULT_INDENT, Style, case_counts, style_of

UPPER_END_AND = (
    "FROM debian:12 AS build\n"
    "RUN apt-get update && \\\n"
    "  apt-get install -y curl && \\\n"
    "  rm -rf /var/lib/apt/lists/*\n"
    "\n"
    'ENV APP_HOME="/app" \\\n'
    '  LANG="C.UTF-8"\n'
    "\n"
    "WORKDIR /app\n"
)

LOWER_START_AND = (
    "arg BASE=alpine:3.20\n"
    "ARG OTHER=1\n"
    "ARG THIRD=2\n"
    "from ${BASE}\n"
    "run apk add --no-cache curl \\\n"
    "\t&& adduser -D app \\\n"
    "\t&& mkdir /data\n"
    "copy . /src\n"
    "Env A=1\n"
)


def test_defaults_when_the_file_shows_nothing() -> None:
    style = style_of(dockfix.parse("FROM scratch\nCOPY a /a\n"))
    assert style == Style()
    assert style.indent == DEFAULT_INDENT
    # Quoted only where a variable is expanded, as most Dockerfiles write them.
    assert style.quote is None
    assert style.value("/opt/venv") == "/opt/venv"
    assert style.value("/opt/venv/bin:$PATH") == '"/opt/venv/bin:$PATH"'
    assert style.value('say "hi"') is None


def test_upper_case_end_ands_two_space_indent_quotes_and_blank_lines() -> None:
    tree = dockfix.parse(UPPER_END_AND)
    style = tree.style
    assert style.upper
    assert style.indent == "  "
    assert not style.and_first
    assert style.quote
    assert style.blank_lines
    assert style.and_lines(["a", "b", "c"]) == "a && \\\n  b && \\\n  c"
    assert style.value("/opt/venv") == '"/opt/venv"'
    assert style.instruction("user", "app").code == "USER app\n"


def test_lower_case_majority_counts_as_buildkit_does() -> None:
    tree = dockfix.parse(LOWER_START_AND)
    # The ARGs before FROM are not counted; `Env` (mixed) counts for no side.
    assert case_counts(tree) == (3, 0)
    style = tree.style
    assert not style.upper
    assert style.indent == "\t"
    assert style.and_first
    assert style.and_lines(["a", "b"]) == "a \\\n\t&& b"
    assert style.instruction("USER", "app").code == "user app\n"
    assert not style.blank_lines
    assert style.quote is False  # `Env A=1`
    assert style.value("/opt/venv") == "/opt/venv"


def test_a_tie_is_upper_case() -> None:
    tree = dockfix.parse("from alpine\nrun true\nCOPY a /a\nUSER 1000\n")
    assert case_counts(tree) == (2, 2)
    assert tree.style.upper


def test_crlf_and_backtick_escape() -> None:
    text = "# escape=`\r\nFROM mcr.microsoft.com/windows/servercore\r\nRUN a `\r\n   && b\r\n"
    style = dockfix.parse(text).style
    assert style.newline == "\r\n"
    assert style.escape == "`"
    assert style.indent == "   "
    assert style.and_lines(["x", "y"]) == "x `\r\n   && y"
    assert style.instruction("user", "app").code == "USER app\r\n"


def test_indent_of_command_lines_wins_over_package_lists() -> None:
    text = (
        "FROM debian\n"
        "RUN apt-get update \\\n"
        "    && apt-get install -y \\\n"
        "        curl \\\n"
        "        git \\\n"
        "        make \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
    )
    assert dockfix.parse(text).style.indent == "    "


def test_heredoc_bodies_do_not_count() -> None:
    text = "FROM debian\nRUN <<EOF\n  set -e &&\n  echo hi\nEOF\nRUN a && \\\n      b\n"
    style = dockfix.parse(text).style
    assert style.indent == "      "
    assert not style.and_first


def test_values_that_need_quotes_do_not_vote() -> None:
    text = 'FROM alpine\nENV A="two words" B=plain\nLABEL c="x y" d=z\n'
    style = dockfix.parse(text).style
    assert style.quote is False
    assert style.value("/opt/venv/bin:$PATH") == "/opt/venv/bin:$PATH"


def test_style_is_computed_once_per_tree() -> None:
    tree = dockfix.parse(UPPER_END_AND)
    assert tree.style is tree.style


def test_continued_follows_the_style() -> None:
    style = dockfix.parse(LOWER_START_AND).style
    env = continued("ENV", ["A=1", "B=2"], style=style)
    assert env.code == "env A=1 \\\n\tB=2\n"
    crlf = dockfix.parse("FROM a\r\nENV A=1 \\\r\n  B=2\r\n").style
    assert continued("env", ["X=1", "Y=2"], style=crlf).code == "ENV X=1 \\\r\n  Y=2\r\n"


def test_continuation_indent_is_relative_to_the_instruction() -> None:
    text = "FROM alpine AS base\n  RUN a \\\n      && b\n  RUN c \\\n      && d\n"
    style = dockfix.parse(text).style
    assert style.indent == "    "
    env = continued("ENV", ["A=1", "B=2"], indent="  ", style=style)
    assert env.code == "  ENV A=1 \\\n      B=2\n"


ALIGNED = (
    "FROM        python:3.12-alpine\n"
    "\n"
    "LABEL       author=me\n"
    "RUN         apk add --no-cache curl \\\n"
    "\t\t\t\t&& adduser -D app\n"
    "USER        app\n"
    "ENV         USER=app HOME=/home/app\n"
    "WORKDIR     /home/app\n"
    'ENTRYPOINT  ["/entrypoint.sh"]\n'
    "HEALTHCHECK CMD true\n"
)


def test_aligned_arguments_give_the_column() -> None:
    style = style_of(dockfix.parse(ALIGNED))
    assert style.column == 12
    assert style.text("env", "A=1") == "ENV         A=1\n"
    # A keyword too long for the column keeps one space.
    assert style.gap("HEALTHCHECK") == " "
    assert style.gap("ENTRYPOINT") == "  "
    # Continued pairs start in the column; command lines keep the file's indent.
    assert style.item_indent() == " " * 12
    assert style.indent == "\t\t\t\t"
    env = continued("env", ["A=1", "B=2"], style=style)
    assert env.code == "ENV         A=1 \\\n            B=2\n"


def test_padding_on_a_few_lines_is_not_alignment() -> None:
    # Two padded instructions, or padding to different columns, align nothing.
    two = "FROM alpine\nENV  A=1\nRUN  true\nUSER app\nWORKDIR /app\nCOPY . .\n"
    assert style_of(dockfix.parse(two)).column == 0
    mixed = (
        'FROM alpine\nENV  A=1\nRUN   true\nUSER    app\nCOPY     . .\nWORKDIR /app\nCMD ["sh"]\n'
    )
    assert style_of(dockfix.parse(mixed)).column == 0
    # Most instructions unpadded: three padded ones are the exception.
    few = "FROM alpine\n" + "RUN true\n" * 8 + "ENV   A=1\nENV   B=2\nENV   C=3\n"
    assert style_of(dockfix.parse(few)).column == 0
    assert style_of(dockfix.parse(UPPER_END_AND)).column == 0
