"""dockfix: a lossless Dockerfile parser and autofixer."""

from dockfix.errors import ParseError
from dockfix.parser import parse
from dockfix.tree import Dockerfile

__version__ = "0.1.0"
__all__ = ["Dockerfile", "ParseError", "__version__", "parse"]
