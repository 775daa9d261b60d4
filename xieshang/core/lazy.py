"""Modules loaded on first use.

The document modules bring python-docx, lxml and reportlab (about 25 MiB of a web process);
most requests never write a document, so the views hold them through :func:`lazy_import` and a
worker loads them with its first document (issue #20: a web process within 120 MiB after
start). Type checkers see an ordinary import (``if TYPE_CHECKING``).
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module ``name``, whose code runs on the first access to one of its attributes."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}")
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
