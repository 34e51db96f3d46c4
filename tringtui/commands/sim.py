"""``tringtui sim``: serve the simulated TRiNG PBX (filled in by the simulator work)."""
