"""`python -m kplan_desktop` opens the window."""

from kplan_desktop.ui.app import main

raise SystemExit(main())
