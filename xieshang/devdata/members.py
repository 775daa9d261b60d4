"""Demo data of the members app: the committee tree and everything about people and bodies.

Builds 云岭省政协 (``demo-prov``) → 青川市政协 (``demo-city``) → 清河县政协 (``demo-county``),
all through the services (so the audit log shows who made what), with ``ctx.rng`` so that one
seed always gives the same county. The later builders of this package read what this fills in:

``ctx.province`` / ``ctx.city`` / ``ctx.county``
    the three ``Committee`` rows.
``ctx.terms[code]``
    the current ``Term`` (county 十四届 2022-01-10…2026-12-31, city 九届, province 十三届).
``ctx.sessions[code]``
    the term's ``Session`` rows, oldest first: the county's 十四届一次…五次会议 (2022–2026, each
    in January or February). A session may lie in the future (the province's 2027 one): use
    ``ctx.extra["current_session"][code]`` for the latest that has opened.
``ctx.members[code]``
    serving ``Member`` rows (county ≈250, city 40, province 30), leaders first, then by sector.
    Members who left are in ``ctx.extra["left_members"][code]`` instead.
``ctx.sectors[code]``
    the 24 ``Sector`` rows in roster order.
``ctx.units[code]``
    active ``HandlingUnit`` rows (county 38, with routing keywords), one each, every one with
    a clerk and a leader login (dw01, dw01_ld …; 县教育局: jiaoyuju, jiaoyuju_ld).
``ctx.users[username]`` and ``ctx.logins``
    one login per role (made in ``_logins``); every password is ``DEMO_PASSWORD``.
``ctx.extra``
    ``"password"``: the shared demo password; ``"password_hash"``: its hash, made once (a
    later app that adds a login may set ``user.password`` to it rather than hash again);
    ``"current_session"``: code → the latest session that has opened by ``ctx.today``;
    ``"leaders"``: code → {"chair": Member, "vice_chairs": [Member], "secretary_general": Member};
    ``"standing"``: code → serving standing-committee members (leaders included);
    ``"special_committees"``: code → active ``SpecialCommittee`` rows;
    ``"groups"``: code → ``ActivityGroup`` rows (sector groups, then town and street groups);
    ``"bodies"``: code → ``CollectiveBody`` rows (parties, organisations, groups, committees);
    ``"unit_by_short"``: code → {short name such as "县教育局": HandlingUnit};
    ``"sector_by_name"``: code → {"教育界": Sector, …};
    ``"login_members"``: code → {username: the Member record that login acts as};
    ``"left_members"``: code → members who left during the term.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.hashers import make_password

from xieshang.core import services as core_services
from xieshang.core.models import Committee, Role, Session, Term, User
from xieshang.core.permissions import Actor
from xieshang.core.validators import ID_CHECK, ID_WEIGHTS
from xieshang.devdata import names
from xieshang.devdata.demo import DEMO_PASSWORD, DemoContext, Login
from xieshang.members import services
from xieshang.members.models import (
    ActivityGroup,
    CollectiveBody,
    HandlingUnit,
    Member,
    Position,
    Sector,
    SpecialCommittee,
    SpecialCommitteeMembership,
)

PROVINCE, CITY, COUNTY = "demo-prov", "demo-city", "demo-county"


@dataclass(frozen=True)
class LevelSpec:
    code: str
    name: str
    short_name: str
    level: str
    place: str  # 清河县
    stem: str  # 清河
    address: str
    phone_area: str
    id_regions: tuple[str, ...]  # first: where most members were born
    towns: tuple[str, ...]
    term_number: int
    term_start: dt.date
    term_end: dt.date
    session_starts: tuple[dt.date, ...]
    session_days: int
    members: int
    units: tuple[tuple[str, str, str, str], ...]


LEVELS = (
    LevelSpec(
        code=PROVINCE, name="中国人民政治协商会议云岭省委员会", short_name="云岭省政协",
        level=Committee.Level.PROVINCE, place="云岭省", stem="云岭",
        address="云岭省春城市翠湖北路8号", phone_area="0871",
        id_regions=("530102", "530111", "532901", "539921", "530402", "532301"),
        towns=("青川市清河县河西镇", "春城市官渡区关上街道", "青川市石门县白马镇",
               "春城市晋宁区昆阳街道", "青川市清河县青石镇"),
        term_number=13, term_start=dt.date(2023, 1, 12), term_end=dt.date(2027, 12, 31),
        session_starts=(dt.date(2023, 1, 12), dt.date(2024, 1, 22), dt.date(2025, 1, 20),
                        dt.date(2026, 1, 26), dt.date(2027, 1, 18)),
        session_days=5, members=30, units=names.PROVINCE_UNITS),
    LevelSpec(
        code=CITY, name="中国人民政治协商会议青川市委员会", short_name="青川市政协",
        level=Committee.Level.CITY, place="青川市", stem="青川",
        address="青川市青溪区文昌路12号", phone_area="0876",
        id_regions=("539902", "539921", "539922", "539923"),
        towns=("清河县河西镇", "青溪区东城街道", "石门县白马镇", "青溪区龙潭乡", "清河县青石镇"),
        term_number=9, term_start=dt.date(2021, 12, 27), term_end=dt.date(2026, 12, 31),
        session_starts=(dt.date(2021, 12, 27), dt.date(2023, 1, 9), dt.date(2024, 1, 15),
                        dt.date(2025, 1, 13), dt.date(2026, 1, 19)),
        session_days=4, members=40, units=names.CITY_UNITS),
    LevelSpec(
        code=COUNTY, name="中国人民政治协商会议清河县委员会", short_name="清河县政协",
        level=Committee.Level.COUNTY, place="清河县", stem="清河",
        address="清河县东城街道人民路36号", phone_area="0876",
        id_regions=("539921", "539921", "539921", "539921", "539902", "539922", "530102"),
        towns=names.COUNTY_TOWNS,
        term_number=14, term_start=dt.date(2022, 1, 10), term_end=dt.date(2026, 12, 31),
        session_starts=(dt.date(2022, 1, 10), dt.date(2023, 2, 13), dt.date(2024, 1, 8),
                        dt.date(2025, 1, 6), dt.date(2026, 1, 12)),
        session_days=4, members=sum(s.county for s in names.SECTORS), units=names.COUNTY_UNITS),
)
SECTOR_SPECS = {s.name: s for s in names.SECTORS}


def id_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


class People:
    """Seeded generator of names, phones, ID numbers and workplaces."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._surnames = [s for s, _ in names.SURNAMES]
        self._weights = [w for _, w in names.SURNAMES]
        self._names: dict[str, set[str]] = {}
        self._phones: set[str] = set()
        self._workplaces: dict[str, set[str]] = {}

    def name(self, gender: str, scope: str) -> str:
        used = self._names.setdefault(scope, set())
        pool = names.GIVEN_FEMALE if gender == Member.Gender.FEMALE else names.GIVEN_MALE
        while True:
            surname = self.rng.choices(self._surnames, self._weights)[0]
            given = self.rng.choice(pool)
            if self.rng.random() < 0.75:
                given = self.rng.choice(names.GIVEN_MIDDLE) + given
            if surname + given not in used and given[0] != surname:
                used.add(surname + given)
                return surname + given

    def phone(self) -> str:
        while True:
            number = self.rng.choice(names.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def landline(self, area: str) -> str:
        return f"{area}-{self.rng.randrange(6000000, 6999999)}"

    def birth(self, first_year: int, last_year: int) -> dt.date:
        start = dt.date(first_year, 1, 1)
        span = (dt.date(last_year, 12, 31) - start).days
        return start + dt.timedelta(days=self.rng.randrange(span + 1))

    def id_number(self, region: str, birth: dt.date, gender: str) -> str:
        k = self.rng.randrange(1, 500)
        sequence = 2 * k - 1 if gender == Member.Gender.MALE else 2 * k  # odd for men
        first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
        return first17 + id_check_digit(first17)

    def company(self, level: LevelSpec) -> str:
        return (level.place + self.rng.choice(names.BRANDS) + self.rng.choice(names.INDUSTRIES)
                + self.rng.choice(names.COMPANY_FORMS))

    def address(self, level: LevelSpec) -> str:
        return f"{level.place}{self.rng.choice(names.ROADS)}{self.rng.randrange(1, 300)}号"

    def workplace(self, templates: Sequence[str], level: LevelSpec) -> str:
        """A workplace and title, preferring one nobody in this committee holds yet."""
        used = self._workplaces.setdefault(level.code, set())
        text = ""
        for _ in range(12):
            text = self.fill(self.rng.choice(templates), level)
            if text not in used:
                break
        used.add(text)
        return text

    def fill(self, template: str, level: LevelSpec) -> str:
        rural = self.rng.choice([t for t in level.towns if not t.endswith("街道")])
        return template.format(
            place=level.place, stem=level.stem, town=self.rng.choice(level.towns), rural=rural,
            head="镇长" if rural.endswith("镇") else "乡长",
            village=rural + self.rng.choice(names.VILLAGES),
            community=self.rng.choice(names.COMMUNITIES), company=self.company(level),
            brand=self.rng.choice(names.BRANDS))

    def party(self, sector: names.SectorSpec, workplace: str) -> str:
        if any(word in workplace for word in ("书记", "中共", "党委", "党组")):
            return names.CPC
        rule = sector.party
        if rule == "own":
            return names.PARTY_OF[sector.name]
        if rule == "cpc":
            return names.CPC
        if rule == "non_party":
            return names.NON_PARTY
        if rule == "masses":
            return names.MASSES
        roll = self.rng.random()
        if rule == "youth":
            return names.CPC if roll < 0.7 else names.MASSES
        # Non-CPC members are to be about 60% of a committee (中共党员 ≈ 40%).
        if roll < 0.38:
            return names.CPC
        if roll < 0.70:
            return names.MASSES
        if roll < 0.92:
            parties, weights = zip(*names.DEMOCRATIC_PARTY_WEIGHTS, strict=True)
            party: str = self.rng.choices(parties, weights)[0]
            return party
        return names.NON_PARTY

    def ethnicity(self, sector: names.SectorSpec, workplace: str) -> str:
        if "伊斯兰" in workplace:
            return "回族"
        if sector.name == "少数民族界" or self.rng.random() < 0.12:
            return self.rng.choice(names.ETHNIC_MINORITIES)
        return "汉族"


@dataclass
class Plan:
    """One member to create: their sector, data, position and login (if any)."""

    sector: str
    fields: dict[str, Any]
    position: str = ""  # a Position.Kind for leaders
    login: str = ""
    town: str = ""
    member: Member | None = None


@dataclass
class Built:
    """What ``build`` made for one committee (filled step by step)."""

    level: LevelSpec
    committee: Committee
    actor: Actor
    term: Term | None = None
    sessions: list[Session] = field(default_factory=list)
    sectors: dict[str, Sector] = field(default_factory=dict)
    units: dict[str, HandlingUnit] = field(default_factory=dict)
    plans: list[Plan] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.level.code

    def members_of(self, *sectors: str) -> list[Member]:
        return [p.member for p in self.plans
                if p.member is not None and p.sector in sectors]


def build(ctx: DemoContext) -> None:
    people = People(ctx.rng)
    built: dict[str, Built] = {}
    parent: Committee | None = None
    ctx.log("  committees, terms and sessions")
    for level in (_moved(ctx, spec) for spec in LEVELS):
        b = _committee(ctx, level, parent, people)
        built[level.code] = b
        parent = b.committee
    ctx.province, ctx.city, ctx.county = (built[c].committee for c in (PROVINCE, CITY, COUNTY))
    for b in built.values():
        _term_and_sessions(ctx, b)
    ctx.log("  sectors and handling units")
    for b in built.values():
        _sectors(ctx, b)
        _units(ctx, b, people)
    ctx.log("  members of 清河县政协")
    county, city, province = built[COUNTY], built[CITY], built[PROVINCE]
    county.plans = _county_plan(ctx, county.level, people)
    city.plans = _other_plan(ctx, city.level, people)
    province.plans = _other_plan(ctx, province.level, people)
    _people_with_logins(ctx, county, city)
    for b in (county, city, province):
        if b is not county:
            ctx.log(f"  members of {b.level.short_name}")
        _members(ctx, b)
    ctx.log("  special committees, activity groups and collective bodies")
    _county_special_committees(ctx, county)
    _other_special_committees(ctx, city, ("提案委员会", "经济委员会", "社会和法制委员会"))
    _other_special_committees(ctx, province, ("提案委员会", "经济委员会"))
    _county_groups(ctx, county)
    _county_bodies(ctx, county, people)
    _other_bodies(ctx, city, people)
    ctx.log("  history: a member who left, a member who changed sector")
    _history(ctx, county)
    ctx.log("  logins")
    _logins(ctx, county, city, province, people)
    for b in built.values():
        _fill_context(ctx, b)


# --- committees, terms, sessions -------------------------------------------

def _moved(ctx: DemoContext, level: LevelSpec) -> LevelSpec:
    """The level's term and sessions moved to the current year (``DemoContext.shift``)."""
    return replace(level, term_start=ctx.move(level.term_start),
                   term_end=ctx.move(level.term_end),
                   session_starts=tuple(ctx.move(d) for d in level.session_starts))


def _committee(ctx: DemoContext, level: LevelSpec, parent: Committee | None,
               people: People) -> Built:
    committee = core_services.committee_create(
        actor=Actor.for_system(parent), name=level.name, code=level.code, level=level.level,
        parent=parent, short_name=level.short_name)
    actor = ctx.system(committee)
    committee = core_services.committee_contact_update(
        actor=actor, committee=committee, contact_address=level.address,
        contact_phone=people.landline(level.phone_area))
    return Built(level=level, committee=committee, actor=actor)


def _term_and_sessions(ctx: DemoContext, b: Built) -> None:
    level = b.level
    b.term = core_services.term_create(actor=b.actor, committee=b.committee,
                                       number=level.term_number, start_date=level.term_start,
                                       end_date=level.term_end)
    for number, start in enumerate(level.session_starts, start=1):
        if start > level.term_end:
            break
        # Proposals from the first day of the month two months before count as plenary ones.
        window = dt.date(start.year - (start.month <= 2), (start.month - 3) % 12 + 1, 1)
        b.sessions.append(core_services.session_create(
            actor=b.actor, term=b.term, number=number, start_date=start,
            end_date=start + dt.timedelta(days=level.session_days - 1),
            proposal_window_start=window))


def _sectors(ctx: DemoContext, b: Built) -> None:
    for order, spec in enumerate(names.SECTORS, start=1):
        b.sectors[spec.name] = services.sector_create(
            actor=b.actor, committee=b.committee, name=spec.name, order=order, code=spec.code)


def _units(ctx: DemoContext, b: Built, people: People) -> None:
    for order, (name, short, kind, keywords) in enumerate(b.level.units, start=1):
        gender = Member.Gender.FEMALE if people.rng.random() < 0.5 else Member.Gender.MALE
        b.units[short] = services.unit_create(
            actor=b.actor, committee=b.committee,
            name=name.format(place=b.level.place, stem=b.level.stem), short_name=short,
            kind=kind, contact_name=people.name(gender, b.code),
            contact_phone=people.landline(b.level.phone_area), address=people.address(b.level),
            keywords=keywords, order=order)


# --- members ----------------------------------------------------------------

def _plan(people: People, level: LevelSpec, sector_name: str, *, position: str = "",
          standing: bool = False, workplace: str = "", party: str = "",
          joined_on: dt.date | None = None) -> Plan:
    sector = SECTOR_SPECS[sector_name]
    gender = Member.Gender.FEMALE if people.rng.random() < sector.female else Member.Gender.MALE
    if position:
        birth = people.birth(1963, 1972)
    elif sector.party == "youth":
        birth = people.birth(1985, 1990)
    elif standing:
        birth = people.birth(1963, 1980)
    else:
        birth = people.birth(1960, 1990)
    workplace = (people.fill(workplace, level) if workplace
                 else people.workplace(sector.workplaces, level))
    region = people.rng.choice(level.id_regions)
    return Plan(
        sector=sector_name, position=position, town=people.rng.choice(level.towns),
        fields={
            "name": people.name(gender, level.code), "gender": gender,
            "ethnicity": people.ethnicity(sector, workplace), "birth_date": birth,
            "party": party or people.party(sector, workplace), "workplace": workplace,
            "phone": people.phone(), "id_number": people.id_number(region, birth, gender),
            "is_standing": bool(position) or standing,
            "joined_on": joined_on or level.term_start,
        })


def _county_plan(ctx: DemoContext, level: LevelSpec, people: People) -> list[Plan]:
    leaders = [_plan(people, level, sector, position=kind, workplace=workplace, party=party)
               for kind, sector, workplace, party in names.COUNTY_LEADERS]
    per_sector: dict[str, list[Plan]] = {s.name: [] for s in names.SECTORS}
    for p in leaders:
        per_sector[p.sector].append(p)
    # Members elected later in the term (增补): at the 2nd and 4th sessions.
    late = {("经济界", 20): level.session_starts[1] + dt.timedelta(days=3),
            ("农业界", 18): level.session_starts[3] + dt.timedelta(days=3),
            ("教育界", 17): level.session_starts[3] + dt.timedelta(days=3)}
    for spec in names.SECTORS:
        plans = per_sector[spec.name]
        standing_places = spec.standing
        for i in range(len(plans), spec.county):
            plans.append(_plan(people, level, spec.name, standing=standing_places > 0,
                               joined_on=late.get((spec.name, i))))
            standing_places -= 1
    return [p for spec in names.SECTORS for p in per_sector[spec.name]]


def _other_plan(ctx: DemoContext, level: LevelSpec, people: People) -> list[Plan]:
    plans = [_plan(people, level, sector, position=kind, workplace=workplace, party=party)
             for kind, sector, workplace, party in names.OTHER_LEADERS]
    sector_names = [s.name for s in names.SECTORS]
    weights = [s.county for s in names.SECTORS]
    for i in range(level.members - len(plans)):
        plans.append(_plan(people, level, people.rng.choices(sector_names, weights)[0],
                           standing=i % 4 == 0))
    order = {name: i for i, name in enumerate(sector_names)}
    return sorted(plans, key=lambda p: (not p.position, order[p.sector]))


def _people_with_logins(ctx: DemoContext, county: Built, city: Built) -> None:
    """Mark the county members who get a login; one of them also sits on the city committee."""
    plans = county.plans
    next(p for p in plans if p.position == Position.Kind.CHAIR).login = "zhuxi"
    next(p for p in plans if p.sector == "医药卫生界" and p.fields["is_standing"]
         and not p.position).login = "changwei"
    next(p for p in plans if p.sector == "教育界" and not p.fields["is_standing"]
         and p.fields["joined_on"] == county.level.term_start).login = "weiyuan"
    dual = next(p for p in plans if p.sector == "经济界" and not p.fields["is_standing"])
    dual.login = "liangji"
    # The same person on the city committee: same name, birth, ID and phone.
    twin = Plan(sector="经济界", login="liangji", town=dual.town,
                fields={**dual.fields, "joined_on": city.level.term_start, "is_standing": False})
    city.plans.append(twin)


def _members(ctx: DemoContext, b: Built) -> None:
    assert b.term is not None
    elected_on = b.sessions[0].end_date if b.sessions else b.level.term_start
    users: dict[str, User] = {}
    for p in b.plans:
        user = None
        if p.login:
            user = ctx.users.get(p.login) or users.get(p.login)
            if user is None:
                user = _new_user(ctx, b, p.login, p.fields["name"], phone=p.fields["phone"])
                users[p.login] = user
        p.member = services.member_create(actor=b.actor, committee=b.committee, term=b.term,
                                          sector=b.sectors[p.sector], user=user, **p.fields)
        kind = p.position or (Position.Kind.STANDING_MEMBER if p.fields["is_standing"] else "")
        if kind:
            services.position_assign(actor=b.actor, member=p.member, term=b.term, kind=kind,
                                     start_date=max(elected_on, p.fields["joined_on"]))


# --- special committees, groups, bodies ------------------------------------

def _county_special_committees(ctx: DemoContext, b: Built) -> None:
    assert b.term is not None
    start = b.sessions[0].end_date
    rng = ctx.rng
    # Leaders chair no committee at first; everyone else sits on at most one.
    taken = {p.member.pk for p in b.plans if p.position and p.member is not None}
    chosen: dict[str, SpecialCommittee] = {}
    for name, duties, sector_names in names.COUNTY_SPECIAL_COMMITTEES:
        sc = services.special_committee_create(actor=b.actor, committee=b.committee,
                                               term=b.term, name=name, established_on=start,
                                               duties=duties)
        chosen[name] = sc
        pool = [m for m in b.members_of(*sector_names) if m.pk not in taken]
        standing = [m for m in pool if m.is_standing]
        director = standing[0] if standing else pool[0]
        deputies = [m for m in pool if m is not director][:2]
        rest = [m for m in pool if m is not director and m not in deputies
                and rng.random() < 0.6]
        for member, role in ([(director, SpecialCommitteeMembership.Role.DIRECTOR)]
                             + [(m, SpecialCommitteeMembership.Role.DEPUTY) for m in deputies]
                             + [(m, SpecialCommitteeMembership.Role.MEMBER) for m in rest]):
            taken.add(member.pk)
            services.special_committee_join(
                actor=b.actor, member=member, special_committee=sc, role=role,
                start_date=max(start, member.joined_on))
    # 2023: the county forms an agriculture and rural committee and folds the population,
    # resources and environment committee into it; 2024: the culture committee is renamed.
    reform = ctx.date(2023, 6, 20)
    name, duties = names.AGRICULTURE_COMMITTEE
    agri = services.special_committee_create(actor=b.actor, committee=b.committee, term=b.term,
                                             name=name, established_on=reform, duties=duties)
    leader = next(p.member for p in b.plans if p.position == Position.Kind.VICE_CHAIR
                  and p.member is not None)
    services.special_committee_join(actor=b.actor, member=leader, special_committee=agri,
                                    role=SpecialCommitteeMembership.Role.DIRECTOR,
                                    start_date=reform)
    services.special_committee_merge(actor=b.actor, sources=[chosen["人口资源环境委员会"]],
                                     target=agri, on=reform)
    for member in b.members_of("科技界"):
        if member.pk not in taken and rng.random() < 0.5:
            taken.add(member.pk)
            services.special_committee_join(actor=b.actor, member=member,
                                             special_committee=agri, start_date=reform)
    services.special_committee_rename(actor=b.actor, special_committee=chosen["文史和学习委员会"],
                                      name="文化文史和学习委员会", on=ctx.date(2024, 3, 15))


def _other_special_committees(ctx: DemoContext, b: Built, committee_names: Sequence[str]) -> None:
    assert b.term is not None
    start = b.sessions[0].end_date
    members = [p.member for p in b.plans if p.member is not None and not p.position]
    for i, name in enumerate(committee_names):
        sc = services.special_committee_create(actor=b.actor, committee=b.committee,
                                               term=b.term, name=name, established_on=start)
        for j, member in enumerate(members[i::len(committee_names)][:8]):
            role = (SpecialCommitteeMembership.Role.DIRECTOR if j == 0
                    else SpecialCommitteeMembership.Role.MEMBER)
            services.special_committee_join(actor=b.actor, member=member, special_committee=sc,
                                            role=role, start_date=max(start, member.joined_on))


def _county_groups(ctx: DemoContext, b: Built) -> None:
    """Every member is in their sector's group; those living in five towns also in its group."""
    assert b.term is not None
    by_sector: dict[str, ActivityGroup] = {}
    for name, sector_names in names.COUNTY_SECTOR_GROUPS:
        group = services.group_create(actor=b.actor, committee=b.committee, term=b.term,
                                      name=name, kind=ActivityGroup.Kind.SECTOR)
        by_sector.update(dict.fromkeys(sector_names, group))
    by_town: dict[str, ActivityGroup] = {}
    for town in names.COUNTY_TOWN_GROUPS:
        kind = ActivityGroup.Kind.STREET if town.endswith("街道") else ActivityGroup.Kind.TOWN
        by_town[town] = services.group_create(actor=b.actor, committee=b.committee,
                                              term=b.term, name=f"{town}活动组", kind=kind)
    for p in b.plans:
        assert p.member is not None
        groups = [by_sector[p.sector]] + ([by_town[p.town]] if p.town in by_town else [])
        services.member_groups_set(actor=b.actor, member=p.member, term=b.term, groups=groups)


def _senior(b: Built, sector: str) -> Member:
    """The most senior member of a sector: a leader, else a standing member, else the first."""
    plans = [p for p in b.plans if p.sector == sector and p.member is not None]
    best = sorted(plans, key=lambda p: (not p.position, not p.fields["is_standing"]))[0]
    assert best.member is not None
    return best.member


def _county_bodies(ctx: DemoContext, b: Built, people: People) -> None:
    for name, kind, sector in names.COUNTY_BODIES:
        contact = _senior(b, sector)
        services.collective_body_create(
            actor=b.actor, committee=b.committee, name=name.format(place=b.level.place),
            kind=kind, contact_name=contact.name, contact_phone=contact.phone,
            address=people.address(b.level))
    for sc in SpecialCommittee.objects.filter(committee=b.committee, dissolved_on__isnull=True):
        director = (SpecialCommitteeMembership.objects.filter(
            special_committee=sc, role=SpecialCommitteeMembership.Role.DIRECTOR,
            end_date__isnull=True).select_related("member").first())
        services.collective_body_create(
            actor=b.actor, committee=b.committee, name=sc.name,
            kind=CollectiveBody.Kind.SPECIAL_COMMITTEE, special_committee=sc,
            contact_name=director.member.name if director else "",
            contact_phone=b.committee.contact_phone, address=b.level.address)


def _other_bodies(ctx: DemoContext, b: Built, people: People) -> None:
    for name, kind, sector in (("民盟{place}委员会", "party", "民盟"),
                               ("{place}工商业联合会", "organisation", "工商联")):
        contact = _senior(b, sector) if b.members_of(sector) else None
        services.collective_body_create(
            actor=b.actor, committee=b.committee, name=name.format(place=b.level.place),
            kind=kind, contact_name=contact.name if contact else "",
            contact_phone=people.landline(b.level.phone_area), address=people.address(b.level))


def _history(ctx: DemoContext, b: Built) -> None:
    """One member leaves mid-term; another joins 民盟 and moves to its sector."""
    leaving = next(p for p in b.plans if p.sector == "经济界" and not p.login
                   and not p.fields["is_standing"] and p.member is not None
                   and p.fields["joined_on"] == b.level.term_start)
    assert leaving.member is not None
    leaving.member = services.member_leave(actor=b.actor, member=leaving.member,
                                           left_on=ctx.date(2024, 6, 30),
                                           reason="工作调动离开清河县，辞去委员职务")
    assert b.term is not None
    services.member_groups_set(actor=b.actor, member=leaving.member, term=b.term, groups=[])
    moving = next(p for p in b.plans if p.sector == "无党派人士" and not p.fields["is_standing"]
                  and p.member is not None)
    assert moving.member is not None
    moving.member = services.member_update(actor=b.actor, member=moving.member,
                                           sector=b.sectors["民盟"], party="民盟盟员")
    moving.sector = "民盟"


# --- logins -----------------------------------------------------------------

def demo_password_hash(ctx: DemoContext) -> str:
    """The hash of ``DEMO_PASSWORD``, made once: Argon2 is slow by design (0.1–1 s a hash)."""
    if "password_hash" not in ctx.extra:
        ctx.extra["password_hash"] = make_password(DEMO_PASSWORD)
    return str(ctx.extra["password_hash"])


def _new_user(ctx: DemoContext, b: Built, username: str, display_name: str,
              phone: str | None = None) -> User:
    user = core_services.user_create(actor=b.actor, username=username, password=None,
                                     display_name=display_name, phone=phone)
    # Every demo login shares the public demo password, so they may share one salted hash.
    user.password = demo_password_hash(ctx)
    user.save(update_fields=["password"])
    ctx.users[username] = user
    return user


def _user(ctx: DemoContext, b: Built, username: str, display_name: str,
          grants: Sequence[tuple[str, dict[str, Any]]], phone: str | None = None) -> User:
    user = _new_user(ctx, b, username, display_name, phone=phone)
    for role, kwargs in grants:
        core_services.role_grant(actor=b.actor, user=user, committee=b.committee, role=role,
                                 **kwargs)
    return user


def _logins(ctx: DemoContext, county: Built, city: Built, province: Built,
            people: People) -> None:
    def login(role: str, username: str, b: Built, note: str) -> None:
        ctx.logins.append(Login(role=role, username=username, password=DEMO_PASSWORD,
                                committee=b.level.short_name, note=note))

    def member_of(b: Built, username: str) -> Member:
        member = next(p.member for p in b.plans if p.login == username)
        assert member is not None
        return member

    def staff_name() -> str:
        gender = Member.Gender.FEMALE if people.rng.random() < 0.5 else Member.Gender.MALE
        return people.name(gender, "staff")

    weiyuan, changwei = member_of(county, "weiyuan"), member_of(county, "changwei")
    chair = member_of(county, "zhuxi")
    for username, member in (("weiyuan", weiyuan), ("changwei", changwei), ("zhuxi", chair)):
        core_services.role_grant(actor=county.actor, user=ctx.users[username],
                                 committee=county.committee, role=Role.MEMBER, member=member)
    core_services.role_grant(actor=county.actor, user=ctx.users["zhuxi"],
                             committee=county.committee, role=Role.LEADER)
    for b in (county, city):
        core_services.role_grant(actor=b.actor, user=ctx.users["liangji"], committee=b.committee,
                                 role=Role.MEMBER, member=member_of(b, "liangji"))

    login("委员", "weiyuan", county,
          f"{weiyuan.name}，{weiyuan.sector}；也可用手机号 {weiyuan.phone} 登录")
    login("常委", "changwei", county, f"{changwei.name}，{changwei.sector}，县政协常委")
    body = CollectiveBody.objects.get(committee=county.committee, name="民盟清河县委员会")
    _user(ctx, county, "jiti", body.name, [(Role.COLLECTIVE, {"body": body})])
    login("集体提案者", "jiti", county, f"以{body.name}名义提交提案")
    for username, role, label, office in (
            ("tiweiban", Role.STAFF_PROPOSAL, "提案委工作人员", "提案委员会办公室"),
            ("xinxike", Role.STAFF_OPINION, "社情民意编辑", "办公室信息科"),
            ("zhuanwei", Role.STAFF_COMMITTEE, "专委会工作人员", "专门委员会办公室"),
            ("bangongshi", Role.STAFF_OFFICE, "机关办公室", "办公室（委员、界别、单位管理）")):
        name = staff_name()
        _user(ctx, county, username, name, [(role, {})])
        login(label, username, county, f"{name}，{office}")
    unit = county.units["县教育局"]
    _user(ctx, county, "jiaoyuju", unit.contact_name, [(Role.UNIT_CLERK, {"unit": unit})])
    login("承办单位经办人", "jiaoyuju", county, f"{unit.contact_name}，{unit.name}")
    name = staff_name()
    _user(ctx, county, "jiaoyuju_ld", name, [(Role.UNIT_LEADER, {"unit": unit})])
    login("承办单位负责人", "jiaoyuju_ld", county, f"{name}，{unit.name} 分管副局长，签发答复")
    # Every other unit has its clerk and its leader too (a unit without them could neither
    # sign for nor answer what is assigned to it): dw01, dw01_ld … (shi_dw…, sheng_dw… above).
    for b, prefix in ((county, "dw"), (city, "shi_dw"), (province, "sheng_dw")):
        for order, other in enumerate(b.units.values(), start=1):
            if other.role_assignments.exists():
                continue
            _user(ctx, b, f"{prefix}{order:02d}", other.contact_name,
                  [(Role.UNIT_CLERK, {"unit": other})])
            _user(ctx, b, f"{prefix}{order:02d}_ld", staff_name(),
                  [(Role.UNIT_LEADER, {"unit": other})])
    login("主席（领导）", "zhuxi", county, f"{chair.name}，县政协主席；主席会议、督办重点提案")
    admin = _user(ctx, county, "admin", "系统管理员", [(Role.ADMIN, {})])
    core_services.user_set_site_superuser(actor=county.actor, user=admin)
    login("系统管理员", "admin", county, "也是 Django 超级用户，可进入 /admin/")
    for b, username in ((city, "shi_admin"), (province, "sheng_admin")):
        name = staff_name()
        _user(ctx, b, username, name, [(Role.STAFF_OFFICE, {}), (Role.ADMIN, {})])
        login("办公室、管理员", username, b, f"{name}，{b.level.short_name}办公室")
    dual = member_of(county, "liangji")
    ctx.logins.append(Login(
        role="县、市两级委员", username="liangji", password=DEMO_PASSWORD,
        committee=f"{county.level.short_name}、{city.level.short_name}",
        note=f"{dual.name}，县、市两级政协委员：页头可切换政协"))


def _fill_context(ctx: DemoContext, b: Built) -> None:
    code = b.code
    assert b.term is not None
    ctx.terms[code] = b.term
    ctx.sessions[code] = list(b.sessions)
    ctx.sectors[code] = list(b.sectors.values())
    ctx.units[code] = list(b.units.values())
    members = [p.member for p in b.plans if p.member is not None]
    ctx.members[code] = [m for m in members if m.status == Member.Status.ACTIVE]
    extra = ctx.extra
    extra["password"] = DEMO_PASSWORD
    opened = [s for s in b.sessions if s.start_date <= ctx.today]
    extra.setdefault("current_session", {})[code] = opened[-1] if opened else None
    extra.setdefault("leaders", {})[code] = {
        "chair": next(p.member for p in b.plans if p.position == Position.Kind.CHAIR),
        "vice_chairs": [p.member for p in b.plans if p.position == Position.Kind.VICE_CHAIR],
        "secretary_general": next(p.member for p in b.plans
                                  if p.position == Position.Kind.SECRETARY_GENERAL),
    }
    extra.setdefault("standing", {})[code] = [m for m in ctx.members[code] if m.is_standing]
    extra.setdefault("special_committees", {})[code] = list(
        SpecialCommittee.objects.filter(committee=b.committee, dissolved_on__isnull=True))
    extra.setdefault("groups", {})[code] = list(
        ActivityGroup.objects.filter(committee=b.committee).order_by("kind", "id"))
    extra.setdefault("bodies", {})[code] = list(
        CollectiveBody.objects.filter(committee=b.committee).order_by("id"))
    extra.setdefault("unit_by_short", {})[code] = dict(b.units)
    extra.setdefault("sector_by_name", {})[code] = dict(b.sectors)
    extra.setdefault("login_members", {})[code] = {
        p.login: p.member for p in b.plans if p.login and p.member is not None}
    extra.setdefault("left_members", {})[code] = [
        m for m in members if m.status == Member.Status.LEFT]
