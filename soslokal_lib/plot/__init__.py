"""Presentation: compass diagrams, maps and charts (matplotlib, imported lazily)."""
