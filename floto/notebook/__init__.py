"""Launch, watch, inspect and replay workflow runs from Jupyter (``pip install 'floto[notebook]'``).

``Lab`` attaches to SWF (or starts floto's local engine) and serves workflows with worker and
decider threads of the kernel; ``lab.run(workflow)`` returns a ``Run`` whose live widget
follows the run's history. Everything shown comes from floto.history's ExecutionState and
floto.viz's drawings.
"""

from floto.notebook._deps import require_ipywidgets

require_ipywidgets()

from floto.launch import RunFailed, WaitTimeoutError  # noqa: E402
from floto.notebook._errors import DuplicateWorkflowIdError, NotebookDependencyError  # noqa: E402
from floto.notebook._lab import Lab  # noqa: E402
from floto.notebook._replay import Replay  # noqa: E402
from floto.notebook._run import Run  # noqa: E402
from floto.notebook._runs import RunsTable  # noqa: E402
from floto.notebook._view import RunView  # noqa: E402

__all__ = [
    "DuplicateWorkflowIdError",
    "Lab",
    "NotebookDependencyError",
    "Replay",
    "Run",
    "RunFailed",
    "RunView",
    "RunsTable",
    "WaitTimeoutError",
]
