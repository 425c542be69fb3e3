"""Unified diffs that `git apply` and `patch -p1` accept.

difflib alone is not enough: it splits on any line break (a lone CR inside a
line would become a line), and it says nothing when a file does not end with a
newline. Here lines are split on LF only, so CRLF endings travel inside the
diff lines, and a line without a final newline is followed by the
`\\ No newline at end of file` marker.
"""

from __future__ import annotations

import re

_LINES = re.compile(r"[^\n]*\n|[^\n]+\Z")
NO_NEWLINE = "\\ No newline at end of file\n"


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on LF only."""
    return _LINES.findall(text)


def header_path(path: str) -> str:
    """`path` as git writes it after `a/` and `b/`: no leading `/` or `./`, so
    `a//tmp/x` is `a/tmp/x` (applied with `-p1` from `/`, as git diff
    --no-index writes absolute paths)."""
    while True:
        if path.startswith("/"):
            path = path[1:]
        elif path.startswith("./"):
            path = path[2:]
        else:
            return path


def unified_diff(before: str, after: str, path: str, context: int = 3) -> str:
    """A unified diff of `before` → `after` with `a/` and `b/` headers."""
    if before == after:
        return ""
    path = header_path(path)
    a, b = split_lines(before), split_lines(after)
    out: list[str] = []
    import difflib  # only when a diff is made

    for line in difflib.unified_diff(
        a, b, fromfile=f"a/{path}", tofile=f"b/{path}", n=context, lineterm="\n"
    ):
        if line.startswith(("---", "+++", "@@")):
            out.append(line if line.endswith("\n") else line + "\n")
            continue
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n" + NO_NEWLINE)
    return "".join(out)


def new_file_diff(after: str, path: str) -> str:
    """A diff that creates `path` with `after` as its content."""
    path = header_path(path)
    lines = split_lines(after)
    out = [
        f"diff --git a/{path} b/{path}\n",
        "new file mode 100644\n",
        "--- /dev/null\n",
        f"+++ b/{path}\n",
        f"@@ -0,0 +1,{len(lines)} @@\n",
    ]
    for line in lines:
        out.append("+" + line)
        if not line.endswith("\n"):
            out.append("\n" + NO_NEWLINE)
    return "".join(out)


def colorize(diff: str) -> str:
    """ANSI colours for a terminal, as git shows diffs."""
    colored = []
    for line in split_lines(diff):
        if line.startswith(("+++", "---")):
            colored.append(f"\x1b[1m{line.rstrip(chr(10))}\x1b[0m\n")
        elif line.startswith("@@"):
            colored.append(f"\x1b[36m{line.rstrip(chr(10))}\x1b[0m\n")
        elif line.startswith("+"):
            colored.append(f"\x1b[32m{line.rstrip(chr(10))}\x1b[0m\n")
        elif line.startswith("-"):
            colored.append(f"\x1b[31m{line.rstrip(chr(10))}\x1b[0m\n")
        else:
            colored.append(line)
    return "".join(colored)
