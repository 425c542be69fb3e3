"""The language server: pygls wiring, open documents, settings and debouncing.

Every request is answered from an `Analysis` of the document's current
version (kept until the next change), so diagnostics, code actions, hover and
formatting agree with each other and with the command line.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from dockfix import __version__
from dockfix.config import CONFIG_NAMES, ConfigError, Settings
from dockfix.core import Overrides, forget_cached_settings, resolve_settings
from dockfix.files import is_dockerfile_name
from dockfix.fixdocs import explain_fix
from dockfix.hadolint_config import NAMES as HADOLINT_NAMES
from dockfix.lsp import actions
from dockfix.lsp.analysis import Analysis, analyse
from dockfix.lsp.text import LineIndex, apply_change, text_edits
from dockfix.registry import UnknownFix, lookup

DEBOUNCE = 0.1  # seconds between the last change and the diagnostics
LANGUAGE_IDS = ("dockerfile", "containerfile")
WATCHED = (*CONFIG_NAMES, *HADOLINT_NAMES, ".dockerignore")
log = logging.getLogger("dockfix.server")


class RequestFailed(JsonRpcException):
    """LSP's RequestFailed: a valid request the server cannot answer."""

    CODE = -32803


@dataclass
class Document:
    uri: str
    language_id: str
    version: int | None
    text: str
    path: Path | None
    analysis: Analysis | None = None  # of the current version; None after a change

    @property
    def is_dockerfile(self) -> bool:
        if self.language_id.lower() in LANGUAGE_IDS:
            return True
        return self.path is not None and is_dockerfile_name(self.path.name)

    @property
    def folder(self) -> Path | None:
        """The document's folder, where its build context is located from, as
        for `--stdin-filename` (dockfix.buildcontext)."""
        if self.path is not None and self.path.parent.is_dir():
            return self.path.parent
        return None


def _overrides(options: Any) -> Overrides:
    """`unsafeFixes`, `select` and `ignore` from initialization options or
    `workspace/didChangeConfiguration` (also under a `dockfix` key)."""
    if isinstance(options, dict) and isinstance(options.get("dockfix"), dict):
        options = options["dockfix"]
    if not isinstance(options, dict):
        return Overrides()

    def names(key: str) -> frozenset[str] | None:
        value = options.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"`{key}` must be a list of fix codes or names")
        return frozenset(v.strip() for v in value if v.strip())

    unsafe = options.get("unsafeFixes")
    if unsafe is not None and not isinstance(unsafe, bool):
        raise ConfigError("`unsafeFixes` must be true or false")
    return Overrides(select=names("select"), ignore=names("ignore"), unsafe_fixes=unsafe)


class _Protocol(LanguageServerProtocol):
    """pygls's protocol without its own copy of the documents: the server keeps
    them (LSP's line breaks only, exact UTF-16 columns). A method without
    pygls's marker is not registered, so the server's features get the calls."""

    lsp_text_document__did_open = None  # type: ignore[assignment]
    lsp_text_document__did_change = None  # type: ignore[assignment]
    lsp_text_document__did_close = None  # type: ignore[assignment]


class DockfixServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("dockfix", __version__, protocol_cls=_Protocol)
        self.documents: dict[str, Document] = {}
        self.overrides = Overrides()
        self.overrides_error: str | None = None
        self.settings: dict[Path | None, Settings | str] = {}  # by folder; str: an error
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.debounce = DEBOUNCE
        self.shut_down = False  # `shutdown` came before `exit` (exit status 0)

    # --- documents -------------------------------------------------------------

    @property
    def encoding(self) -> str:
        capabilities = self.protocol.server_capabilities
        encoding = capabilities.position_encoding if capabilities is not None else None
        return encoding or types.PositionEncodingKind.Utf16

    def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = to_fs_path(item.uri)
        self.documents[item.uri] = Document(
            item.uri, item.language_id, item.version, item.text, Path(path) if path else None
        )
        self.publish(item.uri)

    def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        document = self.documents.get(params.text_document.uri)
        if document is None:
            return  # a change to a document never opened: nothing to update
        for change in params.content_changes:
            document.text = apply_change(document.text, change, self.encoding)
        document.version = params.text_document.version
        document.analysis = None
        self.schedule(document.uri)

    def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        if self.documents.pop(uri, None) is not None:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )

    def document(self, uri: str) -> Document:
        """An open document; for any other, the request fails."""
        document = self.documents.get(uri)
        if document is None:
            raise RequestFailed(f"dockfix: document not open: {uri}")
        return document

    # --- settings and analysis ---------------------------------------------------

    def settings_for(self, document: Document) -> Settings | str:
        """The closest configuration for the document, with the editor's options
        on top (an error message instead when either cannot be used)."""
        if self.overrides_error is not None:
            return self.overrides_error
        folder = document.path.parent if document.path is not None else None
        if folder not in self.settings:
            try:
                self.settings[folder] = resolve_settings(document.path, self.overrides)
            except ConfigError as e:
                self.settings[folder] = str(e)
        return self.settings[folder]

    def analysis(self, document: Document) -> Analysis:
        if document.analysis is None:
            settings = self.settings_for(document)
            document.analysis = analyse(
                document.text,
                LineIndex(document.text, self.encoding),
                document.path,
                document.folder,
                settings if isinstance(settings, Settings) else None,
                settings if isinstance(settings, str) else None,
            )
        return document.analysis

    def reconfigure(self) -> None:
        """Configuration changed: read it again and re-analyse every document."""
        forget_cached_settings()
        self.settings.clear()
        for document in self.documents.values():
            document.analysis = None
            self.publish(document.uri)

    # --- diagnostics ------------------------------------------------------------------

    def schedule(self, uri: str) -> None:
        """Publish diagnostics once changes pause for `debounce` seconds."""
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.publish(uri)
            return
        self.pending[uri] = loop.call_later(self.debounce, self.publish, uri)

    def publish(self, uri: str) -> None:
        self.pending.pop(uri, None)
        document = self.documents.get(uri)
        if document is None or not document.is_dockerfile:
            return
        analysis = self.analysis(document)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=document.version, diagnostics=analysis.diagnostics
            )
        )


server = DockfixServer()


@server.feature(types.INITIALIZE)
def initialize(ls: DockfixServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    try:
        ls.overrides = _overrides(options)
        ls.overrides_error = None
    except ConfigError as e:
        ls.overrides_error = f"initialization options: {e}"
    delay = options.get("diagnosticsDelay") if isinstance(options, dict) else None
    if isinstance(delay, int | float) and not isinstance(delay, bool) and delay >= 0:
        ls.debounce = delay / 1000


@server.feature(types.INITIALIZED)
async def initialized(ls: DockfixServer, params: types.InitializedParams) -> None:
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    if watched is None or not watched.dynamic_registration:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in WATCHED]
    )
    registration = types.Registration(
        id="dockfix-configuration",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    try:
        await ls.client_register_capability_async(types.RegistrationParams([registration]))
    except Exception as e:  # an old client: configuration is read at start only
        log.warning("could not watch configuration files: %s", e)


@server.feature(types.SHUTDOWN)
def shutdown(ls: DockfixServer, params: None) -> None:
    ls.shut_down = True
    for handle in ls.pending.values():
        handle.cancel()
    ls.pending.clear()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: DockfixServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.did_open(params)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: DockfixServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.did_change(params)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: DockfixServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.did_close(params)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: DockfixServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.reconfigure()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: DockfixServer, params: types.DidChangeConfigurationParams) -> None:
    if params.settings:
        try:
            ls.overrides = _overrides(params.settings)
            ls.overrides_error = None
        except ConfigError as e:
            ls.overrides_error = f"settings: {e}"
    ls.reconfigure()


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL],
        resolve_provider=False,
    ),
)
def code_action(ls: DockfixServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    document = ls.document(params.text_document.uri)
    if not document.is_dockerfile:
        return []
    analysis = ls.analysis(document)
    only = list(params.context.only) if params.context.only is not None else None
    found: list[types.CodeAction] = []
    if actions.wanted(types.CodeActionKind.QuickFix, only):
        start = analysis.index.offset(params.range.start)
        end = analysis.index.offset(params.range.end)
        create = _can_create_files(ls)
        for loc in analysis.at(start, end):
            action = actions.quick_fix(analysis, loc, document.uri, document.version, create)
            if action is not None:
                found.append(action)
            found.append(actions.ignore(analysis, loc, document.uri, document.version))
    if actions.wanted(actions.FIX_ALL, only) and analysis.tree is not None:
        found.append(actions.fix_all(analysis, document.uri, document.version))
    return found


def _can_create_files(ls: DockfixServer) -> bool:
    workspace = ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace is not None else None
    operations = (edit.resource_operations or []) if edit is not None else []
    return bool(edit and edit.document_changes) and types.ResourceOperationKind.Create in operations


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(
    ls: DockfixServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit] | None:
    """The fix-all result as edits of the changed lines only."""
    document = ls.document(params.text_document.uri)
    if not document.is_dockerfile:
        return None
    analysis = ls.analysis(document)
    if analysis.tree is None:
        return None  # does not parse (or no configuration): the diagnostic says why
    result = analysis.fixed()
    if result.failure is not None:
        raise RequestFailed(f"dockfix: {result.failure.message}")
    assert result.output is not None
    return text_edits(analysis.text, result.output, analysis.index)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: DockfixServer, params: types.HoverParams) -> types.Hover | None:
    """On a finding: its fix's documentation (`dockfix --explain`)."""
    document = ls.document(params.text_document.uri)
    if not document.is_dockerfile:
        return None
    analysis = ls.analysis(document)
    offset = analysis.index.offset(params.position)
    here = analysis.at(offset, offset)
    if not here:
        return None
    parts: list[str] = []
    for loc in here:
        try:
            text = explain_fix(lookup(loc.finding.rule.code))
        except UnknownFix:
            continue
        if text not in parts:
            parts.append(text)
    first = here[0]
    return types.Hover(
        contents=types.MarkupContent(types.MarkupKind.Markdown, "\n---\n\n".join(parts)),
        range=analysis.index.range(first.start, first.end),
    )


def main(argv: list[str]) -> int:
    """`dockfix server [--stdio]`: serve LSP over stdin and stdout."""
    if any(a in ("-h", "--help") for a in argv):
        sys.stdout.write(
            "usage: dockfix server [--stdio]\n\n"
            "Run dockfix's language server over stdin/stdout (LSP).\n"
        )
        return 0
    unknown = [a for a in argv if a != "--stdio"]
    if unknown:
        sys.stderr.write(f"dockfix server: unknown argument(s): {' '.join(unknown)}\n")
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    server.start_io()
    return 0 if server.shut_down else 1
