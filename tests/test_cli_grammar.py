"""One command grammar and no dead ends: what a newcomer types first, run in process through the entry point."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import foedus
from foedus import store
from cli_fixture import cli


def test_version(capsys):
    assert cli(capsys, "--version") == (0, f"foedus {foedus.__version__}\n", "")


def test_no_arguments_prints_help(capsys):
    code, out, _ = cli(capsys)
    assert code == 0 and "assess" in out and "--corpus" in out


@pytest.mark.parametrize("args", [["show", "NATO-1949", "--json"], ["show", "Nato-1949", "--json"]])
def test_ids_are_case_insensitive(capsys, args):
    code, out, _ = cli(capsys, *args)
    assert code == 0 and json.loads(out)["id"] == "nato-1949"


def test_choices_are_case_insensitive(capsys):
    code, out, _ = cli(capsys, "assess", "--target", "prk", "--attacker", "KOR", "--on", "2025-03-01",
                       "--act", "Invasion", "--json")
    assert code == 0 and json.loads(out)["event"]["act"] == "invasion"
    code, out, _ = cli(capsys, "treaties", "--kind", "DEFENSE", "--source", "Curated", "--party", "PRK", "--json")
    assert code == 0 and "rus-prk-2024" in {t["id"] for t in json.loads(out)["treaties"]}


def test_state_and_network_print_tables_and_json_on_request(capsys):
    code, out, _ = cli(capsys, "state", "DPRK")
    assert code == 0 and out.startswith("PRK  North Korea  (COW 731, PRK)")
    code, out, _ = cli(capsys, "state", "DPRK", "--json")
    assert json.loads(out)["cow"] == 731
    code, out, _ = cli(capsys, "network", "--on", "2025-03-01")
    assert code == 0 and "alliance network on 2025-03-01" in out and not out.lstrip().startswith("{")
    code, out, _ = cli(capsys, "network", "--on", "2025-03-01", "--json")
    assert json.loads(out)["on"] == "2025-03-01"


def test_simulate_names_its_event_and_requires_a_target(capsys):
    code, out, _ = cli(capsys, "simulate", "--target", "PRK", "--attacker", "KOR", "--on", "2025-03-01",
                       "--draws", "200")
    assert code == 0 and "armed-attack on North Korea by South Korea" in out and "2025-03-01" in out
    code, out, _ = cli(capsys, "simulate", "--target", "PRK", "--attacker", "KOR", "--on", "2025-03-01",
                       "--draws", "200", "--json")
    assert json.loads(out)["event"]["place"].startswith("North Korea")
    code, out, err = cli(capsys, "simulate", "--explain-priors")
    assert code == 0 and "honouring priors" in out
    code, _, err = cli(capsys, "simulate", "--on", "2025-03-01")
    assert code == 1 and "Missing option '--target'" in err


def test_answers_without_the_data_they_need_say_what_to_run(capsys):
    code, out, err = cli(capsys, "assess", "--target", "PRK", "--on", "1930-01-01")
    assert code == 1 and out == ""
    assert "run `foedus data fetch cow-states`" in err and "`foedus data import atop`" in err
    code, _, err = cli(capsys, "treaties", "--source", "atop")
    assert code == 1 and "ATOP is not imported" in err and "`foedus data import atop`" in err


def test_future_dates_get_a_note(capsys):
    code, out, _ = cli(capsys, "assess", "--target", "PRK", "--attacker", "KOR", "--on", "2125-03-01", "--json")
    assert code == 0 and any("2125-03-01 is in the future" in n for n in json.loads(out)["notes"])


def test_new_treaty_validates_and_joins_the_corpus(tmp_path, capsys, monkeypatch):
    out_file = tmp_path / "fra-deu-2026.yaml"
    code, out, err = cli(capsys, "new-treaty", "FRA-DEU-2026", "--party", "France", "--party", "DEU",
                         "--in-force", "2026-01-22", "-o", str(out_file))
    assert code == 0, err
    assert cli(capsys, "validate", str(tmp_path))[0] == 0
    code, _, err = cli(capsys, "new-treaty", "fra-deu-2026", "--party", "FRA", "--party", "DEU", "-o", str(out_file))
    assert code == 1 and "already exists" in err
    code, out, _ = cli(capsys, "show", "fra-deu-2026", "--corpus", str(tmp_path), "--json")
    assert code == 0 and [p["state"] for p in json.loads(out)["parties"]] == ["FRA", "DEU"]
    store.use_corpus([])
    monkeypatch.setenv("FOEDUS_CORPUS", str(tmp_path))
    assert foedus.assess("FRA", "RUS", on="2026-03-01").by_status(foedus.model.Status.OBLIGATED)
    assert any(f.treaty == "fra-deu-2026" for f in foedus.assess("FRA", "RUS", on="2026-03-01").findings)


def test_sweep_takes_output_and_the_old_out(tmp_path, capsys):
    for flag in ("-o", "--output", "--out"):
        code, _, err = cli(capsys, "sweep", "--on", "2016-01-01", flag, str(tmp_path / "s.xlsx"))
        assert code == 1 and "unknown output format '.xlsx'" in err
    code, out, _ = cli(capsys, "sweep", "--help")
    assert "--output" in out and "--out " not in out


def test_dyad_years_are_directed_by_default(capsys):
    code, out, _ = cli(capsys, "panel", "dyad-years", "--help")
    assert code == 0 and "--directed" in out and "--non-directed" in out
    assert "[default: directed]" in " ".join(out.split())


def test_readme_says_how_to_run_foedus_after_make_run():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert ".venv/bin/foedus" in readme and "source .venv/bin/activate" in readme


def test_every_data_printing_command_takes_json(capsys):
    code, out, _ = cli(capsys, "strength", "--json")
    assert code == 0 and [r["class"] for r in json.loads(out)["rubric"]][:2] == ["A-AUTO", "B-ASSIST"]
    code, out, _ = cli(capsys, "data", "status", "--json")
    assert code == 0 and json.loads(out)["imports"] == []


def test_python_dates_and_years_as_the_cli_writes_them(cow_states):
    from foedus.panel import create_state_years

    assert foedus.compare("nato-1949", on="1950-01-01", on_b="2024-06-01").as_json() == \
        foedus.compare("nato-1949", on=date(1950, 1, 1), on_b=date(2024, 6, 1)).as_json()
    assert create_state_years("1990-1991").frame.equals(create_state_years((1990, 1991)).frame)
    with pytest.raises(foedus.FoedusError, match="bad --years"):
        create_state_years("1990-99999")
