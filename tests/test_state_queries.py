"""Any text given as a state either resolves or raises the one user error: never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from foedus import states
from foedus.errors import UnknownStateError


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30) | st.integers().map(str) | st.sampled_from(["²", "١٢", "٣٦٥", "0", "-5", "1e3"]))
def test_any_query_resolves_or_is_unknown(query):
    try:
        s = states.resolve(query)
    except UnknownStateError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert s.id and s.name
