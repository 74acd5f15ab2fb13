"""Cut the test sample in tests/data/sample/ from the real datasets (tests/data/sample/README.md).

Run from the repository root with the datasets beside it: ``python -m scripts.make_test_sample
[DATA_DIR]`` (default ``../shared/data``). Every row written is a row of the real file, unchanged;
the cut is deterministic, so running it again gives the same files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "sample"

# ATOP alliances the tests and the curated corpus name (its atop_id links), by ATOP id; and every
# alliance in force in 1914, for the cascade of August 1914
ATOP_IDS = (1035, 1060, 1320, 1350, 1385, 1400, 1415, 2130, 3075, 3130, 3150, 3180, 3200, 3205, 3210, 3215,
            3240, 3260, 3270, 3285, 3355, 3360, 3375, 3395, 3405, 3410, 3440, 3445, 3485, 3675, 3730, 3830,
            3895, 4130, 4175, 4220, 4235, 4255, 4300, 4400, 4470, 4778, 4890, 4940, 4945, 4965, 4980, 5055,
            5075, 6035, 6040,
            # the alliances curated files declare distinct (atop_distinct), which the tests check
            2560, 2570, 3015, 3470, 3984, 4025, 4245, 4550, 4560, 4675, 4865, 4968, 5045)
# the directed dyad-year file, among these states in these years
DYAD_STATES = (2, 20, 200, 211, 220, 255, 300, 325, 365, 640, 710, 731, 732, 740)
DYAD_YEARS = (1815, 1832, 1900, 1901, 1914, 1950, 1951, 1960, 1990, 2016, 2017, 2018)
# COW inter-state wars and GML disputes: the dyad-years and participants of these years
WAR_YEARS = (1914, 1950, 1951, 1952, 1953)


def _write(frame: pl.DataFrame, name: str) -> None:
    frame.write_csv(OUT / name)
    print(f"{name}: {frame.height} rows")


def _copy_rows(src: Path, name: str, keep) -> None:
    """The header and the lines of ``src`` whose parsed row ``keep`` accepts, byte for byte."""
    frame = pl.read_csv(src, infer_schema_length=None).with_row_index("_line")
    lines = set(frame.filter(keep)["_line"].to_list())
    text = src.read_text(encoding="utf-8").splitlines(keepends=True)
    (OUT / name).write_text(text[0] + "".join(text[i + 1] for i in sorted(lines)), encoding="utf-8")
    print(f"{name}: {len(lines)} rows")


def main(data: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    members = pl.read_csv(data / "atop4_01_member_level.csv", infer_schema_length=None)
    in_1914 = members.filter(pl.col("yrent") <= 1914, (pl.col("yrexit") >= 1914) | (pl.col("yrexit") == 0))
    atop = pl.col("atopid").is_in(ATOP_IDS) | pl.col("atopid").is_in(in_1914["atopid"].implode())
    _copy_rows(data / "atop4_01_alliance_level.csv", "atop4_01_alliance_level.csv", atop)
    _copy_rows(data / "atop4_01_member_level.csv", "atop4_01_member_level.csv", atop)
    _copy_rows(data / "atop5_1_ddyr_obligations_peacesciencer.csv", "atop5_1_ddyr_obligations_peacesciencer.csv",
               pl.col("ccode1").is_in(DYAD_STATES) & pl.col("ccode2").is_in(DYAD_STATES)
               & pl.col("year").is_in(DYAD_YEARS))
    _copy_rows(data / "states2016.csv", "states2016.csv", pl.lit(True))
    _copy_rows(data / "majors2016.csv", "majors2016.csv", pl.lit(True))
    _copy_rows(data / "cow_interstate_war_v4.0_dyad_year_peacesciencer.csv",
               "cow_interstate_war_v4.0_dyad_year_peacesciencer.csv", pl.col("year").is_in(WAR_YEARS))
    _copy_rows(data / "gml_mid_participants_2.2.1_peacesciencer.csv", "gml_mid_participants_2.2.1_peacesciencer.csv",
               pl.col("styear").is_in(WAR_YEARS))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
