"""Readers: turn a normalised Document into record values with evidence."""
