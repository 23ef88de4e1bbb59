"""Text utilities: near-duplicate detection."""
