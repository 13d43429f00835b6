"""Deterministic generator of the Patreon-like seed CSVs (see ``scripts/generate_seeds.py``)."""
