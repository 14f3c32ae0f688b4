"""Rendering: publications to HTML (Jinja2) and to PDF (WeasyPrint)."""
