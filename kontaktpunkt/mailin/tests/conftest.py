"""The real IMAP server (dovecot) and its fixtures, for the e-mail intake's tests."""

from __future__ import annotations

import pytest

from kontaktpunkt.mailin.imap import ImapConfig, imap_config
from kontaktpunkt.testing.imap import ImapAccount, dovecot, imap_account, imap_settings

__all__ = ["dovecot", "imap_account", "imap_config_plain", "imap_settings"]


@pytest.fixture
def imap_config_plain(imap_settings: ImapAccount) -> ImapConfig:
    """The mailbox configuration that settings.KP_IMAP_* describe (a fresh account, plain IMAP)."""
    config = imap_config()
    assert config is not None
    return config
