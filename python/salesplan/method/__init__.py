"""METHOD.md as pure functions over DataFrames, one module per layer. Nothing here sees a cell."""
