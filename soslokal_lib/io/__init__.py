"""Readers: survey exports, SSB, boundaries, levekår sheets and the bundled sample."""
