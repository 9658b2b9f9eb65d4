"""Keep library code on a screen: list functions over 60 lines and modules over 300 lines in `pipeline/`
and `evaluation/`; exit 1 when one of them is not an exception the README's "Project layout" section names.

    python scripts/check_size.py                 # from the repository root
    python scripts/check_size.py --strict        # also fail on exceptions that are no longer needed

The exceptions live in the README (so the reason is read where the layout is explained), between
``<!-- size-allow:start -->`` and ``<!-- size-allow:end -->``, one per line:

    - `pipeline/writers.py`: why the module may be longer
    - `pipeline/cli/run.py::run`: why the function may be longer (``Class.method`` for methods)

A function's length runs from its ``def`` line to its last line (docstring and comments included,
decorators not); a nested function counts on its own as ``outer.inner``. Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_FUNCTION = 60
MAX_MODULE = 300
LIBRARY = ("pipeline", "evaluation")
START, END = "<!-- size-allow:start -->", "<!-- size-allow:end -->"
ENTRY = re.compile(r"^\s*[-*]\s+`(?P<key>[^`]+)`[^:]*:\s*(?P<reason>\S.*)$")


@dataclass(frozen=True)
class Oversize:
    key: str  # "path" for a module, "path::qualname" for a function
    lines: int
    limit: int

    @property
    def kind(self) -> str:
        return "function" if "::" in self.key else "module"


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualified name, node) of every function and method, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
            yield from _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def oversize(root: Path, max_function: int = MAX_FUNCTION, max_module: int = MAX_MODULE) -> list[Oversize]:
    """Every module and function of the library folders under ``root`` over its limit, in path order."""
    found = []
    for folder in LIBRARY:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            source = path.read_text(encoding="utf-8")
            n = len(source.splitlines())
            if n > max_module:
                found.append(Oversize(rel, n, max_module))
            for name, node in _functions(ast.parse(source, filename=rel)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > max_function:
                    found.append(Oversize(f"{rel}::{name}", length, max_function))
    return found


def allowed(readme: Path) -> dict[str, str]:
    """The README's exceptions: key → reason. A malformed line between the markers is an error."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme}: no {START} … {END} block; add one (it may be empty) to the Project layout section")
    block = text.split(START, 1)[1].split(END, 1)[0]
    out = {}
    for line in block.splitlines():
        if not line.strip():
            continue
        m = ENTRY.match(line)
        if m is None:
            raise SystemExit(f"{readme}: size exception {line.strip()!r} is not of the form "
                             "- `path` or - `path::function`, then ': reason'")
        out[m["key"]] = m["reason"].strip()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=Path("."), help="repository root (default: the current folder)")
    ap.add_argument("--readme", type=Path, help="file with the exceptions (default: ROOT/README.md)")
    ap.add_argument("--max-function", type=int, default=MAX_FUNCTION)
    ap.add_argument("--max-module", type=int, default=MAX_MODULE)
    ap.add_argument("--strict", action="store_true", help="also fail on exceptions that are no longer over the limit")
    args = ap.parse_args(argv)
    exceptions = allowed(args.readme or args.root / "README.md")
    found = oversize(args.root, args.max_function, args.max_module)
    bad = [o for o in found if o.key not in exceptions]
    for o in found:
        status = f"allowed: {exceptions[o.key]}" if o.key in exceptions else "NOT ALLOWED"
        print(f"{o.key}: {o.lines} lines ({o.kind} limit {o.limit}) — {status}")
    stale = sorted(set(exceptions) - {o.key for o in found})
    for key in stale:
        print(f"{key}: listed as a size exception but within the limits (or gone); remove its README line")
    if bad:
        print(f"{len(bad)} over the limit: split them, or say why in README's size exceptions", file=sys.stderr)
        return 1
    return 1 if args.strict and stale else 0


if __name__ == "__main__":
    sys.exit(main())
