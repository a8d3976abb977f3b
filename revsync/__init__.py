"""revsync: configuration as code for the Revenium platform."""

__version__ = "0.1.0"
