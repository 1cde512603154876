"""The shipped JSON Schemas are current and accept the example bureau's files."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import REPO
from gongkai.load.yamlsrc import split_front_matter
from gongkai.tools.schemas import render_all


def _schema(name: str) -> dict:
    return json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))


def _plain(data):
    """YAML dates -> ISO strings, as an editor's YAML language server sees them."""
    return json.loads(json.dumps(data, default=str))


def test_committed_schemas_are_current():
    for name, text in render_all().items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, f"运行 gongkai schemas 更新 {name}"


@pytest.mark.parametrize("name, path", [("site.schema.json", "catalog/site.yml"), ("columns.schema.json", "catalog/columns.yml")])
def test_example_catalog_matches_schema(name, path):
    data = _plain(yaml.safe_load((REPO / path).read_text(encoding="utf-8")))
    jsonschema.validate(data, _schema(name))


def test_example_documents_match_schema():
    schema = _schema("document.schema.json")
    docs = sorted((REPO / "content" / "documents").rglob("*.md"))
    assert docs
    for doc in docs:
        fm, _, _ = split_front_matter(doc.read_text(encoding="utf-8"))
        jsonschema.validate(_plain(yaml.safe_load(fm)), schema)


def test_schema_rejects_a_typo_and_a_bad_kind():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "x", "published": "2024-01-01", "columns": ["a"], "doc_numbr": "1"}, _schema("document.schema.json"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"name": "x", "kind": "documnts"}], _schema("columns.schema.json"))


def test_example_reports_match_schema_and_a_short_row_is_flagged():
    schema = _schema("report.schema.json")
    reports = sorted((REPO / "content" / "reports").glob("*.yml"))
    assert len(reports) == 3
    for path in reports:
        jsonschema.validate(_plain(yaml.safe_load(path.read_text(encoding="utf-8"))), schema)
    data = _plain(yaml.safe_load(reports[0].read_text(encoding="utf-8")))
    data["applications"]["new"] = [1, 2, 3]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    assert schema["properties"]["applications"]["properties"]["results"]["properties"]["refused"]["title"] == "（三）不予公开"


def test_changes_schema_accepts_the_proposal_and_flags_a_typo():
    from proposal_scenario import CHANGES, RSXX_INTO

    schema = _schema("changes.schema.json")
    jsonschema.validate(yaml.safe_load(CHANGES + RSXX_INTO), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"changes": [{"column": "hydj", "reasn": "笔误"}]}, schema)


def test_example_lists_match_schema_and_a_bad_mask_is_flagged():
    schema = _schema("lists.schema.json")
    data = _plain(yaml.safe_load((REPO / "catalog" / "lists.yml").read_text(encoding="utf-8")))
    jsonschema.validate(data, schema)
    data["lists"][0]["fields"][1]["mask"] = "partly"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("name, path, bad", [
    ("decisions.schema.json", "catalog/decisions.yml", lambda d: d["years"][0]["decisions"][0].update(status="进行中")),
    ("messages.schema.json", "catalog/messages.yml", lambda d: d["spreadsheets"][0].update(mask_numbrs=True)),
    ("faq.schema.json", "catalog/faq.yml", lambda d: d["faq"][0].pop("answer")),
])
def test_participation_files_match_their_schema_and_a_mistake_is_flagged(name, path, bad):
    schema = _schema(name)
    data = _plain(yaml.safe_load((REPO / path).read_text(encoding="utf-8")))
    jsonschema.validate(data, schema)
    bad(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_vscode_maps_every_catalog_schema():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for name in ("decisions", "messages", "faq"):
        assert settings[f"./schemas/{name}.schema.json"] == f"catalog/{name}.yml"
