#!/usr/bin/env python3
"""(Re)create the small example images of the bundled example posts repos.

The images are simple coloured shapes drawn with Pillow (no photographs, no
people, nothing copied). They are committed so that the examples work without
running this script; run it again only to regenerate them::

    python3 examples/make_media.py            # writes both example repos
    python3 examples/make_media.py --check    # exit 1 if a file differs or is missing

``--check`` compares bytes: another Pillow/libjpeg version may encode the same
drawing slightly differently, so a difference there is not by itself an error.

Clean repo (``examples/ube-city-posts/media``) and the violations copy
(``examples/ube-city-posts-violations/media``) get the same clean images.
One clean image carries harmless EXIF (camera make/model, date, software) but
no location, so that a linter must look at the GPS tags, not merely at "has
EXIF". Only the violations copy gets ``media/2026/shoubou-kunren-gps.jpg``, a
JPEG whose EXIF holds GPS coordinates (rule media-exif-location, clause 6(5)).
The coordinates are those of the public city hall area, not of any home.

Library: Pillow (already used for image work in Python, writes EXIF and PNG/JPEG
deterministically for a given Pillow version). Each file is kept < 30 KB.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

HERE = Path(__file__).resolve().parent
CLEAN = HERE / "ube-city-posts"
VIOLATIONS = HERE / "ube-city-posts-violations"
SIZE = (320, 240)
MAX_BYTES = 30_000

Draw = Callable[[ImageDraw.ImageDraw], None]


@dataclass(frozen=True)
class Picture:
    """One example image: where it goes, how it is drawn, which EXIF it gets."""

    path: str  # relative to the example repo root
    background: str
    draw: Draw
    exif: Callable[[], Image.Exif] | None = None
    violations_only: bool = False


def _sakura(d: ImageDraw.ImageDraw) -> None:
    """Cherry trees by a pond (ときわ公園・常盤湖)."""
    d.rectangle((0, 170, 320, 240), fill="#7fb0d8")  # lake
    for x in (40, 120, 200, 280):
        d.rectangle((x - 5, 120, x + 5, 175), fill="#6b4a2b")
        d.ellipse((x - 38, 70, x + 38, 135), fill="#f6c1d1")


def _zoo(d: ImageDraw.ImageDraw) -> None:
    """A keeper (stylised figure) next to a capybara-like shape."""
    d.rectangle((0, 180, 320, 240), fill="#9ccc65")
    d.ellipse((60, 60, 100, 100), fill="#f1c27d")  # head
    d.rectangle((55, 100, 105, 180), fill="#2e7d32")  # uniform
    d.ellipse((150, 130, 280, 190), fill="#8d6e63")  # animal
    d.ellipse((250, 120, 290, 160), fill="#8d6e63")


def _sculpture(d: ImageDraw.ImageDraw) -> None:
    """An abstract outdoor sculpture on a lawn (UBEビエンナーレ)."""
    d.rectangle((0, 190, 320, 240), fill="#a5d6a7")
    d.polygon([(160, 30), (230, 190), (90, 190)], fill="#b0bec5")
    d.ellipse((130, 60, 190, 120), fill="#eceff1")


def _crowd(d: ImageDraw.ImageDraw) -> None:
    """Festival lanterns over a crowd seen from behind (people: crowd)."""
    d.line((0, 60, 320, 40), fill="#5d4037", width=2)
    for k in range(8):
        x = 20 + 38 * k
        y = 60 - int(20 * k / 8)
        colour = "#e53935" if k % 2 else "#ffb300"
        d.ellipse((x - 10, y, x + 10, y + 26), fill=colour)
    for x in range(0, 320, 18):
        d.ellipse((x, 200, x + 16, 216), fill="#263238")
        d.rectangle((x + 2, 214, x + 14, 240), fill="#263238")
    for cx, cy in ((70, 120), (250, 110)):
        for k in range(12):
            a = 2 * math.pi * k / 12
            d.line((cx, cy, cx + 30 * math.cos(a), cy + 30 * math.sin(a)), fill="#fff59d", width=2)


def _product(d: ImageDraw.ImageDraw) -> None:
    """Three product boxes on a shelf (うべ元気ブランド)."""
    d.rectangle((0, 190, 320, 200), fill="#795548")
    for x, colour in ((30, "#e53935"), (130, "#fb8c00"), (230, "#43a047")):
        d.rectangle((x, 110, x + 60, 190), fill=colour)
        d.rectangle((x + 10, 130, x + 50, 150), fill="#ffffff")


def _map(d: ImageDraw.ImageDraw) -> None:
    """A schematic evacuation map: roads, a shelter and an arrow."""
    d.line((0, 120, 320, 120), fill="#9e9e9e", width=12)
    d.line((160, 0, 160, 240), fill="#9e9e9e", width=12)
    d.rectangle((220, 30, 300, 90), fill="#1e88e5")
    d.polygon([(60, 180), (120, 150), (120, 210)], fill="#e53935")


def _kunren(d: ImageDraw.ImageDraw) -> None:
    """A fire engine at a drill (violations copy only, with GPS EXIF)."""
    d.rectangle((0, 190, 320, 240), fill="#bdbdbd")
    d.rectangle((40, 120, 260, 190), fill="#d32f2f")
    d.ellipse((60, 170, 100, 210), fill="#212121")
    d.ellipse((200, 170, 240, 210), fill="#212121")


def _camera_exif() -> Image.Exif:
    """Ordinary camera EXIF with no location (a trap: EXIF is not location)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "ExampleCam"
    exif[ExifTags.Base.Model] = "EC-1"
    exif[ExifTags.Base.Software] = "make_media.py"
    exif[ExifTags.Base.DateTime] = "2025:04:03 10:15:00"
    return exif


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    degrees = int(value)
    minutes_f = (value - degrees) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60 * 100)
    return IFDRational(degrees), IFDRational(minutes), IFDRational(seconds, 100)


def _gps_exif() -> Image.Exif:
    """Camera EXIF plus GPS latitude/longitude (around Ube city hall)."""
    exif = _camera_exif()
    exif[ExifTags.Base.DateTime] = "2026:06:07 09:30:00"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: _dms(33.9516),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: _dms(131.2466),
    }
    return exif


PICTURES: tuple[Picture, ...] = (
    Picture("media/2025/tokiwa-sakura.jpg", "#e3f2fd", _sakura, exif=_camera_exif),
    Picture("media/2025/tokiwa-zoo-keeper.jpg", "#fffde7", _zoo),
    Picture("media/2025/biennale-sculpture.jpg", "#e1f5fe", _sculpture),
    Picture("media/2025/ube-matsuri-crowd.jpg", "#1a237e", _crowd),
    Picture("media/2025/genki-brand.png", "#fafafa", _product),
    Picture("media/2025/bousai-kunren-map.png", "#ffffff", _map),
    Picture("media/2026/shoubou-kunren-gps.jpg", "#e0f7fa", _kunren, exif=_gps_exif, violations_only=True),
)


def render(picture: Picture) -> bytes:
    """Draw one picture and return the encoded file bytes."""
    image = Image.new("RGB", SIZE, picture.background)
    picture.draw(ImageDraw.Draw(image))
    out = io.BytesIO()
    if picture.path.endswith(".png"):
        image.save(out, format="PNG", optimize=True)
    else:
        kwargs = {"exif": picture.exif()} if picture.exif else {}
        image.save(out, format="JPEG", quality=80, **kwargs)
    data = out.getvalue()
    if len(data) >= MAX_BYTES:
        raise ValueError(f"{picture.path} is {len(data)} bytes (limit {MAX_BYTES})")
    return data


def targets(picture: Picture) -> list[Path]:
    """The files one picture is written to."""
    roots = [VIOLATIONS] if picture.violations_only else [CLEAN, VIOLATIONS]
    return [root / picture.path for root in roots]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="(Re)create the example images.")
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    stale = 0
    for picture in PICTURES:
        data = render(picture)
        for path in targets(picture):
            same = path.is_file() and path.read_bytes() == data
            if args.check:
                if not same:
                    print(f"differs or missing: {path.relative_to(HERE)}")
                    stale += 1
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if not same:
                path.write_bytes(data)
            print(f"{path.relative_to(HERE)} ({len(data)} bytes)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
