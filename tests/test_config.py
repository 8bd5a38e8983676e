"""Configuration from TOML files and plain data; rule plugins through entry points."""

from __future__ import annotations

import sys
import textwrap

import pytest

from mtss_core import DEFAULT_RULES, Config, example, validate
from mtss_core.errors import ConfigError
from mtss_core.rules import config_from_data, config_from_toml, plugin_rules

TOML = """
select = ["ALN", "FOC"]
ignore = ["ALN005"]
as_of = "2026-09-01"
[severity]
FOC001 = "error"
[settings.FOC001]
max_focus_areas = 8
[settings.TEA003.composition.grade-team]
teacher = ["teacher"]
"""


class TestToml:
    def test_mtss_toml(self, tmp_path):
        """A TOML file gives the same Config as Python would."""
        path = tmp_path / "mtss.toml"
        path.write_text(TOML)
        config = config_from_toml(path)
        assert config == Config(
            select=["ALN", "FOC"], ignore=["ALN005"], as_of="2026-09-01",
            severity={"FOC001": "error"},
            settings={"FOC001": {"max_focus_areas": 8},
                      "TEA003": {"composition": {"grade-team": {"teacher": ["teacher"]}}}})
        assert validate(example(), config).counts_by_code()["FOC001"] == 0

    def test_pyproject_tool_table(self, tmp_path):
        """pyproject.toml's [tool.mtss] table is read."""
        path = tmp_path / "pyproject.toml"
        path.write_text('[project]\nname = "x"\n[tool.mtss]\nignore = ["SUP"]\n')
        assert config_from_toml(path).ignore == ("SUP",)

    @pytest.mark.parametrize(("text", "match"), [
        ("selct = ['ALN']", "unknown key 'selct'"),
        ("select = 3", "select must be a list"),
        ("severity = 'error'", "severity must be a table"),
        ("[severity]\nFOC001 = 'fatal'", "severity for 'FOC001'"),
        ("settings = {FOC001 = 5}", "settings.FOC001 must be a table"),
        ("as_of = 'soon'", "ISO 8601 date"),
        ("select = [", "not valid TOML"),
    ])
    def test_bad_files_name_the_file_and_key(self, tmp_path, text, match):
        """Mistakes in a config file are ConfigErrors naming the file."""
        path = tmp_path / "mtss.toml"
        path.write_text(text)
        with pytest.raises(ConfigError, match=match) as info:
            config_from_toml(path)
        assert str(path) in str(info.value)

    def test_missing_file(self, tmp_path):
        """A missing file is a ConfigError, not an OSError."""
        with pytest.raises(ConfigError, match="cannot read"):
            config_from_toml(tmp_path / "none.toml")

    def test_unknown_rule_is_caught_when_planned(self):
        """Unknown rule names in a file are reported once rules are known."""
        config = config_from_data({"settings": {"NOPE01": {}}})
        with pytest.raises(ConfigError, match="not a rule code or name"):
            validate(example(), config)


@pytest.fixture
def plugin_dist(tmp_path, monkeypatch):
    """An installed distribution offering rules through the mtss_core.rules group."""
    (tmp_path / "acme_rules.py").write_text(textwrap.dedent('''
        from mtss_core import Violation, rule, RuleSet

        @rule(code="ACME001", name="acme-unnamed-unit", severity="warning")
        def unnamed(graph, ctx):
            """A unit without a name."""
            for unit in graph.units():
                if not unit.name:
                    yield Violation(subject=unit.id, message="no name", hint="name it",
                                    related=())

        @rule(code="ACME002", name="acme-always", severity="info")
        def always(graph, ctx):
            """Always informs."""
            yield Violation(subject="isd-lakeshore", message="hello", hint="-")

        MORE = RuleSet([always])
    '''))
    dist = tmp_path / "acme_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[mtss_core.rules]\nunnamed = acme_rules:unnamed\nmore = acme_rules:MORE\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("acme_rules", None)


class TestPlugins:
    def test_plugins_are_opt_in_and_discovered(self, plugin_dist):
        """Entry-point rules load only on request, and join a rule set the caller owns."""
        assert "ACME001" not in DEFAULT_RULES
        rules = plugin_rules()
        assert [r.code for r in rules] == ["ACME002", "ACME001"]  # by entry-point name
        mine = DEFAULT_RULES.with_rules(*rules)
        report = validate(example(), Config(select=["ACME"]), rules=mine)
        assert [f.code for f in report] == ["ACME002"]
        assert "ACME001" not in DEFAULT_RULES  # nothing global changed

    def test_broken_plugin_is_named(self, plugin_dist):
        """A plugin that fails to load is reported by name."""
        (plugin_dist / "acme_rules-1.0.dist-info" / "entry_points.txt").write_text(
            "[mtss_core.rules]\nbad = acme_rules:missing\n")
        with pytest.raises(ConfigError, match="rule plugin 'bad'"):
            plugin_rules()

    def test_no_plugins(self):
        """With no plugins installed the set is empty."""
        assert len(plugin_rules(group="mtss_core.no_such_group")) == 0
