"""asyncio loaded when something uses it, not when Pydantic is imported (the ``archcite`` script only).

typing_extensions' ``deprecated`` (4.13 and later), which pydantic-core and Pydantic apply to
their deprecated functions as they are imported, runs ``import asyncio.coroutines`` to ask whether
each function is a coroutine function.  That one small module brings in the whole asyncio package
first (ssl, socket, subprocess, concurrent.futures, logging): about 140 M instructions, an eighth
of an ``archcite cite`` that reads its record afresh, in a process that never runs a coroutine.

``install()`` puts an asyncio package in ``sys.modules`` whose ``coroutines`` module is the real
one, loaded at once, and whose other names load the rest of the package, into that same module
object, the first time any of them is looked up.  ``import asyncio`` followed by any use of it
then behaves as it always does, and ``asyncio.coroutines`` is the module the package uses.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any


class _Asyncio(types.ModuleType):
    """The asyncio package before its ``__init__`` has run.  ``__getattr__`` is only asked for
    names the module does not have yet: ``coroutines`` and the import system's own attributes
    are answered without loading anything."""

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("__") and importlib.util.find_spec(f"{self.__name__}.{name}") is not None:
            # A submodule: given as ``import asyncio.<name>`` would.  Loading the package's
            # ``__init__`` here would be circular when a submodule imports a sibling
            # (``from . import format_helpers``) before the package has been used.
            return importlib.import_module(f"{self.__name__}.{name}")
        self.__class__ = types.ModuleType  # type: ignore[assignment]  # from here on, an ordinary module
        spec = self.__spec__
        assert spec is not None and spec.loader is not None
        try:
            spec.loader.exec_module(self)
        except BaseException:
            # As a failed import does: the next ``import asyncio`` starts afresh.
            sys.modules.pop(spec.name, None)
            raise
        return getattr(self, name)


def install() -> None:
    """Defer loading asyncio's package in this process (nothing happens if it is loaded already)."""
    if "asyncio" in sys.modules:
        return
    spec = importlib.util.find_spec("asyncio")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return
    package = _Asyncio(spec.name)
    # What the import system sets on a package, so that its submodules import as usual.
    package.__spec__ = spec
    package.__loader__ = spec.loader
    package.__file__ = spec.origin
    package.__path__ = list(spec.submodule_search_locations)
    package.__package__ = spec.name
    sys.modules[spec.name] = package
    importlib.import_module("asyncio.coroutines")
