"""Reliability: the database survives a program killed at any moment."""
