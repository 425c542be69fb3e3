"""Settings and where they come from.

As in ruff, the configuration closest to a Dockerfile wins: walking up from
its folder, the first `.dockfix.toml`, `dockfix.toml`, or `pyproject.toml`
with a `[tool.dockfix]` table (a pyproject.toml without one is skipped, and
one that does not mention dockfix is not even parsed).
Files are not merged. `--config FILE` applies one file to every path, and
command-line options override whatever file is in force.

    [tool.dockfix]
    select = ["merge-env", "DF002"]   # codes or names; default: all
    ignore = ["python-env"]
    unsafe-fixes = false
    uv-version = "0.9.5"              # what pin-uv pins to
    exclude = ["vendor/"]             # gitignore-style, for directory walks

    [tool.dockfix.per-file-ignores]   # gitignore-style patterns, from this file's folder
    "legacy/**" = ["non-root-user"]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from dockfix.images import Shells

CONFIG_NAMES = (".dockfix.toml", "dockfix.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration file dockfix cannot use."""


@dataclass(frozen=True)
class Settings:
    """The settings for one file, from its configuration and the command line."""

    select: frozenset[str] | None = None  # None: every fix
    ignore: frozenset[str] = frozenset()
    unsafe_fixes: bool = False
    uv_version: str | None = None
    exclude: tuple[str, ...] = ()
    source: Path | None = None  # the file these came from, if any
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    cache_mounts: bool = False  # cache-mounts: the opt-in cache-mounts fix
    # image-shells: globs of image names and the shells of those images
    image_shells: tuple[tuple[str, Shells], ...] = ()

    def ignores_for(self, path: Path) -> frozenset[str]:
        """`ignore` plus the per-file ignores whose pattern matches `path`."""
        if not self.per_file_ignores or self.source is None:
            return self.ignore
        import pathspec

        try:
            relative = path.resolve().relative_to(self.source.parent.resolve()).as_posix()
        except ValueError:
            return self.ignore
        extra: set[str] = set()
        for pattern, names in self.per_file_ignores:
            if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relative):
                extra |= names
        return self.ignore | extra

    def with_cli(self, **overrides: Any) -> Settings:
        """These settings with the command line's options on top."""
        given = tuple((k, v) for k, v in overrides.items() if v is not None)
        return _with_cli(self, given) if given else self


@lru_cache(maxsize=256)
def _with_cli(settings: Settings, given: tuple[tuple[str, Any], ...]) -> Settings:
    """`with_cli`, computed once for each configuration and command line."""
    return replace(settings, **dict(given))


def _table(path: Path) -> dict[str, Any] | None:
    import tomllib  # only where a configuration file is read: it costs every start ~10 ms

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read: {e}") from None
    if path.name == "pyproject.toml" and "dockfix" not in text:
        # No [tool.dockfix] table in it, in any spelling: another tool's file,
        # skipped unparsed (a project template's `{{ name }}` is not TOML).
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("dockfix") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    return data


def _names(value: Any, key: str, path: Path) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of fix codes or names")
    return frozenset(value)


def load(path: Path) -> Settings:
    """Settings from one configuration file."""
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.dockfix] table")
    known = {
        "select",
        "ignore",
        "unsafe-fixes",
        "uv-version",
        "exclude",
        "per-file-ignores",
        "cache-mounts",
        "image-shells",
    }
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown option(s): {', '.join(unknown)}")
    settings = Settings(source=path)
    if "select" in table:
        settings = replace(settings, select=_names(table["select"], "select", path))
    if "ignore" in table:
        settings = replace(settings, ignore=_names(table["ignore"], "ignore", path))
    if "unsafe-fixes" in table:
        if not isinstance(table["unsafe-fixes"], bool):
            raise ConfigError(f"{path}: `unsafe-fixes` must be true or false")
        settings = replace(settings, unsafe_fixes=table["unsafe-fixes"])
    if "cache-mounts" in table:
        if not isinstance(table["cache-mounts"], bool):
            raise ConfigError(f"{path}: `cache-mounts` must be true or false")
        settings = replace(settings, cache_mounts=table["cache-mounts"])
    if "uv-version" in table:
        if not isinstance(table["uv-version"], str):
            raise ConfigError(f'{path}: `uv-version` must be a string such as "0.9.5"')
        settings = replace(settings, uv_version=table["uv-version"])
    if "per-file-ignores" in table:
        per_file = table["per-file-ignores"]
        if not isinstance(per_file, dict):
            raise ConfigError(f"{path}: `per-file-ignores` must map patterns to lists of fixes")
        settings = replace(
            settings,
            per_file_ignores=tuple(
                (pattern, _names(names, f"per-file-ignores.{pattern}", path))
                for pattern, names in per_file.items()
            ),
        )
    if "exclude" in table:
        settings = replace(
            settings, exclude=tuple(sorted(_names(table["exclude"], "exclude", path)))
        )
    if "image-shells" in table:
        settings = replace(settings, image_shells=_image_shells(table["image-shells"], path))
    return settings


# The names `image-shells` takes for each family of shells.
_FAMILIES = {
    "debian": Shells.DASH,
    "dash": Shells.DASH,
    "rhel": Shells.BASH,
    "bash": Shells.BASH,
    "alpine": Shells.ASH,
    "ash": Shells.ASH,
}


def _image_shells(value: Any, path: Path) -> tuple[tuple[str, Shells], ...]:
    """`image-shells = { "myorg/python*" = "debian", … }`: the shells of base
    images dockfix cannot know from their names, as globs of image names."""
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: `image-shells` must map image names to shells")
    declared = []
    for pattern, family in value.items():
        if not isinstance(family, str) or family.lower() not in _FAMILIES:
            raise ConfigError(
                f"{path}: `image-shells.{pattern}` must be one of "
                '"debian" (/bin/sh is dash, bash installed), "rhel" (/bin/sh is bash) '
                'or "alpine" (/bin/sh is BusyBox ash)'
            )
        declared.append((pattern, _FAMILIES[family.lower()]))
    return tuple(declared)


@lru_cache(maxsize=128)
def _find_in(folder: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file() and _table(candidate) is not None:
            return candidate
    parent = folder.parent
    return None if parent == folder else _find_in(parent)


def find_config(path: Path) -> Path | None:
    """The configuration file closest to `path` (a file or a folder)."""
    folder = path if path.is_dir() else path.parent
    return _find_in(folder.resolve())


@lru_cache(maxsize=256)
def _load_cached(path: Path) -> Settings:
    return load(path)


def settings_for(path: Path) -> Settings:
    """The settings in force for `path`: its closest configuration, or defaults."""
    config = find_config(path)
    return _load_cached(config) if config else Settings()


def forget_cached() -> None:
    """Forget the configuration files found and read so far (they changed)."""
    _find_in.cache_clear()
    _load_cached.cache_clear()
