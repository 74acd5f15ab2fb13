"""Load and validate treaty files, reporting errors as ``file:line: field: message``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from .. import states
from . import bundled_dir
from ..errors import CorpusError, UnknownStateError, UnknownTreatyError
from ..model import Kind, Treaty

# libyaml's safe loader where PyYAML was built with it: the same documents, about 6x faster to parse
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _node_at(node: yaml.Node, loc: tuple) -> yaml.Node:
    """The deepest YAML node reachable along a pydantic error location."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
    return node


def _state_ids(treaty: Treaty) -> Iterator[tuple[tuple, str]]:
    """Every state id a treaty names, with its location in the file."""
    for i, m in enumerate(treaty.parties):
        yield ("parties", i, "state"), m.state
    for i, s in enumerate(treaty.suspensions):
        for j, who in enumerate(s.between):
            yield ("suspensions", i, "between", j), who
    for i, c in enumerate(treaty.caveats):
        yield ("caveats", i, "state"), c.state
    for i, ob in enumerate(treaty.obligations):
        for j, c in enumerate(ob.conditions):
            for k, who in enumerate(c.states):
                yield ("obligations", i, "conditions", j, "states", k), who


# --- reading YAML safely: one function, used for treaty files and the simulate overrides file ---------

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _walk_problem(root: yaml.Node) -> tuple[yaml.Node, str, str] | None:
    """The first duplicate key or impossible date in a composed document: (node, field, message)."""
    probe = yaml.SafeLoader("")
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, where = stack.pop()
        field = ".".join(map(str, where)) or "(document)"
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else id(k)
                if key in seen:
                    return k, ".".join(map(str, (*where, key))), f"duplicate key {key!r}"
                seen.add(key)
                stack.append((v, (*where, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, (*where, i)) for i, v in enumerate(node.value))
        elif node.tag == _TIMESTAMP:
            try:
                probe.construct_yaml_timestamp(node)
            except ValueError as exc:
                return node, field, f"{node.value} is not a date ({exc})"
    return None


def read_yaml(path: Path) -> tuple[yaml.Node | None, object]:
    """A YAML file's composed root node and its data, read safely, or a :class:`CorpusError` naming
    file and line: unreadable, not UTF-8, not YAML, nested too deeply, a duplicate key, an impossible date."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CorpusError(f"{path}:{line}: not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})") from None
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        problem = str(getattr(exc, "problem", None) or exc)
        if "nesting depth" in problem:  # libyaml's own limit, where the pure-Python parser recurses
            raise CorpusError(f"{path}: nested too deeply to be a treaty or settings file") from None
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise CorpusError(f"{where}: not valid YAML ({problem})") from None
    except RecursionError:
        raise CorpusError(f"{path}: nested too deeply to be a treaty or settings file") from None
    if root is None:
        return None, None
    found = _walk_problem(root)
    if found is not None:
        node, field, message = found
        raise CorpusError(f"{path}:{node.start_mark.line + 1}: {field}: {message}")
    try:
        return root, SafeLoader("").construct_document(root)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise CorpusError(f"{path}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None


# --- validating a treaty file: every problem, each as file:line: field: message ------------------------


def _line(root: yaml.Node, loc: tuple) -> int:
    return _node_at(root, loc).start_mark.line + 1


def _model_problems(path: Path, root: yaml.Node, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        cross = err.get("ctx", {}).get("error")
        # a cross-field error (model.FieldError) carries the location of each offending field
        pairs = getattr(cross, "problems", None) or ((getattr(cross, "loc", ()), err["msg"]),)
        for sub, msg in pairs:
            loc = tuple(err["loc"]) + tuple(sub)
            out.append(f"{path}:{_line(root, loc)}: {'.'.join(str(p) for p in loc) or '(treaty)'}: {msg}")
    return out


def _id_problems(path: Path, root: yaml.Node, treaty: Treaty) -> list[str]:
    out = []
    if treaty.id != path.stem:
        out.append(f"{path}:{_line(root, ('id',))}: id: {treaty.id!r} does not match the file name {path.stem!r}")
    for loc, sid in _state_ids(treaty):
        try:
            canonical = states.state_id(sid)
        except UnknownStateError as exc:
            canonical = f"unknown ({exc})"
        if canonical != sid:
            field = ".".join(str(p) for p in loc)
            out.append(f"{path}:{_line(root, loc)}: {field}: {sid!r} is not a canonical state id (resolves to {canonical})")
    return out


def check_treaty_file(path: Path) -> tuple[Treaty | None, list[str]]:
    """The treaty in ``path`` (None if it does not validate) and every problem found, as
    ``file:line: field: message``. The rules are the model's, which the engine applies too."""
    try:
        root, data = read_yaml(path)
    except CorpusError as exc:
        return None, [str(exc)]
    if not isinstance(data, dict):
        return None, [f"{path}:1: a treaty file must be a mapping of fields"]
    try:
        treaty = Treaty.model_validate(data)
    except ValidationError as exc:
        return None, _model_problems(path, root, exc)
    problems = _id_problems(path, root, treaty)
    return (None if problems else treaty), problems


def load_treaty_file(path: Path) -> Treaty:
    """Parse and validate one treaty file; raise :class:`CorpusError` naming file, line and field."""
    treaty, problems = check_treaty_file(Path(path))
    if treaty is None:
        more = f" (and {len(problems) - 1} more: `foedus validate {path}` lists them)" if len(problems) > 1 else ""
        raise CorpusError(problems[0] + more)
    return treaty


class Corpus:
    """A set of treaties, queryable by id, party and date."""

    def __init__(self, treaties: Iterable[Treaty]):
        self.treaties: dict[str, Treaty] = {}
        for t in treaties:
            if t.id in self.treaties:
                raise CorpusError(f"duplicate treaty id: {t.id}")
            self.treaties[t.id] = t

    def __iter__(self) -> Iterator[Treaty]:
        return iter(self.treaties.values())

    def __len__(self) -> int:
        return len(self.treaties)

    def get(self, treaty_id: str) -> Treaty:
        """The treaty with this id (in any case), or an error suggesting close ids."""
        if treaty_id in self.treaties:
            return self.treaties[treaty_id]
        folded = [t for tid, t in self.treaties.items() if tid.casefold() == str(treaty_id).strip().casefold()]
        if len(folded) == 1:
            return folded[0]
        close = difflib.get_close_matches(treaty_id, list(self.treaties), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `foedus treaties` lists them"
        raise UnknownTreatyError(f"unknown treaty: {treaty_id!r}{hint}")

    def select(
        self,
        party: str | None = None,
        on: date | None = None,
        source: str | None = None,
        kind: Kind | str | None = None,
    ) -> list[Treaty]:
        """Treaties, optionally with ``party`` a member (on ``on``, if given), in force on ``on``, and
        with an obligation of ``kind`` (one that applies on ``on``, if given)."""
        wanted = _kind(kind) if kind is not None else None
        out = []
        for t in self:
            if source and t.origin != source:
                continue
            if on is not None and not t.interval.contains(on):
                continue
            if wanted is not None and not _has_kind(t, wanted, on):
                continue
            if party is not None:
                members = t.members_on(on) if on is not None else {m.state for m in t.parties}
                if party not in members:
                    continue
            out.append(t)
        return sorted(out, key=lambda t: (t.in_force, t.id))


def _kind(kind: Kind | str) -> Kind:
    """The obligation kind named by ``kind``, or an error listing the kinds."""
    try:
        return Kind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in Kind)
        raise CorpusError(f"unknown obligation kind: {kind!r} (one of {kinds})") from None


def _has_kind(treaty: Treaty, kind: Kind, on: date | None) -> bool:
    """True when the treaty has an obligation of ``kind`` (applying on ``on``, if given)."""
    return any(
        ob.kind is kind and (on is None or ob.valid is None or ob.valid.contains(on)) for ob in treaty.obligations
    )


def load_corpus(paths: Iterable[Path] = ()) -> Corpus:
    """The bundled treaties plus any extra files or folders of treaty files."""
    files = sorted(bundled_dir().glob("*.yaml"))
    for p in paths:
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return Corpus(load_treaty_file(f) for f in files)


@cache
def bundled() -> Corpus:
    """The bundled corpus, loaded once per process."""
    return load_corpus()
