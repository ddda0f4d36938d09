"""``python -m floto.cli`` is the ``floto`` command."""

import sys

from floto.cli import main

sys.exit(main())
