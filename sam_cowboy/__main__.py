"""`python -m sam_cowboy`."""

from sam_cowboy.cli import main

raise SystemExit(main())
