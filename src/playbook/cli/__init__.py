"""The `playbook` command (`playbook.cli.main:main`) and what it scaffolds."""
