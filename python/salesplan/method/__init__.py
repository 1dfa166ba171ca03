"""The method of docs/method.md as pure functions over DataFrames, one module per step.

Nothing here sees a cell.
"""
