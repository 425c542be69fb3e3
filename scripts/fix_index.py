"""Write src/dockfix/_fix_index.py, the fixes' index (see dockfix.registry):
`uv run python scripts/fix_index.py` after changing a fix module; a test
checks that the index is up to date."""

from __future__ import annotations

from pathlib import Path

from dockfix.registry import render_index

INDEX = Path(__file__).resolve().parent.parent / "src" / "dockfix" / "_fix_index.py"


def main() -> None:
    INDEX.write_text(render_index(), encoding="utf-8")
    print(f"wrote {INDEX}")


if __name__ == "__main__":
    main()
