"""The JSON Schema: shipped, current, and in agreement with the loader."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings

import mtss_core
from mtss_core import AlignmentGraph, example, to_data
from mtss_core.io import check_document, json_schema
from mtss_core.io._schema import schema_text
from strategies import structures


def test_shipped_schema_is_current():
    """The schema file in the package is regenerated from the model."""
    shipped = Path(mtss_core.__file__).parent / "schema" / "document-1.schema.json"
    assert shipped.read_text(encoding="utf-8") == schema_text(), (
        "stale: run python -m mtss_core.io._schema")


def test_schema_is_a_valid_draft_2020_12_schema():
    """The schema itself is valid."""
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_example_conforms():
    """The bundled example, as written, conforms."""
    assert check_document(json.loads(mtss_core.io.example_text())) == []
    assert check_document(to_data(example())) == []


@settings(max_examples=40, deadline=None)
@given(objs=structures())
def test_every_written_document_conforms(objs):
    """Whatever the library writes, the schema accepts."""
    assert check_document(to_data(AlignmentGraph(objs))) == []


def test_schema_and_loader_agree_on_bad_documents():
    """Documents the loader refuses at field level, the schema refuses at the same pointer."""
    from mtss_core import DocumentError, from_data

    bad = [
        {"format_version": 1, "units": [{"id": "s", "kind": "schol"}]},
        {"format_version": 1, "units": [{"id": "d", "kind": "district", "colour": "red"}]},
        {"format_version": 1, "people": [{"name": "no id"}]},
        {"format_version": 1, "fidelity_assessments": [
            {"id": "f", "unit": "d", "instrument": "TFI", "assessed_on": "2026-01-01",
             "total": 130}]},
        {"format_version": 2},
        {"format_version": 1, "unitz": []},
    ]
    for doc in bad:
        try:
            from_data(doc)
        except DocumentError as exc:
            loader = {p.pointer for p in exc.problems}
        else:  # pragma: no cover - every document above is bad
            raise AssertionError(doc)
        schema = {p.pointer for p in check_document(doc)}
        assert schema, doc
        assert loader & schema or any(p.startswith(tuple(schema)) for p in loader), (doc,
                                                                                       loader,
                                                                                       schema)


def test_cli_prints_the_schema():
    """mtss schema prints the same text."""
    import io

    from mtss_core.cli import main

    out = io.StringIO()
    assert main(["schema"], stdout=out) == 0
    assert json.loads(out.getvalue()) == json_schema()


def test_load_can_check_the_schema_first(tmp_path):
    """load(..., check_schema=True) reports schema problems with their line."""
    from mtss_core import DocumentError, load

    path = tmp_path / "d.json"
    path.write_text('{"format_version": 1,\n "units": [{"id": "d", "kind": "distric"}]}')
    try:
        load(path, check_schema=True)
    except DocumentError as exc:
        (p,) = exc.problems
    else:  # pragma: no cover
        raise AssertionError("no error")
    assert (p.pointer, p.line) == ("/units/0/kind", 2)
    assert "is not one of" in p.message
