"""A real `dialogued`, run as a stranger would run it, for the tests of this folder (conftest.py).

Each test module gets its own server: `dialogued init` in a fresh temporary data
directory, one account (alice@a.example) whose identity the root package's
`dialogue identity create` makes, then `dialogued serve` on 127.0.0.1 with an
ephemeral port. The server is stopped with SIGTERM at the end of the module and
must exit 0 (a graceful shutdown); the directory is removed.

Nothing here reads the server's or the library's source: the secret identity
file is read as Spec/identities.md#secret describes it, and requests are signed
by the PyPI package http-message-signatures (test_outside_client.py).

The binaries: `$DIALOGUED` and `$DIALOGUE` (scripts/test.sh sets both), else the
debug builds that `swift build --show-bin-path` names.
"""

import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import cbor2
import datetime
import http_message_signatures as hms
import secrets
import requests
from cryptography.hazmat.primitives.asymmetric import ed25519

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]
DOMAIN = "a.example"
ALICE = "alice@" + DOMAIN
BASE_PATH = "/dialogue/v1"
# The profile of Spec/delivery.md#dlv-request: these components, in this order, and a lifetime of at most 300 s.
PROFILE_COMPONENTS = ("@method", "@target-uri", "content-digest")
LIFETIME = 300
START_TIMEOUT = 60.0  # seconds; the first start on a loaded 2-core machine is slow
STOP_TIMEOUT = 20.0


def binary(variable, name, *package):
    """The executable `name`: `$variable`, else the one in the package's debug bin path."""
    if os.environ.get(variable):
        return os.environ[variable]
    bin_path = subprocess.run(
        ["swift", "build", *package, "--show-bin-path"], cwd=REPOSITORY, capture_output=True, text=True, check=True
    ).stdout.strip()
    return os.path.join(bin_path, name)


def _run(*arguments, env=None):
    """Runs a command to completion; its failure fails the test with what it printed."""
    done = subprocess.run(list(arguments), capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, f"{arguments} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _free_port():
    """A port that the kernel just handed out for 127.0.0.1 (the server binds it right after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Identity:
    """A signing key and the identity key fingerprint that a `keyid` names it by."""

    def __init__(self, private_key, fingerprint):
        self.private_key = private_key
        self.fingerprint = fingerprint

    @classmethod
    def read(cls, path, fingerprint):
        """A secret identity file, read as Spec/identities.md#secret says (plain mode)."""
        outer = cbor2.loads(pathlib.Path(path).read_bytes())
        assert outer[0] == 1 and outer[1] == 0, "a plain secret identity file, version 1"
        body = cbor2.loads(outer[2])
        return cls(ed25519.Ed25519PrivateKey.from_private_bytes(body[0]), fingerprint)


def sign(request, identity, address, *, body=b"", components=PROFILE_COMPONENTS, label="dlg", **options):
    """Signs a prepared request in place with the PyPI package http-message-signatures, as the profile says.

    `keyid` is `ADDRESS/FINGERPRINT` ([dlv-request-keyid]), the nonce 24 characters of A-Z a-z 0-9 - _
    from 18 random bytes, `tag` "dialogue-v1". `body` is the body's exact bytes, from which the package
    writes `Content-Digest: sha-256=…`; `body=None` signs no digest at all (the package adds the
    `content-digest` component whenever it is given the body). `options` go to `sign` as they are
    (`tag=None` leaves the tag out, `include_alg=False` the `alg`)."""
    keyid = f"{address}/{identity.fingerprint}"
    signer = hms.HTTPMessageSigner(
        signature_algorithm=hms.algorithms.ED25519,
        key_resolver=hms.MappingKeyResolver(public_keys={}, private_keys={keyid: identity.private_key}),
    )
    # The clock of this machine is the server's: `created` one second back keeps it out of the future.
    created = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
    arguments = dict(
        key_id=keyid, created=created, expires=created + datetime.timedelta(seconds=LIFETIME),
        nonce=secrets.token_urlsafe(18), tag="dialogue-v1", label=label, covered_component_ids=components, body=body,
    )
    signer.sign(request, **(arguments | options))


class Dialogued:
    """One running `dialogued serve` and what a client needs to talk to it."""

    def __init__(self, directory, dialogued, dialogue):
        self.directory = pathlib.Path(directory)
        self.data = self.directory / "data"
        self.dialogued = dialogued
        self.process = None
        self.log_path = self.directory / "serve.log"
        # The environment of a stranger: no passphrase (a plain secret file), no DIALOGUED_* of the caller's.
        self.environment = {
            k: v for k, v in os.environ.items() if not k.startswith("DIALOGUED_") and k != "DIALOGUE_PASSPHRASE"
        }
        _run(dialogued, "init", "--data", str(self.data), "--domain", DOMAIN, env=self.environment)
        identity_path = self.directory / "alice.identity"
        created = _run(dialogue, "identity", "create", ALICE, "--output", str(identity_path), env=self.environment)
        fingerprint = re.search(r"^key\s+(key-[a-z2-7]{53})$", created, re.MULTILINE).group(1)
        self.alice_path = identity_path
        self.alice = Identity.read(identity_path, fingerprint)
        _run(
            dialogued, "user", "add", ALICE, "--card", f"{identity_path}.card", "--data", str(self.data),
            env=self.environment,
        )

    def start(self):
        """Serves on a fresh ephemeral port; tries another if a different process took the port first."""
        for _ in range(5):
            self.port = _free_port()
            self.origin = f"http://127.0.0.1:{self.port}"
            self.base_url = self.origin + BASE_PATH
            # The published base URL must be the one clients sign ([dlv-request-target]): the port is
            # chosen before the server starts, so both the base URL and the listen address name it.
            environment = dict(self.environment, DIALOGUED_BASE_URL=self.base_url)
            with open(self.log_path, "wb") as log:
                self.process = subprocess.Popen(
                    [self.dialogued, "serve", "--data", str(self.data), "--listen", f"127.0.0.1:{self.port}"],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=environment,
                )
            if self._wait_until_healthy():
                return
            self.process.wait(timeout=STOP_TIMEOUT)
            log = self.log()
            if "already in use" not in log:
                raise AssertionError(f"dialogued did not start:\n{log}")
        raise AssertionError("dialogued found no free port in 5 tries")

    def _wait_until_healthy(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if requests.get(self.origin + "/health", timeout=2).status_code == 200:
                    return True
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.process.kill()
        raise AssertionError(f"dialogued was not healthy within {START_TIMEOUT} s:\n{self.log()}")

    def stop(self):
        """SIGTERM, then the exit status of a graceful shutdown; SIGKILL only if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"dialogued did not stop within {STOP_TIMEOUT} s of SIGTERM")

    def log(self):
        return self.log_path.read_text(errors="replace")

    def url(self, path):
        return self.base_url + path
