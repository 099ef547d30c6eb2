"""Readers: one ``read_<source>(path, ...)`` per upstream format, each returning a tidy table.

The shipped data and a user's own downloads go through the same readers.
"""
