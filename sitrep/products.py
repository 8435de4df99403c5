"""What a build can make: the output formats, and the products made from the same facts.

Plain data, with nothing to import but the standard library, so that the command line can offer the
choices (and print its help) without loading what a build needs.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("pdf", "html", "md", "docx", "hxl", "json")
EXTENSIONS = {"pdf": "pdf", "html": "html", "md": "md", "docx": "docx", "hxl": "csv", "json": "json"}

VARIANTS = ("pdf/a-3b", "pdf/ua-1")
"""PDF variants a build can ask for. Without one, a PDF claims both PDF/A-3b (archival) and PDF/UA-1
(accessible), and meets both (the tests run the `page` validator on it for each); pdf/a-3b makes the same
claims and attaches the source YAML; pdf/ua-1 claims PDF/UA-1 only. Every PDF is tagged in any case."""


@dataclass(frozen=True)
class Product:
    """A briefing product made from the same facts: a template, an output name suffix, a page limit."""

    name: str
    suffix: str
    max_pages: int | None
    description: str
    charts: tuple[str, ...]
    map_mm: tuple[float, float] | None = None
    """The locator map's printed width and its frame's most height; None for the charts' width, and a frame as
    high as the region asks."""


FLASH_MAP_MM = (84, 38)
"""The Flash Update's locator map fills the highlights column of its one page, beside the key figures
(templates/sitrep.css, `.product-flash .top`), low enough to leave the page its text."""

PRODUCTS = {
    product.name: product
    for product in (
        Product("sitrep", "", None, "situation report", charts=("map", "areas", "figures", "timeline")),
        Product("flash", "-flash", 1, "Flash Update", charts=("map",), map_mm=FLASH_MAP_MM),
        Product("brief", "-brief", None, "briefing note", charts=("map", "areas", "figures")),
    )
}
