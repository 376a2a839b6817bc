"""The playbook generator: records, validation, site rendering and exports."""
from __future__ import annotations

# The one place the version lives: pyproject.toml reads it (dynamic), and so do `playbook --version`, the cache
# fingerprint, playbook.json, sheets and the requirements pin `playbook init` writes.
__version__ = "0.3.0"
# The name pip installs the generator by (pyproject.toml's [project] name).
DISTRIBUTION = "playbook-generator"
