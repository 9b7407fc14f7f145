"""The ``ivanet`` command line: one module per subcommand, ``main`` in main.py."""
