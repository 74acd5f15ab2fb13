"""One cascade on an ATOP-scale network, against the straightforward engine-per-round loop."""

from __future__ import annotations

from benchmarks._war import DAY, busiest_scenario, measure_on_networks, naive_cascade, timed


def main() -> None:
    measure_on_networks(run)


def run(corpus, members: list[str]) -> None:
    from foedus.cascade import cascade_event, compile_index, prepare
    from foedus.rounds import advance
    from foedus.engine import make_event

    target, attacker = busiest_scenario(corpus, members)
    event = make_event(target, [attacker], DAY)
    compile_s, index = timed(lambda: compile_index.__wrapped__(corpus, DAY), 1)
    theatre_s, _ = timed(lambda: index.theatre(event.place), 1)  # a fresh index: nothing cached yet
    compile_index(corpus, DAY)
    sc = prepare(event, corpus)
    prop = sc.index.propagator(False)  # the event's theatre
    core_s, _ = timed(lambda: advance(sc.d0, sc.a0, prop, sc.roots()), 200)
    full_s, c = timed(lambda: cascade_event(event, corpus), 50)
    base_s, naive = timed(lambda: naive_cascade(event, corpus), 3)
    ours = {e.state: (e.side.value, e.round) for e in c.entries}
    print(f"network on {DAY}: {len(corpus)} treaties, {len(index.ids)} states in the index, {len(index.links):,} links")
    print(
        f"war: {attacker} attacks {target} on {DAY}: {len(ours)} belligerents in {c.rounds} rounds; "
        f"same answer as the baseline: {ours == naive}"
    )
    print(f"index compile (once per corpus and date): {compile_s:.2f} s")
    print(f"theatre index compile (once per corpus, date and theatre key): {theatre_s * 1e3:.0f} ms")
    print(f"cascade rounds on the index: {core_s * 1e6:.0f} µs per cascade (median of 200)")
    print(f"cascade with the engine's round-1 findings and explanations: {full_s * 1e3:.2f} ms (median of 50)")
    print(f"baseline, engine over the whole corpus each round: {base_s * 1e3:.0f} ms (median of 3)")
    print(f"ratio baseline / rounds: {base_s / core_s:,.0f}x; baseline / full cascade: {base_s / full_s:,.0f}x")


if __name__ == "__main__":
    main()
