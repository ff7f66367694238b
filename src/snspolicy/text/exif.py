"""Location data in image metadata (clause 6(5): a photo can reveal where someone lives).

:func:`gps_location` looks for GPS coordinates in the EXIF of JPEG, PNG (eXIf),
TIFF, HEIC/AVIF and WebP files, and for location fields in an embedded XMP
packet. It reads at most ``max_bytes`` of the file (a parser that would read
more sees the end of the file), never decodes pixels and never raises.

Parsing is done with ExifRead (pure Python, reads only the metadata, knows
HEIC without libheif); Pillow is the fallback for formats ExifRead does not
parse (WebP) and is only used when it is installed. When both fail, a bare
TIFF/EXIF block found in the first 2 MiB is parsed on its own (HEIC files whose
Exif item ExifRead rejects), and last an XMP packet is searched for location
fields (exif:GPSLatitude, photoshop:City, Iptc4xmpCore:Location …).
"""

from __future__ import annotations

import io
import logging
import os
import re
from fractions import Fraction
from typing import Any, BinaryIO, cast

from snspolicy.core.relazy import lazy

__all__ = ["DEFAULT_MAX_BYTES", "gps_location"]

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
_XMP_SCAN_BYTES = 2 * 1024 * 1024
_GPS_IFD = 0x8825


class _BoundedReader(io.RawIOBase):
    """A read-only, seekable view of a file that delivers at most ``budget`` bytes in total."""

    def __init__(self, raw: io.BufferedReader, budget: int) -> None:
        super().__init__()
        self._raw = raw
        self._budget = max(0, budget)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        n = min(len(view), self._budget)
        if n <= 0:
            return 0
        data = self._raw.read(n)
        view[: len(data)] = data
        self._budget -= len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._budget
        size = min(size, self._budget)
        if size <= 0:
            return b""
        data = self._raw.read(size)
        self._budget -= len(data)
        return data


def _to_float(value: Any) -> float | None:
    try:
        if isinstance(value, (list, tuple)):
            parts = [float(Fraction(str(v))) if not isinstance(v, (int, float, Fraction)) else float(v) for v in value]
            if not parts:
                return None
            deg = parts[0] + (parts[1] / 60 if len(parts) > 1 else 0) + (parts[2] / 3600 if len(parts) > 2 else 0)
            return deg
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None


def _signed(value: float | None, ref: Any, negative: str) -> float | None:
    if value is None:
        return None
    r = str(ref or "").strip().upper()[:1]
    return -abs(value) if r == negative else value


def _result(source: str, lat: float | None, lon: float | None, fields: list[str]) -> dict[str, Any] | None:
    if lat is not None and not -90 <= lat <= 90:
        lat = None
    if lon is not None and not -180 <= lon <= 180:
        lon = None
    located_fields = [f for f in fields if not f.endswith(("Ref", "VersionID"))]
    if lat is None and lon is None and not located_fields:
        return None
    if lat == 0 and lon == 0 and len(located_fields) <= 2:
        return None  # 0°N 0°E: a placeholder some cameras write, not a location
    approx = None
    if lat is not None and lon is not None:
        approx = f"{abs(lat):.1f}°{'S' if lat < 0 else 'N'} {abs(lon):.1f}°{'W' if lon < 0 else 'E'}"
    return {"source": source, "latitude": lat, "longitude": lon, "fields": sorted(set(fields)), "approx": approx}


_LOCATION_TAGS = ("GPSLatitude", "GPSLongitude", "GPSDestLatitude", "GPSDestLongitude", "GPSAreaInformation")


def _from_exifread(fh: io.RawIOBase) -> dict[str, Any] | None:
    import exifread

    logger = logging.getLogger("exifread")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # it logs a warning for every odd file
    try:
        tags = exifread.process_file(cast(BinaryIO, fh), details=False, extract_thumbnail=False)
    finally:
        logger.setLevel(level)
    gps = {k[4:]: v for k, v in tags.items() if k.startswith("GPS ")}
    fields = [k for k in gps if k in _LOCATION_TAGS or k.endswith("Ref")]
    if not any(k in _LOCATION_TAGS for k in gps):
        return None
    lat = lon = None
    if "GPSLatitude" in gps:
        lat = _signed(_to_float(getattr(gps["GPSLatitude"], "values", None)), getattr(gps.get("GPSLatitudeRef"), "values", ""), "S")
    if "GPSLongitude" in gps:
        lon = _signed(_to_float(getattr(gps["GPSLongitude"], "values", None)), getattr(gps.get("GPSLongitudeRef"), "values", ""), "W")
    return _result("exif", lat, lon, fields)


_PIL_GPS_NAMES = {1: "GPSLatitudeRef", 2: "GPSLatitude", 3: "GPSLongitudeRef", 4: "GPSLongitude",
                  19: "GPSDestLatitudeRef", 20: "GPSDestLatitude", 21: "GPSDestLongitudeRef",
                  22: "GPSDestLongitude", 28: "GPSAreaInformation"}


def _from_pillow(fh: io.RawIOBase) -> dict[str, Any] | None:
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is optional here
        return None
    with Image.open(cast(BinaryIO, fh)) as im:  # reads the header only; pixels are never decoded
        gps = dict(im.getexif().get_ifd(_GPS_IFD))
    named = {_PIL_GPS_NAMES[k]: v for k, v in gps.items() if k in _PIL_GPS_NAMES}
    if not any(k in _LOCATION_TAGS for k in named):
        return None
    lat = _signed(_to_float(named.get("GPSLatitude")), named.get("GPSLatitudeRef"), "S") if "GPSLatitude" in named else None
    lon = _signed(_to_float(named.get("GPSLongitude")), named.get("GPSLongitudeRef"), "W") if "GPSLongitude" in named else None
    return _result("exif", lat, lon, list(named))


_XMP_LOCATION_RE = lazy(
    rb"(?:(?<=<)|(?<=\s))(exif:GPSLatitude|exif:GPSLongitude|exif:GPSDestLatitude|photoshop:City|photoshop:State"
    rb"|Iptc4xmpCore:Location|Iptc4xmpExt:LocationShown|Iptc4xmpExt:LocationCreated)"
    rb"(?:\s*=\s*(?:\"([^\"]{0,200})\"|'([^']{0,200})')|(?=[\s/>]))"
)
_XML_TAG_RE = lazy(rb"<[^>]*>")


def _xmp_value(packet: bytes, m: re.Match[bytes]) -> str:
    """The text of an XMP property: its attribute value or the text inside its element."""
    raw = m.group(2) if m.group(2) is not None else m.group(3)
    if raw is None:
        name = m.group(1)
        if packet[m.start() - 1:m.start()] != b"<":
            return ""
        gt = packet.find(b">", m.end())
        if gt < 0 or packet[gt - 1:gt] == b"/":
            return ""  # <name/> is empty
        close = packet.find(b"</" + name + b">", gt)
        raw = _XML_TAG_RE.sub(b" ", packet[gt + 1: close if close > 0 else gt + 1 + 2000])
    return raw.decode("utf-8", "replace").strip()


_XMP_COORD_RE = lazy(r"^\s*(\d{1,3})(?:,(\d{1,2}(?:\.\d+)?))?(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])\s*$")


def _xmp_coord(value: str | None) -> float | None:
    if not value:
        return None
    m = _XMP_COORD_RE.match(value)
    if not m:
        return None
    deg = float(m.group(1)) + float(m.group(2) or 0) / 60 + float(m.group(3) or 0) / 3600
    return -deg if m.group(4) in "SW" else deg


def _from_xmp(head: bytes) -> dict[str, Any] | None:
    start = head.find(b"<x:xmpmeta")
    if start < 0:
        start = head.find(b"<rdf:RDF")
    if start < 0:
        return None
    end = head.find(b"</x:xmpmeta>", start)
    packet = head[start: end if end > 0 else start + 256 * 1024]
    fields: list[str] = []
    values: dict[str, str] = {}
    for m in _XMP_LOCATION_RE.finditer(packet):
        value = _xmp_value(packet, m)
        if not value:
            continue  # an empty field says nothing
        name = m.group(1).decode("ascii", "replace")
        fields.append(name)
        values.setdefault(name, value)
    if not fields:
        return None
    lat = _xmp_coord(values.get("exif:GPSLatitude"))
    lon = _xmp_coord(values.get("exif:GPSLongitude"))
    return _result("xmp", lat, lon, fields)


_TIFF_HEADER_RE = lazy(rb"II\x2a\x00|MM\x00\x2a")


def _from_embedded_tiff(head: bytes) -> dict[str, Any] | None:
    """EXIF stored as a bare TIFF block inside another container (HEIC/AVIF items,
    files ExifRead cannot walk): parse each TIFF header found in ``head`` (at most 8)."""
    for n, m in enumerate(_TIFF_HEADER_RE.finditer(head)):
        if n >= 8:
            break
        if m.start() == 0:
            continue  # a TIFF file itself: already tried
        try:
            found = _from_exifread(cast(io.RawIOBase, io.BytesIO(head[m.start():])))
        except Exception:  # noqa: BLE001
            found = None
        if found:
            return found
    return None


def gps_location(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any] | None:
    """Location data embedded in the image at ``path``, or None.

    Returns ``{'source': 'exif'|'xmp', 'latitude': float|None, 'longitude':
    float|None, 'fields': [tag names], 'approx': '33.9°N 131.2°E'|None}``.
    ``latitude``/``longitude`` are exact and must not be printed; ``approx`` is
    rounded to 0.1° (about 10 km) and may be shown. A GPS block without
    coordinates (only a version or a timestamp) and the 0°/0° placeholder are not
    location data. Missing, unreadable, corrupt or non-image files give None.
    """
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        return None  # an int would be taken as a file descriptor by open()
    try:
        budget = int(max_bytes)
    except (TypeError, ValueError):
        budget = DEFAULT_MAX_BYTES
    try:
        with open(path, "rb") as raw:
            for reader in (_from_exifread, _from_pillow):
                try:
                    raw.seek(0)
                    found = reader(_BoundedReader(raw, budget))
                except Exception:  # noqa: BLE001 - corrupt files make parsers raise anything
                    found = None
                if found:
                    return found
            raw.seek(0)
            head = raw.read(min(budget, _XMP_SCAN_BYTES))
        return _from_embedded_tiff(head) or _from_xmp(head)
    except Exception:  # noqa: BLE001 - missing file, directory, permission …
        return None
