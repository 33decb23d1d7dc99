"""Analysis: summaries with privacy, weighting, inequality, spatial patterns, models."""
