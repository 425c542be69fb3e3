"""## What it does
Finds a final stage with neither `CMD` nor `ENTRYPOINT` whose base image does
not start the application by itself (`python:*` starts the Python REPL,
`debian` a shell, …). When the build context makes the command certain, it
adds it:
- a Django project: exactly one Django `wsgi.py` in the context (one that
  calls `get_wsgi_application`) and gunicorn among the dependencies →
  `CMD ["gunicorn", "<package>.wsgi:application", "--bind", "0.0.0.0:8000"]`,
  where `<package>` is the module path of the folder holding `wsgi.py`
  (`wsgi.py` names the settings module itself, so `manage.py` need not; that
  settings module must be in the context, importable from the same folder);
  without gunicorn but with an ASGI server (uvicorn, daphne or hypercorn),
  exactly one Django `asgi.py` (`get_asgi_application`) gives
  `CMD ["uvicorn", "<package>.asgi:application", "--host", "0.0.0.0", "--port", "8000"]`
  (or the daphne/hypercorn equivalent);
- a project with exactly one `[project.scripts]` entry → `CMD ["<script>"]`;
- uvicorn among the dependencies and exactly one ASGI app
  (`app = FastAPI()` or `Starlette()`) → `CMD ["uvicorn", "<module>:<app>", …]`.
Otherwise it reports the missing command without a fix.

## Why is this bad?
`docker run image` then runs the base image's default: a Python prompt that
exits at once without a terminal, or a shell. The image builds but does not
run the application unless every user knows the command.

## Example
```dockerfile
FROM python:3.12-slim
COPY . .
RUN pip install .
```

Use instead (for a Django project `mysite` with gunicorn):
```dockerfile
FROM python:3.12-slim
COPY . .
RUN pip install .
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]
```

## Fix safety
Unsafe: it changes what the container runs by default. The command is only
inferred when exactly one of the rules above applies with exactly one answer;
when two could apply with different answers, or none, the finding has no fix.
Nor is there one when the image may not hold what the command runs: the
stages it is made of (the final stage, the stages it is built `FROM`, and the
stages it copies files from with `COPY --from`) must copy the whole context
(`COPY . …`) and install Python packages (`pip`, `uv`, `poetry`, `pipenv` or
`pdm` with `install` or `sync`); the context may hold a project that this
Dockerfile does not build. A command that imports or reads the project
from its working directory (Django's `gunicorn mysite.wsgi:…`, an ASGI app)
needs the project there: a copy of the whole context (or from another
stage) must land in the final `WORKDIR` (`WORKDIR /app` with `COPY . /code`
gets no `CMD`); a project script installed on `PATH` runs from anywhere.
Base images that are not known language or OS images (they may already start
the application) are not reported, nor is a final stage built `FROM` an
earlier stage that sets `CMD` or `ENTRYPOINT`, nor an image that holds no
project (none of its stages copies the whole context or files from another
stage): a toolchain, CI or base image, for which the base image's shell is
the point.

The build context read is `--build-context` when given, else the folder
that holds the Dockerfile's own `COPY`/`ADD` sources (its own folder, or the
one folder above it that holds them all; see "Build context" in the README).
When that is unknown (no folder, or several, hold them), no command is
inferred and the finding says why.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from typing import Any

from dockfix.build import ends_open
from dockfix.fixes.dockerignore import copies_whole_context
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF010",
    name="missing-cmd",
    summary="The final stage has no CMD or ENTRYPOINT",
    safety=Safety.UNSAFE,
)
# What BuildKit must read in the output: only these parts may change.
POSTCONDITION = keeps("history", "config.cmd")

# Images whose default command is not an application, and what it is.
_DEFAULTS = {
    "python": "the Python REPL",
    "node": "the Node.js REPL",
    "ruby": "irb",
    "golang": "a shell",
    "openjdk": "jshell",
    "eclipse-temurin": "jshell",
    "debian": "a shell",
    "ubuntu": "a shell",
    "alpine": "a shell",
    "fedora": "a shell",
    "rockylinux": "a shell",
    "almalinux": "a shell",
    "amazonlinux": "a shell",
    "busybox": "a shell",
    "ghcr.io/astral-sh/uv": "uv",
}
_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
_DJANGO_ENTRY = {
    "wsgi": re.compile(r"\bget_wsgi_application\b"),
    "asgi": re.compile(r"\bget_asgi_application\b"),
}
# ASGI servers, in order of preference, and their command for a module:app.
_ASGI_SERVERS = {
    "uvicorn": lambda app: ["uvicorn", app, "--host", "0.0.0.0", "--port", "8000"],
    "daphne": lambda app: ["daphne", "-b", "0.0.0.0", "-p", "8000", app],
    "hypercorn": lambda app: ["hypercorn", "--bind", "0.0.0.0:8000", app],
}
_ASGI = re.compile(r"^(\w+)\s*(?::[^=]*)?=\s*(FastAPI|Starlette)\(", re.MULTILINE)
_SKIP_DIRS = {".venv", "venv", "node_modules", "tests", ".git", "__pycache__"}


def _repository(image: str) -> str:
    name = image.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    for prefix in ("docker.io/library/", "docker.io/", "library/"):
        name = name.removeprefix(prefix)
    return name.lower()


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    final = all_stages[-1] if all_stages else None
    if final is None or final.from_ is None:
        return
    chain = ancestry(all_stages, final)
    if any(i.keyword in ("cmd", "entrypoint") for stage in chain for i in stage.instructions):
        return
    default = _DEFAULTS.get(_repository(chain[-1].image))
    if default is None:
        return
    answers = _infer(context) if context.build_context is not None else {}
    anchor = final.instructions[-1] if final.instructions else final.from_
    assert anchor is not None
    if not answers and not _looks_like_an_application(chain):
        # A toolchain, CI or base image (it installs tools and copies none of
        # the project): running its base image's shell is what it is for.
        return
    if len(answers) != 1:
        why = "" if not answers else " (the context points to several commands)"
        if context.build_context is None:
            why = f"; no command is inferred: {context.unknown()}"
        yield Finding(
            RULE,
            final.from_,
            f"final stage has no CMD or ENTRYPOINT; `docker run` would start {default}{why}",
        )
        return
    ((kind, command),) = answers.items()
    array = "[" + ", ".join(json.dumps(w) for w in command) + "]"
    message = f"final stage has no CMD; the app looks like {kind}: run it with {array}"
    missing = _not_in_image(all_stages, chain)
    if missing is None and kind != "a project script":
        missing = _not_in_workdir(chain)  # a script installed on PATH runs from anywhere
    if missing is not None:
        # The context has the project, but this image may not: a CMD naming
        # a program it lacks would fail at `docker run`.
        yield Finding(RULE, final.from_, f"{message} (not added: {missing})")
        return
    if ends_open(anchor):
        yield Finding(RULE, final.from_, message)  # a line after it would join it
        return
    new = tree.style.instruction("CMD", array)
    edit = Edit((), tree.style.spaced([new]), after=anchor)
    yield Finding(
        RULE,
        final.from_,
        message,
        Fix((edit,), Safety.UNSAFE, "Add CMD", postcondition=POSTCONDITION),
    )


def _looks_like_an_application(chain: list[Stage]) -> bool:
    """Whether the image holds a project: a stage of its chain copies the
    whole build context (`COPY . /app`) or files built in another stage or
    image (`COPY --from=build …`)."""
    return any(
        copies_whole_context(node)
        or (node.keyword in ("copy", "add") and node.reading.flag("from") is not None)
        for stage in chain
        for node in stage.instructions
    )


# A RUN that installs Python packages (the project or its dependencies).
_INSTALLS = re.compile(r"\b(?:pip3?|uv|poetry|pipenv|pdm)\b[^\n&|;]*\b(?:install|sync)\b")


def _not_in_image(all_stages: list[Stage], chain: list[Stage]) -> str | None:
    """Why the final image may lack the project the CMD would run, or None:
    the stages it is made of (its chain, and the stages it copies files
    from, with theirs) must copy the whole context (`COPY . …`) and install
    Python packages."""
    by_name = {s.name: s for s in all_stages if s.name}
    seen: set[int] = set()
    todo = list(chain)
    copies_all = installs = False
    while todo:
        stage = todo.pop()
        if stage.index in seen:
            continue
        seen.add(stage.index)
        for node in stage.instructions:
            flags = {f.name: f.value for f in node.reading.flags}
            if node.keyword in ("copy", "add") and "from" in flags:
                source = by_name.get((flags["from"] or "").lower())
                if source is None and (flags["from"] or "").isdigit():
                    index = int(flags["from"] or "")
                    with_from = [s for s in all_stages if s.from_ is not None]
                    source = with_from[index] if index < len(with_from) else None
                if source is not None:
                    todo.extend(ancestry(all_stages, source))
            elif node.keyword in ("copy", "add") and not node.heredocs:
                sources = node.reading.args[:-1]
                copies_all = copies_all or any(a in (".", "./", "*") for a in sources)
            elif node.keyword == "run":
                installs = installs or bool(_INSTALLS.search(node.reading.rest))
    if not copies_all:
        return "the image does not copy the project (`COPY . …`)"
    if not installs:
        return "the image installs no Python packages"
    return None


def _not_in_workdir(chain: list[Stage]) -> str | None:
    """Why the project may not be in the final working directory, or None: the
    command (`gunicorn mysite.wsgi:…`, `python manage.py …`) imports and reads
    from there, so a copy of the whole context, or a copy from another stage,
    must land in it (`WORKDIR /app` + `COPY . /code` does not)."""
    workdir = "/"
    destinations: list[str] = []
    for node in [n for stage in reversed(chain) for n in stage.instructions]:
        args = node.reading.args
        if node.keyword == "workdir" and args:
            if "$" in args[0]:
                return f"the working directory `{args[0]}` names a variable"
            workdir = posixpath.normpath(posixpath.join(workdir, args[0].strip("\"'")))
        elif node.keyword in ("copy", "add") and not node.heredocs and len(args) >= 2:
            whole = any(a in (".", "./", "*") for a in args[:-1])
            if whole or node.reading.flag("from") is not None:
                dest = args[-1]
                if "$" not in dest:
                    destinations.append(posixpath.normpath(posixpath.join(workdir, dest)))
    if workdir in destinations:
        return None
    where = ", ".join(dict.fromkeys(destinations)) or "elsewhere"
    return f"the project is copied to {where}, not the working directory {workdir}"


def _infer(context: Context) -> dict[str, list[str]]:
    """The commands the build context points to, by kind of application."""
    pyproject = _toml(context.read("pyproject.toml"))
    deps = _dependencies(pyproject, context)
    found: dict[str, list[str]] = {}
    django = _django_command(context, deps)
    if django is not None:
        found["Django"] = django
    scripts = pyproject.get("project", {}).get("scripts", {})
    if isinstance(scripts, dict) and len(scripts) == 1:
        found["a project script"] = [next(iter(scripts))]
    if "uvicorn" in deps:
        apps = _asgi_apps(context)
        if len(apps) == 1:
            found["an ASGI app"] = ["uvicorn", apps[0], "--host", "0.0.0.0", "--port", "8000"]
    if "Django" in found:
        return {"Django": found["Django"]}  # the most specific answer wins
    return found


def _django_command(context: Context, deps: set[str]) -> list[str] | None:
    """gunicorn on the one Django wsgi.py, else an ASGI server on the one asgi.py."""
    if "django" not in deps:
        return None
    if "gunicorn" in deps:
        modules = _django_modules(context, "wsgi")
        if len(modules) == 1:
            return ["gunicorn", f"{modules[0]}:application", "--bind", "0.0.0.0:8000"]
        return None
    server = next((s for s in _ASGI_SERVERS if s in deps), None)
    if server is None:
        return None
    modules = _django_modules(context, "asgi")
    return _ASGI_SERVERS[server](f"{modules[0]}:application") if len(modules) == 1 else None


def _django_modules(context: Context, kind: str) -> list[str]:
    """Module paths (`mysite.wsgi`) of the context's Django wsgi.py or asgi.py files,
    up to three folders deep, outside virtual environments and tests."""
    found = []
    for depth in ("*/", "*/*/", "*/*/*/"):
        for relative in context.glob(f"{depth}{kind}.py"):
            folders = relative.split("/")[:-1]
            if any(part in _SKIP_DIRS or part.startswith(".") for part in folders):
                continue
            if context.ignored(relative):
                continue  # not in the image
            text = context.read(relative)
            if text is None or not _DJANGO_ENTRY[kind].search(text):
                continue
            # The settings module it names must import from the same root.
            m = _SETTINGS.search(text)
            settings = m.group(1).replace(".", "/") if m else None
            if settings and (
                context.exists(f"{settings}.py") or context.exists(f"{settings}/__init__.py")
            ):
                found.append(".".join([*folders, kind]))
    return found


def _toml(text: str | None) -> dict[str, Any]:
    if text is None:
        return {}
    import tomllib  # only with a pyproject.toml to read (costs a start ~10 ms)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _normalize(requirement: str) -> str:
    name = re.split(r"[\s\[<>=!~;@(]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _dependencies(pyproject: dict[str, Any], context: Context) -> set[str]:
    names: set[str] = set()
    project = pyproject.get("project", {})
    for requirement in project.get("dependencies", []) if isinstance(project, dict) else []:
        if isinstance(requirement, str):
            names.add(_normalize(requirement))
    poetry = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {})
    if isinstance(poetry, dict):
        names |= {_normalize(n) for n in poetry}
    text = context.read("requirements.txt")
    for line in (text or "").splitlines():
        if line.strip() and not line.lstrip().startswith(("#", "-")):
            names.add(_normalize(line))
    return names


def _asgi_apps(context: Context) -> list[str]:
    apps: list[str] = []
    candidates = list(context.glob("*.py")) + [
        p for p in context.glob("*/*.py") if p.split("/")[0] not in _SKIP_DIRS
    ]
    for relative in sorted(candidates):
        text = context.read(relative)
        if text is None:
            continue
        for m in _ASGI.finditer(text):
            module = ".".join(relative.removesuffix(".py").split("/"))
            apps.append(f"{module}:{m.group(1)}")
    return apps
