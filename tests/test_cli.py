"""The command line end to end: the installed `foedus` program in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FOEDUS = shutil.which("foedus", path=str(Path(sys.executable).parent)) or "foedus"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FOEDUS, *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, "COLUMNS": "160", **(env or {})},
    )


def test_assess_north_korea_names_russia_article_4():
    out = run("assess", "--target", "North Korea", "--attacker", "South Korea", "--on", "2025-03-01")
    assert out.returncode == 0, out.stderr
    assert "Russia" in out.stdout and "A-AUTO" in out.stdout
    assert "military and other assistance with all means in its possession" in out.stdout


@pytest.mark.parametrize("columns", ["80", "60"])
def test_assess_keeps_every_treaty_id_and_label_whole_in_a_narrow_terminal(columns):
    """At 80 columns a table, narrower one line per finding: no id, kind, status or label cut or folded."""
    out = run("assess", "--target", "North Korea", "--attacker", "South Korea", "--on", "2025-03-01",
              env={"COLUMNS": columns})
    assert out.returncode == 0, out.stderr
    assert max(len(line) for line in out.stdout.splitlines()) <= int(columns)
    for whole in ("prc-prk-1961 II", "rus-prk-2024 4", "rus-prk-2024 3", "usa-kor-1953 III", "consultation",
                  "not-triggered", "D-CONSULT", "C-CONST"):
        assert whole in out.stdout, whole
    assert ("owed by → to" in out.stdout) == (columns == "80")


def test_assess_json_shape():
    out = run("assess", "--target", "731", "--attacker", "KOR", "--on", "2025-03-01", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["event"]["target"] == "PRK" and doc["event"]["attackers"] == ["KOR"]
    assert doc["event"]["on"] == "2025-03-01"
    keys = {"obligor", "beneficiary", "treaty", "article", "kind", "status", "strength", "reasons", "text"}
    assert doc["findings"] and all(keys <= set(f) for f in doc["findings"])
    art4 = next(f for f in doc["findings"] if f["treaty"] == "rus-prk-2024" and f["article"] == "4")
    assert (art4["obligor"], art4["beneficiary"], art4["status"], art4["strength"]) == (
        "RUS", "PRK", "obligated", "A-AUTO")


def test_before_entry_into_force_russia_owes_nothing_under_2024_treaty():
    doc = json.loads(run("assess", "--target", "PRK", "--attacker", "KOR", "--on", "2024-12-03", "--json").stdout)
    mine = [f for f in doc["findings"] if f["treaty"] == "rus-prk-2024"]
    assert mine and {f["status"] for f in mine} == {"not-in-force"}
    assert "not in force on 2024-12-03 (in force 2024-12-04–)" in mine[0]["reasons"][0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess", "--target", "Atlantis"], "unknown state: 'Atlantis'"),
        (["assess", "--target", "Swedn"], "did you mean 'Sweden'"),
        (["assess", "--target", "PRK", "--on", "2025-13-01"], "bad date: '2025-13-01'"),
        (["assess", "--target", "PRK", "--on", "1800-01-01"], "before the state system begins"),
        (["assess", "--target", "PRK", "--place", "Narnia"], "unknown place: 'Narnia'"),
        (["assess", "--target", "PRK", "--attacker", "PRK"], "cannot be both attacker and target"),
        (["show", "rus-prk-2042"], "unknown treaty: 'rus-prk-2042'; did you mean rus-prk-2024"),
    ],
)
def test_bad_input_gives_one_line_and_exit_1(args, message):
    out = run(*args)
    assert out.returncode == 1
    assert message in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_date_before_state_existed(tmp_path, shared_data):
    (tmp_path / "cow-states").mkdir()
    shutil.copy(shared_data / "states2016.csv", tmp_path / "cow-states" / "states2016.csv")
    out = run("assess", "--target", "PRK", "--on", "1930-01-01", env={"FOEDUS_DATA_DIR": str(tmp_path)})
    assert out.returncode == 1
    assert "North Korea (PRK, COW 731) was not a state-system member on 1930-01-01" in out.stderr


def test_show_and_treaties():
    out = run("show", "rus-prk-2024")
    assert out.returncode == 0 and "2024-12-04" in out.stdout and "Article 4" in out.stdout
    listing = json.loads(run("treaties", "--party", "DPRK", "--on", "2025-01-01", "--json").stdout)
    assert "rus-prk-2024" in {t["id"] for t in listing["treaties"]}
    early = json.loads(run("treaties", "--party", "PRK", "--on", "2024-01-01", "--json").stdout)
    assert "rus-prk-2024" not in {t["id"] for t in early["treaties"]}


def test_validate_reports_file_line_and_field(tmp_path):
    bad = tmp_path / "bad-treaty.yaml"
    bad.write_text(
        "id: bad-treaty\nname: Bad\nin_force: 2020-01-01\nparties:\n  - {state: PRK, start: 2020-01-01}\n"
        "obligations:\n  - id: x\n    kind: defence\n"
    )
    out = run("validate", str(bad))
    assert out.returncode == 1
    assert f"{bad}:8: obligations.0.kind:" in out.stderr


def test_every_command_documents_an_example():
    from foedus.cli import app

    import typer.main

    group = typer.main.get_group(app)
    for name, cmd in group.commands.items():
        assert "Example: foedus" in (cmd.help or "") or getattr(cmd, "commands", None), name
