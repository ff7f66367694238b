"""EXIF/XMP location in images (media-exif-location, clause 6(5))."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from snspolicy.text.exif import gps_location

Image = pytest.importorskip("PIL.Image")
from PIL.ExifTags import GPS, IFD, Base

LAT = (33.0, 57.0, 6.5)  # 33°57'06.5"N
LON = (131.0, 14.0, 48.0)  # 131°14'48"E


def _exif(with_gps: bool, lat_ref: str = "N", lat=LAT):
    img = Image.new("RGB", (8, 8), "red")
    ex = img.getexif()
    ex[Base.Make] = "TestCam"
    if with_gps:
        ex[IFD.GPSInfo] = {GPS.GPSLatitudeRef: lat_ref, GPS.GPSLatitude: lat,
                           GPS.GPSLongitudeRef: "E", GPS.GPSLongitude: LON}
    return img, ex


def _save(tmp_path: Path, name: str, with_gps: bool = True, **kw) -> Path:
    img, ex = _exif(with_gps, **kw)
    path = tmp_path / name
    if name.endswith((".tif", ".tiff")):
        # Pillow's TIFF writer needs an Exif object read back from a file
        tmp = tmp_path / ("_" + name + ".jpg")
        img.save(tmp, exif=ex)
        img.save(path, exif=Image.open(tmp).getexif())
    else:
        img.save(path, exif=ex)
    return path


@pytest.mark.parametrize("name", ["a.jpg", "a.png", "a.tiff", "a.webp"])
def test_gps_found(tmp_path, name):
    if name.endswith(".webp") and not _can_save(tmp_path, "WEBP"):
        pytest.skip("Pillow without WebP")
    loc = gps_location(_save(tmp_path, name))
    assert loc is not None and loc["source"] == "exif"
    assert loc["latitude"] == pytest.approx(33.95181, abs=1e-4)
    assert loc["longitude"] == pytest.approx(131.24667, abs=1e-4)
    assert loc["approx"] == "34.0°N 131.2°E"
    assert "GPSLatitude" in loc["fields"]


def _can_save(tmp_path: Path, fmt: str) -> bool:
    try:
        Image.new("RGB", (1, 1)).save(tmp_path / "probe", format=fmt)
        return True
    except Exception:  # noqa: BLE001
        return False


def test_southern_latitude(tmp_path):
    loc = gps_location(_save(tmp_path, "s.jpg", lat_ref="S"))
    assert loc["latitude"] < 0 and loc["approx"].startswith("34.0°S")


@pytest.mark.parametrize("name", ["b.jpg", "b.png", "b.tiff"])
def test_no_gps(tmp_path, name):
    assert gps_location(_save(tmp_path, name, with_gps=False)) is None


def test_plain_image_without_exif(tmp_path):
    p = tmp_path / "plain.png"
    Image.new("RGB", (4, 4)).save(p)
    assert gps_location(p) is None


def test_zero_placeholder_is_not_a_location(tmp_path):
    assert gps_location(_save(tmp_path, "z.jpg", lat=(0.0, 0.0, 0.0))) is not None  # longitude is real
    img, ex = _exif(False)
    ex[IFD.GPSInfo] = {GPS.GPSLatitudeRef: "N", GPS.GPSLatitude: (0.0, 0.0, 0.0),
                       GPS.GPSLongitudeRef: "E", GPS.GPSLongitude: (0.0, 0.0, 0.0)}
    img.save(tmp_path / "zz.jpg", exif=ex)
    assert gps_location(tmp_path / "zz.jpg") is None


def test_gps_block_without_coordinates(tmp_path):
    img, ex = _exif(False)
    ex[IFD.GPSInfo] = {GPS.GPSVersionID: b"\x02\x03\x00\x00"}
    img.save(tmp_path / "v.jpg", exif=ex)
    assert gps_location(tmp_path / "v.jpg") is None


def test_exif_inside_an_unknown_container(tmp_path):
    """A bare TIFF/EXIF block inside another container (as in HEIC items) is still read."""
    _, ex = _exif(True)
    tiff = ex.tobytes()
    tiff = tiff[6:] if tiff.startswith(b"Exif\x00\x00") else tiff
    p = tmp_path / "x.heic"
    p.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + os.urandom(64).replace(b"II", b"..").replace(b"MM", b"..") + tiff)
    loc = gps_location(p)
    assert loc is not None and loc["latitude"] == pytest.approx(33.95181, abs=1e-4)


def test_real_heic(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    img, ex = _exif(True)
    p = tmp_path / "h.heic"
    try:
        img.save(p, exif=ex.tobytes())
    except Exception as exc:  # noqa: BLE001 - no HEIF encoder in this build
        pytest.skip(f"cannot write HEIC: {exc}")
    assert gps_location(p)["approx"] == "34.0°N 131.2°E"


def test_xmp_location(tmp_path):
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
           b'exif:GPSLatitude="33,57.1083N" exif:GPSLongitude="131,14.8E"/></rdf:RDF></x:xmpmeta>')
    p = tmp_path / "x.jpg"
    p.write_bytes(b"\xff\xd8\xff\xe1" + len(xmp).to_bytes(2, "big") + xmp + b"\xff\xd9")
    loc = gps_location(p)
    assert loc["source"] == "xmp" and loc["approx"] == "34.0°N 131.2°E"
    city = tmp_path / "c.jpg"
    city.write_bytes(b'<x:xmpmeta><photoshop:City>Ube</photoshop:City></x:xmpmeta>')
    assert gps_location(city)["fields"] == ["photoshop:City"]
    empty = tmp_path / "e.jpg"
    empty.write_bytes(b'<x:xmpmeta><photoshop:City></photoshop:City></x:xmpmeta>')
    assert gps_location(empty) is None


def test_huge_file_reads_only_the_head(tmp_path):
    p = _save(tmp_path, "big.jpg")
    with open(p, "ab") as f:
        f.write(b"\x00" * (8 * 1024 * 1024))
    assert gps_location(p, max_bytes=1024 * 1024) is not None


def test_budget_too_small_gives_none(tmp_path):
    assert gps_location(_save(tmp_path, "a.jpg"), max_bytes=16) is None


@pytest.mark.parametrize(
    "content", [b"", b"\xff\xd8", b"\xff\xd8\xff\xe1\xff\xffExif\x00\x00MM\x00*\xff\xff\xff\xff", b"not an image at all" * 100]
)
def test_corrupt_files(tmp_path, content):
    p = tmp_path / "bad.jpg"
    p.write_bytes(content + os.urandom(1000))
    gps_location(p)  # must not raise; the random tail may or may not parse


def test_truncated_gps_jpeg(tmp_path):
    p = _save(tmp_path, "t.jpg")
    data = p.read_bytes()
    for cut in range(0, len(data), 7):
        (tmp_path / "cut.jpg").write_bytes(data[:cut])
        gps_location(tmp_path / "cut.jpg")


@pytest.mark.parametrize("bad", [None, 3, 0, True, "/nonexistent/x.jpg", "."])
def test_bad_paths(bad):
    assert gps_location(bad) is None  # type: ignore[arg-type]


def test_xmp_structures(tmp_path):
    nested = tmp_path / "n.jpg"
    nested.write_bytes(b"<x:xmpmeta><Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li><Iptc4xmpExt:City>Ube</Iptc4xmpExt:City>"
                       b"</rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown></x:xmpmeta>")
    assert gps_location(nested)["fields"] == ["Iptc4xmpExt:LocationShown"]
    hollow = tmp_path / "h.jpg"
    hollow.write_bytes(b"<x:xmpmeta><Iptc4xmpExt:LocationShown><rdf:Bag/></Iptc4xmpExt:LocationShown>"
                       b"<photoshop:City/><rdf:Description photoshop:City=''/></x:xmpmeta>")
    assert gps_location(hollow) is None
