"""What the roster grid shows: staff x days, each cell with its shift letter, post, absence and
wish; the hours balance of each person; the staffing of each day against the minimum; and the
validator's violations, tied to the cells, rows and days they concern.

Reads only: a snapshot and the violations in, display values out. Colour is never the only sign:
every cell carries the shift letter and post abbreviation, and an accessible label in words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kontaktpunkt.core.holidays import public_holidays
from kontaktpunkt.roster import domain
from kontaktpunkt.roster.metrics import hours_balance_minutes
from kontaktpunkt.roster.models import AbsenceKind, Post, ShiftType, StaffMember
from kontaktpunkt.roster.selectors import PlanSnapshot
from kontaktpunkt.roster.validator import Violation

POST_SHORT: dict[str, str | Promise] = {
    Post.PATROL_PAIR: pgettext_lazy("post abbreviation", "PT"),
    Post.TEAM_LEAD: pgettext_lazy("post abbreviation", "TL"),
    Post.DESK: pgettext_lazy("post abbreviation", "CP"),
    Post.MOBILE: pgettext_lazy("post abbreviation", "MS"),
}
ABSENCE_SHORT: dict[str, str | Promise] = {
    AbsenceKind.LEAVE: pgettext_lazy("absence abbreviation", "LV"),
    AbsenceKind.SICKNESS: pgettext_lazy("absence abbreviation", "SK"),
    AbsenceKind.TRAINING: pgettext_lazy("absence abbreviation", "TR"),
}

CellUrl = Callable[[StaffMember, date], str]


@dataclass(frozen=True)
class Cell:
    day: date
    letter: str  # the shift letter, or the absence abbreviation, or ""
    post: str  # post abbreviation
    label: str  # the cell in words (title)
    aria: str  # name, day and the cell in words (screen readers)
    css: str
    token: str  # what the cell holds, for the edit conflict check
    url: str
    problem: bool


@dataclass(frozen=True)
class Row:
    staff: StaffMember
    cells: list[Cell]
    worked_h: str
    due_h: str
    balance_h: str
    balance_minutes: int
    problem: bool


@dataclass(frozen=True)
class Staffing:
    letter: str
    planned: int
    minimum: int

    @property
    def short(self) -> bool:
        return self.planned < self.minimum


@dataclass(frozen=True)
class Column:
    day: date
    weekday: str
    weekend: bool
    holiday: str
    staffing: list[Staffing]
    problem: bool


@dataclass(frozen=True)
class Board:
    rows: list[Row]
    columns: list[Column]
    shift_types: tuple[ShiftType, ...]
    posts: list[tuple[str, str]]  # (abbreviation, name)
    absences: list[tuple[str, str]]
    violations: tuple[Violation, ...]
    editable: bool

    @property
    def violation_count(self) -> int:
        return len(self.violations)

    @property
    def staffing_rows(self) -> list[tuple[ShiftType, list[Staffing]]]:
        """Per shift type, the staffing of each shown day (the grid's footer)."""
        return [
            (shift, [column.staffing[s] for column in self.columns])
            for s, shift in enumerate(self.shift_types)
        ]


def cell_token(shift_code: str | None, post: str | None) -> str:
    """What a cell holds, e.g. `E:desk`; empty for a day off."""
    return f"{shift_code}:{post or ''}" if shift_code else ""


def board_build(
    snapshot: PlanSnapshot,
    violations: tuple[Violation, ...],
    *,
    editable: bool,
    cell_url: CellUrl,
    private: bool,
    days: range | None = None,
) -> Board:
    """The grid of `days` (offsets; all by default). `private` adds what only planners see:
    absence kinds, wishes, violations. The hours balance is always over the whole plan."""
    shown = days if days is not None else range(snapshot.instance.n_days)
    marks = _marks(violations if private else ())
    rows = [
        _row(snapshot, person, marks, shown, cell_url=cell_url, private=private)
        for person in range(len(snapshot.staff))
    ]
    return Board(
        rows=rows,
        columns=_columns(snapshot, marks, shown),
        shift_types=snapshot.shift_types,
        posts=[(str(POST_SHORT[p]), str(p.label)) for p in Post],
        absences=[(str(ABSENCE_SHORT[k]), str(k.label)) for k in AbsenceKind] if private else [],
        violations=violations if private else (),
        editable=editable,
    )


@dataclass(frozen=True)
class _Marks:
    cells: set[tuple[int, int]]
    rows: set[int]
    days: set[int]


def _marks(violations: tuple[Violation, ...]) -> _Marks:
    marks = _Marks(set(), set(), set())
    for v in violations:
        if v.person is not None and v.day is not None:
            marks.cells.add((v.person, v.day))
        elif v.person is not None:
            marks.rows.add(v.person)
        elif v.day is not None:
            marks.days.add(v.day)
    return marks


def _columns(snapshot: PlanSnapshot, marks: _Marks, days: range) -> list[Column]:
    instance = snapshot.instance
    on_shift: dict[tuple[int, str], int] = defaultdict(int)
    for a in snapshot.roster.assignments:
        on_shift[(a.day, a.shift)] += 1
    holidays = _holidays(snapshot)
    columns = []
    for day in days:
        when = instance.date_of(day)
        staffing = [
            Staffing(shift.letter, on_shift[(day, shift.code)], demand.minimum)
            for shift, demand in zip(snapshot.shift_types, instance.demand[day], strict=True)
        ]
        columns.append(
            Column(
                day=when,
                weekday=formats.date_format(when, "D"),
                weekend=when.weekday() >= domain.SATURDAY,
                holiday=holidays.get(when, ""),
                staffing=staffing,
                problem=day in marks.days,
            )
        )
    return columns


def _holidays(snapshot: PlanSnapshot) -> dict[date, str]:
    plan = snapshot.plan
    found: dict[date, str] = {}
    for year in range(plan.start.year, plan.last_day.year + 1):
        found |= public_holidays(year, settings.KP_STATE_HOLIDAYS)
    return found


def _row(
    snapshot: PlanSnapshot,
    person: int,
    marks: _Marks,
    days: range,
    *,
    cell_url: CellUrl,
    private: bool,
) -> Row:
    instance = snapshot.instance
    member = snapshot.staff[person]
    absent = instance.absent
    wishes = {w.day: w for w in instance.wishes if w.person == person}
    cells = [
        _cell(
            snapshot,
            (person, day),
            absent.get((person, day)),
            wishes.get(day),
            marks,
            private=private,
            url=cell_url(member, instance.date_of(day)),
        )
        for day in days
    ]
    balance = hours_balance_minutes(instance, snapshot.roster, person)
    worked = sum(
        instance.shift(code).minutes
        for (p, _d), code in snapshot.roster.grid.items()
        if p == person and code in instance.shift_codes
    )
    return Row(
        staff=member,
        cells=cells,
        worked_h=_hours(worked),
        due_h=_hours(worked - balance),
        balance_h=_hours(balance, signed=True),
        balance_minutes=balance,
        problem=person in marks.rows or any(c.problem for c in cells),
    )


def _cell(
    snapshot: PlanSnapshot,
    where: tuple[int, int],
    absence: domain.Absence | None,
    wish: domain.Wish | None,
    marks: _Marks,
    *,
    private: bool,
    url: str,
) -> Cell:
    instance = snapshot.instance
    person, day = where
    code = snapshot.roster.shift_of(person, day)
    post = snapshot.posts.get((person, day), "")
    shift = snapshot.shift_by_code.get(code) if code else None
    words: list[str] = []
    letter, css = "", ["c"]
    if shift is not None:
        letter = shift.letter
        words.append(shift.name)
        css.extend((f"s-{shift.code}", f"post-{post or 'none'}"))
        if post:
            words.append(str(Post(post).label))
    elif code:
        letter = code
        words.append(code)
    if absence is not None:
        kind = AbsenceKind(absence.kind) if private else None
        if not code:
            letter = str(ABSENCE_SHORT[kind]) if kind else "\u2013"
            css.append("absent")
        words.append(str(kind.label) if kind else _("absent"))
    if not code and absence is None:
        words.append(_("off"))
    if wish is not None and private:
        css.append("wish")
        words.append(_wish_words(snapshot, wish))
    problem = private and (person, day) in marks.cells
    if problem:
        css.append("problem")
        words.append(_("rule broken"))
    when = instance.date_of(day)
    if when.weekday() >= domain.SATURDAY:
        css.append("weekend")
    label = ", ".join(words)
    return Cell(
        day=when,
        letter=letter,
        post=str(POST_SHORT[post]) if post in POST_SHORT else "",
        label=label,
        aria=f"{snapshot.staff[person].name}, {formats.date_format(when, 'D d.m.')}: {label}",
        css=" ".join(css),
        token=cell_token(code, post),
        url=url,
        problem=problem,
    )


def _wish_words(snapshot: PlanSnapshot, wish: domain.Wish) -> str:
    if wish.kind is domain.WishKind.SHIFT and wish.shift in snapshot.shift_by_code:
        return _("wish: only %(shift)s") % {"shift": snapshot.shift_by_code[wish.shift].name}
    return _("wish: day off")


def _hours(minutes: int, *, signed: bool = False) -> str:
    text = formats.number_format(abs(minutes) / 60, 1)
    if not signed or minutes == 0:
        return text
    return f"+{text}" if minutes > 0 else f"\u2212{text}"
