import sys
from pathlib import Path

# The helpers next to these tests (viz_states, viz_svg) import as plain modules.
sys.path.insert(0, str(Path(__file__).parent))
