"""This playbook's own page macros (mkdocs.yml: `macros` plugin, `module_name: macros`).

The generator's macros (`checklist()`, `scenario_table()`, `situations()`, `record_list()`, `steps_path()`,
`sources()`, `search_box()`, `agenda_entry()`, `playbook_stats()`) come with the installed `playbook` plugin, which
registers them with mkdocs-macros; nothing of the generator is copied here. A playbook that wants a macro of its own
defines it below with `@env.macro`; this one has none yet, so a team starting from `playbook init` needs no Python.
"""
from __future__ import annotations


def define_env(env) -> None:
    """Register this playbook's own macros: none yet."""
