"""The parts of the ``ner-templates`` sentences: templates, faker's name lists, entities.

Every name (first names, last names, states, countries) is given by a seeded shuffle to
one of train / dev / test (60 / 15 / 25 %), and people, companies and cities
are built only from their split's part, so no test name is ever seen in training. City
and company patterns follow faker's own en_US formats ("Lake {first}{suffix}",
"{last}, {last} and {last}").
"""
from __future__ import annotations

import datetime as dt

import numpy as np

SHARES = (0.6, 0.15, 0.25)
SPLIT_NAMES = ("train", "dev", "test")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
FIRST_DAY, DAYS = dt.date(1950, 1, 1), 80 * 365

TEMPLATES = (
    "{PER} flew from {LOC} to {LOC} on {DATE} .",
    "{PER} joined {ORG} in {DATE} .",
    "On {DATE} , {ORG} opened a new office in {LOC} .",
    "{ORG} hired {PER} as its new chief executive .",
    "{PER} was born in {LOC} on {DATE} .",
    "The meeting between {PER} and {PER} took place in {LOC} .",
    "{ORG} announced on {DATE} that it will buy {ORG} .",
    "According to {PER} , the factory in {LOC} will close .",
    "{PER} has lived in {LOC} since {DATE} .",
    "Shares of {ORG} fell sharply after {DATE} .",
    "{PER} and her brother moved to {LOC} .",
    "The contract with {ORG} ends on {DATE} .",
    "Yesterday {PER} visited the {ORG} plant near {LOC} .",
    "{LOC} signed a trade agreement with {LOC} on {DATE} .",
    "A spokesperson for {ORG} said that {PER} had resigned .",
    "{PER} will speak at the conference in {LOC} on {DATE} .",
    "Police in {LOC} are looking for {PER} .",
    "{ORG} reported record profits for {DATE} .",
    "The new bridge in {LOC} was designed by {PER} .",
    "Last week {PER} met the board of {ORG} in {LOC} .",
    "{PER} sued {ORG} in a court in {LOC} .",
    "Since {DATE} , {PER} has worked for {ORG} .",
    "Flights between {LOC} and {LOC} resume on {DATE} .",
    "{PER} thanked {PER} for the help .",
    "The report by {ORG} was published on {DATE} .",
    "Her first novel was set in {LOC} , wrote {PER} .",
    "{ORG} and {ORG} agreed to merge by {DATE} .",
    "Many people in {LOC} still remember {PER} .",
    "{PER} left {LOC} for good on {DATE} .",
    "We asked {PER} why {ORG} moved to {LOC} .",
    "The festival in {LOC} starts on {DATE} and ends a week later .",
    "{PER} , a lawyer from {LOC} , represents {ORG} .",
    "Tickets for the show in {LOC} went on sale on {DATE} .",
    "In {DATE} the mayor of {LOC} , {PER} , stepped down .",
    "{ORG} is building a warehouse outside {LOC} .",
    "Nobody at {ORG} had heard of {PER} before {DATE} .",
    "{PER} drove from {LOC} to {LOC} with {PER} .",
    "The museum in {LOC} bought a painting from {PER} on {DATE} .",
    "Workers at {ORG} in {LOC} went on strike .",
    "{PER} married {PER} in {LOC} on {DATE} .",
    "Reporters waited outside the hotel in {LOC} where {PER} was staying .",
    "Both {PER} and {PER} work for {ORG} .",
    "Engineers from {ORG} and {ORG} met in {LOC} .",
    "Tomorrow {PER} flies to {LOC} and then to {LOC} .",
    "Critics praised the film by {PER} that opened on {DATE} .",
    "Students from {LOC} wrote to {PER} .",
    "Did {PER} really sell the house in {LOC} ?",
    "Investors expect {ORG} to report losses in {DATE} .",
    "Heavy snow closed the roads between {LOC} and {LOC} .",
    "{PER} , who grew up in {LOC} , joined {ORG} on {DATE} .",
    "Officials at {ORG} declined to comment .",
    "Everyone in the village knew {PER} .",
    "Several families left {LOC} after the floods of {DATE} .",
    "My aunt met {PER} at a party in {LOC} .",
    "Sales at {ORG} doubled between {DATE} and {DATE} .",
    "Lawyers for {PER} asked the judge in {LOC} for more time .",
    "Our team will visit {ORG} in {LOC} next month .",
    "{PER} told {PER} that {ORG} was for sale .",
    "Farmers near {LOC} sell most of their wheat to {ORG} .",
    "During {DATE} , {PER} taught music in {LOC} .",
    "Nurses at the hospital in {LOC} thanked {PER} and {PER} .",
    "Why did {ORG} leave {LOC} ?",
    "Rain delayed the match in {LOC} until {DATE} .",
    "{PER} bought shares of {ORG} on {DATE} .",
    "Visitors to {LOC} often ask about {PER} .",
    "Each summer {PER} rents a cabin near {LOC} .",
    "Thousands marched through {LOC} on {DATE} .",
    "{ORG} named {PER} chair of the board .",
    "Local papers in {LOC} praised {ORG} .",
    "Few people outside {LOC} had heard of {PER} .",
)


def _faker_lists() -> dict[str, list[str]]:
    """faker's en_US word lists (imported lazily: only this generator needs faker)."""
    from faker.providers.address.en_US import Provider as Address
    from faker.providers.person.en_US import Provider as Person

    return {"first": list(Person.first_names), "last": list(Person.last_names),
            "state": list(Address.states), "country": list(Address.countries)}


def entity_pools(split: str, seed: int = 0) -> dict[str, list[str]]:
    """The name lists of ``split``. Every distinct name string of all the lists (a name
    may be both a first and a last name, a state and a person) is given to ONE split by a
    seeded shuffle cut 60/15/25, so no name is shared between splits; first and last names
    that are month names ("April") are left out, since dates use the months."""
    lists = _faker_lists()
    names = sorted({value for values in lists.values() for value in values})
    order = np.random.default_rng([seed, 7]).permutation(len(names))
    cuts = np.cumsum([round(share * len(names)) for share in SHARES[:2]])
    mine = {names[i] for i in np.split(order, cuts)[SPLIT_NAMES.index(split)]}
    return {kind: [v for v in values if v in mine and (kind in ("state", "country")
                                                       or v not in MONTHS)]
            for kind, values in lists.items()}


def _pick(rng: np.random.Generator, values) -> str:
    return values[rng.integers(len(values))]


def _person(pools: dict, rng: np.random.Generator) -> str:
    if rng.random() < 0.75:
        return f"{_pick(rng, pools['first'])} {_pick(rng, pools['last'])}"
    return _pick(rng, pools["last"] if rng.random() < 0.5 else pools["first"])


def _place(pools: dict, rng: np.random.Generator) -> str:
    from faker.providers.address.en_US import Provider as Address

    prefix, suffix = _pick(rng, Address.city_prefixes), _pick(rng, Address.city_suffixes)
    first, last = _pick(rng, pools["first"]), _pick(rng, pools["last"])
    kinds = (f"{prefix} {first}{suffix}", f"{prefix} {first}", f"{first}{suffix}",
             f"{last}{suffix}", _pick(rng, pools["state"]), _pick(rng, pools["country"]))
    return _pick(rng, kinds)


def _company(pools: dict, rng: np.random.Generator) -> str:
    from faker.providers.company.en_US import Provider as Company

    a, b, c = (_pick(rng, pools["last"]) for _ in range(3))
    kinds = (f"{a} {_pick(rng, Company.company_suffixes)}", f"{a}-{b}", f"{a}, {b} and {c}")
    return _pick(rng, kinds)


def _date(rng: np.random.Generator) -> str:
    day = FIRST_DAY + dt.timedelta(days=int(rng.integers(DAYS)))
    month = MONTHS[day.month - 1]
    kinds = (f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}",
             f"{month} {day.year}", f"{day.year}-{day.month:02d}-{day.day:02d}",
             f"{month} {day.day}")
    return _pick(rng, kinds)


def make_entity(kind: str, pools: dict, rng: np.random.Generator) -> str:
    """One PER, LOC, ORG or DATE string drawn with ``rng`` from ``pools``."""
    if kind == "DATE":
        return _date(rng)
    return {"PER": _person, "LOC": _place, "ORG": _company}[kind](pools, rng)
