"""Fuzzing: the value and fiscal-year parsers, and the merge of hostile submission workbooks.

`python -m tests.fuzz` (or `scripts/fuzz`) runs both and ends with the summary line; the
modules here are the generators, the mutation operators, the oracles that judge each case, and
the tests that replay a small corpus of the nastiest files.
"""
