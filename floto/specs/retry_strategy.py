"""Retry strategies (``floto.specs.retry_strategy`` in the seed README)."""

from floto.specs._retry import DelayedRetry, InstantRetry, Strategy

__all__ = ["DelayedRetry", "InstantRetry", "Strategy"]
