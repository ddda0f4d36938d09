"""The public face of floto.viz."""

import floto.viz


def test_exports_are_pinned():
    assert sorted(floto.viz.__all__) == sorted(
        [
            "DEFAULT_COLLAPSE_ABOVE",
            "DIRECTIONS",
            "KIND_STYLES",
            "SEVERITY",
            "STATUS_STYLES",
            "GraphvizNotFoundError",
            "Node",
            "StyleFunction",
            "Timeline",
            "VizDependencyError",
            "draw",
            "main",  # the `floto graph` command (floto.cli dispatches to it by a public name)
            "report",
            "report_body",
            "timeline",
        ]
    )
    for name in floto.viz.__all__:
        assert getattr(floto.viz, name) is not None


def test_errors_are_floto_errors_and_the_builtins_users_catch():
    assert issubclass(floto.viz.GraphvizNotFoundError, (floto.errors.FlotoError, RuntimeError))
    assert issubclass(floto.viz.VizDependencyError, ImportError)
    assert issubclass(floto.viz.VizDependencyError, floto.errors.FlotoError)


def test_default_styles_cannot_be_changed_by_accident():
    import pytest

    with pytest.raises(TypeError):
        floto.viz.KIND_STYLES["timer"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        floto.viz.STATUS_STYLES[floto.history.TaskStatus.FAILED]["fillcolor"] = "x"  # type: ignore[index]
