"""The HTML report in a real browser: headless Chromium draws it and the charts show up.

The screenshot is decoded here (PNG is zlib plus per-row filters) and the bar
and line colours of the report's charts (HTML bars, an SVG line) are counted: one that does not
render leaves none of them. At a phone's width nothing passes the right margin, and the
dark scheme is dark with light text. Skipped only where Chromium is missing outside CI.
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

from helpers import genvault
from test_report import history_repo
from vaultlint.cli import main
from vaultlint.report import html_format

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (CI installs it)", allow_module_level=True)


def screenshot(
    page: Path,
    png: Path,
    profile: Path,
    size: tuple[int, int] = (1200, 3200),
    flags: tuple[str, ...] = (),
) -> None:
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
            "--hide-scrollbars",
            *flags,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and png.is_file(), done.stderr[-2000:]


def png_rows(data: bytes) -> list[list[bytes]]:
    """The RGB colour of each pixel, row by row, of an 8-bit, non-interlaced PNG."""
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
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), prev, bpp)
        rows.append([bytes(line[i : i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return rows


def png_pixels(data: bytes) -> tuple[int, int, Counter[bytes]]:
    """Width, height and a count of each RGB colour of an 8-bit, non-interlaced PNG."""
    rows = png_rows(data)
    colours: Counter[bytes] = Counter()
    for row in rows:
        colours.update(row)
    return len(rows[0]), len(rows), colours


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


# A long name with no place to break a line (underscores), as people do name files.
LONG_NAME = "00_Quarterly_planning_product_team_2024_03_01_minutes_final_version_FINAL.md"


def hygiene_report(tmp_path: Path) -> Path:
    """The HTML report of a generated vault with hygiene plants, in a folder of a long
    name, with a note of ``LONG_NAME`` (the first orphan, with the most errors: the first
    note shown with its findings), and a Thai note name."""
    vault = genvault(tmp_path / "Product_team_vault_2024_planning_and_research", 120, 5, True)
    links = "".join(f"- [[Not written {n}]]\n" for n in range(40))
    (vault / LONG_NAME).write_text(f"Minutes \n{links}", encoding="utf-8")
    thai = "บันทึกการประชุมประจำสัปดาห์ของทีมพัฒนาผลิตภัณฑ์.md"
    (vault / "Inbox" / thai).write_text("บันทึก\n", encoding="utf-8")
    page = tmp_path / "report.html"
    assert main(["report", str(vault), "--format", "html", "--top", "5", "-o", str(page)]) in (0, 1)
    return page


def test_a_phone_sees_the_whole_width(tmp_path: Path) -> None:
    """At 390 px (a phone) nothing is wider than the screen: the right margin is
    background all the way down, and the bar charts end before it, their numbers
    beside them (a chart in a wider box would be cut at the margin)."""
    page = hygiene_report(tmp_path)
    png = tmp_path / "phone.png"
    screenshot(page, png, tmp_path / "profile", (390, 4000))
    rows = png_rows(png.read_bytes())
    assert len(rows[0]) == 390
    white = b"\xff\xff\xff"
    edge = 390 - 10  # the page's padding on a phone
    margin = [x for row in rows for x in range(edge + 1, 390) if row[x] != white]
    assert not margin, f"{len(margin)} pixels in the right margin"
    filled = rgb(html_format.FILLED)
    ends = [max(x for x, c in enumerate(row) if c == filled) for row in rows if filled in row]
    assert len(ends) > 50  # the bars are drawn
    assert max(ends) < edge - 60, max(ends)  # each bar leaves room for its numbers
    # and the numbers are there: dark text right of the longest bar, on its rows
    longest = max(ends)
    text_right = [
        y
        for y, row in enumerate(rows)
        if filled in row and any(sum(c) < 300 for c in row[longest + 4 : edge])
    ]
    assert text_right, "no caption beside the bars"


def test_dark_scheme_is_dark_and_readable(tmp_path: Path) -> None:
    page = hygiene_report(tmp_path)
    png = tmp_path / "dark.png"
    screenshot(page, png, tmp_path / "profile", (1280, 2400), ("--force-dark-mode",))
    width, height, colours = png_pixels(png.read_bytes())
    background, text, link = rgb("#16181c"), rgb("#e8e8e8"), rgb("#8ab4f8")
    assert colours[background] > width * height // 2
    assert colours[b"\xff\xff\xff"] < width * height // 100  # no white panels left
    # the text is light on the dark page: its pixels, not the light scheme's dark ones
    assert colours[text] > 1000 and colours[link] > 300, (colours[text], colours[link])
    assert colours[rgb("#212121")] < colours[text] // 10
