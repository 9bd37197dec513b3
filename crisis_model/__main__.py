"""``python -m crisis_model`` runs the ``crisis-model`` command."""

import sys

from .cli import main

sys.exit(main())
