"""What every stage shares: settings (mkdocs.yml's extra.playbook), the generator's words, diagnostics, storage."""
