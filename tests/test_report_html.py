"""The HTML report in a real browser: headless Chromium draws it and the charts show up.

The screenshot is decoded here (PNG is zlib plus per-row filters) and the bar
and line colours of the report's SVG charts are counted: a chart that does not
render leaves none of them. Skipped only where Chromium is missing outside CI.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest

from test_report import history_repo
from vaultlint.cli import main
from vaultlint.report import html_format

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (CI installs it)", allow_module_level=True)


def screenshot(page: Path, png: Path, profile: Path, size: tuple[int, int] = (1200, 3200)) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium is missing at {CHROMIUM}: .ci/run installs Debian's package")
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            f"--window-size={size[0]},{size[1]}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and png.is_file(), done.stderr[-2000:]


def png_pixels(data: bytes) -> tuple[int, int, Counter[bytes]]:
    """Width, height and a count of each RGB colour of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    width = height = bpp = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    colours: Counter[bytes] = Counter()
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), prev, bpp)
        colours.update(bytes(line[i : i + 3]) for i in range(0, stride, bpp))
        prev = line
    return width, height, colours


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> bytearray:
    if kind == 1:
        for i in range(bpp, len(line)):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif kind == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
    elif kind == 3:
        for i in range(len(line)):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif kind == 4:
        for i in range(len(line)):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return line


def rgb(colour: str) -> bytes:
    return bytes.fromhex(colour.removeprefix("#"))


def test_charts_render_in_chromium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = history_repo(tmp_path) / "vault"
    (vault / "Books" / "D.md").write_text("`Author:` \n[[Not yet written]]\n", encoding="utf-8")
    page = tmp_path / "report.html"
    assert main(["report", str(vault), "--format", "html", "--history", "3", "-o", str(page)]) == 0
    png = tmp_path / "report.png"
    screenshot(page, png, tmp_path / "profile")
    width, height, colours = png_pixels(png.read_bytes())
    assert (width, height) == (1200, 3200)
    counts = {
        name: colours[rgb(colour)]
        for name, colour in (
            ("filled bars", html_format.FILLED),
            ("empty bars", html_format.EMPTY),
            ("missing bars", html_format.MISSING),
            ("broken-link bars", html_format.LINKS),
            ("history line", html_format.LINE_COLOURS[0]),
        )
    }
    assert all(n >= 300 for n in counts.values()), counts
    # Most of the page is the white background: the shot is of the page, not an error screen.
    assert colours[b"\xff\xff\xff"] > width * height // 2
