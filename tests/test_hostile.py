"""Hostile and careless input: every probe of the hardening review, kept as a regression test.

Each test makes its FIFOs, device nodes, sockets and broken files in its own temporary folder; none
touches a system path. Commands run in process through ``foedus.cli.main`` (the program's entry
point) unless a test needs a real process (signals, ``serve``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest

import foedus
from foedus import limits, store
from cli_fixture import cli
from foedus.corpus.loader import check_treaty_file, load_corpus
from foedus.errors import CorpusError, DataError, FoedusError
from foedus.outputs import atomic_output
from foedus.panel import Panel
from foedus.sweep import SCHEMA, frame, write_rows

FOEDUS = Path(sys.executable).with_name("foedus")
TABLE = pa.table(
    {"on": [date(2016, 7, 1)] * 2, "attacker": ["KOR", "KOR"], "target": ["PRK", "PRK"], "state": ["PRK", "RUS"],
     "side": ["defender", "defender"], "round": [0, 1]},
    schema=SCHEMA,
)
ROWS = frame(TABLE)
KOREA = ["--target", "PRK", "--attacker", "KOR", "--on", "2025-03-01"]


def one_line_error(capsys, *args: str) -> str:
    """Run a command that must fail with one line on stderr and exit 1; return that line."""
    code, _, err = cli(capsys, *args)
    assert code == 1, err
    assert err.startswith("foedus: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def special_files(folder: Path) -> dict[str, Path]:
    """A FIFO, a Unix socket, a dangling link, a folder and (where permitted) a device node, in ``folder``."""
    out = {"fifo": folder / "fifo.csv", "socket": folder / "sock.csv", "dangling": folder / "link.csv",
           "folder": folder / "dir.csv"}
    os.mkfifo(out["fifo"])
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(out["socket"]))
    sock.close()
    out["dangling"].symlink_to(folder / "nowhere")
    out["folder"].mkdir()
    try:
        os.mknod(folder / "null.csv", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        out["device"] = folder / "null.csv"
    except PermissionError:
        pass
    return out


def kinds(paths: dict[str, Path]) -> dict[str, int]:
    return {k: stat.S_IFMT(p.lstat().st_mode) for k, p in paths.items()}


# --- 1. writers never replace special files; the umask; CSV means CSV; signals ------------------------


def test_writers_refuse_special_files_and_leave_them_as_they_were(tmp_path):
    targets = special_files(tmp_path)
    before = kinds(targets)
    panel = Panel(pl.DataFrame({"ccode": [2], "year": [1990]}), "state-year", directed=False, years=(1990, 1990))
    for name, path in targets.items():
        with pytest.raises(FoedusError, match="is a directory" if name == "folder" else "not a regular file"):
            write_rows([TABLE], path)
        with pytest.raises(FoedusError, match="is a directory" if name == "folder" else "not a regular file"):
            panel.write(path)
    assert kinds(targets) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in targets.values())


def test_sweep_command_refuses_a_fifo_before_any_work(tmp_path, capsys):
    fifo = tmp_path / "out.parquet"
    os.mkfifo(fifo)
    err = one_line_error(capsys, "sweep", "--on", "2016-01-01", "-o", str(fifo))
    assert "not a regular file" in err and stat.S_ISFIFO(fifo.stat().st_mode)


def test_panel_command_refuses_a_fifo(tmp_path, capsys):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    err = one_line_error(capsys, "panel", "state-years", "--years", "1990", "-o", str(fifo))
    assert "not a regular file" in err and stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_outputs_get_the_users_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        write_rows([TABLE], tmp_path / "s.parquet")
        Panel(ROWS, "state-year", directed=False, years=(2016, 2016)).write(tmp_path / "p.csv")
    finally:
        os.umask(old)
    for name in ("s.parquet", "p.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~mask


def test_sweep_csv_name_gets_csv(tmp_path):
    out = tmp_path / "sweep.csv"
    assert write_rows([TABLE, TABLE], out) == 4
    assert out.read_text().splitlines()[0] == "on,attacker,target,state,side,round"
    assert pl.read_csv(out, try_parse_dates=True).equals(pl.concat([ROWS, ROWS]).with_columns(pl.col("round").cast(pl.Int64)))


def test_sweep_refuses_a_format_it_does_not_write(tmp_path, capsys):
    err = one_line_error(capsys, "sweep", "--on", "2016-01-01", "-o", str(tmp_path / "sweep.xlsx"))
    assert "unknown output format '.xlsx' (use .parquet or .csv)" in err
    assert list(tmp_path.iterdir()) == []


def test_sweep_command_writes_csv(cow_states, tmp_path, capsys):
    out = tmp_path / "s.csv"
    code, stdout, err = cli(capsys, "sweep", "--years", "1816", "-o", str(out))
    assert code == 0, err
    frame = pl.read_csv(out)
    assert frame.columns == SCHEMA.names and f"wrote {frame.height:,} rows" in stdout


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_write_leaves_no_temporary_file(tmp_path, sig):
    script = textwrap.dedent(f"""
        import os, signal, sys
        from foedus.outputs import atomic_output
        with atomic_output(sys.argv[1]) as tmp:
            open(tmp, "w").write("half")
            print(tmp, flush=True)
            os.kill(os.getpid(), {int(sig)})
            print("not reached", flush=True)
    """)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out.csv")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "not reached" not in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    with pytest.raises(FoedusError, match="stopped"), atomic_output(out) as tmp:
        Path(tmp).write_text("new\n")
        raise FoedusError("stopped")
    assert out.read_text() == "old\n" and list(tmp_path.iterdir()) == [out]


# --- 3. validate accepts only what the engine loads ---------------------------------------------------

TREATY = """\
id: test-pact
name: Test pact
in_force: 2000-01-01
parties:
  - {state: USA, start: 2000-01-01}
  - {state: CAN, start: 2000-01-01}
articles:
  - {number: "1", text: "Each party shall assist the other if attacked."}
obligations:
  - {id: defend, kind: defense, article: "1"}
"""

BAD_TREATIES = {
    "spell-reversed": (("  - {state: USA, start: 2000-01-01}", "  - {state: USA, start: 2000-01-01, end: 1999-01-01}"),
                       5, "parties.0.end: end 1999-01-01 is not after start 2000-01-01"),
    "member-before-treaty": (("  - {state: CAN, start: 2000-01-01}", "  - {state: CAN, start: 1999-01-01}"),
                             6, "parties.1.start: CAN's membership starts 1999-01-01, before the treaty"),
    "overlapping": (("  - {state: CAN, start: 2000-01-01}", "  - {state: CAN, start: 2000-01-01}\n"
                     "  - {state: USA, start: 2001-01-01, end: 2003-01-01}"),
                    7, "parties.2.start: USA's membership overlaps its spell at parties[0]"),
    "self-suspended": (("obligations:", "suspensions:\n  - {between: [USA, USA], start: 2001-01-01}\nobligations:"),
                       10, "suspensions.0.between: a state cannot be suspended from itself (USA)"),
    "no-parties": (("parties:\n  - {state: USA, start: 2000-01-01}\n  - {state: CAN, start: 2000-01-01}\n", "parties: []\n"),
                   4, "parties: a treaty needs at least one party"),
    "no-obligations": (("  - {id: defend, kind: defense, article: \"1\"}\n", "  []\n"),
                       10, "obligations: a treaty needs at least one obligation"),
    "duplicate-key": (("name: Test pact", "name: Test pact\nname: Other pact"), 3, "name: duplicate key 'name'"),
    "impossible-date": (("in_force: 2000-01-01", "in_force: 2001-02-30"), 3,
                        "in_force: 2001-02-30 is not a date (day is out of range for month)"),
    "integer-date": (("in_force: 2000-01-01", "in_force: 2000"), 3, "in_force: Value error, 2000 is a number, not a date"),
    "boolean-date": (("  - {state: USA, start: 2000-01-01}", "  - {state: USA, start: true}"), 5,
                     "parties.0.start: Value error, True is a number, not a date"),
}


def bad_treaty(folder: Path, case: str) -> Path:
    (old, new), _, _ = BAD_TREATIES[case]
    assert old in TREATY
    path = folder / "test-pact.yaml"
    path.write_text(TREATY.replace(old, new))
    return path


def test_the_template_treaty_is_sound(tmp_path, capsys):
    path = tmp_path / "test-pact.yaml"
    path.write_text(TREATY)
    code, out, err = cli(capsys, "validate", str(path))
    assert (code, err) == (0, "") and "ok (test-pact, 1 obligations, 2 parties)" in out


@pytest.mark.parametrize("case", sorted(BAD_TREATIES))
def test_validate_and_the_engine_refuse_the_same_files(tmp_path, capsys, case):
    path = bad_treaty(tmp_path, case)
    _, line, message = BAD_TREATIES[case]
    treaty, problems = check_treaty_file(path)
    assert treaty is None and problems
    if message is not None:
        assert problems[0].startswith(f"{path}:{line}: {message}"), problems
    code, out, err = cli(capsys, "validate", str(path))
    assert code == 1 and err.splitlines()[: len(problems)] == problems and "ok" not in out
    with pytest.raises(CorpusError) as engine:
        load_corpus([tmp_path])
    assert str(engine.value).startswith(problems[0])
    assert one_line_error(capsys, "--corpus", str(tmp_path), "treaties").startswith(f"foedus: error: {problems[0]}")


def test_member_after_the_treaty_ends(tmp_path):
    path = tmp_path / "test-pact.yaml"
    path.write_text(TREATY.replace("in_force: 2000-01-01", "in_force: 2000-01-01\nended: 2005-01-01").replace(
        "  - {state: CAN, start: 2000-01-01}", "  - {state: CAN, start: 2000-01-01, end: 2006-01-01}"))
    assert check_treaty_file(path)[1] == [
        f"{path}:7: parties.1.end: CAN's membership ends 2006-01-01, after the treaty ends (2005-01-01)"]


def test_invalid_utf8_names_its_line(tmp_path, capsys):
    path = tmp_path / "test-pact.yaml"
    path.write_bytes(TREATY.encode().replace(b"Test pact", b"Test \xff pact"))
    assert check_treaty_file(path)[1] == [f"{path}:2: not valid UTF-8 (byte 0xff at offset 25)"]
    code, _, err = cli(capsys, "validate", str(path))
    assert code == 1 and err.splitlines() == [f"{path}:2: not valid UTF-8 (byte 0xff at offset 25)",
                                              "foedus: error: 1 of 1 files have problems"]


def test_deeply_nested_yaml_is_one_line(tmp_path, capsys):
    path = tmp_path / "test-pact.yaml"
    path.write_text("id: " + "[" * 50_000 + "]" * 50_000 + "\n")
    code, _, err = cli(capsys, "validate", str(path))
    assert code == 1 and "nested too deeply" in err and "Traceback" not in err


def test_validate_folder_reports_every_problem_in_every_file(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    one = tmp_path / "a" / "test-pact.yaml"
    one.write_text(TREATY.replace("  - {state: USA, start: 2000-01-01}", "  - {state: USA, start: 1999-01-01}")
                   .replace("  - {state: CAN, start: 2000-01-01}", "  - {state: CAN, start: 1999-06-01}"))
    two = tmp_path / "a" / "other.yaml"
    two.write_text(TREATY.replace('kind: defense, article: "1"', 'kind: defense, article: "9"'))
    good = tmp_path / "a" / "good-pact.yaml"
    good.write_text(TREATY.replace("test-pact", "good-pact"))
    code, out, err = cli(capsys, "validate", str(tmp_path / "a"))
    assert code == 1
    lines = err.splitlines()
    assert lines == [
        f"{two}:10: obligations.0.article: obligation defend cites article 9, which the file does not quote",
        f"{one}:5: parties.0.start: USA's membership starts 1999-01-01, before the treaty enters into force (2000-01-01)",
        f"{one}:6: parties.1.start: CAN's membership starts 1999-06-01, before the treaty enters into force (2000-01-01)",
        "foedus: error: 2 of 3 files have problems",
    ]
    assert f"{good}: ok" in out


def test_a_wrong_id_and_a_foreign_state_are_both_listed(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(TREATY.replace("{state: CAN,", "{state: Canada,"))
    assert check_treaty_file(path)[1] == [
        f"{path}:1: id: 'test-pact' does not match the file name 'other'",
        f"{path}:6: parties.1.state: 'Canada' is not a canonical state id (resolves to CAN)"]


# --- 4. bounded work --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", *KOREA, "--draws", "1e20"], "Invalid value for '--draws'"),
        (["simulate", *KOREA, "--draws", "100000000000000"], "bad --draws: 100000000000000"),
        (["simulate", *KOREA, "--draws", "0"], "bad --draws: 0"),
        (["simulate", *KOREA, "--seed", "-1"], "bad --seed: -1"),
        (["simulate", *KOREA, "--seed", str(2**64)], "bad --seed"),
        (["sweep", "--years", "2016-99999999999"], "bad --years: '2016-99999999999'"),
        (["sweep", "--years", "2017-2020"], "bad --years: 2017-2020 is reversed or outside the COW state system list"),
        (["sweep", "--years", "7" * 4300], "bad --years: '7777777777777777777777777777777777...'"),
        (["panel", "dyad-years", "--years", "1816-99999999999", "-o", "x.csv"], "bad --years"),
    ],
)
def test_size_arguments_are_capped(capsys, args, message):
    assert message in one_line_error(capsys, *args)


def test_library_functions_share_the_caps():
    scenario = foedus.prepare(foedus.make_event("PRK", "KOR", "2025-03-01"))
    with pytest.raises(FoedusError, match="bad --draws"):
        foedus.simulate(scenario, draws=10**14)
    with pytest.raises(FoedusError, match="bad --seed"):
        foedus.simulate(scenario, draws=10, seed=-1)
    with pytest.raises(FoedusError, match="bad --years"):
        foedus.sweep_years(range(2016, 10**9), Path("never.parquet"))
    assert limits.parse_years(" 1816 - 2016 ") == (1816, 2016)


# --- 6. no traceback from input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["state", "ABC²"], "unknown state: 'ABC²'"),
        (["state", "7" * 4300], "unknown COW state number: 77777777... (4300 digits)"),
        (["state", "7" * 5000], "unknown COW state number: 77777777... (5000 digits)"),
        (["assess", "--target", "²³¹"], "unknown state"),
        (["assess", *KOREA[:4], "--on", "2025-02-30"], "bad date: '2025-02-30'"),
        (["assess", *KOREA[:4], "--on", "20250301"], "bad date: '20250301' (use YYYY-MM-DD)"),
        (["assess", "--target", "PRK", "--act", "bombing"], "Invalid value for '--act'"),
        (["sweep", "--on", "2016-01-01", "-o", "/"], "is a directory"),
        (["serve", "--port", "99999"], "bad --port: 99999 (use a TCP port from 1 to 65535)"),
        (["assess"], "Missing option '--target'"),
        (["assess", "--bogus"], "No such option: --bogus"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(capsys, args, message):
    err = one_line_error(capsys, *args)
    assert message in err and len(err) < 400


def test_output_into_a_missing_or_file_folder(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert "file is not a folder" in one_line_error(capsys, "sweep", "-o", str(tmp_path / "file" / "out.parquet"))
    assert "does not exist" in one_line_error(capsys, "sweep", "-o", str(tmp_path / "none" / "out.parquet"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to any folder")
def test_output_into_an_unwritable_folder(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o555)
    assert "is not writable" in one_line_error(capsys, "sweep", "-o", str(ro / "out.parquet"))


def test_deeply_nested_and_boolean_overrides(tmp_path, capsys):
    deep = tmp_path / "deep.yaml"
    deep.write_text("treaties: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n")
    assert "nested too deeply" in one_line_error(capsys, "simulate", *KOREA, "--draws", "10", "--overrides", str(deep))
    truthy = tmp_path / "true.yaml"
    truthy.write_text("treaties: {rus-prk-2024: true}\n")
    err = one_line_error(capsys, "simulate", *KOREA, "--draws", "10", "--overrides", str(truthy))
    assert "treaties.rus-prk-2024: Input should be a valid number" in err and "each p from 0 to 1" in err


def test_serve_on_a_busy_port_is_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([str(FOEDUS), "serve", "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"foedus: error: cannot serve on 127.0.0.1:{port} (Address already in use)\n"


class _BadLength(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "abc")
        self.end_headers()
        self.wfile.write(b"not the file")
        self.close_connection = True


def test_a_server_sending_content_length_abc(tmp_path):
    from foedus.datasets.download import fetch

    server = ThreadingHTTPServer(("127.0.0.1", 0), _BadLength)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(DataError, match="not a zip file"):  # the length is ignored, the body judged
            fetch("cow-states", "2024", f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()


def test_1e300_in_an_atop_file(shared_data, tmp_path):
    lines = (shared_data / "atop4_01_member_level.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[5].split(",")
    row[header.index("yrent")] = "1e300"
    bad = tmp_path / "atop4_01_member_level.csv"
    bad.write_text("\n".join([lines[0], *lines[1:5], ",".join(row), *lines[6:]]) + "\n")
    with pytest.raises(DataError, match=r"atop4_01_member_level.csv:6: column yrent: '1e300' is not a whole number"):
        store.import_dataset("atop", [shared_data / "atop4_01_alliance_level.csv", bad])


def _damaged_store(size: int) -> Path:
    import duckdb

    path = store.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE imports AS SELECT 'atop' AS dataset, 'member' AS level, '4.01' AS version")
    con.execute("CREATE TABLE atop_members AS SELECT range AS atopid, range * 2 AS member FROM range(300000)")
    con.close()
    whole = path.stat().st_size
    with path.open("r+b") as fh:
        fh.truncate(int(whole * size / 100))
    return path


@pytest.mark.parametrize("percent", [0, 1, 50, 90])
def test_a_truncated_store_says_how_to_recover(capsys, percent):
    path = _damaged_store(percent)
    err = one_line_error(capsys, "data", "status")
    assert f"{path}: the store is damaged" in err
    assert "rebuild it with `foedus data import atop`, or delete it and import again" in err


@pytest.mark.parametrize("percent", [1, 50])
def test_an_import_sets_a_damaged_store_aside_and_rebuilds_it(capsys, percent):
    path = _damaged_store(percent)
    con = store._connect(read_only=False)
    con.close()
    assert "was damaged; moved it to" in capsys.readouterr().err
    assert store.imports() == [] and len(list(path.parent.glob("foedus.duckdb.damaged-*"))) == 1


def test_import_rebuilds_a_truncated_store(shared_data, capsys):
    files = [shared_data / "atop4_01_alliance_level.csv", shared_data / "atop4_01_member_level.csv"]
    store.import_dataset("atop", files)
    code, out, _ = cli(capsys, "treaties", "--source", "atop", "--json")
    before = json.loads(out)["treaties"]
    assert code == 0 and before
    path = store.store_path()
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)
    assert "the store is damaged" in one_line_error(capsys, "treaties", "--source", "atop")
    code, _, _ = cli(capsys, "data", "import", "atop", *map(str, files))
    assert code == 0
    code, out, _ = cli(capsys, "treaties", "--source", "atop", "--json")
    assert code == 0 and json.loads(out)["treaties"] == before


# --- 9. silent readings become explicit -------------------------------------------------------------


@pytest.mark.parametrize("bad", [20250301, True, 2025.0, "2025", "1 March 2025", "2025-W10-1"])
def test_numbers_and_loose_text_are_not_dates(bad):
    with pytest.raises(FoedusError, match="bad --on"):
        foedus.assess("PRK", ["KOR"], on=bad)


def test_the_python_api_accepts_what_the_cli_accepts():
    a = foedus.assess("PRK", "KOR", on="2025-03-01")
    assert a.event.attackers == ("KOR",) and a.event.on == date(2025, 3, 1)
    b = foedus.assess("North Korea", ["KOR"], on=datetime(2025, 3, 1, 23, 59), act="Armed-Attack")
    assert a.as_json() == b.as_json()
    with pytest.raises(FoedusError, match="bad --act: 'bombing'"):
        foedus.assess("PRK", "KOR", on="2025-03-01", act="bombing")


def test_the_api_answers_hostile_input_with_4xx():
    from fastapi.testclient import TestClient

    from foedus.api import create_app

    client = TestClient(create_app())
    for path in ("/api/states/ABC²", "/api/states/" + "7" * 150, "/api/states/²³¹"):
        r = client.get(path)
        assert r.status_code == 400 and "unknown" in r.json()["error"], (path, r.text)
    r = client.post("/api/assess", json={"target": "PRK", "attackers": ["KOR"], "on": 20250301})
    assert r.status_code == 422 and "20250301 is a number, not a date" in r.json()["error"]
    r = client.post("/api/assess", json={"target": "PRK", "attackers": ["KOR"], "on": "2025-02-30"})
    assert r.status_code == 422
