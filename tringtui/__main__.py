"""``python -m tringtui`` runs the same entry point as the ``tringtui`` command."""

from tringtui.cli import main

raise SystemExit(main())
