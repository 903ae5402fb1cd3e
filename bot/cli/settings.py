"""The settings every command starts from, or one line that says which setting is wrong."""

import typer

from bot.config import ConfigError, Settings, load_settings


def settings_or_exit() -> Settings:
    """Load the settings, or print the one line that says which setting is wrong and exit."""
    try:
        return load_settings()
    except ConfigError as exc:
        typer.secho(f"Configuration error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
