"""Placeholder: mail jobs are being written."""
