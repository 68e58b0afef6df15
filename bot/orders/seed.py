"""Deterministic demo data for an empty shop database: customers, orders in every state, returns.

Every date is relative to `today` (the shop's day in Europe/Berlin), so "delivered 3 days ago"
holds on the day of seeding; `refresh_demo_dates` moves all dates on when the demo runs later.
`python -m bot.orders.seed` migrates the database, then seeds it, or refreshes its dates.
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

from faker import Faker
from sqlalchemy import Date, DateTime, Table, bindparam, delete, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.orders.models import Customer, DemoAnchor, Order, OrderItem, Parcel, TrackingEvent
from bot.returns.models import Return, ReturnItem
from bot.settings import ReturnSettings, load_settings
from bot.storage.base import as_utc
from bot.storage.database import database_url, session_scope
from bot.storage.migrations import upgrade

SHOP_ZONE = ZoneInfo("Europe/Berlin")
DEFAULT_SEED = 20261125
# Tables whose Date and DateTime columns refresh_demo_dates moves (all columns, found by type).
SHIFTED_MODELS = (Order, Parcel, TrackingEvent, Return)


def shop_today() -> date:
    """The shop's calendar day (Europe/Berlin)."""
    return datetime.now(SHOP_ZONE).date()


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    title: str
    category: str
    price: Decimal


def _articles(category: str, *entries: tuple[str, str]) -> tuple[Article, ...]:
    return tuple(Article(title, category, Decimal(price)) for title, price in entries)


CATALOGUE: dict[str, tuple[Article, ...]] = {
    "kindle_device": _articles(
        "kindle_device",
        ("Kindle (16 GB), black", "109.99"),
        ("Kindle Paperwhite (16 GB), black", "169.99"),
        ("Kindle Paperwhite Signature Edition (32 GB)", "209.99"),
        ("Kindle Colorsoft Signature Edition (32 GB)", "279.99"),
        ("Kindle Scribe (32 GB) with Premium Pen", "449.99"),
        ("Kindle Kids (16 GB), Ocean Explorer", "129.99"),
    ),
    "ebook": _articles(
        "ebook",
        ("The Thursday Murder Club (Kindle Edition)", "9.99"),
        ("Atomic Habits (Kindle Edition)", "12.99"),
        ("Der Schwarm (Kindle Edition)", "11.99"),
        ("Project Hail Mary (Kindle Edition)", "10.99"),
        ("Die Mitternachtsbibliothek (Kindle Edition)", "9.99"),
        ("Lessons in Chemistry (Kindle Edition)", "8.99"),
    ),
    "audiobook": _articles(
        "audiobook",
        ("Harry Potter und der Stein der Weisen (Audible audiobook)", "19.95"),
        ("Sapiens: A Brief History of Humankind (Audible audiobook)", "24.95"),
        ("Der Astronaut (Audible audiobook)", "17.95"),
        ("The Body Keeps the Score (Audible audiobook)", "21.95"),
    ),
    "clothing": _articles(
        "clothing",
        ("Women's quilted winter jacket, navy, size M", "89.95"),
        ("Men's slim-fit jeans, dark blue, W32/L32", "59.99"),
        ("Merino wool jumper, grey, size L", "69.00"),
        ("Running shoes, size 42", "99.95"),
        ("Cotton T-shirts, pack of 3, white, size M", "24.99"),
        ("Women's rain coat, olive, size S", "79.00"),
        ("Children's pyjamas, dinosaurs, 110/116", "19.99"),
    ),
    "jewellery": _articles(
        "jewellery",
        ("Sterling silver necklace with heart pendant", "49.00"),
        ("Gold-plated hoop earrings", "34.90"),
        ("Stainless steel bracelet", "29.95"),
        ("Women's wristwatch, rose gold", "129.00"),
        ("Freshwater pearl stud earrings", "39.90"),
    ),
    "electronics": _articles(
        "electronics",
        ("Noise-cancelling Bluetooth headphones", "149.99"),
        ("USB-C charger 65 W", "39.99"),
        ("Power bank 20,000 mAh", "34.99"),
        ("Smart speaker with Alexa", "59.99"),
        ("Wireless mouse", "24.99"),
        ("Fire TV Stick 4K", "69.99"),
        ("Action camera 4K", "129.00"),
    ),
    "household": _articles(
        "household",
        ("Electric kettle 1.7 l, stainless steel", "39.99"),
        ("Non-stick frying pan set, 3 pieces", "54.90"),
        ("Bed linen 135 x 200 cm, cotton", "49.95"),
        ("Electric coffee grinder", "29.99"),
        ("Set of 6 drinking glasses", "22.50"),
        ("Cordless vacuum cleaner", "199.00"),
        ("Bath towels, set of 4, sand", "34.95"),
    ),
    "gift": _articles(
        "gift",
        ("Tea advent calendar with 24 varieties", "29.99"),
        ("Scented candle gift set", "24.90"),
        ("Gift box 'Coffee lovers'", "39.90"),
        ("Jigsaw puzzle, 1000 pieces", "17.99"),
        ("Board game 'Catan'", "39.99"),
    ),
    "hygiene": _articles(
        "hygiene",
        ("Electric toothbrush Oral-B Pro 3", "59.99"),
        ("Replacement brush heads, pack of 8", "24.99"),
        ("Electric shaver", "89.99"),
        ("IPL hair removal device", "249.00"),
        ("Water flosser", "49.99"),
    ),
    "personalised": _articles(
        "personalised",
        ("Engraved wooden cutting board", "34.90"),
        ("Photo book A4, 40 pages", "29.99"),
        ("Mug with printed name", "14.99"),
        ("Kindle case with engraved name", "39.99"),
        ("Personalised children's book", "32.00"),
    ),
}
DIGITAL_CATEGORIES = ("ebook", "audiobook")
# How often each kind of physical goods is bought.
PHYSICAL_WEIGHTS = {
    "clothing": 24, "electronics": 18, "household": 18, "kindle_device": 9, "jewellery": 9,
    "gift": 9, "hygiene": 8, "personalised": 5,
}
# Goods that can always be sent back when delivered (hygiene only unopened: see settings.yml).
RETURNABLE_WEIGHTS = {
    "clothing": 30, "electronics": 20, "household": 20, "kindle_device": 10, "jewellery": 10, "gift": 10,
}


def article(title: str) -> Article:
    """The catalogue article with this title."""
    return next(a for articles in CATALOGUE.values() for a in articles if a.title == title)


@dataclass(frozen=True)
class _Line:
    article: Article
    quantity: int = 1
    opened: bool = False


# --------------------------------------------------------------------------------------------
# People and places
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Locale:
    faker: str
    language: str
    country: str
    weight: int


LOCALES = (
    _Locale("de_DE", "de", "DE", 62),
    _Locale("en_GB", "en", "GB", 9),
    _Locale("nl_NL", "nl", "NL", 9),
    _Locale("pl_PL", "pl", "PL", 8),
    _Locale("tr_TR", "tr", "TR", 6),
    _Locale("cs_CZ", "cs", "CZ", 6),
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
# Faker's en_GB and tr_TR towns are invented English words: real ones read better.
GB_CITIES = ("London", "Manchester", "Birmingham", "Leeds", "Bristol", "Sheffield", "Liverpool",
             "Nottingham", "Leicester", "Brighton", "Edinburgh", "Cardiff")
TR_CITIES = {"İstanbul": "34", "Ankara": "06", "İzmir": "35", "Bursa": "16", "Antalya": "07",
             "Konya": "42", "Adana": "01", "Gaziantep": "27", "Eskişehir": "26", "Trabzon": "61"}

WAREHOUSES = ("Leipzig", "Bad Hersfeld", "Rheinberg", "Graben")
PARCEL_CENTRES = ("Aschheim", "Bremen", "Dortmund", "Frankfurt am Main", "Hamburg", "Hannover",
                  "Kassel", "Köln", "Leipzig", "Nürnberg")
FOREIGN_PARCEL_CENTRES = {"GB": ("Birmingham", "Coventry", "Northampton"), "NL": ("Utrecht", "Nieuwegein"),
                          "PL": ("Stryków", "Warszawa", "Poznań"), "TR": ("İstanbul", "Ankara"),
                          "CZ": ("Praha", "Brno")}
CARRIER_WEIGHTS = {"DE": {"DHL": 45, "Hermes": 20, "DPD": 15, "GLS": 10, "UPS": 10},
                   "abroad": {"DHL": 50, "DPD": 20, "GLS": 15, "UPS": 15}}
LOCKER_NAMES = {"DHL": "Packstation", "DPD": "Pickup Station", "GLS": "Parcel Locker",
                "UPS": "Access Point Locker", "Hermes": "Paketstation"}
NEIGHBOUR_FORMATS = {
    "de": "Fam. {last}, Hausnr. {house}", "en": "{first} {last}, No. {house}",
    "nl": "Fam. {last}, huisnr. {house}", "pl": "{first} {last}, nr {house}",
    "tr": "{first} {last}, No: {house}", "cs": "{first} {last}, č. p. {house}",
}
_FOLD = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d"})


@dataclass(frozen=True)
class _Person:
    first_name: str
    last_name: str
    email: str
    language: str
    street: str  # as written on the parcel, number included
    house_number: int
    postcode: str
    city: str
    country: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def ascii_fold(text: str) -> str:
    """'Łukasz Zięcik-Öz' -> 'lukaszzieciköz' without accents: 'lukaszziecikoz'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


def street_line(country: str, street: str, number: int) -> str:
    """The street with its house number, in the country's order."""
    if country == "GB":
        return f"{number} {street}"
    if country == "PL":
        return f"ul. {street} {number}"
    if country == "TR":
        return f"{street} No: {number}"
    return f"{street} {number}"


def _dutch_postcode(raw: str) -> str:
    """'7170BM' -> '7170 BM'."""
    compact = raw.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}"


# --------------------------------------------------------------------------------------------
# Plans: what happens to an order, as dates relative to today
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    """The random source, the day the data is for, and whether parcels cross a border."""

    rng: random.Random
    today: date
    abroad: bool = False

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def transit_days(self) -> int:
        return self.rng.randint(2, 4) if self.abroad else self.rng.randint(1, 3)


@dataclass(frozen=True)
class _Journey:
    """One parcel's way: when it left, what the carrier expects, and where it stands."""

    status: str  # in_transit | out_for_delivery | delivered | delayed | lost
    shipped_on: date
    expected_on: date  # the carrier's current expectation
    promised_on: date  # what the order promised (earlier than expected_on when delayed)
    ended_on: date | None = None  # delivered, out for delivery, reported delayed, declared lost
    delivered_to: str | None = None  # door | neighbour | locker


@dataclass(frozen=True)
class _Refund:
    status: str  # awaiting_parcel | received | refunded
    created_on: date
    received_on: date | None = None
    refunded_on: date | None = None


@dataclass(frozen=True)
class _Plan:
    placed_on: date
    journeys: tuple[_Journey, ...] = ()
    expected_on: date | None = None
    cancelled: bool = False
    refund: _Refund | None = None
    digital_only: bool = False


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _journey_delivered(ctx: _Ctx, days_ago: int, to: str = "door") -> _Journey:
    delivered_on = ctx.today - _days(days_ago)
    promised_on = delivered_on - _days(ctx.rng.choice((0, 0, 0, 1)))
    return _Journey("delivered", delivered_on - _days(ctx.transit_days()), promised_on, promised_on,
                    delivered_on, to)


def _journey_in_transit(ctx: _Ctx) -> _Journey:
    expected_on = ctx.today + _days(ctx.rng.randint(1, 2) + ctx.abroad)
    return _Journey("in_transit", ctx.days_ago(1, 2), expected_on, expected_on)


def _journey_out_for_delivery(ctx: _Ctx) -> _Journey:
    shipped_on = ctx.today - _days(ctx.transit_days())
    return _Journey("out_for_delivery", shipped_on, ctx.today, ctx.today, ctx.today)


def _journey_delayed(ctx: _Ctx) -> _Journey:
    shipped_on = ctx.days_ago(2, 3)
    promised_on = shipped_on + _days(ctx.transit_days())
    reported_on = shipped_on + _days(ctx.rng.randint(1, (ctx.today - shipped_on).days - 1))
    expected_on = max(promised_on, ctx.today) + _days(ctx.rng.randint(2, 4))
    return _Journey("delayed", shipped_on, expected_on, promised_on, reported_on)


def _journey_overdue(ctx: _Ctx, days_late: int | None = None) -> _Journey:
    expected_on = ctx.today - _days(days_late or ctx.rng.randint(5, 10))
    return _Journey("in_transit", expected_on - _days(ctx.transit_days()), expected_on, expected_on)


def _journey_lost(ctx: _Ctx) -> _Journey:
    shipped_on = ctx.days_ago(18, 30)
    expected_on = shipped_on + _days(ctx.transit_days())
    return _Journey("lost", shipped_on, expected_on, expected_on, ctx.days_ago(1, 5))


def _plan_shipped(ctx: _Ctx, *journeys: _Journey) -> _Plan:
    """An order placed a day or two before its first parcel left."""
    placed_on = min(j.shipped_on for j in journeys) - _days(ctx.rng.randint(1, 2))
    return _Plan(placed_on, journeys, expected_on=min(j.promised_on for j in journeys))


def _plan_delivered(ctx: _Ctx, days_ago: int, to: str = "door") -> _Plan:
    return _plan_shipped(ctx, _journey_delivered(ctx, days_ago, to))


def _plan_single(ctx: _Ctx, journey: Callable[[_Ctx], _Journey]) -> _Plan:
    return _plan_shipped(ctx, journey(ctx))


SPLIT_STATES = (("delivered", "in_transit"), ("delivered", "out_for_delivery"), ("delivered", "delayed"),
                ("delivered", "locker"), ("delivered", "out_for_delivery", "in_transit"))


def _plan_split(ctx: _Ctx, states: Sequence[str]) -> _Plan:
    """Parcels that left at different times: delivered ones a few days ago, the others now."""
    makers: dict[str, Callable[[], _Journey]] = {
        "delivered": lambda: _journey_delivered(ctx, ctx.rng.randint(2, 6)),
        "locker": lambda: _journey_delivered(ctx, ctx.rng.randint(1, 2), "locker"),
        "in_transit": lambda: _journey_in_transit(ctx),
        "out_for_delivery": lambda: _journey_out_for_delivery(ctx),
        "delayed": lambda: _journey_delayed(ctx),
    }
    return _plan_shipped(ctx, *(makers[state]() for state in states))


def _plan_partly_returned(ctx: _Ctx, refund_status: str) -> _Plan:
    """Delivered, then part of it sent back; the refund's steps counted back from today."""
    rng = ctx.rng
    received_on = refunded_on = None
    if refund_status == "refunded":
        refunded_on = ctx.days_ago(1, 10)
        received_on = refunded_on - _days(rng.randint(1, 4))
        created_on = received_on - _days(rng.randint(2, 4))
    elif refund_status == "received":
        received_on = ctx.days_ago(1, 3)
        created_on = received_on - _days(rng.randint(2, 4))
    else:
        created_on = ctx.days_ago(1, 6)
    delivered_days_ago = (ctx.today - created_on).days + rng.randint(1, 8)
    plan = _plan_delivered(ctx, delivered_days_ago)
    return _Plan(plan.placed_on, plan.journeys, plan.expected_on,
                 refund=_Refund(refund_status, created_on, received_on, refunded_on))


def _plan_ordered(ctx: _Ctx) -> _Plan:
    placed_on = ctx.days_ago(1, 2)
    return _Plan(placed_on, expected_on=placed_on + _days(ctx.rng.randint(3, 5) + ctx.abroad))


def _plan_cancelled(ctx: _Ctx) -> _Plan:
    placed_on = ctx.days_ago(2, 90)
    return _Plan(placed_on, expected_on=placed_on + _days(3), cancelled=True)


def _plan_digital_only(ctx: _Ctx) -> _Plan:
    return _Plan(ctx.days_ago(1, 60), digital_only=True)


def last_season(today: date) -> tuple[date, date]:
    """The latest November/December days that lie at least ten days back."""
    year = today.year if today.month == 12 else today.year - 1
    return date(year, 11, 1), min(date(year, 12, 31), today - _days(10))


def _plan_seasonal(ctx: _Ctx) -> _Plan:
    """Placed in last November/December (returns are extended until January)."""
    first, last = last_season(ctx.today)
    delivered_on = first + _days(ctx.rng.randint(6, (last - first).days + 1))
    return _plan_delivered(ctx, (ctx.today - delivered_on).days)


# Delivery ages for orders delivered to the door: inside the return window, its last day, just
# after it, months ago (20 in a row, then again).
DELIVERY_AGES = ((1, 29),) * 11 + ((30, 30),) + ((31, 45),) * 3 + ((46, 240),) * 5
REFUND_STATES = ("awaiting_parcel", "received", "refunded")


def _door_plan(ctx: _Ctx, n: int) -> _Plan:
    low, high = DELIVERY_AGES[n % len(DELIVERY_AGES)]
    return _plan_delivered(ctx, ctx.rng.randint(low, high))


# The generated (non-demo) orders: how many of each kind, and how to plan the n-th of a kind.
GENERATED: dict[str, tuple[int, Callable[[_Ctx, int], _Plan]]] = {
    "ordered": (18, lambda ctx, n: _plan_ordered(ctx)),
    "in_transit": (24, lambda ctx, n: _plan_single(ctx, _journey_in_transit)),
    "out_for_delivery": (12, lambda ctx, n: _plan_single(ctx, _journey_out_for_delivery)),
    "delivered_door": (104, _door_plan),
    "delivered_neighbour": (18, lambda ctx, n: _plan_delivered(ctx, ctx.rng.randint(1, 20), "neighbour")),
    "delivered_locker": (18, lambda ctx, n: _plan_delivered(ctx, ctx.rng.randint(1, 20), "locker")),
    "delayed": (12, lambda ctx, n: _plan_single(ctx, _journey_delayed)),
    "overdue": (10, lambda ctx, n: _plan_single(ctx, _journey_overdue)),
    "lost": (6, lambda ctx, n: _plan_single(ctx, _journey_lost)),
    "split": (16, lambda ctx, n: _plan_split(ctx, SPLIT_STATES[n % len(SPLIT_STATES)])),
    "partly_returned": (18, lambda ctx, n: _plan_partly_returned(ctx, REFUND_STATES[n % len(REFUND_STATES)])),
    "cancelled": (14, lambda ctx, n: _plan_cancelled(ctx)),
    "digital_only": (6, lambda ctx, n: _plan_digital_only(ctx)),
    "seasonal": (10, lambda ctx, n: _plan_seasonal(ctx)),
}
GENERATED_CUSTOMERS = 105


# --------------------------------------------------------------------------------------------
# Demo orders: the same numbers, e-mails and postcodes on every run (README lists them)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOrder:
    number: str
    email: str
    postcode: str
    state: str


@dataclass(frozen=True)
class _DemoSpec:
    order: DemoOrder
    person: _Person
    plan: Callable[[_Ctx], _Plan]
    lines: tuple[_Line, ...]


def _demo(number: str, state: str, plan: Callable[[_Ctx], _Plan], person: tuple, lines: Sequence[_Line]) -> _DemoSpec:
    """A demo order; person = (first, last, e-mail, street, house number, postcode, city[, country, language])."""
    first, last, email, street, house, postcode, city, *where = person
    country, language = where or ("DE", "de")
    who = _Person(first, last, email, language, street_line(country, street, house), house, postcode, city, country)
    return _DemoSpec(DemoOrder(number, email, postcode, state), who, plan, tuple(lines))


def _lines(*titles: str) -> list[_Line]:
    return [_Line(article(title)) for title in titles]


_DEMO_SPECS = (
    _demo("302-7730415-2290561", "in transit", partial(_plan_single, journey=_journey_in_transit),
          ("Jonas", "Becker", "jonas.becker@example.com", "Schanzenstraße", 41, "20357", "Hamburg"),
          _lines("Noise-cancelling Bluetooth headphones", "Atomic Habits (Kindle Edition)")),
    _demo("303-1284650-5571938", "out for delivery today", partial(_plan_single, journey=_journey_out_for_delivery),
          ("Lena", "Wagner", "lena.wagner@example.com", "Sendlinger Straße", 8, "80331", "München"),
          _lines("Kindle Paperwhite Signature Edition (32 GB)")),
    _demo("302-4519273-8812345", "delivered to the door 3 days ago", partial(_plan_delivered, days_ago=3),
          ("Anna", "Schmidt", "anna.schmidt@example.com", "Invalidenstraße", 12, "10115", "Berlin"),
          [*_lines("Kindle Paperwhite (16 GB), black", "Women's quilted winter jacket, navy, size M",
                   "Sterling silver necklace with heart pendant", "Electric kettle 1.7 l, stainless steel"),
           _Line(article("Electric toothbrush Oral-B Pro 3"), opened=True),
           *_lines("The Thursday Murder Club (Kindle Edition)", "Engraved wooden cutting board")]),
    _demo("302-9048172-3316604", "delivered to a neighbour yesterday",
          partial(_plan_delivered, days_ago=1, to="neighbour"),
          ("Markus", "Hoffmann", "markus.hoffmann@example.com", "Aachener Straße", 27, "50674", "Köln"),
          _lines("Cordless vacuum cleaner")),
    _demo("304-5561309-7702846", "delivered to a parcel locker 2 days ago",
          partial(_plan_delivered, days_ago=2, to="locker"),
          ("Sophie", "Koch", "sophie.koch@example.org", "Berger Straße", 112, "60316", "Frankfurt am Main"),
          _lines("Running shoes, size 42", "Merino wool jumper, grey, size L")),
    _demo("302-3307921-6648250", "delayed (new delivery date later than promised)",
          partial(_plan_single, journey=_journey_delayed),
          ("Tim", "Richter", "tim.richter@example.com", "Königstraße", 5, "70173", "Stuttgart"),
          _lines("Smart speaker with Alexa", "Board game 'Catan'")),
    _demo("303-6619842-1037765", "overdue (in transit, expected 6 days ago)",
          partial(_plan_single, journey=partial(_journey_overdue, days_late=6)),
          ("Julia", "Klein", "julia.klein@example.com", "Kölner Straße", 73, "40211", "Düsseldorf"),
          _lines("Women's wristwatch, rose gold")),
    _demo("302-8150376-4492013", "lost in transit", partial(_plan_single, journey=_journey_lost),
          ("Felix", "Wolf", "felix.wolf@example.com", "Karl-Liebknecht-Straße", 19, "04107", "Leipzig"),
          _lines("Action camera 4K", "USB-C charger 65 W")),
    _demo("305-2047718-9135562", "split into two parcels: one delivered, one in transit",
          partial(_plan_split, states=("delivered", "in_transit")),
          ("Laura", "Schröder", "laura.schroeder@example.com", "Alaunstraße", 36, "01099", "Dresden"),
          _lines("Bed linen 135 x 200 cm, cotton", "Kindle Scribe (32 GB) with Premium Pen")),
    _demo("302-6692035-5820174", "partly returned, refund in progress (return received)",
          partial(_plan_partly_returned, refund_status="received"),
          ("David", "Neumann", "david.neumann@example.net", "Lister Meile", 54, "30161", "Hannover"),
          _lines("Men's slim-fit jeans, dark blue, W32/L32", "Cotton T-shirts, pack of 3, white, size M",
                 "Power bank 20,000 mAh")),
    _demo("303-4418806-2269357", "cancelled", _plan_cancelled,
          ("Sarah", "Schwarz", "sarah.schwarz@example.com", "Königstraße", 21, "90402", "Nürnberg"),
          _lines("Non-stick frying pan set, 3 pieces")),
    _demo("302-5173340-8806129", "ordered, not shipped yet", _plan_ordered,
          ("Paul", "Zimmermann", "paul.zimmermann@example.com", "Ostertorsteinweg", 30, "28203", "Bremen"),
          _lines("Kindle Colorsoft Signature Edition (32 GB)", "Kindle case with engraved name")),
    _demo("304-8826154-3370491", "delivered 40 days ago (return window ended 10 days ago)",
          partial(_plan_delivered, days_ago=40),
          ("Mia", "Braun", "mia.braun@example.com", "Rüttenscheider Straße", 88, "45130", "Essen"),
          _lines("Women's rain coat, olive, size S", "Gold-plated hoop earrings")),
    _demo("302-1938457-6604218", "Polish customer, delivered 5 days ago", partial(_plan_delivered, days_ago=5),
          ("Katarzyna", "Nowak", "katarzyna.nowak@example.com", "Marszałkowska", 84, "00-514", "Warszawa",
           "PL", "pl"),
          _lines("Kindle (16 GB), black", "Scented candle gift set")),
    _demo("303-7045521-1189630", "Dutch customer, delivered 8 days ago", partial(_plan_delivered, days_ago=8),
          ("Daan", "de Vries", "daan.devries@example.com", "Keizersgracht", 112, "1015 CV", "Amsterdam",
           "NL", "nl"),
          _lines("Electric coffee grinder", "Set of 6 drinking glasses")),
)
DEMO_ORDERS: tuple[DemoOrder, ...] = tuple(spec.order for spec in _DEMO_SPECS)


# --------------------------------------------------------------------------------------------
# Building the rows
# --------------------------------------------------------------------------------------------


def _moment(rng: random.Random, day: date, first_hour: int, last_hour: int) -> datetime:
    """A UTC time on the shop's `day` between the given local hours (never near midnight)."""
    local = datetime.combine(day, time(rng.randint(first_hour, last_hour), rng.randint(0, 59)), SHOP_ZONE)
    return local.astimezone(UTC)


@dataclass(frozen=True)
class _Route:
    warehouse: str
    first_centre: str
    second_centre: str
    city: str


FINAL_CODES = {"door": "delivered", "neighbour": "delivered_neighbour", "locker": "delivered_locker"}


def _tracking_events(rng: random.Random, journey: _Journey, route: _Route, place: str | None,
                     today: date) -> list[TrackingEvent]:
    """The carrier's scans, oldest first, ending in the parcel's current state."""
    shipped = journey.shipped_on

    def event(day: date, hours: tuple[int, int], code: str, location: str | None) -> TrackingEvent:
        return TrackingEvent(occurred_at=_moment(rng, day, *hours), code=code, location=location,
                             place=place if code in ("delivered_neighbour", "delivered_locker") else None)

    events = [
        event(shipped, (8, 11), "label_created", route.warehouse),
        event(shipped, (15, 17), "picked_up", route.warehouse),
        event(shipped, (20, 22), "in_transit", route.first_centre),
    ]
    if shipped + _days(1) < (journey.ended_on or today):
        events.append(event(shipped + _days(1), (3, 5), "in_transit", route.second_centre))
    last_centre = events[-1].location
    if journey.status in ("out_for_delivery", "delivered"):
        events.append(event(journey.ended_on, (6, 8), "out_for_delivery", route.city))
    if journey.status == "delivered":
        events.append(event(journey.ended_on, (10, 18), FINAL_CODES[journey.delivered_to], route.city))
    elif journey.status in ("delayed", "lost"):
        events.append(event(journey.ended_on, (9, 16), journey.status, last_centre))
    return events


@dataclass(frozen=True)
class _Draft:
    """An order planned but not yet built (drafts are built in the order they were placed)."""

    person: _Person
    plan: _Plan
    lines: tuple[_Line, ...]
    number: str
    placed_at: datetime


class _Builder:
    """Draws everything from one seeded generator, so the same seed always gives the same data."""

    def __init__(self, today: date, seed: int, rules: ReturnSettings, carriers: Sequence[str]) -> None:
        self.today = today
        self.rng = random.Random(seed)
        self.rules = rules
        self.carriers = tuple(carriers)
        self.fakers = {locale.country: self._faker(locale.faker, seed) for locale in LOCALES}
        self.used: dict[str, set[str]] = {"email": set(), "order": set(), "tracking": set(), "return": set()}
        self.customers: dict[str, Customer] = {}

    @staticmethod
    def _faker(locale: str, seed: int) -> Faker:
        fake = Faker(locale)
        fake.seed_instance(seed)
        return fake

    def _unique(self, kind: str, draw: Callable[[], str]) -> str:
        value = draw()
        while value in self.used[kind]:
            value = draw()
        self.used[kind].add(value)
        return value

    def _digits(self, count: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(count))

    # -- identifiers ----------------------------------------------------------------------

    def order_number(self) -> str:
        return self._unique("order", lambda: f"{self.rng.randint(301, 306)}-{self._digits(7)}-{self._digits(7)}")

    def tracking_number(self, carrier: str) -> str:
        """In the carrier's style: DHL 12 or 20 digits, UPS 1Z…, DPD and Hermes 14 digits, GLS 11."""

        def draw() -> str:
            if carrier == "DHL":
                return "00340434" + self._digits(12) if self.rng.random() < 0.6 else self._digits(12)
            if carrier == "UPS":
                shipper = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(6))
                return f"1Z{shipper}{self.rng.choice(('01', '02', '03', '12', '13'))}{self._digits(8)}"
            return self._digits({"GLS": 11}.get(carrier, 14))

        return self._unique("tracking", draw)

    def return_number(self) -> str:
        return self._unique("return", lambda: "R" + self._digits(10))

    def email(self, first: str, last: str) -> str:
        def draw() -> str:
            domain = self.rng.choice(EMAIL_DOMAINS)
            return f"{ascii_fold(first)}.{ascii_fold(last)}{self.rng.randint(1, 99)}@{domain}"

        return self._unique("email", draw)

    # -- people ---------------------------------------------------------------------------

    def person(self, locale: _Locale) -> _Person:
        fake = self.fakers[locale.country]
        if self.rng.random() < 0.5:
            first, last = fake.first_name_female(), fake.last_name_female()
        else:
            first, last = fake.first_name_male(), fake.last_name_male()
        street, postcode, city = self._address(locale.country)
        house = self.rng.randint(1, 120)
        return _Person(first, last, self.email(first, last), locale.language,
                       street_line(locale.country, street, house), house, postcode, city, locale.country)

    def _street(self, country: str) -> str:
        fake = self.fakers[country]
        if country == "GB":
            return f"{fake.last_name()} {self.rng.choice(('Road', 'Street', 'Lane', 'Avenue', 'Close', 'Way'))}"
        if country == "TR":
            return f"{fake.last_name()} {self.rng.choice(('Sokak', 'Caddesi'))}"
        street = fake.street_name()
        while not street[0].isupper():  # de_DE sometimes gives "auch Schlauchinweg"
            street = fake.street_name()
        return street

    def _address(self, country: str) -> tuple[str, str, str]:
        """Street name, postcode (in the country's format) and city."""
        fake = self.fakers[country]
        street = self._street(country)
        if country == "GB":
            return street, fake.postcode(), self.rng.choice(GB_CITIES)
        if country == "TR":
            city = self.rng.choice(sorted(TR_CITIES))
            return street, TR_CITIES[city] + self._digits(3), city
        postcode = fake.postcode()
        return street, _dutch_postcode(postcode) if country == "NL" else postcode, fake.city()

    def _locales(self, count: int) -> list[_Locale]:
        """`count` locales in proportion to their weights (each weight is a share of 100), every one present."""
        pool = [locale for locale in LOCALES for _ in range(locale.weight)]
        self.rng.shuffle(pool)
        return [pool[index % len(pool)] for index in range(count)]

    # -- items ------------------------------------------------------------------------------

    def _pick(self, weights: dict[str, int], taken: set[str]) -> Article:
        while True:
            category = self.rng.choices(list(weights), weights=list(weights.values()))[0]
            candidate = self.rng.choice(CATALOGUE[category])
            if candidate.title not in taken:
                taken.add(candidate.title)
                return candidate

    def _line(self, item: Article, returnable: bool = False) -> _Line:
        quantity = self.rng.choice((1, 1, 1, 2)) if item.price < 30 else 1
        opened = item.category == "hygiene" and not returnable and self.rng.random() < 0.5
        return _Line(item, quantity, opened)

    def basket(self, plan: _Plan) -> list[_Line]:
        """Physical goods enough for every parcel (and for a partial return), often an e-book too."""
        taken: set[str] = set()
        lines = []
        if not plan.digital_only:
            returnable = 2 + self.rng.randint(0, 1) if plan.refund else 0
            physical = max(len(plan.journeys), returnable, self.rng.choice((1, 1, 1, 2, 2, 3)))
            lines += [self._line(self._pick(RETURNABLE_WEIGHTS, taken), True) for _ in range(returnable)]
            lines += [self._line(self._pick(PHYSICAL_WEIGHTS, taken)) for _ in range(physical - returnable)]
        if plan.digital_only or self.rng.random() < 0.2:
            lines += [self._line(self._pick({c: 1 for c in DIGITAL_CATEGORIES}, taken))
                      for _ in range(self.rng.randint(1, 2 if plan.digital_only else 1))]
        return lines

    # -- parcels -------------------------------------------------------------------------------

    def _carrier(self, country: str, delivered_to: str | None) -> str:
        """DHL for parcel lockers (its Packstation); otherwise drawn by the carriers' shares."""
        if delivered_to == "locker" and "DHL" in self.carriers:
            return "DHL"
        weights = CARRIER_WEIGHTS["DE" if country == "DE" else "abroad"]
        names = [name for name in weights if name in self.carriers] or list(self.carriers)
        return self.rng.choices(names, weights=[weights.get(name, 1) for name in names])[0]

    def _route(self, person: _Person) -> _Route:
        first = self.rng.choice(PARCEL_CENTRES)
        if person.country == "DE":
            second = self.rng.choice([centre for centre in PARCEL_CENTRES if centre != first])
        else:
            second = self.rng.choice(FOREIGN_PARCEL_CENTRES[person.country])
        return _Route(self.rng.choice(WAREHOUSES), first, second, person.city)

    def _delivery_place(self, to: str | None, carrier: str, person: _Person) -> str | None:
        """The neighbour's name and house, or the parcel locker's name and address."""
        fake = self.fakers[person.country]
        if to == "neighbour":
            house = max(1, person.house_number + self.rng.choice((-2, -1, 1, 2)))
            house = house if house != person.house_number else house + 1
            return NEIGHBOUR_FORMATS[person.language].format(first=fake.first_name(), last=fake.last_name(),
                                                             house=house)
        if to == "locker":
            address = street_line(person.country, self._street(person.country), self.rng.randint(1, 80))
            locker = f"{carrier} {LOCKER_NAMES.get(carrier, 'Parcel Locker')} {self.rng.randint(100, 299)}"
            return f"{locker}, {address}, {person.postcode} {person.city}"
        return None

    def parcel(self, order: Order, journey: _Journey, person: _Person) -> Parcel:
        carrier = self._carrier(person.country, journey.delivered_to)
        place = self._delivery_place(journey.delivered_to, carrier, person)
        events = _tracking_events(self.rng, journey, self._route(person), place, self.today)
        return Parcel(
            order=order, carrier=carrier, tracking_number=self.tracking_number(carrier), status=journey.status,
            shipped_at=events[1].occurred_at, expected_on=journey.expected_on,
            delivered_at=events[-1].occurred_at if journey.status == "delivered" else None,
            delivered_to=journey.delivered_to, delivery_place=place, events=events,
        )

    # -- orders ----------------------------------------------------------------------------------

    def _returnable(self, item: OrderItem) -> bool:
        """Delivered in a parcel, not digital or personalised, hygiene goods only unopened."""
        rules = self.rules
        if item.parcel is None or item.category in (*rules.not_returnable_categories, *rules.ebook_categories):
            return False
        return not (item.category in rules.hygiene_categories and item.opened)

    def _return(self, order: Order, items: list[OrderItem], refund: _Refund) -> Return:
        """Some, never all, of the returnable items sent back (the basket holds at least two)."""
        candidates = [item for item in items if self._returnable(item)]
        chosen = set(self.rng.sample(range(len(candidates)), self.rng.randint(1, len(candidates) - 1)))
        returned = [item for index, item in enumerate(candidates) if index in chosen]
        moment = partial(_moment, self.rng, first_hour=8, last_hour=20)
        return Return(
            order=order, number=self.return_number(), reason=self.rng.choice(self.rules.reasons),
            carrier=self.rules.carrier, status=refund.status,
            refund_amount=sum((item.unit_price * item.quantity for item in returned), Decimal("0.00")),
            created_at=moment(refund.created_on),
            received_at=moment(refund.received_on) if refund.received_on else None,
            refunded_at=moment(refund.refunded_on) if refund.refunded_on else None,
            items=[ReturnItem(order_item=item) for item in returned],
        )

    def _items(self, order: Order, lines: Sequence[_Line], parcels: Sequence[Parcel]) -> list[OrderItem]:
        """One row per line; physical goods shared out over the parcels in turn, digital ones in none."""
        items: list[OrderItem] = []
        for line in lines:
            physical = parcels and line.article.category not in DIGITAL_CATEGORIES
            parcel = parcels[sum(1 for item in items if item.parcel) % len(parcels)] if physical else None
            items.append(OrderItem(order=order, parcel=parcel, title=line.article.title,
                                   category=line.article.category, quantity=line.quantity,
                                   unit_price=line.article.price, opened=line.opened))
        return items

    def materialise(self, draft: _Draft) -> list[Order | Return]:
        """The order with its customer, parcels (and their scans), items, and any return."""
        person, plan = draft.person, draft.plan
        order = Order(
            number=draft.number, customer=self._customer(person), placed_at=draft.placed_at,
            status="cancelled" if plan.cancelled else "placed",
            cancelled_at=draft.placed_at + timedelta(minutes=self.rng.randint(5, 59)) if plan.cancelled else None,
            expected_on=plan.expected_on, ship_name=person.full_name, ship_street=person.street,
            ship_postcode=person.postcode, ship_city=person.city, ship_country=person.country, currency="EUR",
        )
        parcels = [self.parcel(order, journey, person) for journey in plan.journeys]
        items = self._items(order, draft.lines, parcels)
        return [order, self._return(order, items, plan.refund)] if plan.refund else [order]

    def _customer(self, person: _Person) -> Customer:
        """The person's account, opened with their first order."""
        if person.email not in self.customers:
            self.customers[person.email] = Customer(email=person.email.lower(), first_name=person.first_name,
                                                    last_name=person.last_name, language=person.language)
        return self.customers[person.email]

    # -- all orders --------------------------------------------------------------------------

    def _draft(self, person: _Person, plan: _Plan, lines: Sequence[_Line], number: str) -> _Draft:
        return _Draft(person, plan, tuple(lines), number, _moment(self.rng, plan.placed_on, 7, 22))

    def demo_drafts(self) -> list[_Draft]:
        for spec in _DEMO_SPECS:
            self.used["email"].add(spec.person.email)
            self.used["order"].add(spec.order.number)
        return [
            self._draft(spec.person, spec.plan(_Ctx(self.rng, self.today, spec.person.country != "DE")), spec.lines,
                        spec.order.number)
            for spec in _DEMO_SPECS
        ]

    def generated_drafts(self) -> list[_Draft]:
        """GENERATED's orders for GENERATED_CUSTOMERS people: one each, the rest to people drawn at random."""
        people = [self.person(locale) for locale in self._locales(GENERATED_CUSTOMERS)]
        kinds = [kind for kind, (count, _) in GENERATED.items() for _ in range(count)]
        self.rng.shuffle(kinds)
        owners = people + [self.rng.choice(people) for _ in range(len(kinds) - len(people))]
        seen: dict[str, int] = {}
        drafts = []
        for kind, person in zip(kinds, owners, strict=True):
            seen[kind] = seen.get(kind, -1) + 1
            plan = GENERATED[kind][1](_Ctx(self.rng, self.today, person.country != "DE"), seen[kind])
            drafts.append(self._draft(person, plan, self.basket(plan), self.order_number()))
        return drafts


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def seed_demo_data(url: str, today: date | None = None, seed: int = DEFAULT_SEED) -> int:
    """Fill a database without orders with the demo data; the number of orders created (0: had orders)."""
    today = today or shop_today()
    settings = load_settings()
    with session_scope(url) as session:
        if session.scalar(select(func.count(Order.id))):
            return 0
        builder = _Builder(today, seed, settings.returns, list(settings.carriers))
        drafts = builder.demo_drafts() + builder.generated_drafts()
        for draft in sorted(drafts, key=lambda draft: draft.placed_at):  # ids in the order of placing
            session.add_all(builder.materialise(draft))
        session.execute(delete(DemoAnchor))
        session.add(DemoAnchor(anchored_on=today))
        return len(drafts)


def _shifted(value: date | datetime | None, days: int) -> date | datetime | None:
    """Days later on the shop's wall clock (a delivery at 14:05 stays at 14:05 across DST)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (as_utc(value).astimezone(SHOP_ZONE) + _days(days)).astimezone(UTC)
    return value + _days(days)


def _shift_table(session: Session, table: Table, days: int) -> None:
    """Move every Date and DateTime column of `table` by `days` days."""
    columns = [column for column in table.columns if isinstance(column.type, Date | DateTime)]
    if not columns:
        return
    key = next(iter(table.primary_key.columns))
    rows = session.execute(select(key, *columns)).all()
    if not rows:
        return
    statement = (
        update(table)
        .where(key == bindparam("row_key"))
        .values({column.name: bindparam(f"new_{column.name}") for column in columns})
    )
    session.execute(statement, [
        {"row_key": row[0], **{f"new_{column.name}": _shifted(value, days) for column, value in zip(
            columns, row[1:], strict=True)}}
        for row in rows
    ])


def refresh_demo_dates(url: str, today: date | None = None) -> int:
    """Move the demo data's dates to `today`; the days moved (0: up to date, or not demo data)."""
    today = today or shop_today()
    with session_scope(url) as session:
        anchor = session.scalars(select(DemoAnchor).order_by(DemoAnchor.id)).first()
        if anchor is None or anchor.anchored_on == today:
            return 0
        days = (today - anchor.anchored_on).days
        for model in SHIFTED_MODELS:
            _shift_table(session, model.__table__, days)
        anchor.anchored_on = today
        return days


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fill an empty database with demo orders, or move their dates.")
    parser.add_argument("--database-url", default=database_url())
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="the day the dates are relative to (default: today in Europe/Berlin)")
    args = parser.parse_args(argv)
    url, today = args.database_url, args.today or shop_today()
    shown = make_url(url).render_as_string(hide_password=True)
    upgrade(url)
    created = seed_demo_data(url, today)
    if created:
        print(f"Seeded {created} demo orders for {today.isoformat()} into {shown}.")
        return
    days = refresh_demo_dates(url, today)
    if days:
        print(f"Moved the demo dates by {days} days to {today.isoformat()} in {shown}.")
    else:
        print(f"{shown} already has orders with current dates (or is not a demo database): nothing to do.")


if __name__ == "__main__":
    main()
