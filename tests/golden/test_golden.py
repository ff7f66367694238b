"""The example repos' outputs in every format are byte-identical to the recorded golden files:
a restructure must not change what users see (an intended change re-records them in its own commit)."""

from __future__ import annotations

import pytest

from .cases import HERE, cases, run


@pytest.mark.parametrize("name,args,cwd", cases(), ids=[c[0] for c in cases()])
def test_output_is_unchanged(name, args, cwd):
    expected = (HERE / "out" / name).read_bytes()
    code, out = run(args, cwd)
    assert f"exit={code}\n".encode() + out == expected
