"""Sync protocol: the local op-log (outbox), hybrid logical clock, reducer and hubs."""
