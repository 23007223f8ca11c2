"""Tenants: the configuration that makes an installation a given city."""
