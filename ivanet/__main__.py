"""``python -m ivanet``: the same as the ``ivanet`` command."""
from ivanet.cli.main import main

if __name__ == "__main__":
    main()
