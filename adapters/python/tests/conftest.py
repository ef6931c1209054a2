import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ADAPTER_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(ADAPTER_DIR))
sys.path.insert(0, ADAPTER_DIR)

# The reference command, used only as a black box (never its source).
CLI_CANDIDATES = [os.environ.get("DIALOGUE_CLI", ""), os.path.join(REPO, ".build/debug/dialogue"),
                  "/work/main/.build/debug/dialogue", shutil.which("dialogue") or ""]
CLI = next((c for c in CLI_CANDIDATES if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


@pytest.fixture
def cli():
    if CLI is None:
        pytest.skip("the reference `dialogue` command is not built (set DIALOGUE_CLI)")
    return CLI


def run_cli(args, stdin=b"", env=None, cwd=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, env=e, cwd=cwd)
