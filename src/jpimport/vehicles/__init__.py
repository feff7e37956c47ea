"""Vehicles: the canonical schema, the bundled catalog, users' files and VIN decoding."""
