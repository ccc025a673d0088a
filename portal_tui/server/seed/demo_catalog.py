"""The demo business: locations, staff roles, levels and skills, classes and their sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from portal_tui.server.seed.common import TIME_ZONE, ZONE, local_instant, months_back, next_weekday
from portal_tui.server.tables import (
    Business,
    ClassSession,
    Level,
    Location,
    SchoolClass,
    Skill,
    StaffRole,
)
from portal_tui.wire.settings import BusinessSettings

BUSINESS_NAME = "Riverside Swim & Gym Academy"
SESSION_WEEKS = 8
"""Sessions exist for this many weeks either side of today."""

LOCATIONS = (
    ("north", "Northside", "4100 N Clark St, Chicago, IL 60613"),
    ("down", "Downtown", "215 W Madison St, Chicago, IL 60606"),
    ("lake", "Lakeview", "3030 N Broadway, Chicago, IL 60657"),
)

LEVELS = (
    (
        "swim1",
        "Swim Level 1",
        ("Blows bubbles", "Front float with support", "Back float with support", "Kicks on front"),
    ),
    (
        "swim2",
        "Swim Level 2",
        ("Front float on own", "Back float on own", "Front glide 5 m", "Flutter kick with board"),
    ),
    (
        "swim3",
        "Swim Level 3",
        ("Front crawl 10 m", "Back crawl 10 m", "Treads water 30 s", "Side breathing"),
    ),
    ("gym1", "Gymnastics Beginner", ("Forward roll", "Cartwheel", "Beam walk", "Bridge")),
)

# key, location, level, weekday, start, minutes, capacity, tuition, instructor, ended months ago
CLASSES: tuple[tuple[str, str, str, int, time, int, int, int, str, int | None], ...] = (
    ("north_swim1", "north", "swim1", 0, time(16, 0), 30, 6, 8500, "Dana Brooks", None),
    ("north_swim2", "north", "swim2", 2, time(16, 30), 45, 6, 9500, "Dana Brooks", None),
    ("north_swim3", "north", "swim3", 5, time(9, 0), 45, 6, 10500, "Marcus Lee", None),
    ("north_gym1", "north", "gym1", 3, time(17, 0), 60, 10, 12000, "Priya Shah", None),
    ("down_swim1", "down", "swim1", 1, time(17, 0), 30, 6, 8500, "Elena Cruz", 12),
    ("down_swim2", "down", "swim2", 5, time(10, 0), 45, 6, 9500, "Elena Cruz", None),
    ("down_gym1", "down", "gym1", 4, time(16, 0), 60, 5, 12000, "Tomás Ortega", None),
    ("down_swim3", "down", "swim3", 6, time(11, 0), 45, 6, 10500, "Marcus Lee", None),
    ("lake_swim2", "lake", "swim2", 1, time(16, 30), 45, 6, 9500, "Grace Kim", None),
    ("lake_gym1", "lake", "gym1", 3, time(16, 0), 60, 8, 12000, "Priya Shah", None),
)
CANCELLED = ("north_swim1", 3)
"""One class's session this many weeks ahead is cancelled (a holiday closure)."""


@dataclass(frozen=True)
class Catalog:
    """What the families are built on, by short key."""

    front_desk: StaffRole
    locations: dict[str, Location]
    skills: dict[str, list[Skill]]
    classes: dict[str, SchoolClass]
    sessions: dict[int, list[ClassSession]]
    """Each class's sessions by class id, oldest first."""

    def session_day(self, session: ClassSession) -> date:
        """The local date a session meets on."""
        return session.starts_at.astimezone(ZONE).date()

    def last_day(self, class_key: str) -> date:
        """The last day of a class that has ended."""
        ends_on = self.classes[class_key].ends_on
        assert ends_on is not None
        return ends_on

    def sessions_between(self, class_id: int, first: date, last: date) -> list[ClassSession]:
        """A class's sessions meeting from `first` to `last` (local dates, inclusive)."""
        return [s for s in self.sessions[class_id] if first <= self.session_day(s) <= last]


def build_catalog(db: Session, *, today: date) -> Catalog:
    """Add the business and everything its families enrol in; flushes so ids exist."""
    db.add(
        Business(
            name=BUSINESS_NAME,
            currency="USD",
            currency_symbol="$",
            time_zone=TIME_ZONE,
            settings=BusinessSettings().model_dump(mode="json"),
        )
    )
    front_desk = StaffRole(name="Front Desk", is_manager=False)
    db.add_all([front_desk, StaffRole(name="Manager", is_manager=True)])
    locations = {key: Location(name=name, address=address) for key, name, address in LOCATIONS}
    levels = {key: Level(name=name, sort_order=n) for n, (key, name, _) in enumerate(LEVELS, 1)}
    db.add_all([*locations.values(), *levels.values()])
    db.flush()

    skills = {
        key: [Skill(level_id=levels[key].id, name=name) for name in names]
        for key, _, names in LEVELS
    }
    first_term = months_back(today, 36)
    classes: dict[str, SchoolClass] = {}
    for key, loc, level, weekday, start, minutes, capacity, tuition, teacher, ended in CLASSES:
        classes[key] = SchoolClass(
            location_id=locations[loc].id,
            level_id=levels[level].id,
            name=levels[level].name,
            instructor=teacher,
            capacity=capacity,
            weekday=weekday,
            start_time=start,
            end_time=(datetime.combine(today, start) + timedelta(minutes=minutes)).time(),
            starts_on=next_weekday(first_term, weekday),
            ends_on=None if ended is None else months_back(today, ended) - timedelta(days=1),
            tuition_cents=tuition,
        )
    db.add_all([skill for level_skills in skills.values() for skill in level_skills])
    db.add_all(classes.values())
    db.flush()

    sessions = {klass.id: _sessions(klass, today) for klass in classes.values()}
    key, weeks = CANCELLED
    upcoming = [s for s in sessions[classes[key].id] if s.starts_at.astimezone(ZONE).date() > today]
    upcoming[weeks - 1].cancelled = True
    db.add_all([s for class_sessions in sessions.values() for s in class_sessions])
    db.flush()
    return Catalog(front_desk, locations, skills, classes, sessions)


def _sessions(klass: SchoolClass, today: date) -> list[ClassSession]:
    """The class's weekly meetings within SESSION_WEEKS of today, while it runs."""
    window = timedelta(weeks=SESSION_WEEKS)
    last = min(klass.ends_on or today + window, today + window)
    day = next_weekday(max(klass.starts_on, today - window), klass.weekday)
    out: list[ClassSession] = []
    while day <= last:
        out.append(
            ClassSession(
                class_id=klass.id,
                starts_at=local_instant(day, klass.start_time),
                ends_at=local_instant(day, klass.end_time),
                cancelled=False,
            )
        )
        day += timedelta(weeks=1)
    return out
