"""Hypothesis strategies for Dockerfile-like text, shared by the property tests.

The fragments are the pieces that make Dockerfiles hard to read: keywords in
both cases, flags, quotes, escapes in both escape characters, continuations,
comments, heredoc markers and terminators, directives, CR/LF, a BOM and
non-ASCII white space.
"""

from __future__ import annotations

from hypothesis import strategies as st

FRAGMENTS = [
    # keywords
    "FROM", "from", "RUN", "run", "ENV", "LABEL", "ARG", "COPY", "ADD", "CMD", "ENTRYPOINT",
    "ONBUILD", "HEALTHCHECK", "SHELL", "USER", "WORKDIR", "EXPOSE", "VOLUME", "FROBNICATE",
    # white space, escapes, line ends
    " ", "  ", "\t", "\\", "`", "\n", "\r\n", "\r", "\ufeff", "\xa0", "\\\\", "\\ ",
    # comments, quotes, flags, JSON
    "#", "# c", "=", "'", '"', "'a b'", '"a b"', "--mount=type=cache,target=/x",
    "--from=build", "--", "-", "[", "]", ",", '["a", "b"]', "[1]",
    # heredocs
    "<<EOF", "<<-EOF", "<<'EOF'", '<<"E F"', "3<<X", "EOF", "\tEOF", "X",
    # words, variables, pairs
    "a", "$A", "${A:-b}", "${", "a=b", "KEY value", "NONE", "CMD", "&&", "|", "é", "☃",
    # directives
    "# escape=`", "# escape=\\", "# syntax=x", "# check=skip=all", "# escape=x",
]  # fmt: skip

# Any sequence of fragments, and files of lines made of fragments.
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
lines = st.lists(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map(" ".join),
    max_size=12,
).map(lambda ls: "FROM a\n" + "\n".join(ls))
