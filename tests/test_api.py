"""The public surface: namespace, version, typing marker, dependencies, layering."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import pickle
import pickletools
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import mtss_core
from mtss_core.io import example_path

#: The root's public names.  Adding or removing one is a deliberate change: note it in
#: CHANGELOG.md and update this list.
ROOT_NAMES = [
    "DEFAULT_RULES", "AlignmentGraph", "Config", "DocumentError", "Finding", "FocusArea",
    "ImprovementPlan", "IntegrityError", "Limits", "Membership", "MtssError",
    "NonNegotiables", "OrgUnit", "Person", "Report", "Rule", "RuleSet", "Session",
    "Severity", "Team", "Verdict", "Violation", "Vision", "__version__", "alignment_scorecard",
    "draw",
    "dump", "dumps", "example", "from_data", "html_report", "import_directory_csv",
    "import_edfi", "import_edfi_api", "import_oneroster", "is_valid", "load", "loads",
    "overlay", "rule", "status_pack", "to_data", "validate", "validate_many",
]
PUBLIC_MODULES = ["mtss_core.model", "mtss_core.errors", "mtss_core.graph", "mtss_core.rules",
                  "mtss_core.session", "mtss_core.io", "mtss_core.io.importers",
                  "mtss_core.analysis", "mtss_core.display", "mtss_core.cli"]
SRC = Path(mtss_core.__file__).parent


def test_root_names_are_pinned():
    """The root exports exactly the pinned names, each importable."""
    assert sorted(mtss_core.__all__) == sorted(ROOT_NAMES)
    for name in mtss_core.__all__:
        assert hasattr(mtss_core, name), name


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_public_modules_list_real_names(module):
    """Every public module's __all__ names real attributes, and public classes say they
    live in a public module (so reprs, tracebacks and pickles never name a private one)."""
    mod = importlib.import_module(module)
    for name in getattr(mod, "__all__", []):
        obj = getattr(mod, name)
        if isinstance(obj, type):
            assert not any(part.startswith("_") for part in obj.__module__.split(".")), \
                (name, obj.__module__)


def test_names_moved_in_0_2_are_gone_from_the_root():
    """The root's 0.1 names, deprecated since 0.2.0, were removed in 0.4.0 as announced:
    they live in their public subpackages only."""
    assert not hasattr(mtss_core, "UnitKind")
    from mtss_core.model import UnitKind  # noqa: F401 - its home
    with pytest.raises(AttributeError):
        mtss_core.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_pickles_name_public_modules():
    """A pickled graph, report, rule or error names only public modules, so private
    modules can move without breaking stored pickles."""
    from mtss_core.errors import UnknownIdError

    g = mtss_core.example()
    value = (g, mtss_core.validate(g), UnknownIdError("x"), mtss_core.DEFAULT_RULES["FOC001"])
    blob = pickle.dumps(value, protocol=2)  # protocol 2 names each global in one opcode
    named = {arg.split(" ")[0] for op, arg, _pos in pickletools.genops(blob)
             if op.name == "GLOBAL"}
    ours = sorted(m for m in named if m.startswith("mtss_core"))
    assert ours and all(not any(p.startswith("_") for p in m.split(".")) for m in ours), ours
    again = pickle.loads(blob)
    assert again[1] == value[1] and again[3] is mtss_core.DEFAULT_RULES["FOC001"]


def test_version_comes_from_metadata():
    """__version__ (a literal, so start-up reads no metadata) is the installed
    distribution's version."""
    assert mtss_core.__version__ == importlib.metadata.version("mtss-core")


def test_the_root_loads_what_is_used_and_nothing_else():
    """Every name of the root resolves to its public home; importing the root, or running
    the command line's validate, loads neither networkx nor the analysis, display, store
    or importer packages (start-up stays small)."""
    import subprocess
    import sys

    assert set(mtss_core._HOMES) == set(mtss_core.__all__) - {"__version__"}
    for name in mtss_core.__all__:
        value = getattr(mtss_core, name)
        if name in mtss_core._HOMES:
            assert getattr(importlib.import_module(mtss_core._HOMES[name]), name) is value
    heavy = ("networkx", "mtss_core.analysis", "mtss_core.display", "mtss_core.store",
             "openpyxl", "yaml")
    code = (f"import sys, io, mtss_core; assert not [m for m in {heavy!r} if m in sys.modules]"
            "; from mtss_core.cli import main; out = io.StringIO()"
            "; main(['validate', '--example', '--format', 'json'], stdout=out)"
            f"; loaded = [m for m in {heavy!r} if m in sys.modules]"
            "; assert not loaded, loaded")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_py_typed_is_shipped():
    """The package carries the PEP 561 marker."""
    assert (SRC / "py.typed").exists()


def test_core_dependencies_only():
    """The distribution requires attrs, networkx and pendulum, nothing else."""
    requires = importlib.metadata.requires("mtss-core") or []
    core = sorted(r.split(">")[0].split("=")[0].strip() for r in requires if "extra" not in r)
    assert core == ["attrs", "networkx", "pendulum"]


def test_import_does_not_load_optional_packages():
    """Importing mtss_core loads no optional package (YAML is imported lazily)."""
    code = ("import sys, mtss_core; mtss_core.validate(mtss_core.example()); "
            "print(sorted(m for m in ('yaml', 'pandas', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_example_document_is_packaged():
    """The bundled example is a file inside the package."""
    assert example_path().is_file()
    assert example_path().parent.parent == SRC


# --- layering ------------------------------------------------------------------------------

#: The parts of the package, bottom up: a part imports only parts below it.  Modules at
#: the root that start with an underscore are shared helpers, below everything else.
LAYERS = ["errors", "model", "graph", "capacity", "io", "edits", "rules", "session", "store",
          "analysis", "display", "cli"]


def _part(module: str) -> str | None:
    """The top-level part of ``mtss_core`` a dotted module name belongs to."""
    parts = module.split(".")
    if parts[0] != "mtss_core" or len(parts) < 2:
        return None
    return parts[1]


def _imports() -> dict[str, set[str]]:
    """part -> the parts it imports (lazy imports in functions included, imports under
    ``if TYPE_CHECKING`` left out)."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
            package = module
        else:
            package = module.rsplit(".", 1)[0]
        here = _part(module) or "__init__"
        tree = ast.parse(path.read_text())
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skip.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            part = _part(target)
            if part is None and target == "mtss_core":
                continue
            if part is not None and part != here:
                found.setdefault(here, set()).add(part)
    return found


def test_parts_are_layered():
    """The package's parts import each other bottom up only: no circles, and nothing
    imports a part above it (the root package and ``cli`` sit on top)."""
    imports = _imports()
    assert set(imports) - {"__init__"} <= {*LAYERS, *(p for p in imports if p[0] == "_")}
    for part, targets in imports.items():
        if part == "__init__":
            continue
        for target in targets:
            if part.startswith("_"):  # shared helpers sit at the bottom, beside errors
                assert target == "errors", f"helper {part} imports {target}"
            elif not target.startswith("_"):
                assert LAYERS.index(target) < LAYERS.index(part), f"{part} imports {target}"


def test_project_urls_are_declared():
    """The package metadata says where the documentation and the changelog are."""
    urls = importlib.metadata.metadata("mtss-core").get_all("Project-URL") or []
    assert any(u.startswith("Documentation, https://") for u in urls), urls
    assert any(u.startswith("Changelog, ") for u in urls), urls


def _module_imports() -> dict[str, set[str]]:
    """module -> the mtss_core modules it imports (lazy imports in functions included,
    imports under ``if TYPE_CHECKING`` left out; ``from . import x`` counts as ``pkg.x``)."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        module = ".".join(rel.parts)
        package = module
        if module.endswith(".__init__"):
            module = package = module[: -len(".__init__")]
        else:
            package = module.rsplit(".", 1)[0]
        tree = ast.parse(path.read_text())
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skip.update(id(n) for n in ast.walk(node))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("mtss_core"):
                continue
            if node.module is None:  # from . import x, y
                targets.update(f"{target}.{a.name}" for a in node.names)
            else:
                targets.add(target)
        found[module] = targets
    return found


def test_no_module_reaches_into_another_partys_private_module():
    """A module imports another part (model, graph, io, rules, ...) only through that part's
    public modules, never one of its private modules (``mtss_core.model._core``): what a
    part offers the others is what it offers everyone."""
    bad = []
    for module, targets in _module_imports().items():
        here = module.split(".")[1] if "." in module else ""
        for target in targets:
            parts = target.split(".")
            if len(parts) < 3 or parts[1] == here or parts[1].startswith("_"):
                continue
            if parts[1] == "io" and parts[2] == "importers" and len(parts) == 3:
                continue  # a public subpackage
            if any(p.startswith("_") for p in parts[2:]):
                bad.append(f"{module} imports {target}")
    assert bad == [], bad


def test_the_modules_of_a_part_import_each_other_without_circles():
    """Inside each part, modules import each other bottom up: no circle (a package's
    ``__init__``, which gathers its modules, left out)."""
    imports = _module_imports()
    packages = {m for m in imports if (SRC.parent / m.replace(".", "/") / "__init__.py").exists()}
    edges = {m: {t for t in targets if t in imports and t not in packages and t != m
                 and t.rsplit(".", 1)[0] == m.rsplit(".", 1)[0]}
             for m, targets in imports.items() if m not in packages}
    seen: dict[str, int] = {}
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        seen[m] = 1
        for t in sorted(edges.get(m, ())):
            if seen.get(t) == 1:
                cycles.append(" -> ".join([*path[path.index(t):], t]))
            elif t not in seen:
                visit(t, [*path, t])
        seen[m] = 2

    for m in sorted(edges):
        if m not in seen:
            visit(m, [m])
    assert cycles == [], cycles


def test_modules_stay_readable():
    """Modules by responsibility: past 700 lines a module is reported (a warning shown in
    the run's summary), past 1,000 the test fails."""
    lengths = {str(p.relative_to(SRC)): len(p.read_text().splitlines())
               for p in SRC.rglob("*.py")}
    for name, n in sorted(lengths.items()):
        if n > 700:
            # worth a look, never a reason to split one concept into modules that import
            # each other (shown in the run's summary; pyproject keeps it a warning)
            warnings.warn(f"a long module: {name} has {n} lines", UserWarning, stacklevel=1)
    assert {name: n for name, n in lengths.items() if n > 1000} == {}


#: Raised where they are caught again before a user sees them, each turned into a public
#: error (a Problem of a DocumentError, a ConfigError) by its reader.
_CAUGHT_INSIDE = {
    ("_json.py", "DuplicateKeyError"), ("_json.py", "NotANumberError"),
    ("io/_xml.py", "XmlError"), ("io/importers/_directory.py", "_SpanError"),
    ("io/importers/_directory.py", "ValueError"), ("io/importers/_common.py", "ValueError"),
    ("io/importers/_edfi_records.py", "ValueError"),
    # a sheet's fault: every reader of sheets turns it into a DocumentError at its cell
    ("_sheets.py", "SheetFaultError"),
    # a splice that would overlap another: patch_text turns it into a DocumentError
    # (and an OSError of a library's own temporary files: _temporary makes it a WriteError)
    ("_atomic.py", "error"),
    ("io/_splice.py", "ValueError"),
    # the mapping protocol of a member edge's compact keys (a missing key is a KeyError,
    # as for a dict), and the guard of the shared empty adjacency dict, which only a bug
    # inside the graph could reach
    ("graph/_compact.py", "KeyError"), ("graph/_compact.py", "TypeError"),
}


def _public_error_names() -> set[str]:
    import mtss_core.errors as errors
    return set(errors.__all__)


def _raised(path: Path) -> list[tuple[int, str, bool]]:
    """(line, what is raised, whether a try in the same function catches it right there)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        name = ast.unparse(target)
        caught, up, child = False, parents.get(node), node
        while up is not None and not isinstance(up, ast.FunctionDef | ast.AsyncFunctionDef):
            if isinstance(up, ast.Try) and child in up.body:
                handled = {ast.unparse(h.type) for h in up.handlers if h.type is not None}
                caught |= any(name in h or "Exception" in h or "ValueError" in h
                              for h in handled)
            up, child = parents.get(up), up
        out.append((node.lineno, name, caught))
    return out


def test_every_error_a_user_can_meet_is_public():
    """Outside the CLI, whatever the package raises is a class of mtss_core.errors (or is
    made by a factory returning one, or re-raises a caught error), unless a try right
    around it, or the reader that calls it, turns it into one."""
    public = _public_error_names()
    src = Path(mtss_core.__file__).parent
    factories: dict[str, str] = {}
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.returns is not None:
                factories[node.name] = ast.unparse(node.returns)
    leaks = []
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src).as_posix()
        if rel.startswith("cli/"):
            continue
        for line, name, caught in _raised(path):
            last = name.rsplit(".", 1)[-1]
            if (last in public or name.split(".")[0] in public or caught
                    or (rel, name) in _CAUGHT_INSIDE
                    or name.startswith("type(exc)")           # a caught public error, re-worded
                    or name in ("errors[0]", "exc")            # collected public errors
                    or (rel.endswith("__init__.py") and name == "AttributeError")  # __getattr__
                    or factories.get(last, "").strip("'\"") in public):
                continue
            leaks.append(f"{rel}:{line}: raise {name}")
    assert leaks == []


def test_unknown_id_error_names_where_it_looked():
    """UnknownIdError says what was not found and where; it pickles with both."""
    from mtss_core.capacity import instrument
    from mtss_core.errors import UnknownIdError
    dca = instrument("district")
    with pytest.raises(UnknownIdError, match=r"no item with id '9\.9' in the instrument"):
        dca.item("9.9")
    err = UnknownIdError("x", "row", within="the scorecard")
    again = pickle.loads(pickle.dumps(err))
    assert (again.id, again.expected, again.within, str(again)) == (
        "x", "row", "the scorecard", "no row with id 'x' in the scorecard")
    assert isinstance(again, KeyError)


def test_user_code_is_strictly_typed_without_casts(tmp_path):
    """tests/typing/uses_the_api.py (typed lookups, typed objects(), Verdict, the error of
    a tenant, draw's Axes) passes mypy --strict; a wrong promise there would fail it."""
    pytest.importorskip("mypy")
    here = Path(__file__).parent
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                          str(here / "typing" / "uses_the_api.py")],
                         capture_output=True, text=True, cwd=here.parent)
    assert run.returncode == 0, run.stdout + run.stderr
    wrong = here / "typing" / "uses_the_api.py"
    text = wrong.read_text(encoding="utf-8").replace(
        "assert_type(vision, Vision)", "assert_type(vision, OrgUnit)")
    (tmp_path / "wrong.py").write_text(text, encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                          str(tmp_path / "wrong.py")],
                         capture_output=True, text=True, cwd=here.parent)
    assert bad.returncode == 1 and "[assert-type]" in bad.stdout


def test_release_is_consistent():
    """One version and one range of Python everywhere: pyproject, the changelog's dated
    entry, the deprecations' versions, classifiers, mypy, ruff, README and the docs."""
    import re

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    root = Path(__file__).parent.parent
    meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    version = meta["project"]["version"]
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (.+)$", changelog, re.M).group(1)
    assert re.fullmatch(rf"{re.escape(version)} — \d{{4}}-\d{{2}}-\d{{2}}", first), first
    # deprecations name this release and the one that removes them, never a phantom one
    src = root / "src" / "mtss_core"
    texts = [p.read_text(encoding="utf-8") for p in src.rglob("*.py")]
    since = {m for t in texts for m in re.findall(r"deprecated since (\d+\.\d+\.\d+)", t)}
    released = set(re.findall(r"^## (\d+\.\d+\.\d+) — ", changelog, re.M))
    assert since and since <= released, (since, released)
    assert all("0.6" not in line for t in texts for line in t.splitlines()
               if "before 0." in line or "deprecated" in line)
    # Python: requires-python's minimum is the lowest classifier, mypy's and ruff's target,
    # and what the README and the docs' home page promise
    low = re.fullmatch(r">=(3\.\d+)", meta["project"]["requires-python"]).group(1)
    classifiers = sorted((c.rsplit(":: ", 1)[1] for c in meta["project"]["classifiers"]
                          if re.search(r"Python :: 3\.\d+$", c)),
                         key=lambda v: int(v.split(".")[1]))
    assert classifiers[0] == low == meta["tool"]["mypy"]["python_version"]
    assert meta["tool"]["ruff"]["target-version"] == "py" + low.replace(".", "")
    for page in ("README.md", "docs/index.md"):
        assert f"Python {low} or later" in (root / page).read_text(encoding="utf-8"), page
    assert f"Python: {low} to {classifiers[-1]}" in changelog


def test_install_instructions_agree():
    """The docs' home page installs the way the README's quick start does."""
    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    first = next(line for line in readme.splitlines() if "pip install" in line)
    assert first in (root / "docs" / "index.md").read_text(encoding="utf-8")
