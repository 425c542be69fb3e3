"""## What it does
Replaces `ADD` with `COPY` where `ADD` only copies local files and folders:
`ADD . /app` becomes `COPY . /app`. An `ADD` that downloads (a URL), clones
(a git source), checks a checksum (`--checksum`), keeps a `.git` folder
(`--keep-git-dir`), says whether to extract (`--unpack`), writes a heredoc,
or extracts an archive stays `ADD`.

## Why is this bad?
`ADD` does more than copy: it downloads URLs, clones git repositories and
extracts local tar archives (compressed or not) into the destination. Docker's
best practices and hadolint (DL3020) ask for `COPY` whenever none of that is
meant, so that a reader, and the build, do not have to guess whether a file
will be extracted.

## Example
```dockerfile
ADD requirements.txt /app/
```

Use instead:
```dockerfile
COPY requirements.txt /app/
```

## Fix safety
For local sources BuildKit builds `ADD` and `COPY` as the same copy, with one
difference: `ADD` asks to extract each source *file* that is an archive
(dockerfile2llb sets AttemptUnpack; `solver/llbsolver/file/unpack.go` then
extracts a file when Go's tar reader reads a header from it, after
decompressing gzip, bzip2, xz or zstd found by their magic bytes, whatever
the file's name). Folders are never extracted, nor the files inside them.

So the fix is safe when every source is known from the build context: `.`,
a path ending in `/` (both folders), a folder, or a file that is not an
archive by its content; wildcards are expanded as BuildKit expands them, and
every match is checked. A file found to be an archive is reported and left
alone (rename it or keep `ADD` on purpose). When the context does not show a
source (it is absent: the build context may be elsewhere, or the file made
before the build) and its name is not an archive's (`.tar`, `.gz`, `.tgz`,
`.xz`, `.zst`, …, or a wildcard at its end), the fix is unsafe: the name
suggests a plain file, but nothing proves it. The same holds for a path with
a variable inside (`ADD app/$VERSION/nginx.conf /etc/nginx/`) that starts
with a literal folder (so the variable cannot make it a URL or a git source)
and ends with a literal name that is not an archive's (or a `*` pattern with
a literal extension that is not, `*.conf`); a source that starts
with a variable (`ADD $PACKAGE_URL /tmp/`) may be anything and is reported
only.
A variable whose value is known is read as BuildKit expands it first: one
set by an `ENV` of the file (in the stage or a stage it is built FROM) to a
value without a build argument or a variable of the base image in it
(`ENV PKG=jdk/` then `ADD $PKG /`) is checked like the path it expands to.

The build context is `--build-context` when given, else the folder that
holds the Dockerfile's own `COPY`/`ADD` sources (its own folder, or the one
folder above it that holds them all; see "Build context" in the README).
When that is unknown (no folder, or several, hold them), nothing is proven
from it: only `.` and paths ending in `/` are safe, other names are unsafe
as above (the message says why), archive names are reported.

The post-condition checks that only the `ADD` steps became `COPY` steps of
the same sources, destination and flags. The keyword takes the file's case
(as BuildKit's ConsistentInstructionCasing counts it), `--chown`, `--chmod`,
`--link` and `--exclude` are kept (`COPY` has them), and `ONBUILD ADD` is
left alone.

## Revealed findings
hadolint's `DL3045` (a relative destination with no `WORKDIR` set) reads only
`COPY`: once `ADD app-src ./` is `COPY app-src ./`, it applies to it. The
copy goes where it went before; set a `WORKDIR` to say where that is. So
does `DL3021` (several sources, a destination without a final `/`):
copy-dest-slash adds the `/`, an unsafe fix unless the destination is the
working directory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dockfix import contextfiles
from dockfix.buildcontext import SCP_GIT
from dockfix.contextfiles import Kind
from dockfix.editing import edit
from dockfix.rewrites import add_becomes_copy, rewrites
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import Point, points
from dockfix.style import renamed_keyword
from dockfix.tree import Dockerfile, Instruction
from dockfix.words import WordError, is_unknown, process_word

RULE = Rule(
    code="DF050",
    name="add-to-copy",
    summary="ADD of local files and folders: use COPY",
    safety=Safety.SAFE,
    hadolint="DL3020",
)
TRIGGERS = ("add",)  # one occurs in every file it reports on
POSTCONDITION = rewrites(add_becomes_copy)
_COPY_FLAGS = frozenset({"chown", "chmod", "link", "exclude"})


class _Keep(Exception):
    """ADD must stay: the reason is the message."""


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for node in tree.instructions:
        if node.keyword != "add" or node.heredocs or len(node.reading.args) < 2:
            continue
        finding = _check(tree, context, node)
        if finding is not None:
            yield finding


def _check(tree: Dockerfile, context: Context, node: Instruction) -> Finding | None:
    reading = node.reading
    if any(f.name not in _COPY_FLAGS for f in reading.flags):
        return None  # --checksum, --keep-git-dir, --unpack: ADD on purpose
    sources = reading.args[:-1]
    if any(_remote(s) for s in sources) or any(s.startswith("<<") for s in sources):
        return None
    message = "ADD of local files and folders: use COPY"
    try:
        point = points(tree).get(id(node))
        safety = min((_source(context, s, node.escape, point) for s in sources), key=_rank)
    except _Keep as keep:
        return Finding(RULE, node, f"{message}, or keep ADD on purpose: {keep}")
    if safety is None:
        if all(contextfiles.archive_name(s) for s in sources):
            return None  # hadolint, too, takes the names for archives'
        return Finding(RULE, node, f"{message} ({_unknown(context, sources, node.escape, point)})")
    length, renamed = renamed_keyword(node, tree.style.keyword("copy"))
    fixed = edit(node, 0, length, renamed)
    if safety is Safety.UNSAFE and context.build_context is None:
        message += f" (unsafe: only the names speak; {context.unknown()})"
    return Finding(
        RULE,
        node,
        message,
        Fix((Edit((node,), (fixed,)),), safety, "Use COPY", postcondition=POSTCONDITION),
    )


def _unknown(context: Context, sources: Sequence[str], escape: str, point: Point | None) -> str:
    """Why COPY cannot be offered: the first source nothing can be said of."""
    for source in sources:
        if _source(context, source, escape, point) is not None:
            continue
        first = source.split("/", 1)[0]
        if "$" in first:
            return f"not fixed: `{source}` may name a URL or an archive, which ADD reads as such"
        if "/" in source and "." in first and first not in (".", ".."):
            return f"not fixed: `{source}` may name a git repository (its first part is a host)"
        if contextfiles.archive_name(source):
            return f"not fixed: `{source}` is named like an archive, which ADD extracts"
        return f"not fixed: what `{source}` is cannot be told from its name or the context"
    return "not fixed"


def _rank(safety: Safety | None) -> int:
    return {Safety.SAFE: 2, Safety.UNSAFE: 1, None: 0}[safety]


def _remote(source: str) -> bool:
    """URLs and git sources (BuildKit's isHTTPSource and ParseGitRef, widely)."""
    lowered = source.lower()
    scp = SCP_GIT.match(source) is not None  # `deploy@git.example.com:app.git`
    return "://" in lowered or lowered.startswith("git@") or ".git#" in lowered or scp


def _source(
    context: Context, source: str, escape: str, point: Point | None = None
) -> Safety | None:
    """How safe COPY is for this source: SAFE when proven, UNSAFE when only the
    name says so, None when nothing can be said; _Keep when it is an archive.
    A variable counts when an ENV of the file gave it a value without
    variables (`ENV PKG=jdk/` then `ADD $PKG /`): BuildKit expands it so."""
    try:
        path = process_word(source, lambda name: None, escape)
    except WordError:
        return None
    if "$" in source:
        known = point.word(source) if point is not None else ""
        if not known or is_unknown(known) or "$" in known:
            return _named_through_variable(source)
        path = known
    if not path:
        return None
    if path in (".", "./", "/") or path.endswith("/"):
        return Safety.SAFE  # a folder (a file there is an error for both)
    matches = contextfiles.expand(context, path)
    if not matches:  # not in the context (yet): only the name speaks
        return None if contextfiles.archive_name(path) else Safety.UNSAFE
    for match in matches:
        found = contextfiles.kind(context, match)
        if found is Kind.DIR:
            continue
        if found is Kind.UNKNOWN:
            if match == path:
                return None if contextfiles.archive_name(path) else Safety.UNSAFE
            return None
        if contextfiles.archive_name(match) or found is Kind.ARCHIVE:
            if match == path and contextfiles.archive_name(path):
                return None  # named and made as an archive: ADD is meant
            raise _Keep(f"`{match}` is an archive, which ADD extracts")
    return Safety.SAFE


def _named_through_variable(source: str) -> Safety | None:
    """A path with a variable inside (`app/$VERSION/nginx.conf`): UNSAFE, as for
    a file the context does not show, when the name at its end is literal
    and not an archive's, and it starts with a literal folder, so the
    variable cannot turn it into a URL or a git source; else None (a
    variable may name anything)."""
    first, _, rest = source.partition("/")
    last = source.rsplit("/", 1)[-1]
    if not rest or "$" in first or ":" in first or "\\" in source:
        return None
    if first not in (".", "..") and "." in first:
        return None  # `github.com/…`: a host, which BuildKit may read as a git source
    # `*` may stand in the name when a literal extension ends it (`*.conf`):
    # every match then ends with that extension.
    tail = last.rsplit("*", 1)[-1]
    if not tail or any(c in last for c in "$?[{") or contextfiles.archive_name(last):
        return None
    if "*" in last and "." not in tail:
        return None
    return Safety.UNSAFE
