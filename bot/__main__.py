"""`python -m bot`: the same as `schoolbot run`."""

from bot.cli.main import main

if __name__ == "__main__":
    main()
