"""Sheets: each checklist as a one-page PDF (A4 and Letter), Markdown and plain text."""
