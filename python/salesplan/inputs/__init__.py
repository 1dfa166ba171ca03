"""Cells in, typed tables out: every input of the method, with the Problems found on the way.

Nothing here knows the method; nothing in ``method/`` knows a cell.
"""
