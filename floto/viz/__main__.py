"""``python -m floto.viz``: the ``floto graph`` command."""

from floto.viz._cli import main

raise SystemExit(main())
