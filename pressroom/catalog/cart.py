"""The order cart: adding copies from a publication page, changing and
removing lines, and the limits checked on the server for every change.

The cart lives in the session cookie as {"slug|lang": copies}; it holds no
personal data. A title's ``limit_per_order`` counts its copies in every
language together. Lines that can no longer be ordered (the publication was
removed, is no longer printed, or ran out) are taken out with a notice, so a
cart never blocks checkout."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from .fields import FieldError, quantity
from .listing import Listing
from .pages import db, form_with_csrf, not_found, render, session_cart, stock_levels

router = APIRouter()


@dataclass
class CartView:
    """The cart's lines that can be ordered, as the pages show them."""

    lines: list[dict] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # notices about lines just taken out

    @property
    def cart(self) -> dict[str, int]:
        return {line["key"]: line["quantity"] for line in self.lines}


def orderable(listing: Listing | None, lang: str, stock: int) -> bool:
    return listing is not None and listing.printed and lang in listing.languages and stock > 0


def settle_cart(request: Request) -> CartView:
    """The session cart with every line that can no longer be ordered taken
    out (and the session updated), with a notice for each that the next page
    shows (see pages.render)."""
    cart = session_cart(request)
    if not cart:
        return CartView()
    listings = request.app.state.catalog.listings()
    slugs = sorted({key.split("|")[0] for key in cart})
    with db(request) as session:
        stock = stock_levels(session, slugs)
    view = CartView()
    for key, copies in cart.items():
        slug, lang = key.split("|")
        listing = listings.get(slug)
        if not orderable(listing, lang, stock.get(slug, 0)):
            view.dropped.append(_dropped(listing, slug, lang))
            continue
        view.lines.append({"key": key, "slug": slug, "lang": lang, "title": listing.title_in(lang),
                           "quantity": copies, "limit": listing.limit_per_order})
    if view.dropped:
        request.session["cart"] = view.cart
        request.session["cart_notices"] = [*request.session.get("cart_notices", []), *view.dropped]
    return view


def _dropped(listing: Listing | None, slug: str, lang: str) -> str:
    if listing is None or lang not in listing.languages:
        return f"\u201c{listing.title_in(lang) if listing else slug}\u201d is no longer in the catalog, so it " \
               f"was taken out of your order."
    why = "is no longer printed" if not listing.printed else "is out of printed copies"
    return f"\u201c{listing.title_in(lang)}\u201d {why}, so it was taken out of your order. You can still " \
           f"download it."


def cart_problems(request: Request, cart: dict[str, int]) -> tuple[dict[str, str], list[str]]:
    """Field errors by cart key (a title's limit, all its languages together)
    and problems with the whole order (the public's per-order limit)."""
    listings = request.app.state.catalog.listings()
    per_title: dict[str, int] = {}
    for key, copies in cart.items():
        per_title[key.split("|")[0]] = per_title.get(key.split("|")[0], 0) + copies
    errors = {}
    for key in cart:
        slug, lang = key.split("|")
        listing = listings[slug]
        if per_title[slug] > listing.limit_per_order:
            errors[key] = _over_title_limit(listing, lang)
    total, limit = sum(cart.values()), request.app.state.settings.public_order_limit
    problems = []
    if total > limit:
        problems.append(f"An order can have at most {limit} copies in all; this one has {total}. "
                        f"For larger orders, contact us about a bulk account.")
    return errors, problems


def _over_title_limit(listing: Listing, lang: str) -> str:
    together = " (all languages together)" if len(listing.languages) > 1 else ""
    return f"{listing.title_in(lang)}: at most {listing.limit_per_order} copies per order{together}."


def render_cart(request: Request, view: CartView, errors: dict | None = None, problems: list | None = None,
                values: dict | None = None, status: int = 200) -> HTMLResponse:
    return render(request, "cart.html", {"lines": view.lines, "errors": errors or {},
                                         "problems": problems or [], "values": values or {}}, status=status)


def render_publication(request: Request, listing: Listing, lang: str, error: str | None = None,
                       value: str = "1", status: int = 200) -> HTMLResponse:
    """A publication page, with a problem next to its order box's quantity."""
    listings = request.app.state.catalog.listings()
    with db(request) as session:
        stock = stock_levels(session, [listing.slug]).get(listing.slug, 0)
    related = [listings[r] for r in listing.related if r in listings]
    return render(request, "publication.html", {
        "item": listing, "lang": lang, "downloads": listing.downloads_in(lang), "stock": stock,
        "orderable": orderable(listing, lang, stock), "related": related, "quantity_error": error,
        "quantity_value": value,
        "max_quantity": min(listing.limit_per_order, stock, request.app.state.settings.public_order_limit)},
        status=status)


@router.get("/cart", response_class=HTMLResponse)
def cart_page(request: Request):
    return render_cart(request, settle_cart(request))


@router.post("/cart/add")
async def cart_add(request: Request):
    form = await form_with_csrf(request)
    listing = request.app.state.catalog.get(form.get("slug", ""))
    lang = form.get("lang", "")
    if listing is None or lang not in listing.languages:
        return not_found(request)
    raw = form.get("quantity", "")
    if not listing.printed:
        return render_publication(request, listing, lang, "This publication is not printed; download it "
                                                          "instead.", raw, 400)
    view = settle_cart(request)
    with db(request) as session:
        stock = stock_levels(session, [listing.slug]).get(listing.slug, 0)
    if stock <= 0:
        return render_publication(request, listing, lang, "Printed copies are out of stock; download it "
                                                          "instead.", raw, 400)
    try:
        copies = quantity(raw, listing.limit_per_order, _over_title_limit(listing, lang))
    except FieldError as exc:
        return render_publication(request, listing, lang, exc.message, raw, 400)
    cart = view.cart
    key = f"{listing.slug}|{lang}"
    cart[key] = cart.get(key, 0) + copies
    errors, problems = cart_problems(request, cart)
    if errors or problems:
        return render_publication(request, listing, lang, " ".join([*errors.values(), *problems]), raw, 400)
    request.session["cart"] = cart
    return RedirectResponse("/cart", status_code=303)


@router.post("/cart/update")
async def cart_update(request: Request):
    """Every quantity is checked first; any problem changes nothing."""
    form = await form_with_csrf(request)
    view = settle_cart(request)
    cart = view.cart
    if (remove := form.get("remove")) is not None:
        cart.pop(remove, None)
        request.session["cart"] = cart
        return RedirectResponse("/cart", status_code=303)
    errors: dict[str, str] = {}
    for line in view.lines:
        raw = form.get(f"quantity:{line['key']}")
        if raw is None:
            continue
        try:
            cart[line["key"]] = quantity(raw, line["limit"])
        except FieldError as exc:
            errors[line["key"]] = exc.message
    limit_errors, problems = cart_problems(request, cart) if not errors else ({}, [])
    errors = errors or limit_errors
    if errors or problems:
        values = {line["key"]: form.get(f"quantity:{line['key']}", str(line["quantity"])) for line in view.lines}
        return render_cart(request, view, errors, problems, values, status=400)
    request.session["cart"] = cart
    return RedirectResponse("/cart", status_code=303)
