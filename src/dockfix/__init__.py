"""dockfix: a lossless Dockerfile parser and autofixer."""

from dockfix import _codecache

_codecache.install()  # before any dataclass is made (see dockfix._codecache)

from dockfix.errors import ParseError  # noqa: E402
from dockfix.parser import parse  # noqa: E402
from dockfix.tree import Dockerfile  # noqa: E402

__version__ = "0.1.0"
__all__ = ["Dockerfile", "ParseError", "__version__", "parse"]
