"""One module per ``tringtui`` sub-command; each defines ``add_parser(subparsers)``."""
