"""salesplan: plans each sales manager's month by the method in docs/method.md and prints the A4 tools."""

__version__ = "0.1.0"
