"""`python -m playbook.cli`: the `playbook` command."""
import sys

from playbook.cli.main import main

sys.exit(main())
