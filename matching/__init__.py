"""Matching: the scoring engine, the candidate index, matches, applications and placements."""
