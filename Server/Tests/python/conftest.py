"""The fixtures of the outside tests of dialogued: see dialogued_harness.py."""

import shutil
import tempfile

import pytest

from dialogued_harness import Dialogued, binary


@pytest.fixture(scope="module")
def server():
    """A running dialogued with alice's account, stopped (exit status 0) after the module's tests."""
    directory = tempfile.mkdtemp(prefix="dialogued-outside-")
    running = None
    try:
        running = Dialogued(
            directory, binary("DIALOGUED", "dialogued", "--package-path", "Server"), binary("DIALOGUE", "dialogue")
        )
        running.start()
        yield running
        status = running.stop()
        assert status == 0, f"dialogued exited {status} after SIGTERM:\n{running.log()}"
    finally:
        if running is not None:
            running.stop()
        shutil.rmtree(directory, ignore_errors=True)
