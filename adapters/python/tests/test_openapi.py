"""Spec/openapi.json is a valid OpenAPI 3.1 document (an outside validator, openapi-spec-validator)."""
import json
import pathlib



ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_openapi_document_is_valid_openapi_3_1():
    import openapi_spec_validator as validator
    document = json.loads((ROOT / "Spec" / "openapi.json").read_text())
    assert document["openapi"] == "3.1.0"
    validator.validate(document)


def test_every_operation_says_whether_it_is_signed():
    document = json.loads((ROOT / "Spec" / "openapi.json").read_text())
    for path, item in document["paths"].items():
        for method, operation in item.items():
            # A path item also holds "parameters", "servers" (the operational routes sit at the
            # origin) and text; only the HTTP methods are operations.
            if method not in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                continue
            assert operation["x-dialogue-signed"] in ("none", "user", "server"), (path, method)
            assert bool(operation["security"]) == (operation["x-dialogue-signed"] != "none"), (path, method)
