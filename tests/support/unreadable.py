"""Making a file really unreadable for a test, also when the tests run as root.

Root reads a mode-000 file anyway: the capabilities CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH bypass permission bits. `permissions_enforced()` lowers those two
capabilities from the calling thread's effective set (they stay permitted, so they are
raised again afterwards), so that `open()` of a mode-000 file fails with EACCES exactly
as it does for an ordinary user. Capabilities are per thread on Linux: the code under
test must run on the calling thread.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

_CAPABILITY_VERSION_3 = 0x20080522
_BYPASS = (1 << 1) | (1 << 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _capabilities() -> tuple[ctypes.CDLL, _Header, ctypes.Array]:
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = _Header(_CAPABILITY_VERSION_3, 0), (_Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        pytest.skip("cannot read this thread's capabilities")
    return libc, header, data


@contextmanager
def permissions_enforced() -> Iterator[None]:
    """Within the block, permission bits apply to this thread even as root."""
    if os.geteuid() != 0:
        yield
        return
    libc, header, data = _capabilities()
    saved = data[0].effective
    data[0].effective = saved & ~_BYPASS
    if libc.capset(ctypes.byref(header), data) != 0:
        pytest.skip("cannot lower this thread's capabilities")
    try:
        yield
    finally:
        data[0].effective = saved
        libc.capset(ctypes.byref(header), data)


def make_unreadable(path: os.PathLike[str] | str) -> None:
    """chmod 000, and check (with permissions enforced) that it really cannot be read."""
    os.chmod(path, 0)
    with permissions_enforced():
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                open(path, "rb").close()
        except PermissionError:
            return
    pytest.skip("permission bits are not enforced here")
