"""Publishable figures from a run's records: the national and coverage tables, a SQLite
dataset with Datasette metadata, charts and a self-contained HTML report.

``inputs`` reads records (with corrections and duplicates applied), ``national`` builds the
tables, ``sqlite`` writes ``foi.db``, ``charts`` and ``report`` draw them.
"""
