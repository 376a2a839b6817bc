"""The site: the MkDocs plugin, record pages, page macros, search, feeds and playbook.json."""
