#!/usr/bin/env python3
"""Runs one integration test script and validates every record nettool produced while it ran.

usage: schema_check.py SCRIPT [ARGS...]

Sets NETTOOL_RECORD_LOG to a fresh directory, so every nettool the script starts appends each record
it emits (any --format) to DIR/<cmd>.<pid>.<n>.jsonl and its --json document to DIR/<cmd>.<pid>.<n>.json
(src/output/record_log.hpp). After the script ends, each is validated against schemas/<cmd>.schema.json
(JSON Schema draft 2020-12, python3-jsonschema): a record of an undocumented type, an undocumented field
or a wrong type fails the test, naming the command, the record and the field.

Exit status: the script's when it failed or skipped (77); 1 when it passed but a record did not validate;
77 when it passed but python3-jsonschema is missing (the records went unchecked: never a silent pass).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE_ROOT = os.environ.get("NETTOOL_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA_DIR = os.path.join(SOURCE_ROOT, "schemas")
# Every command has a schema: a record of a command without one fails the test (a new subcommand comes
# with its schemas/<cmd>.schema.json).
MISSING_SCHEMA_FAILS = True
SKIP = 77


_DIGITS = bytes.maketrans(b"23456789", b"11111111")
_NONZERO_RUN = re.compile(rb"[01]*1[01]*")


def shape(line):
    """A record's shape for deduplication: its JSON text with every run of digits that is not all zeros
    turned into "1" (an address, a timestamp or a counter keeps its form, not its value; 0 stays 0).
    Records of one shape pass or fail alike here, so only one of them is validated: a test's 500 000
    records cost seconds, not minutes. What this can hide: a number past an upper bound (a port of
    70000 after one of 10000) when a record of the same shape was seen first."""
    return _NONZERO_RUN.sub(b"1", line.translate(_DIGITS))


class Schemas:
    def __init__(self, jsonschema):
        self.jsonschema = jsonschema
        self.loaded = {}

    def get(self, command):
        """(schema, {type: [validator, …]}, document validator) for a command, or None without a file."""
        if command not in self.loaded:
            self.loaded[command] = self._load(command)
        return self.loaded[command]

    def _load(self, command):
        generic = command == "nettool"  # a usage error before any command was recognised
        path = os.path.join(SCHEMA_DIR, ("ping" if generic else command) + ".schema.json")
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        defs = schema["$defs"]
        V = self.jsonschema.Draft202012Validator
        by_type = {}
        names = ["error"] if generic else [ref["$ref"].split("/")[-1] for ref in defs["record"]["oneOf"]]
        for name in names:
            validator = V({"$ref": f"#/$defs/{name}", "$defs": defs})
            # A definition without a type const (chat-client's unknown_type: any type the protocol lacks)
            # is tried for every type no other definition names.
            for t in record_types(defs[name]) or [None]:
                by_type.setdefault(t, []).append(validator)
        doc = json.loads(json.dumps(defs["document"]))
        if generic:
            doc["properties"]["command"] = {"const": ""}
        doc["properties"]["records"]["items"] = True  # each record is checked on its own, naming its field
        return schema, by_type, V(dict(doc, **{"$defs": defs}))


def record_types(definition):
    """The `type` consts a record definition accepts (one, or one per variant of a oneOf)."""
    const = definition.get("properties", {}).get("type", {}).get("const")
    if const is not None:
        return [const]
    return [t for variant in definition.get("oneOf", []) for t in record_types(variant)]


def describe(error):
    field = ".".join(str(p) for p in error.absolute_path) or "(record)"
    return f"field {field}: {error.message[:300]}"


def check_record(command, record, schemas, where):
    loaded = schemas.get(command)
    if loaded is None:
        return None
    _, by_type, _ = loaded
    rtype = record.get("type") if isinstance(record, dict) else None
    validators = by_type.get(rtype) or by_type.get(None)
    if not validators:
        return [f"{where}: command {command}: record type {rtype!r} is not in schemas/{command}.schema.json: {record}"]
    best = None
    for v in validators:
        errors = list(v.iter_errors(record))
        if not errors:
            return []
        if best is None or len(errors) < len(best):
            best = errors
    return [f"{where}: command {command}: record type {rtype!r}: {describe(e)}\n    record: {json.dumps(record)[:400]}"
            for e in best]


def distinct_records(document):
    """The document with one record per type and key list: the envelope is checked whole; its records are
    the ones its process also logged line by line (checked there), so one of each kind is enough here."""
    if not isinstance(document, dict) or not isinstance(document.get("records"), list):
        return document
    kept = {(r.get("type"), tuple(r)) if isinstance(r, dict) else repr(r): r for r in document["records"]}
    return dict(document, records=list(kept.values()))


def check_log(log_dir, schemas):
    """Returns (problems, unchecked commands, records seen, records validated)."""
    problems, unchecked, seen, validated = [], set(), 0, 0
    done = set()
    for name in sorted(os.listdir(log_dir)):
        command = name.split(".")[0]
        path = os.path.join(log_dir, name)
        if schemas.get(command) is None:
            unchecked.add(command)
            continue
        with open(path, "rb") as f:
            text = f.read()
        if name.endswith(".json"):
            items = [(f"{name} (the --json document)", text, True)] if text.strip() else []
        else:
            items = [(f"{name} line {i}", line, False) for i, line in enumerate(text.split(b"\n"), 1) if line.strip()]
        for where, line, is_document in items:
            seen += 1
            key = (command, is_document, line if is_document else shape(line))
            if key in done:
                continue
            done.add(key)
            validated += 1
            try:
                item = json.loads(line)
            except ValueError as e:
                problems.append(f"{where}: command {command}: not valid JSON: {e}")
                continue
            if is_document:
                document = distinct_records(item)
                errors = list(schemas.get(command)[2].iter_errors(document))
                problems += [f"{where}: command {command}: {describe(e)}" for e in errors[:10]]
                for i, record in enumerate(document.get("records", []) if isinstance(document, dict) else []):
                    problems += check_record(command, record, schemas, f"{where} record {i}")
            else:
                problems += check_record(command, item, schemas, where)
    return problems, unchecked, seen, validated


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    log_dir = tempfile.mkdtemp(prefix="nettool-records-")
    os.chmod(log_dir, 0o1777)  # tests run nettool as other users too (setpriv): their records count as well
    try:
        env = dict(os.environ, NETTOOL_RECORD_LOG=log_dir)
        rc = subprocess.call([sys.executable] + sys.argv[1:], env=env)
        try:
            import jsonschema
        except ImportError:
            print("schema check: python3-jsonschema is missing (scripts/lib.sh TEST_PACKAGES): records unchecked",
                  flush=True)
            return rc if rc != 0 else SKIP
        problems, unchecked, seen, validated = check_log(log_dir, Schemas(jsonschema))
        for p in problems:
            print(f"SCHEMA VIOLATION {p}", flush=True)
        for command in sorted(unchecked):
            print(f"schema check: no schemas/{command}.schema.json: its records are unchecked", flush=True)
        print(f"schema check: {seen} records/documents, {validated} distinct shapes validated, "
              f"{len(problems)} violations", flush=True)
        if rc != 0:
            return rc
        if problems or (unchecked and MISSING_SCHEMA_FAILS):
            return 1
        return 0
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
