"""Money flows: transactions in columnar files, laundering typologies, tracing to the backbone.

The engine works on a DuckDB (or Spark) connection that exposes two relations, described in
``schema``: ``txns`` and ``accounts``. Nothing here imports Django.
"""
