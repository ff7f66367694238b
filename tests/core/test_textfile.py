import pytest

from snspolicy.loader.errors import LoadError
from snspolicy.loader.textfile import decode_text, offset_to_line_col, read_text


def test_utf8_with_bom_and_crlf():
    assert decode_text("\ufeffa: 1\r\nb: 2\r\n".encode("utf-8")) == "a: 1\nb: 2\n"


def test_shift_jis_is_named_with_location():
    data = "id: x\npurpose: 市政情報の発信\n".encode("cp932")
    with pytest.raises(LoadError) as e:
        decode_text(data)
    assert e.value.code == "not_utf8_legacy"
    assert e.value.params["encoding"] == "Shift_JIS"
    assert e.value.span.line == 2


def test_binary_rejected():
    with pytest.raises(LoadError) as e:
        decode_text(b"\x89PNG\r\n\x1a\n\0\0\0")
    assert e.value.code == "binary"


def test_too_large(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("a: " + "x" * 100 + "\n")
    with pytest.raises(LoadError) as e:
        read_text(p, max_bytes=50)
    assert e.value.code == "too_large"


def test_symlink_outside_root(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    root = tmp_path / "repo"
    root.mkdir()
    link = root / "a.yaml"
    link.symlink_to(outside)
    with pytest.raises(LoadError) as e:
        read_text(link, root)
    assert e.value.code == "symlink_outside"


def test_offset_to_line_col():
    assert offset_to_line_col("ab\ncd", 4) == (2, 2)
    assert offset_to_line_col("", 0) == (1, 1)
