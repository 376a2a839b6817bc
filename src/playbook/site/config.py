"""The `playbook` plugin's own options in mkdocs.yml (`plugins: - playbook`).

A playbook's settings (its words, sheet fields, lint rules, search words, owner, themes) are not here: they live in
one documented place, `extra.playbook`, read by playbook.core.settings with located errors, because the `playbook`
command reads them too, without MkDocs. The plugin itself only needs to know whether it is on.
"""
from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PlaybookConfig(Config):
    """`plugins: - playbook: {enabled: false}` builds the hand-written pages only (no records, sheets, search or page macros)."""

    enabled = c.Type(bool, default=True)
