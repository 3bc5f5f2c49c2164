"""archcite.deferred_asyncio: the ``archcite`` script does not load asyncio, and asyncio still
works when something uses it.  Each check runs in a process of its own: asyncio is loaded
once per process, and this one's (pytest's) may have loaded it already."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(*parts: str) -> str:
    """The output of a Python process running the parts, each dedented, one after the other."""
    code = "".join(textwrap.dedent(part) for part in parts)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cite_does_not_load_asyncio() -> None:
    out = _python(
        """
        import atexit, os, sys
        os.environ["ARCHCITE_NO_CACHE"] = "1"  # read the record: Pydantic is imported
        atexit.register(lambda: print("loaded:", "asyncio.base_events" in sys.modules, "pydantic" in sys.modules))
        sys.argv = ["archcite", "cite", "wcda-114978:p19-20", "--records", "records"]
        from archcite.cli import run
        run()
        """
    )
    assert "Kim Il Sung" in out
    assert out.rstrip().endswith("loaded: False True")


ASYNCIO_AT_WORK = """
    import asyncio
    async def work(queue):
        await queue.put(2)
        task = asyncio.create_task(asyncio.sleep(0, 40))
        return await task + await queue.get()
    print(asyncio.run(work(asyncio.Queue())), asyncio.iscoroutinefunction(work), type(asyncio).__name__,
          asyncio.coroutines is sys.modules["asyncio.coroutines"])
"""


def test_asyncio_works_after_pydantic() -> None:
    out = _python(
        """
        import sys
        from archcite import deferred_asyncio
        deferred_asyncio.install()
        from pydantic import BaseModel
        class Model(BaseModel):
            x: int
        Model(x=1)
        assert "asyncio.base_events" not in sys.modules
        """,
        ASYNCIO_AT_WORK,
    )
    assert out.split() == ["42", "True", "module", "True"]


def test_asyncio_works_when_first_used_through_a_submodule_or_a_name() -> None:
    for first in ("import asyncio.events", "from asyncio import Queue"):
        out = _python(
            f"""
            import sys
            from archcite import deferred_asyncio
            deferred_asyncio.install()
            {first}
            """,
            ASYNCIO_AT_WORK,
        )
        assert out.split() == ["42", "True", "module", "True"], first


def test_install_leaves_a_loaded_asyncio_alone() -> None:
    out = _python(
        """
        import asyncio, sys
        from archcite import deferred_asyncio
        deferred_asyncio.install()
        print(sys.modules["asyncio"] is asyncio)
        """
    )
    assert out.strip() == "True"
