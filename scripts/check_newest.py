"""What the newest releases would break: the test suite in a fresh environment with the
newest version of every test dependency, against the pinned one in ``constraints.txt``.

The suite runs pinned (the README's test command installs with ``-c constraints.txt``), so
a new release of mypy, ruff, pandas or any library cannot turn a fresh clone red overnight.
Run this now and then (a scheduled job does it well) to see what an upgrade would bring:

    python scripts/check_newest.py            # the whole suite, newest versions
    python scripts/check_newest.py -k mypy    # pytest's own options pass through
    python scripts/check_newest.py --write    # and, if it passes, write the new pins

It prints each package whose newest version differs from its pin, then the suite's
failures; it exits with the suite's status.  ``--write`` rewrites ``constraints.txt``
only after a green run, so the upgrade lands as one reviewed change.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "constraints.txt"


def _pins(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, _, version = line.partition("==")
            out[name.strip().lower().replace("_", "-")] = version.strip()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="rewrite constraints.txt with the newest versions if the suite "
                             "passes")
    args, pytest_args = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        venv = Path(folder) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"],
                       check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade",
                        "--upgrade-strategy", "eager", "-e", f"{ROOT}[test]"], check=True)
        frozen = subprocess.run([str(python), "-m", "pip", "freeze", "--exclude-editable"],
                                check=True, capture_output=True, text=True).stdout
        newest = {k: v for k, v in _pins(frozen).items() if k != "mtss-core"}
        pinned = _pins(PINS.read_text(encoding="utf-8"))
        changed = sorted(k for k in newest if pinned.get(k) != newest[k])
        print(f"{len(changed)} package(s) differ from constraints.txt:")
        for name in changed:
            print(f"  {name}: {pinned.get(name, '(not pinned)')} -> {newest[name]}")
        result = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 *pytest_args], cwd=ROOT)
        if result.returncode == 0:
            print("the suite passes with the newest versions")
            if args.write:
                body = "".join(f"{line}\n" for line in frozen.splitlines()
                               if not line.lower().startswith(("mtss-core", "-e ")))
                PINS.write_text(body, encoding="utf-8")
                print(f"wrote {PINS.relative_to(ROOT)}")
        else:
            print("the newest versions break the suite: see the failures above; keep the "
                  "pins until they are fixed")
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
