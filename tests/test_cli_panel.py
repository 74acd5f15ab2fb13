"""The `foedus panel` and `foedus cite` commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from foedus import citations
from foedus.cli import app
from foedus.cli_panel import cite, dyad_years, state_years

runner = CliRunner()


def _data_args(shared_data: Path) -> list[str]:
    return ["--states-file", str(shared_data / "states2016.csv"),
            "--atop-file", str(shared_data / "atop5_1_ddyr_obligations_peacesciencer.csv")]


def _foedus(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from foedus.cli import main; main()", *args],
                          capture_output=True, text=True, check=False)


@pytest.mark.parametrize("command", [dyad_years, state_years, cite])
def test_every_command_documents_an_example(command):
    assert re.search(r"^\s*Example: foedus \S", command.__doc__, re.MULTILINE)


def test_dyad_years_then_cite_what_the_panel_used(shared_data, tmp_path):
    out = tmp_path / "dyads.parquet"
    result = runner.invoke(app, ["panel", "dyad-years", "--years", "1950-1952", "--directed",
                                 "--similarity", "s,tau-b", "-o", str(out), *_data_args(shared_data)])
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert list(frame.columns[:3]) == ["ccode1", "ccode2", "year"]
    assert {"atop_defense", "atop_alliance", "s_valued_abs", "taub_valued_ord"} <= set(frame.columns)
    assert (frame.ccode1 > frame.ccode2).any()
    cited = runner.invoke(app, ["cite", "--panel", str(out)])
    assert cited.exit_code == 0
    keys = re.findall(r"^@\w+\{([^,]+),", cited.output, re.MULTILINE)
    assert keys == ["cow2017states", "leeds2002atop", "leeds_atop_codebook_5_1", "miller2022peacesciencer",
                    "signorino1999tau", "buenodemesquita1975measuring"]
    assert "hage2011choice" not in cited.output


def test_state_years_to_stata(shared_data, tmp_path):
    out = tmp_path / "states.dta"
    result = runner.invoke(app, ["panel", "state-years", "--years", "1990", "-o", str(out), *_data_args(shared_data)])
    assert result.exit_code == 0, result.output
    frame = pd.read_stata(out)
    assert frame.year.unique().tolist() == [1990]
    assert frame.set_index("ccode").loc[2, "atop_ndefense"] > 0


def test_cite_everything_and_list():
    every = runner.invoke(app, ["cite"])
    assert every.exit_code == 0
    for entry in citations.BIBTEX.values():
        assert entry in every.output
    listed = runner.invoke(app, ["cite", "--list"])
    assert [line.split("\t")[0] for line in listed.output.splitlines()] == list(citations.BIBTEX)


def test_every_citation_has_a_year_or_says_it_has_none():
    import re

    for key, entry in citations.BIBTEX.items():
        year = re.search(r"^\s*year = \{([^}]*)\}", entry, re.M)
        assert year, f"{key}: no year"
        assert re.fullmatch(r"1[89]\d\d|20\d\d", year[1]) or (year[1] == "n.d." and "not confirmed" in entry), key


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["panel", "dyad-years", "--years", "1990", "-o", "x.csv"], "run `foedus data fetch cow-states`"),
        (["cite", "nobody-2020"], "unknown citation key 'nobody-2020'"),
        (["cite", "--panel", "missing.parquet"], "missing.parquet: not a readable parquet file"),
    ],
)
def test_errors_are_one_line(args, message):
    proc = _foedus(*args)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("foedus: error: ")
    assert message in proc.stderr


def test_years_outside_the_list_are_refused(shared_data):
    proc = _foedus("panel", "dyad-years", "--years", "1700-1800", "-o", "x.csv", *_data_args(shared_data))
    assert proc.returncode == 1
    assert proc.stderr == ("foedus: error: years 1700-1800 outside the COW state system list v2016 (1816-2016) "
                           "or reversed\n")


def test_unknown_measure_is_an_error_and_writes_nothing(shared_data, tmp_path):
    out = tmp_path / "dyads.csv"
    proc = _foedus("panel", "dyad-years", "--years", "1990", "--similarity", "s,cosine", "-o", str(out),
                   *_data_args(shared_data))
    assert proc.returncode == 1
    assert "unknown similarity measure 'cosine'" in proc.stderr
    assert not out.exists()


def test_similarity_columns_follow_one_scheme_and_old_names_are_refused(shared_data, tmp_path):
    from foedus import panel as P
    from foedus.errors import FoedusError

    for weighted in (False, True):
        for ties in ("valued", "binary"):
            for distance, metric in (("absolute", "abs"), ("squared", "sq")):
                names = P.similarity_columns(("s", "kappa", "pi", "tau-b"), ties, distance, weighted).values()
                assert all(len(n.split("_")) == 3 and n.split("_")[1] == ties for n in names)
                assert {n.split("_")[2] for n in names} == {metric, "ord"}
    out = tmp_path / "dyads.csv"
    proc = _foedus("panel", "dyad-years", "--years", "1990", "--similarity", "s,taub_valued", "-o", str(out),
                   *_data_args(shared_data))
    assert proc.returncode == 1 and not out.exists()
    assert proc.stderr == ("foedus: error: 'taub_valued' is the old name of the column 'taub_valued_ord', not a measure "
                           "(choose from s, kappa, pi, tau-b)\n")
    with pytest.raises(FoedusError, match="old name of the column 'taub_binary_ord'"):
        P.add_similarity(P.create_dyad_years((1990, 1990), states_file=shared_data / "states2016.csv"),
                         ("taub_binary",), atop_file=shared_data / "atop5_1_ddyr_obligations_peacesciencer.csv")


def test_capabilities_weight_s(shared_data, tmp_path):
    states = pd.read_csv(shared_data / "states2016.csv")
    caps = tmp_path / "caps.csv"
    rows = [(r.ccode, y, 1.0) for r in states.itertuples() for y in (1960, 1961) if r.styear <= y <= r.endyear]
    pd.DataFrame(rows, columns=["ccode", "year", "cinc"]).drop_duplicates().to_csv(caps, index=False)

    def run(*extra: str) -> pd.DataFrame:
        out = tmp_path / "dyads.parquet"
        args = ["panel", "dyad-years", "--years", "1960-1961", "--similarity", "s", "-o", str(out), *extra]
        result = runner.invoke(app, [*args, *_data_args(shared_data)])
        assert result.exit_code == 0, result.output
        return pd.read_parquet(out)

    plain = run()["s_valued_abs"]
    weighted = run("--capabilities", str(caps))["sw_valued_abs"]
    assert (weighted - plain).abs().max() < 1e-12  # equal weights: weighted S is S


def test_the_report_names_the_written_file_as_given(shared_data, tmp_path):
    folder = tmp_path / "[bold]runs :smile:"  # what rich would read as markup and an emoji code
    folder.mkdir()
    out = folder / "dyads.parquet"
    done = _foedus("panel", "dyad-years", "--years", "1990", "-o", str(out), *_data_args(shared_data))
    assert done.returncode == 0, done.stderr
    wrote, releases = done.stderr.splitlines()
    assert wrote.startswith("wrote ") and wrote.endswith(f" columns to {out}")
    assert releases.startswith("releases: COW states v2016, ATOP 5.1 (peacesciencer); cite with: foedus cite ")


def test_a_panel_command_loads_no_treaty_model_rich_or_pandas(shared_data, tmp_path):
    args = ["panel", "dyad-years", "--years", "1990", "-o", str(tmp_path / "d.parquet"), *_data_args(shared_data)]
    probe = (f"import sys; from foedus.cli import run; code = run({args!r}); "
             "print(code, *sorted(m for m in sys.modules if m.split('.')[0] in "
             "{'rich', 'pandas', 'networkx', 'yaml', 'foedus'}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    code, *loaded = done.stdout.split()
    assert code == "0", done.stderr
    assert "foedus.panel" in loaded
    unwanted = {"foedus.model", "foedus.entities", "foedus.corpus.loader", "foedus.datasets.atop", "rich.console",
                "pandas", "networkx", "yaml"}
    assert unwanted.isdisjoint(loaded), unwanted.intersection(loaded)
