"""The publishers' downloads in their own layout, built from small synthetic rows, for tests that
serve them from a local HTTP server (no internet).

The 4.01 column lists are the real files' headers (/work/shared/data/README.md). The 5.1 alliance-
and member-level column lists could not be read from the 5.1 codebook here; they are built as 4.01's
with the columns foedus does not read dropped where 5.1 is not known to carry them (``cow4id``,
``new4``, ``rev4`` and the trailing add-ons), so the reader is tested on a layout that differs from
4.01's. The 5.1 directed dyad-year file has the publisher's names, ``stateA, stateB, year`` and
``defense`` ... ``consul`` (peacesciencer's data-raw/atop_alliance.R reads those and renames them).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ALLIANCE_401 = "atopid,cowid,cow4id,begyr,begmo,begday,endyr,endmo,endday,ineffect,bilat,maxphase,wartime,estmode,pubsecr,secrart,proadd,futmem,speclgth,length,renounce,proren,renewlgt,term,defense,offense,neutral,nonagg,consul,active,conditio,defcon,offcon,neucon,concon,asymm,notaiden,dipaid,terrres,seppeace,thirdcom,noothall,specthrt,statthr1,statthr2,conwtin,medarb,milcon,milaid,intcom,subord,organ1,orgpurp1,organ2,orgpurp2,base,contrib,armred,acqterr,divgains,demwith,reflnun,refothio,natrefal,compag,nomicoop,conres,agprois,conmen,ecaid,interv,mem1,mem2,mem3,mem4,mem5,mem6,mem7,mem8,mem9,mem10,mem11,mem12,mem13,mem14,mem15,mem16,mem17,mem18,mem19,mem20,mem21,mem22,mem23,mem24,mem25,mem26,mem27,mem28,mem29,mem30,mem31,mem32,mem33,mem34,mem35,mem36,mem37,mem38,mem39,mem40,mem41,mem42,mem43,mem44,mem45,mem46,mem47,mem48,mem49,mem50,mem51,mem52,mem53,mem54,mem55,mem56,mem57,mem58,mem59,source,new4,rev4,version,hinst,minst,milorg,milinst,pubtreat,formorg,formal".split(",")
MEMBER_401 = "atopid,cowid,cow4id,member,cowsys,yrent,moent,dayent,yrexit,moexit,dayexit,ineffect,bilat,phase,maxphase,wartime,cowwar,estmode,pubsecr,secrart,proadd,futmem,speclgth,length,renounce,proren,renewlgt,term,termmode,termcaus,defense,offense,neutral,nonagg,consul,active,conditio,defcon,offcon,neucon,concon,defcoadv,defcoloc,defcocon,defconum,defcodem,defconpr,offcoadv,offcoloc,offcocon,offconum,offcodem,neucoadv,neucoloc,neucocon,neuconum,neucodem,neuconpr,neucoatt,concoadv,concoloc,concocon,concoreq,olimob,asymm,obvary,notaiden,dipaid,terrres,seppeace,thirdcom,noothall,specthrt,statthr1,statthr2,conwtin,medarb,milcon,milaid,intcom,subord,organ1,orgpurp1,organ2,orgpurp2,base,contrib,armred,acqterr,divgains,demwith,reflnun,refothio,natrefal,compag,nomicoop,conres,agprois,conmen,ecaid,interv,source,new4,rev4,version".split(",")
NOT_IN_51 = {"cow4id", "new4", "rev4", "hinst", "minst", "milorg", "milinst", "pubtreat", "formorg", "formal"}
ALLIANCE_51 = [c for c in ALLIANCE_401 if c not in NOT_IN_51]
MEMBER_51 = [c for c in MEMBER_401 if c not in NOT_IN_51]
DDYR_51 = ["stateA", "stateB", "year", "atopally", "defense", "offense", "neutral", "nonagg", "consul", "number",
           "asymm", "atopid1", "atopid2"]
COW = ["stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version"]

# (atopid, members, entry (y, m, d), exit year or 0, obligations): a defence pact of the United States and
# Canada since 1950; a neutrality pact of France and Germany in force 1990-2010; one that 5.1 adds, in 2018.
ALLIANCES = [
    (9001, (2, 20), (1950, 3, 1), 0, {"defense"}),
    (9002, (220, 255), (1990, 5, 1), 2010, {"neutral", "consul"}),
]
ADDED_IN_51 = (9003, (2, 220), (2018, 2, 1), 0, {"defense", "offense"})
STATES = [  # (abbreviation, code, name, first day, last day or None: to the list's end)
    ("USA", 2, "United States of America", (1816, 1, 1), None),
    ("CAN", 20, "Canada", (1920, 1, 10), None),
    ("FRN", 220, "France", (1816, 1, 1), None),
    ("GMY", 255, "Germany", (1990, 10, 3), None),
]


def _csv(header: list[str], rows: list[dict]) -> bytes:
    lines = [",".join(header)] + [",".join(str(r.get(c, 0)) for c in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _alliances(version: str) -> list[tuple]:
    return ALLIANCES + ([ADDED_IN_51] if version == "5.1" else [])


def atop_rows(version: str) -> tuple[list[dict], list[dict], list[dict]]:
    """The alliance-level, member-level and directed dyad-year rows of the synthetic release."""
    alliances, members, dyads = [], [], []
    for aid, mems, (y, mo, d), end, obl in _alliances(version):
        flags = {k: int(k in obl) for k in ("defense", "offense", "neutral", "nonagg", "consul")}
        dates = {"yrent": y, "moent": mo, "dayent": d, "yrexit": end, "moexit": 12 if end else 0,
                 "dayexit": 31 if end else 0}
        alliances.append({"atopid": aid, "begyr": y, "begmo": mo, "begday": d, "endyr": end,
                          "endmo": 12 if end else 0, "endday": 31 if end else 0, "bilat": 1, "version": version,
                          "cowid": "", "statthr1": "", "statthr2": "", "organ1": "", "organ2": "",
                          **flags, **{f"mem{i + 1}": m for i, m in enumerate(mems)},
                          **{f"mem{i}": "" for i in range(len(mems) + 1, 60)}})
        for m in mems:
            members.append({"atopid": aid, "member": m, "phase": 1, "version": version, "cowid": "",
                            "statthr1": "", "statthr2": "", "organ1": "", "organ2": "", **dates, **flags})
        last = min(end or 2018, 2018 if version == "5.1" else 2016)
        for a in mems:
            for b in mems:
                if a != b:
                    dyads += [{"stateA": a, "stateB": b, "year": yr, "atopally": 1, "number": 1, "asymm": 0,
                               "atopid1": aid, "atopid2": "", **flags} for yr in range(y, last + 1)]
    return alliances, members, dyads


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def atop_zip(version: str) -> tuple[str, bytes]:
    """The publisher's zip of an ATOP release: its name and bytes."""
    alliances, members, dyads = atop_rows(version)
    if version == "5.1":
        folder, stem, name = "ATOP 5.1 (.csv)", "atop5_1", "atop_5.1__.csv_.zip"
        heads = (ALLIANCE_51, MEMBER_51, DDYR_51)
    else:
        folder, stem, name = "ATOP V4.01 Data (csv)", "atop4_01", "atop_v4.01_data__csv_.zip"
        heads = (ALLIANCE_401, MEMBER_401, DDYR_51)
    entries = {f"{folder}/{stem}a.csv": _csv(heads[0], alliances), f"{folder}/{stem}m.csv": _csv(heads[1], members),
               f"{folder}/{stem}ddyr.csv": _csv(heads[2], dyads),
               f"{folder}/{stem}sy.csv": b"ccode,year,defense\n2,1950,1\n"}
    return name, _zip(entries)


def cow_rows(version: str) -> list[dict]:
    """The state-list rows of the synthetic release (v2016 ends 2016-12-31, v2024 2024-12-31)."""
    end = (int(version), 12, 31)
    rows = []
    for abb, code, name, start, last in STATES:
        last = last or end
        rows.append({"stateabb": abb, "ccode": code, "statenme": name, "styear": start[0], "stmonth": start[1],
                     "stday": start[2], "endyear": last[0], "endmonth": last[1], "endday": last[2],
                     "version": version})
    return rows


def cow_download(version: str) -> tuple[str, bytes]:
    """The publisher's download of a COW state-list release: its name and bytes."""
    data = _csv(COW, cow_rows(version))
    if version == "2016":
        return "states2016.csv", data
    return "States2024.zip", _zip({"States2024/statelist2024.csv": data})


def publish(root: Path) -> Path:
    """Write every release's download into ``root``, as the local server will serve them."""
    root.mkdir(parents=True, exist_ok=True)
    for name, data in (atop_zip("5.1"), atop_zip("4.01"), cow_download("2024"), cow_download("2016")):
        (root / name).write_bytes(data)
    return root
