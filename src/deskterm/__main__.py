"""``python -m deskterm``: the same as the ``deskterm`` command."""

from deskterm.cli.main import main

if __name__ == "__main__":
    main()
