import pytest

from snspolicy.io.errors import LoadError
from snspolicy.io.textfile import decode_text, offset_to_line_col, read_text


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


def test_os_errors_are_named_in_user_terms(tmp_path):
    import errno

    from snspolicy.io.textfile import os_error

    assert os_error(PermissionError(errno.EACCES, "Permission denied")).code == "permission_denied"
    assert os_error(OSError(errno.ELOOP, "Too many levels of symbolic links")).code == "symlink_loop"
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "missing.yaml")
    assert os_error(FileNotFoundError(errno.ENOENT, "x"), link).code == "symlink_dangling"
    assert os_error(FileNotFoundError(errno.ENOENT, "x"), tmp_path / "plain.yaml").code == "file_missing"
    other = os_error(OSError(errno.EIO, "Input/output error"))
    assert other.code == "unreadable" and other.params["error"] == "Input/output error"


def test_utf16_without_bom_is_recognised():
    for enc in ("utf-16-le", "utf-16-be"):
        with pytest.raises(LoadError) as e:
            decode_text("id: x\npurpose: 発信\n".encode(enc))
        assert e.value.code == "not_utf8_utf16"


def test_directory_and_fifo_are_not_opened(tmp_path):
    import os

    (tmp_path / "d.yaml").mkdir()
    os.mkfifo(tmp_path / "p.yaml")
    for name, code in (("d.yaml", "is_directory"), ("p.yaml", "not_regular")):
        with pytest.raises(LoadError) as e:
            read_text(tmp_path / name, tmp_path)
        assert e.value.code == code


def _outcome(fn):
    try:
        return ("ok", fn())
    except LoadError as exc:
        return ("error", exc.code)


def test_the_fast_read_of_a_run_gives_what_the_careful_read_gives(tmp_path):
    """read_bytes with a run's InsideCheck (one lstat, the file opened without following a link)
    answers exactly as the careful way does, for every kind of path a repo can hold."""
    import os
    import pathlib

    from snspolicy.io.textfile import InsideCheck, read_bytes

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("x: 1\n")
    root = tmp_path / "repo"
    (root / "posts").mkdir(parents=True)
    (root / "posts" / "a.md").write_text("id: a\n本文\n", encoding="utf-8")
    (root / "posts" / "empty.md").write_bytes(b"")
    (root / "posts" / "big.md").write_bytes(b"x" * 5000)
    (root / "posts" / "in.md").symlink_to(root / "posts" / "a.md")
    (root / "posts" / "out.md").symlink_to(outside / "secret.md")
    (root / "posts" / "dangling.md").symlink_to(root / "posts" / "gone.md")
    (root / "posts" / "dir.md").mkdir()
    os.mkfifo(root / "posts" / "fifo.md")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    names = ["posts/a.md", "posts/empty.md", "posts/big.md", "posts/in.md", "posts/out.md", "posts/dangling.md",
             "posts/dir.md", "posts/fifo.md", "posts/missing.md", "linked/secret.md", "posts/../posts/a.md"]
    for name in names:
        path = root / name
        careful = _outcome(lambda: read_bytes(path, root, 1000))
        fast = _outcome(lambda: read_bytes(path, root, 1000, inside_check=InsideCheck(root)))
        assert fast == careful, name
    # one check shared by the whole run (folders remembered as resolved and as written), in both orders
    names += ["posts/../linked/secret.md", "linked/./secret.md", "posts/./a.md"]
    for order in (names, names[::-1]):
        shared = InsideCheck(root)
        for name in order * 2:
            path = root / name
            assert _outcome(lambda: read_bytes(path, root, 1000, inside_check=shared)) \
                == _outcome(lambda: read_bytes(path, root, 1000)), name
            as_text = os.path.join(str(root), *name.split("/"))  # "./" and ".." kept as written
            assert _outcome(lambda: read_bytes(as_text, root, 1000, inside_check=shared)) \
                == _outcome(lambda: read_bytes(pathlib.Path(as_text), root, 1000)), as_text
    # what the folder listing calls a regular file is read as the careful way reads it
    for name in ["posts/a.md", "posts/empty.md", "posts/big.md"]:
        assert _outcome(lambda: read_bytes(root / name, root, 1000, inside_check=InsideCheck(root), regular=True)) \
            == _outcome(lambda: read_bytes(root / name, root, 1000)), name
    assert _outcome(lambda: read_bytes(root / "posts/a.md", root, 1000, inside_check=InsideCheck(root))) \
        == ("ok", "id: a\n本文\n".encode())
    assert _outcome(lambda: read_bytes(root / "linked/secret.md", root, inside_check=InsideCheck(root))) \
        == ("error", "symlink_outside")
    assert _outcome(lambda: read_bytes(root / "posts/big.md", root, 1000, inside_check=InsideCheck(root))) \
        == ("error", "too_large")


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
@pytest.mark.parametrize("hint", [0, 100, 10_000])
def test_read_fd_reads_to_the_end_or_the_limit_whatever_the_size_hint(tmp_path, size, hint):
    import os

    from snspolicy.io.textfile import read_fd

    p = tmp_path / "f"
    data = bytes(range(256)) * (size // 256 + 1)
    p.write_bytes(data[:size])
    fd = os.open(p, os.O_RDONLY)
    try:
        assert read_fd(fd, 101, hint) == data[:min(size, 101)]  # a file larger than the limit: limit bytes
    finally:
        os.close(fd)
