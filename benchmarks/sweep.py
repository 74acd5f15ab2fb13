"""A one-date sweep of every ordered pair (about 38,000 cascades), against a per-pair Python loop."""

from __future__ import annotations

import time

from benchmarks._war import DAY, measure_on_networks, naive_cascade

SAMPLE = 40  # pairs timed for the baseline, whose per-pair cost is then scaled to all pairs


def main() -> None:
    measure_on_networks(run)


def run(corpus, members: list[str]) -> None:
    import polars as pl

    from foedus import places
    from foedus.cascade import compile_index
    from foedus.engine import make_event
    from foedus.sweep import pairs, sweep_date

    t = time.perf_counter()
    index = compile_index(corpus, DAY)
    compile_s = time.perf_counter() - t
    theatres = len({index.scoped.key(places.home(m)) for m in members})
    t = time.perf_counter()
    df = sweep_date(DAY, corpus)
    sweep_s = time.perf_counter() - t
    a, b = pairs(members)
    step = max(1, a.size // SAMPLE)
    sample = [(members[a[i]], members[b[i]]) for i in range(0, a.size, step)][:SAMPLE]
    agree = True
    t = time.perf_counter()
    for att, tgt in sample:
        naive = naive_cascade(make_event(tgt, [att], DAY), corpus)
        got = df.filter(pl.col("attacker") == att, pl.col("target") == tgt)
        agree &= {r["state"]: (r["side"], r["round"]) for r in got.iter_rows(named=True)} == naive
    base_s = (time.perf_counter() - t) / len(sample) * a.size
    print(f"network on {DAY}: {len(corpus)} treaties, {len(members)} system members")
    print(
        f"sweep of {a.size:,} ordered pairs on {DAY}: {sweep_s:.2f} s ({df.height:,} rows), "
        f"plus {compile_s:.2f} s to compile the date's index once; the sweep compiles {theatres} theatre indexes"
    )
    print(
        f"baseline, engine-per-round cascade for each pair: {base_s:,.0f} s "
        f"(measured on {len(sample)} pairs, scaled); the sampled pairs agree: {agree}"
    )
    print(f"ratio baseline / sweep: {base_s / sweep_s:,.0f}x")


if __name__ == "__main__":
    main()
