"""floto's local SWF engine: moto's SWF backend plus floto's extension, in its own process.

Start one from Python with :class:`LocalEngine` (or :func:`ensure_engine`), or from a shell
with ``floto local``. See docs/local-engine.md for what it does and where it still differs
from SWF.
"""

from floto.local._engine import (
    EndpointURLError,
    EngineStartError,
    LocalEngine,
    ensure_engine,
    is_reachable,
)

__all__ = ["EndpointURLError", "EngineStartError", "LocalEngine", "ensure_engine", "is_reachable"]
