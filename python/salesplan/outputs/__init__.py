"""Typed results out: sheets, templates, PDFs and the safe save."""
