"""Kontaktpunkt: concerns in public space, from intake to the committee report."""

__version__ = "0.1.0"
