"""Placeholder: case jobs (escalation) are being written."""
