#!/usr/bin/env python3
"""nettool schema against the files in schemas/ and python3-jsonschema (a validator nobody here wrote);
and the schema check every integration test runs through (../schema_check.py): it passes exit codes on
and fails a test whose records break the schema, naming the command, the record and the field."""
import json
import os
import subprocess
import sys
import tempfile

import ntlib
from ntlib import SOURCE_ROOT, assert_usage_error, jq_ok, jsonl, nettool, skip, test

SCHEMAS = os.path.join(SOURCE_ROOT, "schemas")
CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schema_check.py")


def schema_files():
    return sorted(n[: -len(".schema.json")] for n in os.listdir(SCHEMAS) if n.endswith(".schema.json"))


def jsonschema_or_skip():
    try:
        import jsonschema
    except ImportError:
        skip("python3-jsonschema is not installed")
    return jsonschema


@test
def list_names_every_schema_file():
    proc = nettool("schema", check=0)
    assert proc.stdout.split() == schema_files(), proc.stdout
    assert proc.stdout.split() == nettool("schema", "--format", "list", check=0).stdout.split()
    doc = json.loads(jq_ok(nettool("schema", "--json", check=0).stdout))
    assert doc["command"] == "schema" and doc["records"] == [{"type": "schemas", "commands": schema_files()}], doc


@test
def prints_each_file_byte_for_byte():
    for name in schema_files():
        with open(os.path.join(SCHEMAS, f"{name}.schema.json"), encoding="utf-8") as f:
            assert nettool("schema", name, check=0).stdout == f.read(), name


@test
def json_modes_carry_the_parsed_schema():
    [rec] = jsonl(nettool("schema", "ping", "--jsonl", check=0).stdout)
    assert rec["type"] == "schema" and rec["command"] == "ping", rec
    assert rec["schema"]["$id"] == "urn:nettool:schema:ping"
    doc = json.loads(nettool("schema", "tcp-echo", "--json", check=0).stdout)
    assert doc["records"][0]["schema"]["$id"] == "urn:nettool:schema:tcp-echo"


@test
def unknown_command_is_a_usage_error():
    assert_usage_error(nettool("schema", "pnig"), "'pnig'", "did you mean 'ping'")
    assert_usage_error(nettool("schema", "zzzzzzzz"), "'zzzzzzzz'", "ping", "tcp-echo")
    [rec] = jsonl(nettool("schema", "nothing-like-it", "--jsonl", check=2).stdout)
    assert rec["type"] == "error" and rec["exit_code"] == 2 and "nothing-like-it" in rec["message"], rec


@test
def every_schema_is_valid_draft_2020_12():
    jsonschema = jsonschema_or_skip()
    for name in schema_files():
        schema = json.loads(nettool("schema", name, check=0).stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", name


@test
def real_records_validate_and_a_changed_field_does_not():
    jsonschema = jsonschema_or_skip()
    schema = json.loads(nettool("schema", "ping").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    records = jsonl(nettool("ping", "-c", "2", "-i", "0.2", "--jsonl", "127.0.0.1", check=0).stdout)
    assert {r["type"] for r in records} == {"start", "reply", "summary"}, records
    for r in records:
        assert not list(validator.iter_errors(r)), r
    reply = next(r for r in records if r["type"] == "reply")
    assert list(validator.iter_errors(dict(reply, rtt="0.1"))), "an undocumented field passed"
    assert list(validator.iter_errors(dict(reply, rtt_ms="0.1"))), "a string rtt_ms passed"
    doc = json.loads(nettool("ping", "-c", "1", "--json", "127.0.0.1", check=0).stdout)
    assert not list(jsonschema.Draft202012Validator(
        {"$ref": "#/$defs/document", "$defs": schema["$defs"]}).iter_errors(doc)), doc


def run_checked(script_text):
    """Runs a python script through schema_check.py; returns (exit code, output)."""
    with tempfile.NamedTemporaryFile("w", suffix="_test.py", delete=False) as f:
        f.write(script_text)
    try:
        proc = subprocess.run([sys.executable, CHECKER, f.name], capture_output=True, text=True, timeout=60)
        return proc.returncode, proc.stdout + proc.stderr
    finally:
        os.unlink(f.name)


BAD_RECORDS = """
import json, os
d = os.environ["NETTOOL_RECORD_LOG"]
with open(os.path.join(d, "tcp-echo.1.0.jsonl"), "w") as f:
    f.write(json.dumps({"type": "reply", "peer": "127.0.0.1:7", "seq": 1, "bytes": 5, "rtt_ms": "slow",
                        "match": True}) + "\\n")
    f.write(json.dumps({"type": "reply", "peer": "127.0.0.1:7", "seq": 1, "bytes": 5, "rtt_ms": 0.1,
                        "match": True, "latency": 1}) + "\\n")
    f.write(json.dumps({"type": "no_such_record"}) + "\\n")
"""


@test
def checker_fails_a_passing_test_whose_records_break_the_schema():
    jsonschema_or_skip()
    code, out = run_checked(BAD_RECORDS)
    assert code == 1, (code, out)
    assert "command tcp-echo: record type 'reply': field rtt_ms: 'slow' is not of type 'number'" in out, out
    assert "'latency' was unexpected" in out, out
    assert "record type 'no_such_record' is not in schemas/tcp-echo.schema.json" in out, out


@test
def checker_passes_exit_codes_on_and_checks_real_runs():
    jsonschema_or_skip()
    assert run_checked("import sys; sys.exit(77)")[0] == 77
    assert run_checked("import sys; sys.exit(3)")[0] == 3
    assert run_checked(BAD_RECORDS + "\nraise SystemExit(77)")[0] == 77  # a skip stays a skip
    code, out = run_checked(f"""
import subprocess
for fmt in ("text", "json", "jsonl"):
    subprocess.run([{ntlib.NETTOOL!r}, "ping", "-c", "1", "--format", fmt, "127.0.0.1"], check=True,
                   capture_output=True)
""")
    assert code == 0, out
    # text, json and jsonl: start, reply and summary each time, and the json document
    assert "10 records/documents" in out and "0 violations" in out, out


ntlib.run_tests()
