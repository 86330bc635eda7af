"""Where a command's data goes: stdout, or a file that appears only once it is complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from crewbase.cli.base import bad_input


@contextlib.contextmanager
def text_output(path: str | None, stdout):
    """Yield a text stream. For a file, write beside it and rename at the end, so an export
    that fails or is interrupted never leaves a half-written file under the requested name."""
    if not path or path == "-":
        # Django's OutputWrapper appends newlines to each write; the raw stream does not.
        yield getattr(stdout, "_out", stdout)
        return
    target = Path(path)
    if target.is_dir():
        raise bad_input(f"--output: {path} is a directory")
    if not target.parent.is_dir():
        raise bad_input(f"--output: the folder {target.parent} does not exist")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
