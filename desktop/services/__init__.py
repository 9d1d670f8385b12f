"""Use cases, no Qt. Services own one session per unit of work and return plain data."""
