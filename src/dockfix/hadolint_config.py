"""The `ignored` rules of a hadolint configuration, which dockfix honours.

A team that switched a hadolint rule off (`.hadolint.yaml`: `ignored: [DL3008]`)
does not want dockfix to enforce it, so fixes related to those rules are off
for the files that configuration covers. hadolint reads the file from the
working directory or the user's config folders; dockfix looks for the one
closest to the Dockerfile, walking up, so a monorepo's sub-projects can differ.
Only the `ignored` key is read: as a block list (`- DL3008`) or a flow list
(`[DL3008, DL3009]`); the rest of the file is not dockfix's business.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

NAMES = (".hadolint.yaml", ".hadolint.yml")
_FLOW = re.compile(r"^ignored\s*:\s*\[([^\]]*)\]", re.MULTILINE)
_BLOCK = re.compile(r"^ignored\s*:\s*(?:#.*)?\n((?:[ \t]*(?:-[^\n]*|#[^\n]*)?\n)*)", re.MULTILINE)
_ITEM = re.compile(r"^[ \t]*-[ \t]*['\"]?([A-Za-z]+[0-9]+)['\"]?", re.MULTILINE)


def ignored_rules(text: str) -> frozenset[str]:
    """The rule codes under `ignored:` in a hadolint YAML configuration."""
    flow = _FLOW.search(text)
    if flow:
        return frozenset(i.strip().strip("'\"") for i in flow.group(1).split(",") if i.strip())
    block = _BLOCK.search(text + "\n")
    if block:
        return frozenset(_ITEM.findall(block.group(1)))
    return frozenset()


@lru_cache(maxsize=256)
def ignored_for(folder: Path) -> frozenset[str]:
    """The rules ignored by the hadolint configuration closest to `folder`."""
    for name in NAMES:
        candidate = folder / name
        if candidate.is_file():
            try:
                return ignored_rules(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                return frozenset()
    parent = folder.parent
    return frozenset() if parent == folder else ignored_for(parent)
