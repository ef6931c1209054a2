"""schemathesis against Spec/openapi.json and a real dialogued: every answer conforms to the document.

schemathesis generates requests from the document alone (its examples, a coverage phase of boundary,
missing and unsupported values, then random fuzzing) and checks each answer: no 5xx, a status the
operation declares, the declared content type, headers and body schema, schema-invalid requests
refused with a 4xx, unsupported methods answered 405 with `Allow`, missing required headers refused,
and no signed operation served without its signature.

Two runs against the same server:

- unsigned, schema-valid and schema-invalid requests: schemathesis cannot sign, so the signed
  operations answer 4xx problems, which must conform to the document as much as a success does;
- signed as alice, schema-valid requests only: schemathesis_hooks.py signs each request to a signed
  operation just before it is sent (http-message-signatures), so the server gets past the signature
  and answers the generated paths, queries and bodies themselves (404 for unknown blobs and
  submissions, 422 for a blob whose bytes are not its identifier, 403 for a user at a server's
  endpoint, 200 for the inbox...). Schema-invalid requests are left out of this run: the hook would
  mend the signature headers that they leave out or break.

Left out of both: `positive_data_acceptance` (schema-valid is not enough: a CBOR body must also be a
signed object) and the stateful phase (the document declares no links).

The runs are bounded and repeatable: at most MAX_EXAMPLES cases per operation in the fuzzing phase,
plus the finite examples and coverage phases, one worker, a fixed seed. Their HAR reports count the
requests, which the test prints.
"""

import json
import os
import subprocess
import sys

from dialogued_harness import ALICE, REPOSITORY

HERE = REPOSITORY / "Server" / "Tests" / "python"
DOCUMENT = REPOSITORY / "Spec" / "openapi.json"
MAX_EXAMPLES = 25
SEED = 20_251_009
CONFORMANCE = (
    "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
    "response_schema_conformance"
)
UNSIGNED_CHECKS = (
    CONFORMANCE + ",negative_data_rejection,missing_required_header,unsupported_method,allow_header_conformance,"
    "ignored_auth,use_after_free,ensure_resource_availability"
)


def schemathesis(server, directory, *arguments, environment=None):
    """Runs `schemathesis run` against the server; returns its output and the number of requests it made."""
    har = directory / "run.har"
    done = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(HERE / "schemathesis.toml"),
            "run", str(DOCUMENT), "--url", server.base_url, "--phases", "examples,coverage,fuzzing",
            "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--workers", "1", "--request-timeout", "10",
            "--generation-database", "none", "--report", "har", "--report-har-path", str(har),
            # The operational routes (/health, /ready, /metrics) sit at the origin, not under the base
            # URL (their path item names its own server), and schemathesis sends every operation to
            # --url: they are checked by the Swift tests instead (MetricsAndLogTests, ShutdownTests).
            "--exclude-path-regex", "^/(health|ready|metrics)$", *arguments,
        ],
        capture_output=True, text=True, timeout=150, cwd=directory,
        env=dict(os.environ, PYTHONPATH=str(HERE), SCHEMATHESIS_HOOKS="schemathesis_hooks", **(environment or {})),
    )
    made = len(json.loads(har.read_text())["log"]["entries"]) if har.exists() else 0
    assert done.returncode == 0, f"schemathesis found answers outside the document:\n{done.stdout}\n{done.stderr}"
    return done.stdout, made


def test_every_unsigned_answer_conforms_to_the_document(server, tmp_path):
    """[dlv-errors], [dlv-endpoints]: no 5xx and no answer the document does not describe, unsigned."""
    output, made = schemathesis(server, tmp_path, "--mode", "all", "--checks", UNSIGNED_CHECKS)
    print(f"schemathesis, unsigned: {made} requests")
    assert made > 300, output


def test_every_signed_answer_conforms_to_the_document(server, tmp_path):
    """[dlv-request], [dlv-errors]: the same, with every request to a signed operation signed as alice."""
    signing = {
        "DIALOGUE_SIGN_IDENTITY": str(server.alice_path), "DIALOGUE_SIGN_FINGERPRINT": server.alice.fingerprint,
        "DIALOGUE_SIGN_ADDRESS": ALICE,
    }
    output, made = schemathesis(
        server, tmp_path, "--mode", "positive", "--checks", CONFORMANCE, environment=signing
    )
    print(f"schemathesis, signed as alice: {made} requests")
    assert made > 200, output
    # The signature was taken: alice's inbox answered 200 at least once.
    listing = [line for line in server.log().splitlines() if "route=/inbox " in line and "status=200" in line]
    assert listing, "no signed inbox request was accepted"
