"""The order cart: adding copies of a printed item (a publication in one
language and one format) from a publication page, changing and removing
lines, and the limits checked on the server for every change.

The cart lives in the session cookie as {"slug|lang|layout": copies}; it
holds no personal data. Each item has its own ``limit_per_order``. Lines
that can no longer be ordered (the publication was removed, the item is no
longer printed or orderable, or ran out) are taken out with a notice, so a
cart never blocks checkout."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from .fields import FieldError, quantity
from .items import STATUS_NAMES, item_status, items_of
from .listing import Listing, layout_name
from .models import Item
from .pages import db, form_with_csrf, not_found, render, session_cart

router = APIRouter()


@dataclass
class CartView:
    """The cart's lines that can be ordered, as the pages show them."""

    lines: list[dict] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # notices about lines just taken out

    @property
    def cart(self) -> dict[str, int]:
        return {line["key"]: line["quantity"] for line in self.lines}


def split_key(key: str) -> tuple[str, str, str] | None:
    parts = key.split("|")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def orderable(listing: Listing | None, lang: str, layout: str, item: Item | None) -> bool:
    return (listing is not None and lang in listing.languages and layout in listing.printed_formats(lang)
            and item_status(item) == "orderable")


def settle_cart(request: Request) -> CartView:
    """The session cart with every line that can no longer be ordered taken
    out (and the session updated), with a notice for each that the next page
    shows (see pages.render)."""
    cart = session_cart(request)
    if not cart:
        return CartView()
    listings = request.app.state.catalog.listings()
    keys = {key: split_key(key) for key in cart}
    with db(request) as session:
        items = items_of(session, sorted({k[0] for k in keys.values() if k}))
    view = CartView()
    for key, copies in cart.items():
        if keys[key] is None:  # a cart from before items: "slug|lang"
            view.dropped.append("A publication in your order must be chosen again in a format, so it was taken "
                                "out of your order.")
            continue
        slug, lang, layout = keys[key]
        listing, item = listings.get(slug), items.get(keys[key])
        if not orderable(listing, lang, layout, item):
            view.dropped.append(_dropped(listing, slug, lang, layout, item))
            continue
        view.lines.append({"key": key, "slug": slug, "lang": lang, "layout": layout, "item_id": item.id,
                           "title": listing.title_in(lang), "number": listing.number,
                           "quantity": copies, "limit": item.limit_per_order})
    if view.dropped:
        request.session["cart"] = view.cart
        request.session["cart_notices"] = [*request.session.get("cart_notices", []), *view.dropped]
    return view


def _dropped(listing: Listing | None, slug: str, lang: str, layout: str, item: Item | None) -> str:
    if listing is None or lang not in listing.languages or layout not in listing.printed_formats(lang):
        return f"\u201c{listing.title_in(lang) if listing else slug}\u201d is no longer in the catalog, so it " \
               f"was taken out of your order."
    status = item_status(item)
    why = {"out-of-stock": "is out of printed copies"}.get(status, f"is {STATUS_NAMES[status].lower()}")
    return f"\u201c{listing.title_in(lang)}\u201d ({layout_name(layout)}) {why}, so it was taken out of your " \
           f"order. You can still download it."


def cart_problems(request: Request, lines: list[dict]) -> tuple[dict[str, str], list[str]]:
    """Field errors by cart key (each item's limit) and problems with the
    whole order (the public's per-order limit)."""
    errors = {line["key"]: _over_item_limit(line["title"], line["layout"], line["limit"])
              for line in lines if line["quantity"] > line["limit"]}
    total, limit = sum(line["quantity"] for line in lines), request.app.state.settings.public_order_limit
    problems = []
    if total > limit:
        problems.append(f"An order can have at most {limit} copies in all; this one has {total}. "
                        f"For larger orders, contact us about a bulk account.")
    return errors, problems


def _over_item_limit(title: str, layout: str, limit: int) -> str:
    return f"{title} ({layout_name(layout)}): at most {limit} copies per order."


def render_cart(request: Request, view: CartView, errors: dict | None = None, problems: list | None = None,
                values: dict | None = None, status: int = 200) -> HTMLResponse:
    return render(request, "cart.html", {"lines": view.lines, "errors": errors or {},
                                         "problems": problems or [], "values": values or {}}, status=status)


def render_publication(request: Request, listing: Listing, lang: str, error: str | None = None,
                       value: str = "1", status: int = 200, layout: str = "") -> HTMLResponse:
    """A publication page with its printed items in ``lang`` (format, status,
    limit), and a problem next to its order box's quantity."""
    listings = request.app.state.catalog.listings()
    with db(request) as session:
        items = items_of(session, [listing.slug])
    formats = [{"layout": f, "item": items.get((listing.slug, lang, f)),
                "status": item_status(items.get((listing.slug, lang, f)))} for f in listing.printed_formats(lang)]
    choices = [f for f in formats if f["status"] == "orderable"]
    related = [listings[r] for r in listing.related if r in listings]
    public_limit = request.app.state.settings.public_order_limit
    return render(request, "publication.html", {
        "item": listing, "lang": lang, "downloads": listing.downloads_in(lang), "formats": formats,
        "choices": choices, "chosen": layout, "orderable": bool(choices), "related": related,
        "quantity_error": error, "quantity_value": value,
        "max_quantity": min([public_limit, *(min(f["item"].limit_per_order, f["item"].stock) for f in choices)])
        if len(choices) == 1 else public_limit}, status=status)


@router.get("/cart", response_class=HTMLResponse)
def cart_page(request: Request):
    return render_cart(request, settle_cart(request))


@router.post("/cart/add")
async def cart_add(request: Request):
    form = await form_with_csrf(request)
    listing = request.app.state.catalog.get(form.get("slug", ""))
    lang, layout = form.get("lang", ""), form.get("layout", "")
    if listing is None or lang not in listing.languages:
        return not_found(request)
    raw = form.get("quantity", "")
    formats = listing.printed_formats(lang)
    if layout not in formats:
        names = ", ".join(layout_name(f) for f in formats)
        return render_publication(request, listing, lang, f"Format: choose one of {names}.", raw, 400)
    view = settle_cart(request)
    with db(request) as session:
        item = items_of(session, [listing.slug]).get((listing.slug, lang, layout))
    status = item_status(item)
    if status != "orderable":
        why = {"out-of-stock": "Printed copies are out of stock", "download-only": "This is not printed"}.get(
            status, f"This format is {STATUS_NAMES[status].lower()}")
        return render_publication(request, listing, lang, f"{layout_name(layout)}: {why}; download it instead.",
                                  raw, 400, layout)
    over = _over_item_limit(listing.title_in(lang), layout, item.limit_per_order)
    try:
        copies = quantity(raw, item.limit_per_order, over)
    except FieldError as exc:
        return render_publication(request, listing, lang, exc.message, raw, 400, layout)
    key = f"{listing.slug}|{lang}|{layout}"
    lines = [dict(line) for line in view.lines]
    line = next((line for line in lines if line["key"] == key), None)
    if line is None:
        lines.append(line := {"key": key, "title": listing.title_in(lang), "layout": layout, "quantity": 0,
                              "limit": item.limit_per_order})
    line["quantity"] += copies
    errors, problems = cart_problems(request, lines)
    if errors or problems:
        return render_publication(request, listing, lang, " ".join([*errors.values(), *problems]), raw, 400, layout)
    request.session["cart"] = {line["key"]: line["quantity"] for line in lines}
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
    asked = [{**line, "quantity": cart[line["key"]]} for line in view.lines if line["key"] in cart]
    limit_errors, problems = cart_problems(request, asked) if not errors else ({}, [])
    errors = errors or limit_errors
    if errors or problems:
        values = {line["key"]: form.get(f"quantity:{line['key']}", str(line["quantity"])) for line in view.lines}
        return render_cart(request, view, errors, problems, values, status=400)
    request.session["cart"] = cart
    return RedirectResponse("/cart", status_code=303)
