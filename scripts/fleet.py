"""A fleet run on a copy of a folder of repositories, checked end to end.

Usage:
    uv run python scripts/fleet.py FOLDER [--unsafe-fixes]

What `dockfix --write` does to a whole tree as it is (not one file per
folder, as `measure.py` lays them out): the walk, each repository's
.gitignore files and `.git` folders, build contexts located in real
layouts, `.dockerignore` files created beside Dockerfiles that share a
context. On two copies of FOLDER made of hard links (dockfix replaces a
file by renaming a new one over it and never writes into it; the files the
patch names are copied for real before `git apply` touches them), so the
originals stay as they are:

1. `dockfix --diff` over the first copy, and `git apply --check` of that
   patch on the second;
2. `dockfix --write` over the first copy;
3. the patch applied to the second copy gives the same files as `--write`
   left in the first (every file either touched);
4. a second `dockfix --check` finds nothing more to fix.

It prints each step's outcome and time, and exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCKFIX = str(Path(sys.executable).parent / "dockfix")


def _dockfix(cwd: Path, *args: str) -> tuple[int, str, str, float]:
    start = time.monotonic()
    done = subprocess.run(
        [DOCKFIX, "--no-cache", "--no-progress", *args, "."],
        cwd=cwd,
        capture_output=True,
    )
    # Bytes as printed: a text pipe would turn a CRLF file's \r\n into \n.
    out = done.stdout.decode("utf-8", "surrogateescape")
    err = done.stderr.decode("utf-8", "surrogateescape")
    return done.returncode, out, err, time.monotonic() - start


def _summary(stderr: str, stdout: str) -> str:
    lines = [
        line
        for line in (stderr + "\n" + stdout).splitlines()
        if line[:1].isdigit() and " file" in line
    ]
    return lines[-1] if lines else "(no summary)"


def _patched(patch: str) -> set[str]:
    """The files a patch of `dockfix --diff` writes (relative paths)."""
    return {
        line[len("+++ b/") :].rstrip("\r")
        for line in patch.split("\n")
        if line.startswith("+++ b/")
    }


def _written(original: Path, work: Path) -> set[str]:
    """The files of `work` (a hard-link copy of `original`) that are no longer
    the original's file: written or created since."""
    found = set()
    for folder, _, names in os.walk(work):
        for name in names:
            path = Path(folder, name)
            if path.is_symlink():
                continue  # copied as a link: dockfix writes where it points
            rel = path.relative_to(work)
            try:
                if not os.path.samefile(path, original / rel):
                    found.add(rel.as_posix())
            except FileNotFoundError:
                found.add(rel.as_posix())
    return found


def _unlink_copy(path: Path) -> None:
    """Make `path` a file of its own (not a hard link to the original)."""
    if path.is_file() and not path.is_symlink():
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--unsafe-fixes", action="store_true")
    args = parser.parse_args()
    flags = ["--unsafe-fixes"] if args.unsafe_fixes else []
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        work, clean = Path(tmp) / "work", Path(tmp) / "clean"
        for copy in (work, clean):
            shutil.copytree(args.folder, copy, symlinks=True, copy_function=os.link)

        code, patch, err, seconds = _dockfix(work, "--diff", "-q", *flags)
        patch_file = Path(tmp) / "fixes.diff"
        patch_file.write_bytes(patch.encode("utf-8", "surrogateescape"))
        named = _patched(patch)
        for rel in named:
            _unlink_copy(clean / rel)
        apply = ["git", "apply", "--unsafe-paths", "--directory=.", str(patch_file)]
        check = subprocess.run([*apply, "--check"], cwd=clean, capture_output=True, text=True)
        applies = check.returncode == 0
        ok &= applies
        print(f"--diff: exit {code}, {len(named)} files in the patch, {seconds:.1f} s")
        print(f"  git apply --check: {'ok' if applies else 'REJECTED: ' + check.stderr[:500]}")
        for line in [line for line in err.splitlines() if line.strip()][:10]:
            print(f"  {line}")

        code, out, err, seconds = _dockfix(work, "--write", *flags)
        print(f"--write: exit {code}, {seconds:.1f} s: {_summary(err, out)}")
        written = _written(args.folder, work)

        if applies:
            subprocess.run(apply, cwd=clean, check=True, capture_output=True)
            differ = sorted(
                rel
                for rel in written | named
                if not (clean / rel).is_file()
                or not (work / rel).is_file()
                or (clean / rel).read_bytes() != (work / rel).read_bytes()
            )
            same = written == named and not differ
            ok &= same
            print(
                f"  --diff applied gives what --write wrote ({len(written)} files written):"
                f" {'yes' if same else 'NO'}"
            )
            for rel in sorted((written ^ named) | set(differ))[:10]:
                print(f"    {rel}")

        code, out, err, seconds = _dockfix(work, "--check", *flags)
        again = _summary(err, out)
        settled = again.startswith("0 files would be fixed")
        ok &= settled
        print(f"second --check: exit {code}, {seconds:.1f} s: {again}")
        if not settled:
            _, diff, _, _ = _dockfix(work, "--diff", "-q", *flags)
            print("\n".join(diff.splitlines()[:40]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
