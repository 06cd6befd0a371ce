#!/usr/bin/env python3
"""The schemas and the man pages agree (issue 17): for every schemas/<cmd>.schema.json,

- every record type in the schema is listed in man/nettool-<cmd>.1.scd's OUTPUT section,
- every property of every record (nested objects' too) is named there as *field*,
- every record type that OUTPUT section lists (a line `*type*` followed by an indented definition) is
  in the schema.

The fatal `error` record every command shares is documented once, in nettool(1)'s OUTPUT section: its
fields are checked there. Plain python3, no third-party module: runs anywhere the build does.
"""
import json
import os
import re
import sys

ROOT = os.environ.get("NETTOOL_SOURCE_ROOT", os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def output_section(page):
    with open(os.path.join(ROOT, "man", page), encoding="utf-8") as f:
        text = f.read()
    match = re.search(r"^# OUTPUT\n(.*?)(?=^# )", text, re.S | re.M)
    return match.group(1) if match else ""


def listed_types(section):
    """Record types the page lists: `*name*` (maybe followed by a remark) at the start of a line, with the
    next line a tab-indented definition (scdoc's definition list)."""
    lines = section.split("\n")
    return {m.group(1) for i, line in enumerate(lines[:-1])
            if (m := re.match(r"^\*([a-z_]+)\*( .*)?$", line)) and lines[i + 1].startswith("\t")}


def record_types(definition):
    const = definition.get("properties", {}).get("type", {}).get("const")
    if const is not None:
        return {const}
    return {t for variant in definition.get("oneOf", []) for t in record_types(variant)}


def property_names(schema):
    """Every property name in a schema: its own, its variants' (oneOf/anyOf/allOf/then/else), nested objects'
    and array items'."""
    names = set()
    if not isinstance(schema, dict):
        return names
    for name, sub in schema.get("properties", {}).items():
        names.add(name)
        names |= property_names(sub)
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key, []):
            names |= property_names(sub)
    for key in ("then", "else", "items"):
        names |= property_names(schema.get(key))
    return names


def check(command):
    problems = []
    with open(os.path.join(ROOT, "schemas", f"{command}.schema.json"), encoding="utf-8") as f:
        defs = json.load(f)["$defs"]
    page = f"nettool-{command}.1.scd"
    section = output_section(page)
    if not section:
        return [f"{page}: no OUTPUT section"]
    common = output_section("nettool.1.scd")
    schema_types = set()
    for ref in defs["record"]["oneOf"]:
        name = ref["$ref"].split("/")[-1]
        types = record_types(defs[name])
        schema_types |= types
        for t in types:
            if f"*{t}*" not in section:
                problems.append(f"{page}: record type *{t}* (schemas/{command}.schema.json $defs/{name}) is not in OUTPUT")
        where, text = (f"nettool.1.scd", common) if name == "error" else (page, section)
        for field in sorted(property_names(defs[name]) - {"type"}):
            if f"*{field}*" not in text:
                problems.append(f"{where}: field *{field}* of $defs/{name} ({command}) is not named in OUTPUT")
    for t in sorted(listed_types(section) - schema_types):
        problems.append(f"{page}: OUTPUT lists record type *{t}*, which schemas/{command}.schema.json lacks")
    return problems


def main():
    commands = sorted(n[: -len(".schema.json")] for n in os.listdir(os.path.join(ROOT, "schemas"))
                      if n.endswith(".schema.json"))
    problems = [p for c in commands for p in check(c)]
    for p in problems:
        print(p)
    print(f"{len(commands)} schemas checked against their man pages: {len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
