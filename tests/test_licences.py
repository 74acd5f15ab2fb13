"""Every installed dependency of foedus, direct or transitive (test tools included), has a licence that
may be combined with foedus's own, GPL-3.0-or-later (it must be: countrycode is GPL-3.0-or-later).

Each distribution's licence is read from its metadata: the SPDX ``License-Expression`` where given,
else a short ``License`` field, else its ``License ::`` classifiers. An unknown or incompatible
licence fails the test, naming the package; an exception needs a reviewed entry in ``REVIEWED``.
Run alone with ``make licences``.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

# SPDX ids whose terms allow distribution in a work under GPL-3.0-or-later (FSF's list of
# GPL-compatible licences: permissive licences, Apache-2.0 and MPL-2.0 with GPLv3, the LGPL and GPL 3).
COMPATIBLE = {
    "0BSD", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "BSD-3-Clause-Clear", "CC0-1.0", "CNRI-Python", "HPND",
    "ISC", "MIT", "MIT-CMU", "MPL-2.0", "PSF-2.0", "Python-2.0", "Unlicense", "Zlib", "X11",
    "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "GPL-2.0-or-later", "GPL-3.0-only",
    "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later",
}
# What free-text licence fields and classifiers say, as SPDX ids.
ALIASES = {
    "mit": "MIT", "mit license": "MIT", "bsd": "BSD-3-Clause", "bsd license": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause", "new bsd license": "BSD-3-Clause", "bsd-3": "BSD-3-Clause",
    "3-clause bsd license": "BSD-3-Clause", "apache 2.0": "Apache-2.0", "apache-2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0", "apache software license": "Apache-2.0", "apache license, version 2.0": "Apache-2.0",
    "the bsd 2-clause license": "BSD-2-Clause", "isc license": "ISC", "isc license (iscl)": "ISC", "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "python software foundation license": "PSF-2.0", "psf": "PSF-2.0", "zlib/libpng license": "Zlib",
    "the unlicense (unlicense)": "Unlicense", "historical permission notice and disclaimer (hpnd)": "HPND",
    "gnu general public license v3 or later (gplv3+)": "GPL-3.0-or-later",
    "gnu general public license v3 (gplv3)": "GPL-3.0-only",
    "gnu lesser general public license v3 or later (lgplv3+)": "LGPL-3.0-or-later",
    "gnu lesser general public license v2 or later (lgplv2+)": "LGPL-2.1-or-later",
    "gnu general public license v2 (gplv2)": "GPL-2.0-only",
}
# Distributions whose metadata says too little, each with what its licence file says.
REVIEWED: dict[str, str] = {}


def _spdx(name: str) -> str:
    name = name.strip()
    return ALIASES.get(name.lower(), name)


def licence_of(dist_name: str) -> str:
    """A distribution's licence as an SPDX expression (or the best name its metadata gives)."""
    if dist_name in REVIEWED:
        return REVIEWED[dist_name]
    meta = distribution(dist_name).metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 60 and "copyright" not in text.lower():
        return _spdx(text)
    classifiers = [c.rsplit("::", 1)[-1] for c in meta.get_all("Classifier") or () if c.startswith("License ::")]
    named = sorted({_spdx(c) for c in classifiers if c.strip() != "OSI Approved"})
    return " OR ".join(named) if named else "UNKNOWN"


def compatible(expression: str) -> bool:
    """True when the SPDX ``expression`` allows use in a GPL-3.0-or-later work (AND: all parts; OR: one)."""
    tokens = re.findall(r"\(|\)|[^\s()]+", expression)
    if not tokens:
        return False
    words = []
    for t in tokens:
        if t in ("(", ")"):
            words.append(t)
        elif t.upper() in ("AND", "OR"):
            words.append(t.lower())
        elif t.upper() == "WITH":
            return False  # an exception clause needs a person to read it: list the package in REVIEWED
        else:
            words.append(str(_spdx(t) in COMPATIBLE))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return bool(eval(" ".join(words), {"__builtins__": {}}))  # only True/False/and/or/parentheses
    except (SyntaxError, TypeError):  # not a well-formed expression
        return False


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependencies() -> dict[str, str]:
    """Every installed distribution foedus needs (with its ``test`` extra), by name: its version."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    todo = [(Requirement(r), ()) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    found: dict[str, str] = {}
    while todo:
        req, extras = todo.pop()
        if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in ("", *extras)):
            continue
        key = _key(req.name)
        if key in found:
            continue
        try:
            dist = distribution(req.name)
        except PackageNotFoundError:
            continue  # not needed on this platform or Python version
        found[key] = dist.version
        todo += [(Requirement(r), tuple(req.extras)) for r in dist.requires or ()]
    return found


def test_foedus_is_gpl_3_or_later():
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    assert project["license"] == "GPL-3.0-or-later"
    assert "GNU GENERAL PUBLIC LICENSE" in (PYPROJECT.parent / "LICENSE").read_text()[:200]


def test_every_dependency_licence_is_compatible_with_gpl_3():
    deps = dependencies()
    assert {"countrycode", "pydantic", "pytest"} <= set(deps)
    bad = {name: licence_of(name) for name in sorted(deps) if not compatible(licence_of(name))}
    assert not bad, f"licences incompatible with GPL-3.0-or-later, or unknown: {bad}"


@pytest.mark.parametrize(
    ("expression", "ok"),
    [
        ("MIT", True), ("BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0", True), ("Apache-2.0 OR BSD-2-Clause", True),
        ("GPL-2.0-only", False), ("GPL-2.0-only OR MIT", True), ("MIT AND GPL-2.0-only", False),
        ("Proprietary", False), ("UNKNOWN", False), ("", False), ("(MIT OR GPL-2.0-only) AND SSPL-1.0", False),
        ("GPL-2.0-only WITH Classpath-exception-2.0", False), ("__import__('os')", False),
    ],
)
def test_the_check_can_fail(expression, ok):
    assert compatible(expression) is ok
