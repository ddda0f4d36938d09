"""``python -m floto.local``: same as ``floto local``."""

import sys

from floto.local._cli import main

sys.exit(main())
