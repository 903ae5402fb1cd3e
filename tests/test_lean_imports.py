"""Starting the bot loads no library of a rarely used feature: they load when first used."""

import subprocess
import sys

import pytest

# PDF sheets, QR codes, XLSX reading and writing, charts, the sandbox's web server, and the
# plotting library the bot no longer needs at all.
RARELY_USED = ("fpdf", "qrcode", "openpyxl", "xlsxwriter", "PIL", "aiohttp", "matplotlib")


def _loaded_after_import(module: str) -> set[str]:
    probe = (
        f"import sys, {module}\n"
        "print('\\n'.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize("module", ["bot.app", "bot.cli.main"])
def test_starting_the_bot_loads_no_rarely_used_library(module: str) -> None:
    loaded = _loaded_after_import(module)

    assert loaded.isdisjoint(RARELY_USED), sorted(loaded & set(RARELY_USED))


def test_the_sandbox_web_server_loads_only_with_the_sandbox() -> None:
    loaded = _loaded_after_import("bot.sandbox")
    assert "aiohttp" not in loaded
    assert "aiohttp" in _loaded_after_import("bot.sandbox.sandbox")


def test_the_fonts_ship_with_their_licence() -> None:
    from importlib.resources import files

    fonts = files("bot.documents").joinpath("fonts")
    names = {entry.name for entry in fonts.iterdir()}

    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE"} <= names
