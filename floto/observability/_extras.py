"""Optional dependencies, imported when first used, with the extra that installs them."""

from __future__ import annotations

import importlib
from typing import Any


def require(module: str, what: str, extra: str) -> Any:
    """``module`` imported, or an ImportError saying ``pip install 'floto[extra]'``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"floto's {what}: pip install 'floto[{extra}]'") from None
