"""`dockfix server` driven by a real LSP client (pytest-lsp) over stdio.

One server process serves the whole module. Edits the server returns are
applied here by an independent implementation of LSP positions (UTF-16 code
units, lines ended by CRLF, CR or LF), and compared with what the stdin path
(`dockfix - --stdin-filename PATH`, a real subprocess) prints.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import read_exact

ON_SERVER = pytest.mark.asyncio(loop_scope="module")  # the module's server and event loop

DOCKFIX = str(Path(sys.executable).parent / "dockfix")
CASES = Path(__file__).resolve().parent / "fixes" / "cases"
ENV = {k: v for k, v in os.environ.items() if not k.startswith("DOCKFIX")}

UNTIDY = (
    "FROM python:3.12-slim\n"
    "ENV PYTHONDONTWRITEBYTECODE=1\n"
    "ENV PYTHONUNBUFFERED=1\n"
    'ENV PATH="${PATH}:/opt/venv/bin"\n'
    "RUN apt-get update && apt-get install -y --no-install-recommends curl\n"
    "USER nobody\n"
    "CMD python -m app\n"
)


# --- an LSP client's view of text, written independently of the server ----------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _offset(text: str, position: types.Position) -> int:
    lines = _LINE.findall(text)
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) for line in lines[: position.line])
    content = lines[position.line].rstrip("\r\n")
    units = 0
    for i, char in enumerate(content):
        if units >= position.character:
            assert units == position.character, "a position inside a surrogate pair"
            return start + i
        units += _units(char)
    return start + len(content)


def _position(text: str, offset: int) -> types.Position:
    lines = _LINE.findall(text[:offset])
    last = lines.pop() if lines and not lines[-1].endswith(("\r", "\n")) else ""
    return types.Position(len(lines), _units(last))


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP TextEdits (ranges in the original text) as a client does."""
    spans = sorted(
        ((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


def document_edits(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes is not None
    edits: list[types.TextEdit] = []
    for change in action.edit.document_changes:
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        edits += [e for e in change.edits if isinstance(e, types.TextEdit)]
    return edits


def stdin_output(path: Path, text: str, *args: str) -> str:
    """What `dockfix - --stdin-filename PATH` prints for `text`."""
    done = subprocess.run(
        [DOCKFIX, "-", "--stdin-filename", str(path), *args],
        input=text.encode("utf-8", "surrogateescape"),
        capture_output=True,
        env=ENV,
        timeout=120,
        cwd=path.parent,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8", "surrogateescape")


# --- the server ----------------------------------------------------------------------

REGISTRATIONS: list[types.Registration] = []


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[DOCKFIX, "server"], server_env=ENV),
    scope="module",
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        REGISTRATIONS.extend(params.registrations)

    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


class Session:
    """Documents opened on the module's server, one version at a time."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client

    async def diagnostics(self, uri: str) -> Sequence[types.Diagnostic]:
        for _ in range(1000):
            found = self.client.diagnostics.pop(uri, None)
            if found is not None:
                return found
            await asyncio.sleep(0.01)
        raise AssertionError(f"no diagnostics for {uri}")

    async def open(self, path: Path, text: str, language: str = "dockerfile") -> str:
        uri = path.resolve().as_uri()
        self.client.diagnostics.pop(uri, None)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language, 1, text))
        )
        return uri

    def configure(self, settings: dict[str, Any]) -> None:
        """Send `workspace/didChangeConfiguration` (dockfix's settings)."""
        self.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"dockfix": settings})
        )

    async def close(self, uri: str) -> None:
        """Close the document, and wait for the server to clear its diagnostics
        (else that empty list may arrive after the document is opened again)."""
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        for _ in range(1000):
            found = self.client.diagnostics.pop(uri, None)
            if found is not None and not found:  # an empty list (or tuple)
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"diagnostics of {uri} not cleared")

    async def actions(
        self, uri: str, where: types.Range, only: list[str] | None = None
    ) -> list[types.CodeAction]:
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                where,
                types.CodeActionContext(diagnostics=[], only=only),
            )
        )
        return [a for a in result or [] if isinstance(a, types.CodeAction)]

    async def format(self, uri: str) -> list[types.TextEdit]:
        edits = await self.client.text_document_formatting_async(
            types.DocumentFormattingParams(
                types.TextDocumentIdentifier(uri), types.FormattingOptions(4, True)
            )
        )
        return list(edits or [])

    async def fix_all(self, uri: str, text: str) -> str:
        whole = types.Range(types.Position(0, 0), _position(text, len(text)))
        found = await self.actions(uri, whole, only=["source.fixAll"])
        assert [a.kind for a in found] == ["source.fixAll.dockfix"]
        if found[0].disabled is not None:
            raise AssertionError(found[0].disabled.reason)
        return apply(text, document_edits(found[0], uri))


@pytest.fixture
def session(client: LanguageClient) -> Session:
    return Session(client)


# --- diagnostics, quick fixes, hover ------------------------------------------------------


@ON_SERVER
async def test_diagnostics_name_the_fix_and_cover_the_instruction(
    session: Session, tmp_path: Path
) -> None:
    uri = await session.open(tmp_path / "Dockerfile", UNTIDY)
    diagnostics = await session.diagnostics(uri)
    by_code = {d.code: d for d in diagnostics}
    assert {"DF001", "DF002", "DF007", "DF008"} <= set(by_code)
    merge = by_code["DF001"]
    assert merge.source == "dockfix"
    assert merge.severity == types.DiagnosticSeverity.Warning
    assert "[merge-env]" in merge.message
    assert merge.code_description is not None
    assert merge.code_description.href.endswith("/fixes/merge_env.py")
    path = by_code["DF002"]
    assert path.range == types.Range(types.Position(3, 0), types.Position(3, 32))
    cmd = by_code["DF008"]
    assert (cmd.range.start.line, cmd.range.end.line) == (6, 6)
    await session.close(uri)


@ON_SERVER
async def test_each_quick_fix_changes_only_its_finding(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    uri = await session.open(path, UNTIDY)
    diagnostics = await session.diagnostics(uri)
    applied = 0
    for diagnostic in diagnostics:
        found = await session.actions(uri, diagnostic.range, only=["quickfix"])
        fixes = [a for a in found if a.title.startswith("dockfix: ") and "ignore" not in a.title]
        mine = [a for a in fixes if a.diagnostics and a.diagnostics[0].code == diagnostic.code]
        if not mine:
            continue
        text = apply(UNTIDY, document_edits(mine[0], uri))
        assert text != UNTIDY
        # The other findings are all still there; only this one went.
        uri2 = await session.open(tmp_path / f"check{applied}" / "Dockerfile", text)
        after = [d.code for d in await session.diagnostics(uri2)]
        before = [d.code for d in diagnostics]
        assert diagnostic.code not in after
        assert sorted(c for c in before if c != diagnostic.code) == sorted(
            c for c in after if c in before
        )
        # Lines outside the instruction(s) it is about are untouched.
        old_lines, new_lines = UNTIDY.splitlines(), text.splitlines()
        first = diagnostic.range.start.line
        assert old_lines[:first] == new_lines[:first]
        await session.close(uri2)
        applied += 1
    assert applied >= 3
    await session.close(uri)


@ON_SERVER
async def test_ignore_action_inserts_the_suppression_above(
    session: Session, tmp_path: Path
) -> None:
    text = UNTIDY.replace("\n", "\r\n")
    uri = await session.open(tmp_path / "Dockerfile", text)
    diagnostics = await session.diagnostics(uri)
    target = next(d for d in diagnostics if d.code == "DF008")
    found = await session.actions(uri, target.range)
    ignore = next(a for a in found if "ignore json-args" in a.title)
    fixed = apply(text, document_edits(ignore, uri))
    assert fixed == text.replace(
        "CMD python -m app\r\n", "# dockfix: ignore=json-args\r\nCMD python -m app\r\n"
    )
    uri2 = await session.open(tmp_path / "ignored" / "Dockerfile", fixed)
    assert "DF008" not in [d.code for d in await session.diagnostics(uri2)]
    await session.close(uri)
    await session.close(uri2)


@ON_SERVER
async def test_hover_shows_the_fix_documentation(session: Session, tmp_path: Path) -> None:
    uri = await session.open(tmp_path / "Dockerfile", UNTIDY)
    await session.diagnostics(uri)
    hover = await session.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(1, 2))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "DF001 [merge-env]" in hover.contents.value
    assert "## Why is this bad?" in hover.contents.value
    assert "## Fix safety" in hover.contents.value
    nothing = await session.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 2))
    )
    assert nothing is None
    await session.close(uri)


# --- fix-all and formatting against the stdin path ---------------------------------------------


def _cases() -> list[Path]:
    found = []
    for folder in sorted(CASES.iterdir()):
        for case in sorted(folder.iterdir()):
            if case.suffix == ".Dockerfile":
                found.append(case)
            elif (case / "Dockerfile").is_file():
                found.append(case / "Dockerfile")
    return found


CASE_FILES = _cases()


# The stdin path (`dockfix.fastpath` then `runner.run_stdin`, as `dockfix -` runs
# them) over every case in one subprocess: a process per case would take longer
# than all the LSP requests together. Single cases below use the real command.
_STDIN_PATH = """
import io, json, sys
from dockfix.fastpath import parse_stdin_args
from dockfix.runner import run_stdin

request = json.load(sys.stdin)
outputs = {}
for path in request["paths"]:
    options = parse_stdin_args(["-", "--stdin-filename", path, *request["args"]])
    stdin = io.TextIOWrapper(io.BytesIO(open(path, "rb").read()))
    stdout = io.TextIOWrapper(io.BytesIO())
    code = run_stdin(options, stdin, stdout, io.StringIO())
    stdout.flush()
    outputs[path] = [code, stdout.buffer.getvalue().decode("utf-8", "surrogateescape")]
json.dump(outputs, sys.stdout)
"""


@pytest.fixture(scope="module")
def expected() -> dict[tuple[Path, bool], str | None]:
    """The stdin path's output for every case, without and with --unsafe-fixes
    (None where it refuses the file: exit status 2)."""
    import json

    found: dict[tuple[Path, bool], str | None] = {}
    for unsafe in (False, True):
        request = {"paths": [str(p) for p in CASE_FILES], "args": ["--unsafe-fixes"] * unsafe}
        done = subprocess.run(
            [sys.executable, "-c", _STDIN_PATH],
            input=json.dumps(request).encode(),
            capture_output=True,
            env=ENV,
            timeout=300,
            cwd=CASES,
        )
        assert done.returncode == 0, done.stderr.decode()
        for path, (code, text) in json.loads(done.stdout).items():
            assert code in (0, 2)
            found[Path(path), unsafe] = text if code == 0 else None
    return found


@ON_SERVER
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("case", CASE_FILES, ids=[str(c.relative_to(CASES)) for c in CASE_FILES])
async def test_fix_all_and_formatting_equal_the_stdin_path(
    session: Session, expected: dict[tuple[Path, bool], str | None], case: Path, unsafe: bool
) -> None:
    text = read_exact(case)
    if unsafe:
        session.configure({"unsafeFixes": True})
    uri = await session.open(case, text)
    await session.diagnostics(uri)
    want = expected[case, unsafe]
    if want is None:  # the stdin path refuses the file (internal error): so does the server
        whole = types.Range(types.Position(0, 0), _position(text, len(text)))
        [action] = await session.actions(uri, whole, only=["source.fixAll"])
        assert action.disabled is not None and action.edit is None
        with pytest.raises(JsonRpcException):
            await session.format(uri)
        await session.close(uri)
        if unsafe:
            session.configure({})
        return
    assert await session.fix_all(uri, text) == want
    edits = await session.format(uri)
    assert apply(text, edits) == want
    for edit in edits:  # whole lines only
        assert edit.range.start.character == 0
        end = edit.range.end
        assert end.character == 0 or _offset(text, end) == len(text)
    await session.close(uri)
    if unsafe:
        session.configure({})


@ON_SERVER
async def test_formatting_edits_only_the_changed_lines(session: Session, tmp_path: Path) -> None:
    lines = [f"LABEL n{i}=v{i}\n" for i in range(10)]
    lines[5] = 'ENV PATH="$PATH:/opt/venv/bin"\n'
    text = "FROM python:3.12-slim\n" + "".join(lines)
    uri = await session.open(tmp_path / "Dockerfile", text)
    await session.diagnostics(uri)
    edits = await session.format(uri)
    assert edits == [
        types.TextEdit(
            types.Range(types.Position(6, 0), types.Position(7, 0)),
            'ENV PATH="/opt/venv/bin:$PATH"\n',
        )
    ]
    await session.close(uri)


@ON_SERVER
async def test_emoji_and_crlf_positions_are_exact(session: Session, tmp_path: Path) -> None:
    text = (
        "FROM python:3.12-slim\r\n"
        'LABEL note="🐳 whale 🐳"\r\n'
        'ENV PATH="${PATH}:/opt/🐳/venv/bin"\r\n'
        "CMD python -m app\r\n"
    )
    path = tmp_path / "Dockerfile"
    uri = await session.open(path, text)
    diagnostics = await session.diagnostics(uri)
    path_prepend = next(d for d in diagnostics if d.code == "DF002")
    # `ENV PATH="${PATH}:/opt/🐳/venv/bin"` is 34 characters, 35 UTF-16 code units.
    assert path_prepend.range.end == types.Position(2, 35)
    want = stdin_output(path, text)
    assert "\r\n" in want and "\n" not in want.replace("\r\n", "")
    assert await session.fix_all(uri, text) == want
    assert apply(text, await session.format(uri)) == want
    # An incremental change after the emoji, in UTF-16 columns.
    after_whale = types.Position(1, _units('LABEL note="🐳'))
    session.client.diagnostics.pop(uri, None)
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=2, uri=uri),
            [
                types.TextDocumentContentChangePartial(
                    range=types.Range(after_whale, after_whale), text=" big"
                )
            ],
        )
    )
    await session.diagnostics(uri)
    changed = text.replace("🐳 whale", "🐳 big whale")
    assert apply(changed, await session.format(uri)) == stdin_output(path, changed)
    await session.close(uri)


# --- robustness ------------------------------------------------------------------------------


@ON_SERVER
async def test_unterminated_heredoc_is_one_diagnostic_and_the_server_answers(
    session: Session, tmp_path: Path
) -> None:
    text = "FROM alpine\nRUN <<EOF\necho hello\n"
    uri = await session.open(tmp_path / "Dockerfile", text)
    diagnostics = await session.diagnostics(uri)
    assert len(diagnostics) == 1
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert diagnostics[0].range.start.line == 1
    assert "heredoc" in diagnostics[0].message
    assert await session.format(uri) == []
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=2, uri=uri),
            [
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(3, 0), types.Position(3, 0)), text="EOF\n"
                )
            ],
        )
    )
    repaired = await session.diagnostics(uri)
    assert all(d.severity == types.DiagnosticSeverity.Warning for d in repaired)
    await session.close(uri)


@ON_SERVER
async def test_requests_for_unknown_or_closed_documents_fail(
    session: Session, tmp_path: Path
) -> None:
    uri = (tmp_path / "never-opened" / "Dockerfile").as_uri()
    with pytest.raises(JsonRpcException):
        await session.format(uri)
    with pytest.raises(JsonRpcException):
        await session.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0))
        )
    closed = await session.open(tmp_path / "Dockerfile", UNTIDY)
    await session.diagnostics(closed)
    await session.close(closed)  # returns once the server cleared its diagnostics
    with pytest.raises(JsonRpcException):
        await session.actions(closed, types.Range(types.Position(0, 0), types.Position(1, 0)))


@ON_SERVER
async def test_other_languages_are_left_alone(session: Session, tmp_path: Path) -> None:
    uri = await session.open(tmp_path / "notes.txt", UNTIDY, language="plaintext")
    assert await session.format(uri) == []
    assert uri not in session.client.diagnostics
    await session.close(uri)


@ON_SERVER
async def test_configuration_is_reloaded_when_it_changes(session: Session, tmp_path: Path) -> None:
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in REGISTRATIONS), (
        "the server watches configuration files"
    )
    config = tmp_path / ".dockfix.toml"
    config.write_text('ignore = ["merge-env"]\n')
    uri = await session.open(tmp_path / "Dockerfile", UNTIDY)
    assert "DF001" not in [d.code for d in await session.diagnostics(uri)]
    config.write_text('ignore = ["json-args"]\n')
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(config.as_uri(), types.FileChangeType.Changed)]
        )
    )
    codes = [d.code for d in await session.diagnostics(uri)]
    assert "DF001" in codes and "DF008" not in codes
    config.write_text("ignore = 3\n")
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(config.as_uri(), types.FileChangeType.Changed)]
        )
    )
    broken = await session.diagnostics(uri)
    assert len(broken) == 1 and "must be a list" in broken[0].message
    await session.close(uri)


def _raw(*messages: dict[str, Any], cwd: Path | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Run a server on raw JSON-RPC messages: its exit status and what it sent."""
    import json

    data = b""
    for message in messages:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        data += b"Content-Length: %d\r\n\r\n" % len(body) + body
    done = subprocess.run(
        [DOCKFIX, "server"], input=data, capture_output=True, env=ENV, timeout=60, cwd=cwd
    )
    sent = []
    out = done.stdout
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length:")[1].split(b"\r\n")[0])
        sent.append(json.loads(rest[:length]))
        out = rest[length:]
    return done.returncode, sent


def _exit_status(*messages: dict[str, Any]) -> int:
    return _raw(*messages)[0]


def test_initialization_options_choose_the_fixes(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(UNTIDY)
    options = {"select": ["merge-env", "json-args"], "unsafeFixes": True}
    init = {
        "id": 1,
        "method": "initialize",
        "params": {"capabilities": {}, "initializationOptions": options},
    }
    item = {"uri": path.as_uri(), "languageId": "dockerfile", "version": 1, "text": UNTIDY}
    status, sent = _raw(
        init,
        {"method": "initialized", "params": {}},
        {"method": "textDocument/didOpen", "params": {"textDocument": item}},
        {"id": 2, "method": "shutdown"},
        {"method": "exit"},
    )
    assert status == 0
    published = [m for m in sent if m.get("method") == "textDocument/publishDiagnostics"]
    assert sorted(d["code"] for d in published[0]["params"]["diagnostics"]) == ["DF001", "DF008"]
    bad = {**init, "params": {"capabilities": {}, "initializationOptions": {"select": 3}}}
    _, sent = _raw(
        bad,
        {"method": "textDocument/didOpen", "params": {"textDocument": item}},
        {"id": 2, "method": "shutdown"},
        {"method": "exit"},
    )
    published = [m for m in sent if m.get("method") == "textDocument/publishDiagnostics"]
    [only] = published[0]["params"]["diagnostics"]
    assert "initialization options" in only["message"] and only["severity"] == 1


def test_exit_status_follows_shutdown() -> None:
    init = {"id": 1, "method": "initialize", "params": {"capabilities": {}}}
    shutdown = {"id": 2, "method": "shutdown"}
    exit_ = {"method": "exit"}
    assert _exit_status(init, shutdown, exit_) == 0
    assert _exit_status(init, exit_) == 1


def test_the_server_does_not_import_typer(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dockfix", "server"],
        input=b"",
        capture_output=True,
        env=ENV,
        timeout=60,
        cwd=tmp_path,
    )
    imported = done.stderr.decode()
    assert "pygls" in imported
    assert "typer" not in imported and "click" not in imported


def test_a_crashing_fix_is_one_diagnostic_naming_it(tmp_path: Path) -> None:
    """In the server's analysis (in this process: a fix that crashes cannot be
    slipped into the installed server without changing its code)."""
    from collections.abc import Iterator

    from dockfix.config import Settings
    from dockfix.lsp.analysis import analyse
    from dockfix.lsp.text import LineIndex
    from dockfix.registry import FixModule, lookup
    from dockfix.rule import Context, Finding, Rule, Safety
    from dockfix.tree import Dockerfile

    def crash(tree: Dockerfile, context: Context) -> Iterator[Finding]:
        raise RuntimeError("boom")
        yield  # a generator, like the fixes

    crasher = FixModule(Rule("DF999", "crasher", "test", Safety.SAFE), crash, "")
    path = tmp_path / "Dockerfile"
    analysis = analyse(
        UNTIDY, LineIndex(UNTIDY), path, tmp_path, Settings(), fixes=[crasher, lookup("merge-env")]
    )
    errors = [d for d in analysis.diagnostics if d.severity == types.DiagnosticSeverity.Error]
    assert [(d.code, "crasher" in d.message, "boom" in d.message) for d in errors] == [
        ("DF999", True, True)
    ]
    assert [d.code for d in analysis.diagnostics if d not in errors] == ["DF001"]


@ON_SERVER
async def test_a_quick_fix_that_creates_a_file(session: Session) -> None:
    case = CASES / "dockerignore" / "python_context" / "Dockerfile"
    text = read_exact(case)
    uri = await session.open(case, text)
    diagnostics = await session.diagnostics(uri)
    target = next(d for d in diagnostics if d.code == "DF012")
    found = await session.actions(uri, target.range, only=["quickfix"])
    [create] = [a for a in found if "unsafe fix" in a.title]
    assert create.edit is not None and create.edit.document_changes is not None
    created = (case.parent / ".dockerignore").resolve().as_uri()
    kinds = [type(c).__name__ for c in create.edit.document_changes]
    assert kinds == ["CreateFile", "TextDocumentEdit"]
    first, second = create.edit.document_changes
    assert isinstance(first, types.CreateFile) and first.uri == created
    assert isinstance(second, types.TextDocumentEdit) and second.text_document.uri == created
    [edit] = second.edits
    assert isinstance(edit, types.TextEdit) and ".git\n" in edit.new_text
    assert not (case.parent / ".dockerignore").exists()  # the client creates it, not the server
    await session.close(uri)


@ON_SERVER
async def test_the_build_context_is_located_as_on_the_command_line(
    session: Session, tmp_path: Path
) -> None:
    """A Dockerfile in a subfolder built from the repository's root: the
    server reads the same context as `dockfix PATH`, and its quick fix
    creates the `.dockerignore` where BuildKit reads it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "docker").mkdir()
    (root / "docker" / "entrypoint.sh").write_text("#!/bin/sh\n")
    (root / "package.json").write_text('{"name": "relay"}\n')
    (root / "package-lock.json").write_text('{"lockfileVersion": 3}\n')
    text = "FROM node:20\nWORKDIR /app\nCOPY docker/entrypoint.sh /\nCOPY . .\nRUN npm install\n"
    path = root / "docker" / "Dockerfile"
    path.write_text(text)
    uri = await session.open(path, text)
    by_code = {d.code: d for d in await session.diagnostics(uri)}
    assert (
        "(../, which holds `docker/entrypoint.sh`, is the build context)"
        in by_code["DF012"].message
    )
    assert by_code["DF011"].data == {"name": "dependency-cache", "fix": "unsafe"}
    assert by_code["DF060"].data == {"name": "lock-install", "fix": "unsafe"}
    found = await session.actions(uri, by_code["DF012"].range, only=["quickfix"])
    [create] = [a for a in found if "unsafe fix" in a.title]
    assert create.edit is not None and create.edit.document_changes is not None
    first = create.edit.document_changes[0]
    assert isinstance(first, types.CreateFile)
    assert first.uri == (root / ".dockerignore").resolve().as_uri()
    assert await session.fix_all(uri, text) == stdin_output(path, text)
    await session.close(uri)
    # Without the entrypoint in any folder, the context is unknown: no fix reads it.
    (root / "docker" / "entrypoint.sh").unlink()
    uri = await session.open(root / "docker" / "Dockerfile", text + "\n")
    unknown = [d for d in await session.diagnostics(uri) if d.code in ("DF011", "DF012", "DF060")]
    assert len(unknown) == 3
    assert all("the build context is unknown" in d.message for d in unknown)
    assert all(d.data is not None and d.data["fix"] is None for d in unknown)
    await session.close(uri)
