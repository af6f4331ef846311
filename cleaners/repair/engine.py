"""The repair engine: a rule registry, the fixpoint loop and edit composition.

A rule is a pure function ``(text, lang, params) -> list[Edit]`` registered once with
:func:`rule`; the registry (:data:`RULES`) is the single source for the config
validator, the CLI's ``--explain`` and the report's per-rule counts. Edits a rule
proposes are in the coordinates of the text it saw; the engine composes them
back onto the ORIGINAL input, so the finished :class:`RepairResult` can always
be replayed on the input (``replay(original, result.edits) == result.text``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from cleaners.edit import Edit
from cleaners.lazyre import lazy_compile

# ``(text, lang, params) -> edits``; a rule that uses the translator also gets it.
RuleFn = Callable[..., list[Edit]]

# The records below are NamedTuples (fields declared once): ``mtclean clean`` would
# pay ~6 ms of start-up for the dataclasses module (see cleaners.edit).


class Param(NamedTuple):
    """A rule parameter: its default and one line of help."""

    default: Any
    help: str


class Rule(NamedTuple):
    """A registered repair rule.

    ``langs`` lists the languages it runs on (``"*"`` = any); ``stage`` orders the
    rules (encoding 10s, glossary 20s, spacing 30s, words 40s, repetition 50s,
    paragraphs 60s, folding 90s, fill-in 100). Clean text must cost little: ``needs``
    lists substrings one of which must occur, ``non_ascii`` skips pure-ASCII text, and
    ``precheck`` is a regex that must match before the rule runs at all; ``gate``,
    a cheaper regex matching a superset (best starting with a rare character: it is
    scanned for on every line), stands for the rule in the plan's gate instead of
    ``needs`` or ``precheck``; a gate written ``(lead, rest)`` (the characters a match
    starts at, and the pattern after that character) is scanned for together with the
    plan's other such gates, in one pass over the text (see :meth:`Plan.may_act`).
    ``risk`` names its false-positive risk. A rule with ``uses_translator`` takes the
    translator as a service: it runs once, after the other rules reached their
    fixpoint, and only when a translator is given. A rule with ``per_document`` needs
    more than the text (the alignment): it is listed, configured and switched like any
    other, but never part of a text plan; the pipeline applies it to a finished
    document (``cleaners.pipeline``).
    """

    name: str
    fn: RuleFn
    langs: tuple[str, ...]
    precheck: re.Pattern[str] | None
    params: Mapping[str, Param]
    risk: str
    stage: int
    default_on: bool = True
    doc: str = ""
    needs: tuple[str, ...] = ()
    non_ascii: bool = False
    gate: str | tuple[str, str] | None = None
    uses_translator: bool = False
    per_document: bool = False

    def applies_to(self, lang: str) -> bool:
        return "*" in self.langs or lang in self.langs

    @property
    def defaults(self) -> dict[str, Any]:
        """The parameters' defaults, ``{name: value}``."""
        return {k: p.default for k, p in self.params.items()}

    @property
    def gated(self) -> bool:
        """Whether a cheap pattern tells when this rule might act."""
        return self.gate is not None or bool(self.needs) or self.precheck is not None

    def may_apply(self, text: str, is_ascii: bool) -> bool:
        """The cheap checks: False means the rule cannot change ``text``."""
        if self.non_ascii and is_ascii:
            return False
        if self.needs and not any(n in text for n in self.needs):
            return False
        return self.precheck is None or self.precheck.search(text) is not None


RULES: dict[str, Rule] = {}


def _same_source(a: Callable[..., Any], b: Callable[..., Any]) -> bool:
    """Whether two functions are one definition (file, line, name), however often loaded.

    >>> def f(): pass
    >>> g = f
    >>> def f(): pass
    >>> _same_source(f, g), _same_source(f, f)
    (False, True)
    """
    ca, cb = getattr(a, "__code__", None), getattr(b, "__code__", None)
    if ca is None or cb is None:
        return a is b
    return (ca.co_filename, ca.co_firstlineno, a.__qualname__) == (
        cb.co_filename,
        cb.co_firstlineno,
        b.__qualname__,
    )


def rule(
    name: str,
    *,
    langs: Sequence[str] = ("*",),
    stage: int,
    precheck: str | None = None,
    needs: Sequence[str] = (),
    non_ascii: bool = False,
    gate: str | tuple[str, str] | None = None,
    params: Mapping[str, Param] | None = None,
    risk: str,
    default_on: bool = True,
    uses_translator: bool = False,
    per_document: bool = False,
) -> Callable[[RuleFn], RuleFn]:
    """Register a rule under ``name``; rules run by ``stage``, then registration order."""

    def deco(fn: RuleFn) -> RuleFn:
        if name in RULES:
            if _same_source(RULES[name].fn, fn):
                # The same definition run again: its module loaded a second time under
                # another name (`python -m doctest cleaners/repair/words.py`). The first stays.
                return fn
            raise ValueError(f"repair rule {name!r} registered twice")
        RULES[name] = Rule(
            name=name,
            fn=fn,
            langs=tuple(langs),
            precheck=lazy_compile(precheck) if precheck else None,
            params=dict(params or {}),
            risk=risk,
            stage=stage,
            default_on=default_on,
            doc=(fn.__doc__ or "").strip().split("\n", 1)[0],
            needs=tuple(needs),
            non_ascii=non_ascii,
            gate=gate,
            uses_translator=uses_translator,
            per_document=per_document,
        )
        ordered = sorted(RULES.values(), key=lambda r: r.stage)  # stable: ties keep order
        RULES.clear()
        RULES.update((r.name, r) for r in ordered)
        return fn

    return deco


class RepairResult:
    """The repaired text and the edits (offsets into the original input) that made it."""

    __slots__ = ("text", "edits")
    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __init__(self, text: str, edits: list[Edit] | None = None) -> None:
        self.text = text
        self.edits: list[Edit] = [] if edits is None else edits

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.text, self.edits) == (other.text, other.edits)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"RepairResult(text={self.text!r}, edits={self.edits!r})"


def describe_rules(rules: Mapping[str, Rule]) -> str:
    """The registered rules as a readable list: what each does, where it runs, its
    parameters (default and help) and its false-positive risk.

    >>> from cleaners.repair import RULES
    >>> print(describe_rules({"join_split_times": RULES["join_split_times"]}))  # doctest: +ELLIPSIS
    join_split_times  (stage 3..., languages: *, on by default)
      ...
      risk: ...
    """
    blocks = []
    for r in rules.values():
        state = "on by default" if r.default_on else "off by default: repair.enable"
        if r.per_document:
            state += ", per document"
        lines = [f"{r.name}  (stage {r.stage}, languages: {', '.join(r.langs)}, {state})"]
        if r.doc:
            lines.append(f"  {r.doc}")
        for key, p in r.params.items():
            lines.append(f"  param {key} = {p.default!r}: {p.help}")
        lines.append(f"  risk: {r.risk}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def replay(original: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits (offsets into ``original``).

    >>> replay("a  b", [Edit("x", 1, 3, "  ", " ")])
    'a b'
    """
    out: list[str] = []
    pos = 0
    for e in edits:
        if e.start < pos or original[e.start : e.end] != e.before:
            raise ValueError(f"edit does not fit the text: {e}")
        out.append(original[pos : e.start])
        out.append(e.after)
        pos = e.end
    out.append(original[pos:])
    return "".join(out)


def explain(original: str, edits: Sequence[Edit]) -> str:
    """A readable list of the edits, one per line: rule, line:column, before → after.

    >>> print(explain("a  b", [Edit("collapse_spaces", 1, 3, "  ", " ")]))
    collapse_spaces  1:2  '  ' → ' '
    """
    lines = []
    for e in edits:
        line = original.count("\n", 0, e.start) + 1
        col = e.start - (original.rfind("\n", 0, e.start) + 1) + 1
        lines.append(f"{e.rule}  {line}:{col}  {e.before!r} → {e.after!r}")
    return "\n".join(lines)


# --- composition ----------------------------------------------------------------------


class _Change:
    __slots__ = ("start", "end", "after", "rules")

    def __init__(self, start: int, end: int, after: str, rules: list[str]) -> None:
        self.start = start  # offsets into the original
        self.end = end
        self.after = after
        self.rules = rules


class _Composer:
    """Keeps the current text and its changes expressed against the original."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = original
        self.changes: list[_Change] = []

    def apply(self, edits: Sequence[Edit]) -> None:
        """Apply one rule's sorted, non-overlapping edits (current-text offsets)."""
        ordered = sorted(edits, key=lambda e: (e.start, e.end))
        for e in ordered:
            if self.text[e.start : e.end] != e.before:
                raise ValueError(f"rule {e.rule} proposed an edit that does not fit: {e}")
        ordered = [e for e in ordered if e.before != e.after]
        if not ordered:
            return
        if self._apart(ordered):
            self._apply_apart(ordered)
            return
        self._apply_merging(ordered)

    def _apart(self, ordered: Sequence[Edit]) -> bool:
        """True if no edit touches another or a change made before (nothing to merge)."""
        if any(a.end >= b.start for a, b in zip(ordered, ordered[1:], strict=False)):
            return False
        spans = self._current_spans()
        j = 0
        for e in ordered:
            while j < len(spans) and spans[j][1] < e.start:
                j += 1
            if j < len(spans) and spans[j][0] <= e.end:
                return False
        return True

    def _current_spans(self) -> list[tuple[int, int]]:
        spans, delta = [], 0
        for c in self.changes:
            cs = c.start + delta
            spans.append((cs, cs + len(c.after)))
            delta += len(c.after) - (c.end - c.start)
        return spans

    def _apply_apart(self, ordered: Sequence[Edit]) -> None:
        """The edits in one pass: what :meth:`_apply_one` gives edit by edit when none merges,
        in time linear in the text and the changes (a long text with many edits stays fast)."""
        pieces: list[str] = []
        fresh: list[_Change] = []
        prev, j, delta = 0, 0, 0
        changes = self.changes
        for e in ordered:
            pieces += (self.text[prev : e.start], e.after)
            prev = e.end
            # delta: length change of the earlier changes wholly before this edit.
            while j < len(changes) and changes[j].start + delta + len(changes[j].after) <= e.start:
                delta += len(changes[j].after) - (changes[j].end - changes[j].start)
                j += 1
            start = e.start - delta
            fresh.append(_Change(start, start + len(e.before), e.after, [e.rule]))
        pieces.append(self.text[prev:])
        self.text = "".join(pieces)
        self.changes = sorted(changes + fresh, key=lambda c: (c.start, c.end))

    def _apply_merging(self, ordered: Sequence[Edit]) -> None:
        """The edits, right to left, each merged with the changes it overlaps or touches (a
        touch counts when either side is empty) into one change, dropped if it gives the
        original back. One sweep, not a pass over all the changes and the whole text per
        edit (80 KB of "the the …": 30 s). Left of the edit being applied the text is still
        ``self.text`` and the changes there are where they were (``old[:k]``); the changes
        right of it (``right``, leftmost last) are placed by their distance from the end of
        the text, which edits to their left do not move; only the leftmost can still merge.
        """
        text, original, old = self.text, self.original, self.changes
        spans = self._current_spans()
        before = [0]  # before[i]: length change of old[:i]
        for c in old:
            before.append(before[-1] + len(c.after) - (c.end - c.start))
        k = len(old)
        size = len(text)  # of the current text
        right: list[tuple[_Change, int]] = []  # (change, its start's distance from the end)
        for e in reversed(ordered):
            while k:
                cs, ce = spans[k - 1]
                if ce <= e.start and not _meets(cs, ce, e.start, e.end):
                    break  # this one and all left of it stay, wholly before the edit
                k -= 1
                right.append((old[k], size - cs))
            merged: list[tuple[_Change, int]] = []  # (change, where it starts)
            while right:
                c, back = right[-1]
                cs = size - back
                if not _meets(cs, cs + len(c.after), e.start, e.end):
                    break
                right.pop()
                merged.append((c, cs))
            ms, me, tail, delta = e.start, e.end, "", 0
            if merged:
                (_, fs), (last, ls) = merged[0], merged[-1]
                ms, me = min(ms, fs), max(me, ls + len(last.after))
                tail = last.after[e.end - ls :]
                delta = sum(len(c.after) - (c.end - c.start) for c, _ in merged)
            orig_start = ms - before[k]
            orig_end = orig_start + (me - ms) - delta
            new_after = text[ms : e.start] + e.after + tail
            size += len(e.after) - (e.end - e.start)
            rules: list[str] = []
            for c, _ in merged:
                rules.extend(r for r in c.rules if r not in rules)
            if e.rule not in rules:
                rules.append(e.rule)
            if new_after != original[orig_start:orig_end]:
                right.append((_Change(orig_start, orig_end, new_after, rules), size - ms))
        pieces: list[str] = []
        prev = 0
        for e in ordered:
            pieces += (text[prev : e.start], e.after)
            prev = e.end
        pieces.append(text[prev:])
        self.text = "".join(pieces)
        self.changes = sorted(old[:k] + [c for c, _ in right], key=lambda c: (c.start, c.end))

    def _apply_one(self, e: Edit) -> None:
        """One edit, merged as :meth:`_apply_merging` merges it: the plain reference (a pass
        over all the changes and the whole text per edit) the tests compare both paths with."""
        merged: list[int] = []
        delta_before = 0  # length change of the changes wholly before the new edit
        cur_spans: list[tuple[int, int]] = []
        delta = 0
        for i, c in enumerate(self.changes):
            cs = c.start + delta
            ce = cs + len(c.after)
            cur_spans.append((cs, ce))
            overlap = cs < e.end and e.start < ce
            touch = (cs <= e.end and e.start <= ce) and (cs == ce or e.start == e.end)
            if overlap or touch:
                merged.append(i)
            elif ce <= e.start:
                delta_before += len(c.after) - (c.end - c.start)
            delta += len(c.after) - (c.end - c.start)
        if merged:
            ms = min(e.start, cur_spans[merged[0]][0])
            me = max(e.end, cur_spans[merged[-1]][1])
        else:
            ms, me = e.start, e.end
        orig_start = ms - delta_before
        merged_delta = sum(
            len(self.changes[i].after) - (self.changes[i].end - self.changes[i].start)
            for i in merged
        )
        orig_end = orig_start + (me - ms) - merged_delta
        new_after = self.text[ms : e.start] + e.after + self.text[e.end : me]
        rules: list[str] = []
        for i in merged:
            rules.extend(r for r in self.changes[i].rules if r not in rules)
        if e.rule not in rules:
            rules.append(e.rule)
        keep = [c for i, c in enumerate(self.changes) if i not in set(merged)]
        if new_after != self.original[orig_start:orig_end]:
            keep.append(_Change(orig_start, orig_end, new_after, rules))
            keep.sort(key=lambda c: (c.start, c.end))
        self.changes = keep
        self.text = self.text[: e.start] + e.after + self.text[e.end :]

    def edits(self) -> list[Edit]:
        return [
            Edit("+".join(c.rules), c.start, c.end, self.original[c.start : c.end], c.after)
            for c in self.changes
        ]


def _meets(cs: int, ce: int, start: int, end: int) -> bool:
    """Whether a change at ``cs:ce`` and an edit at ``start:end`` (current text) merge: they
    overlap, or they touch and one of them is empty."""
    if cs < end and start < ce:
        return True
    return cs <= end and start <= ce and (cs == ce or start == end)


# --- running ----------------------------------------------------------------------


def active_rules(
    lang: str,
    disable: Sequence[str] = (),
    enable: Sequence[str] = (),
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[tuple[Rule, dict[str, Any]]]:
    """The rules to run for ``lang`` with their resolved parameters, in order."""
    params = params or {}
    out = []
    for r in RULES.values():
        on = (r.default_on or r.name in enable) and r.name not in disable
        if on and r.applies_to(lang):
            p = r.defaults
            p.update(params.get(r.name, {}))
            out.append((r, p))
    return out


def rule_on(name: str, disable: Sequence[str] = (), enable: Sequence[str] = ()) -> bool:
    """Whether rule ``name`` is switched on by a config's ``disable``/``enable`` lists.

    >>> from cleaners.repair import engine  # the registry the rule modules fill
    >>> engine.rule_on("fold_dashes"), engine.rule_on("fold_dashes", enable=["fold_dashes"])
    (False, True)
    """
    r = RULES[name]
    return (r.default_on or name in enable) and name not in disable


def with_defaults(name: str, params: Mapping[str, Any]) -> Mapping[str, Any]:
    """``params`` completed by rule ``name``'s defaults (for calls outside a plan,
    which always passes every parameter).

    >>> from cleaners.repair import engine
    >>> engine.with_defaults("fold_dashes", {})
    {'to': '-'}
    """
    r = RULES[name]
    if params.keys() >= r.params.keys():
        return params
    return {**r.defaults, **params}


class Plan:
    """Rules with resolved parameters for one language, plus one cheap pre-check per
    text kind.

    On text that needs nothing (most MT lines) the first pass costs a few substring
    tests and quick regex scans for all pre-checked rules together, plus the rules
    that have no pre-check. Rules that use the translator are kept apart
    (``final``): they run once, after the others' fixpoint.
    """

    def __init__(self, rules: Sequence[tuple[Rule, dict[str, Any]]], lang: str = "en") -> None:
        self.lang = lang
        rules = [(r, p) for r, p in rules if not r.per_document]
        self.rules = tuple((r, p) for r, p in rules if not r.uses_translator)
        self.final = tuple((r, p) for r, p in rules if r.uses_translator)
        self._gates = {flag: self._gate(flag) for flag in (True, False)}
        self._ungated = {
            flag: [(r, p) for r, p in self.rules if not r.gated and not (r.non_ascii and flag)]
            for flag in (True, False)
        }

    def _gate(self, is_ascii: bool) -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...]]:
        """The substrings and regexes of which one must occur for a gated rule to act."""
        needs: list[str] = []
        regexes: list[re.Pattern[str]] = []
        led: list[tuple[str, str]] = []
        shared: set[str] = set()  # a gate several rules share is scanned once
        for r, _ in self.rules:
            if r.non_ascii and is_ascii or not r.gated:
                continue
            if isinstance(r.gate, tuple):
                if r.gate not in led:
                    led.append(r.gate)
            elif r.gate is not None:
                if r.gate not in shared:
                    shared.add(r.gate)
                    regexes.append(re.compile(r.gate))
            elif r.needs:
                needs.extend(n for n in r.needs if n not in needs)
            else:
                regexes.append(r.precheck)  # type: ignore[arg-type]
        if led:
            regexes.insert(0, re.compile(merge_led_gates(led)))
        return tuple(needs), tuple(regexes)

    def may_act(self, text: str, is_ascii: bool) -> bool:
        """False when no gated rule can change ``text`` (a superset of their own checks).

        Substrings are tested with ``in`` (a C scan); each regex on its own, because
        a regex that starts with a rare character scans fast while an alternation of
        them scans slower than all of them one after another. The ``(lead, rest)``
        gates are the exception: one regex starting with a class of all their leads
        scans as fast as one of them (WMT21's MT lines: six gates in half the time).
        """
        needs, regexes = self._gates[is_ascii]
        for n in needs:
            if n in text:
                return True
        # A loop, not any() over a generator: this runs for every line.
        for r in regexes:  # noqa: SIM110
            if r.search(text):
                return True
        return False

    def ungated(self, is_ascii: bool) -> list[tuple[Rule, dict[str, Any]]]:
        """The rules no cheap pattern can rule out (they check for themselves)."""
        return self._ungated[is_ascii]


def merge_led_gates(gates: Sequence[tuple[str, str]]) -> str:
    r"""One regex matching where any ``(lead, rest)`` gate matches: the class of all the
    leads, then each gate's ``rest`` behind a look-back at its own leads.

    >>> g = merge_led_gates([(":", r"(?<=\d:) \d\d"), ("O", "(?:ff|n)line ")])
    >>> print(g)
    [:O](?:(?<=[:])(?<=\d:) \d\d|(?<=[O])(?:ff|n)line )
    >>> [bool(re.search(g, t)) for t in ("at 12: 30", "Online now", "12:30 Online")]
    [True, True, False]
    """
    if len(gates) == 1:
        lead, rest = gates[0]
        return f"[{_class(lead)}]{rest}"
    leads = "".join(dict.fromkeys("".join(lead for lead, _ in gates)))
    alts = "|".join(f"(?<=[{_class(lead)}]){rest}" for lead, rest in gates)
    return f"[{_class(leads)}](?:{alts})"


def _class(chars: str) -> str:
    """``chars`` written for inside a regex character class."""
    return "".join(re.escape(c) for c in chars)


def run_rules(
    text: str,
    rules: Sequence[tuple[Rule, dict[str, Any]]] | Plan,
    max_passes: int = 4,
    translator: Any = None,
) -> RepairResult:
    """Apply ``rules`` in order, pass after pass, until nothing changes (or the cap);
    then, given a ``translator`` (a :class:`cleaners.translate.Translator`; typed
    loosely here so that the engine imports nothing of the translators), the rules
    that use it, once, on the repaired text."""
    plan = rules if isinstance(rules, Plan) else Plan(rules)
    result = _fixpoint(text, plan, max_passes)
    if translator is None:
        return result
    for r, p in plan.final:
        cur = result.text
        if not r.may_apply(cur, cur.isascii()):
            continue
        later = [e for e in r.fn(cur, plan.lang, p, translator) if e.before != e.after]
        if later:
            # Folded onto the repair's finished edits, as a stage after repair would be.
            edits = compose(text, result.edits, later)
            result = RepairResult(replay(text, edits), edits)
    return result


def _fixpoint(text: str, plan: Plan, max_passes: int) -> RepairResult:
    lang = plan.lang
    is_ascii = text.isascii()
    if not plan.may_act(text, is_ascii):
        # Nothing any pre-checked rule looks for: only the others can act.
        for r, p in plan.ungated(is_ascii):
            edits = r.fn(text, lang, p)
            if edits and any(e.before != e.after for e in edits):
                break
        else:
            return RepairResult(text, [])
    comp = _Composer(text)
    # The text each rule last left as it was: a rule is a pure function of the text, so on
    # that same text (the same object: nothing changed it since) it would do nothing again.
    # The pass that confirms the fixpoint then runs only the rules before the last change.
    unchanged: list[str | None] = [None] * len(plan.rules)
    for _ in range(max_passes):
        changed = False
        for i, (r, p) in enumerate(plan.rules):
            cur = comp.text
            if unchanged[i] is cur or not r.may_apply(cur, cur.isascii()):
                continue
            edits = [e for e in r.fn(cur, lang, p) if e.before != e.after]
            if edits:
                comp.apply(edits)
                changed = True
            else:
                unchanged[i] = cur
        if not changed:
            break
    return RepairResult(comp.text, comp.edits())


def make_edit(rule_name: str, text: str, start: int, end: int, after: str) -> Edit:
    """An edit replacing ``text[start:end]`` by ``after``."""
    return Edit(rule_name, start, end, text[start:end], after)


def compose(original: str, edits: Sequence[Edit], later: Sequence[Edit]) -> list[Edit]:
    """Fold ``later`` edits (offsets into ``replay(original, edits)``) into ``edits``.

    The result is one list of edits against ``original``, as ``run_rules`` gives,
    so a stage after repair (e.g. filling untranslated fragments) keeps the
    replay trail whole.

    >>> e1 = [Edit("a", 0, 3, "abc", "x")]
    >>> e2 = [Edit("b", 2, 2, "", "!")]
    >>> out = compose("abc def", e1, e2)
    >>> replay("abc def", out)
    'x !def'
    """
    comp = _Composer(original)
    comp.apply(edits)
    comp.apply(later)
    return comp.edits()
