"""kplan-desktop: progress management for a city comprehensive plan."""

__version__ = "0.1.0"
