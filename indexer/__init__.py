"""Hubbub's library: readers for archive formats, the index, and the query function."""
