"""Collapsing look-alike tasks into groups, so that large graphs stay readable and fast.

Two tasks look alike when they have the same signature (kind, name, version, retry policy,
generator) and their requirements and dependents look alike in turn: a fan-out of 5,000 copies
of one activity becomes one group, and so do the parallel chains a generator creates
(``copy_i >> length_i`` become ``copy xn >> length xn``). Formally this is the coarsest
partition, refining the signatures, in which members of a class have the same set of classes
among their requirements and among their dependents; so an edge between two groups means every
member of the dependent group requires some member of the other. Loops only, no recursion.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

MAX_ROUNDS = 25


class _Interner:
    """Numbers distinct keys 0, 1, 2, ... (exact: no hash collisions)."""

    def __init__(self) -> None:
        self.numbers: dict[Hashable, int] = {}

    def __call__(self, key: Hashable) -> int:
        return self.numbers.setdefault(key, len(self.numbers))


def partition(
    order: Sequence[str],
    requires: Mapping[str, Sequence[str]],
    signature: Mapping[str, Hashable],
) -> list[list[str]]:
    """Classes of look-alike tasks, each in ``order``, ordered by their first member.

    Args:
        order: task ids, requirements first.
        requires: each id's required ids (all in ``order``).
        signature: what must be equal for two tasks to look alike.
    """
    dependents: dict[str, list[str]] = {task_id: [] for task_id in order}
    for task_id in order:
        for required in requires[task_id]:
            dependents[required].append(task_id)
    classes = _up_down(order, requires, dependents, signature)
    for _ in range(MAX_ROUNDS):
        refined = _refine(order, requires, dependents, classes)
        if len(set(refined.values())) == len(set(classes.values())):
            break
        classes = refined
    else:  # rare: very deep look-alike structure; fall back to exact neighbours
        classes = _exact(order, requires, dependents, signature)
    grouped: dict[int, list[str]] = {}
    for task_id in order:
        grouped.setdefault(classes[task_id], []).append(task_id)
    return list(grouped.values())


def _up_down(
    order: Sequence[str],
    requires: Mapping[str, Sequence[str]],
    dependents: Mapping[str, Sequence[str]],
    signature: Mapping[str, Hashable],
) -> dict[str, int]:
    """A first partition by the shape of everything upstream and downstream of each task.

    It separates the positions along chains in one pass, so the refinement that follows
    usually needs one or two rounds.
    """
    intern = _Interner()
    up: dict[str, int] = {}
    for task_id in order:
        up[task_id] = intern(("u", signature[task_id], frozenset(up[r] for r in requires[task_id])))
    down: dict[str, int] = {}
    for task_id in reversed(order):
        below = frozenset(down[d] for d in dependents[task_id])
        down[task_id] = intern(("d", signature[task_id], below))
    pairs = _Interner()
    return {task_id: pairs((up[task_id], down[task_id])) for task_id in order}


def _refine(
    order: Sequence[str],
    requires: Mapping[str, Sequence[str]],
    dependents: Mapping[str, Sequence[str]],
    classes: Mapping[str, int],
) -> dict[str, int]:
    intern = _Interner()
    return {
        task_id: intern(
            (
                classes[task_id],
                frozenset(classes[r] for r in requires[task_id]),
                frozenset(classes[d] for d in dependents[task_id]),
            )
        )
        for task_id in order
    }


def _exact(
    order: Sequence[str],
    requires: Mapping[str, Sequence[str]],
    dependents: Mapping[str, Sequence[str]],
    signature: Mapping[str, Hashable],
) -> dict[str, int]:
    """Group only tasks with the same signature, requirements and dependents (always stable)."""
    intern = _Interner()
    return {
        task_id: intern(
            (
                signature[task_id],
                frozenset(requires[task_id]),
                frozenset(dependents[task_id]),
            )
        )
        for task_id in order
    }
