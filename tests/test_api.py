"""The public surface: namespace, version, typing marker, dependencies."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import mtss_core


def test_all_is_sorted_and_importable():
    """__all__ is sorted and names only real attributes."""
    names = [n for n in mtss_core.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in mtss_core.__all__:
        assert hasattr(mtss_core, name), name


def test_version_comes_from_metadata():
    """__version__ is the installed distribution's version."""
    assert mtss_core.__version__ == importlib.metadata.version("mtss-core")


def test_py_typed_is_shipped():
    """The package carries the PEP 561 marker."""
    assert (Path(mtss_core.__file__).parent / "py.typed").exists()


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
    assert mtss_core.example_path().is_file()
    assert mtss_core.example_path().parent.parent == Path(mtss_core.__file__).parent
