"""`python -m kplan_desktop.cli`: the `kplan` command (the bench and the tests call it so)."""

from kplan_desktop.cli.entry import main

raise SystemExit(main())
