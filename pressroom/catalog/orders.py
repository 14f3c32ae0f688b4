"""Ordering rules: carts, US shipping addresses, and placing an order so that
stock never goes below zero, even when many orders arrive at once."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import asdict, dataclass
from typing import Callable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from .db import begin_write
from .fields import text_problem
from .history import PUBLIC, record_change
from .labels import fit_label, unprintable
from .models import Checkout, Item, Message, Order, OrderLine, StockEvent

# States, DC, territories, and the military "states" for APO/FPO/DPO mail.
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands", "FM": "Federated States of Micronesia", "MH": "Marshall Islands", "PW": "Palau",
    "AA": "Armed Forces Americas (AA)", "AE": "Armed Forces Europe (AE)", "AP": "Armed Forces Pacific (AP)",
}
MILITARY_STATES = {"AA", "AE", "AP"}
MILITARY_CITIES = {"APO", "FPO", "DPO"}
ZIP = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")  # ASCII digits: \d would take any script's
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")

# name: (label, most characters, required, what to ask for when it is missing)
ADDRESS_FIELDS = {
    "name": ("Full name", 100, True, "your full name"),
    "organization": ("Organization (optional)", 100, False, ""),
    "address1": ("Street address or PSC/Unit and box", 100, True, "a street address, or PSC/Unit and box"),
    "address2": ("Apartment, suite, etc. (optional)", 100, False, ""),
    "city": ("City (APO, FPO or DPO for military mail)", 60, True, "a city"),
    "state": ("State, territory or armed forces code", 2, True, "a state, territory or armed forces code"),
    "zip": ("ZIP code (12345 or 12345-6789)", 10, True, "a ZIP code"),
    "email": ("Email, for questions about the order", 254, True, "an email address"),
}


MAIL_LANGUAGES = {"en": "English", "es": "Español"}  # the languages e-mails about an order are written in


@dataclass
class Address:
    name: str
    organization: str
    address1: str
    address2: str
    city: str
    state: str
    zip: str
    email: str
    lang: str = "en"  # of the e-mails about the order


def validate_address(form: dict[str, str]) -> tuple[Address | None, dict[str, str]]:
    """The address, or the problems by field name, in field order. Spaces at
    the ends and runs of spaces are the only thing tidied; control and
    invisible characters are refused, never removed."""
    raw = {name: str(form.get(name, "")) for name in ADDRESS_FIELDS}
    refused = {name: problem for name, value in raw.items() if (problem := text_problem(value))}
    values = {name: " ".join(value.split()) for name, value in raw.items()}
    values["state"] = values["state"].upper()
    values["city"] = values["city"].upper() if values["city"].upper() in MILITARY_CITIES else values["city"]
    errors: dict[str, str] = {}
    for name, (label, length, required, missing) in ADDRESS_FIELDS.items():
        label = label.split(" (")[0].split(",")[0]
        if name in refused:
            errors[name] = f"{label}: {refused[name]}"
        elif required and not values[name]:
            errors[name] = f"{'Choose' if name == 'state' else 'Enter'} {missing}."
        elif len(values[name]) > length:
            errors[name] = f"{label} must be at most {length} characters."
    if "state" not in errors and values["state"] not in STATES:
        errors["state"] = "Choose a US state, territory or armed forces code."
    if "zip" not in errors and not ZIP.match(values["zip"]):
        errors["zip"] = "Enter a ZIP code as 12345 or 12345-6789."
    if "email" not in errors and not EMAIL.match(values["email"]):
        errors["email"] = "Enter an email address like name@example.com."
    military_city = values["city"] in MILITARY_CITIES
    military_state = values["state"] in MILITARY_STATES
    if "city" not in errors and "state" not in errors and military_city != military_state:
        errors["city" if military_state else "state"] = (
            "Military mail uses APO, FPO or DPO as the city with AA, AE or AP as the state.")
    errors.update(_label_problems(values, errors))
    values["lang"] = str(form.get("lang") or "en")
    if values["lang"] not in MAIL_LANGUAGES:
        errors["lang"] = f"Language of e-mails: choose {' or '.join(MAIL_LANGUAGES.values())}."
    if errors:
        return None, errors
    return Address(**values), {}


def _label_problems(values: dict[str, str], errors: dict[str, str]) -> dict[str, str]:
    """Field errors for what a mailing label cannot print: a character its font
    lacks, or an address too long for the label even in small type."""
    problems = {}
    for name in ("name", "organization", "address1", "address2", "city"):
        if name not in errors and (missing := unprintable(values[name])):
            shown = ", ".join(f"\u201c{c}\u201d" for c in missing[:5])
            problems[name] = (f"Our mailing labels cannot print {shown}. Please write this part of the address "
                              f"in Latin letters, as the post office would read it.")
    if not errors and not problems and fit_label(Address(**values, lang="en")) is None:
        longest = max(("name", "organization", "address1", "address2"), key=lambda n: len(values[n]))
        problems[longest] = "This address is too long to fit on a mailing label. Please shorten this line."
    return problems


CHECKOUT_KEPT = dt.timedelta(days=1)  # an unplaced checkout's address is deleted after this


def start_checkout(session: Session, address: Address, token: str | None = None) -> str:
    """Keep ``address`` server-side under a one-time token (a new one unless
    ``token`` is an unplaced checkout); return the token. Unplaced checkouts
    older than CHECKOUT_KEPT are deleted on the way."""
    now = dt.datetime.now(dt.timezone.utc)
    begin_write(session)
    session.execute(delete(Checkout).where(Checkout.order_number.is_(None), Checkout.created_at < now - CHECKOUT_KEPT))
    kept = token and session.execute(update(Checkout).where(Checkout.token == token, Checkout.order_number.is_(None))
                                     .values(address=json.dumps(asdict(address)), created_at=now)).rowcount
    if not kept:
        token = secrets.token_urlsafe(32)
        session.add(Checkout(token=token, address=json.dumps(asdict(address)), created_at=now))
    session.commit()
    return token


CHECKOUT_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def checkout_of(session: Session, token: object) -> Checkout | None:
    """The checkout of ``token`` (as start_checkout makes them), if there is one."""
    return session.get(Checkout, token) if isinstance(token, str) and CHECKOUT_TOKEN.fullmatch(token) else None


def checkout_address(checkout: Checkout | None) -> Address | None:
    """The address of an unplaced checkout."""
    if checkout is None or checkout.order_number is not None:
        return None
    return Address(**json.loads(checkout.address))


class AlreadyPlaced(Exception):
    """The checkout's token was consumed: its order is ``number`` (None: no such checkout)."""

    def __init__(self, number: str | None):
        super().__init__(number or "unknown checkout")
        self.number = number


class TooManyOrders(Exception):
    """The client's order rate limit refused the order."""


class OutOfStock(Exception):
    def __init__(self, title: str, left: int):
        super().__init__(f"Sorry, only {left} {'copy' if left == 1 else 'copies'} of \u201c{title}\u201d "
                         f"{'is' if left == 1 else 'are'} left. Lower the quantity or download the PDF.")


def new_order_number() -> str:
    """Short, unambiguous and not guessable: PR- and 8 characters."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "PR-" + "".join(secrets.choice(alphabet) for _ in range(8))


@dataclass(frozen=True)
class Wanted:
    """One line of an order: copies of an item, with what it is called now."""

    item_id: int
    slug: str
    lang: str
    layout: str
    number: str
    title: str
    quantity: int


def place_order(session: Session, address: Address, lines: list[Wanted], checkout_token: str,
                allowed: Callable[[Session], bool] = lambda _session: True) -> Order:
    """Consume the checkout's token, take stock and record the order in one
    transaction; commit before returning.

    The token is consumed first with a conditional UPDATE (... WHERE
    order_number IS NULL): a second submit of the same checkout, even at the
    same moment on another server, waits for the first and then raises
    AlreadyPlaced with its number. Each item's stock is taken the same way
    (... WHERE stock >= quantity AND it is orderable), so two orders never
    both take the last copies; on any shortfall nothing is kept. ``allowed``
    counts the order against the client's rate limit in the same
    transaction, after the token: a repeat of a placed checkout never counts.
    """
    try:
        begin_write(session)
        number = new_order_number()
        consumed = session.execute(
            update(Checkout).where(Checkout.token == checkout_token, Checkout.order_number.is_(None))
            .values(order_number=number, placed_at=dt.datetime.now(dt.timezone.utc), address=""))
        if consumed.rowcount != 1:
            raise AlreadyPlaced(session.scalar(select(Checkout.order_number)
                                               .where(Checkout.token == checkout_token)))
        if not allowed(session):
            raise TooManyOrders()
        for line in sorted(lines, key=lambda line: line.item_id):  # one lock order: no deadlocks
            _take(session, line)
        order = Order(number=number, status="new", **asdict(address))
        order.lines = [OrderLine(item_id=line.item_id, slug=line.slug, lang=line.lang, layout=line.layout,
                                 number=line.number, title=line.title, quantity=line.quantity) for line in lines]
        session.add(order)
        session.flush()
        # In the order's transaction: the confirmation is never lost, even if sending fails later.
        session.add(Message(order_id=order.id, kind="confirmation", state="pending", attempts=0, last_error=""))
        record_change(session, order.id, "new", PUBLIC)
        session.execute(insert(StockEvent), [{"item_id": line.item_id, "change": -line.quantity, "reason": "order"}
                                             for line in lines])
        session.commit()
        return order
    except BaseException:
        session.rollback()
        raise


def _take(session: Session, line: Wanted) -> None:
    """Take ``line``'s copies from its item's stock, or raise OutOfStock."""
    taken = session.execute(
        update(Item).where(Item.id == line.item_id, Item.stock >= line.quantity, Item.printed.is_(True),
                           Item.status == "orderable")
        .values(stock=Item.stock - line.quantity))
    if taken.rowcount != 1:
        item = session.get(Item, line.item_id)
        left = item.stock if item is not None and item.printed and item.status == "orderable" else 0
        raise OutOfStock(line.title, left)
