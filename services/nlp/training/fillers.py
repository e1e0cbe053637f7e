"""Random fillers for the synthetic training corpus: names, places, dates, money, tables, noise.

Every value comes from a `random.Random` passed in, so a seed reproduces the corpus exactly.
The pools are invented or generic (common first names, surnames, words); no document of any
evaluation set was used to write them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony "
    "Betty Mark Sandra Paul Ashley Steven Emily Andrew Donna Kevin Michelle Brian Carol George "
    "Amanda Wei Mei Ahmad Siti Raj Priya Hiroshi Yuki Olga Ivan Lucas Sofia Mateo Ana Pierre "
    "Claire Hans Greta Kwame Amina Chen Lina Omar Fatima Tan Nurul Lee Aisha"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Thompson White Harris Clark Lewis "
    "Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell "
    "Mitchell Roberts Carter Phillips Evans Turner Wang Li Zhang Liu Chen Tan Lim Abdullah "
    "Rahman Kumar Sharma Tanaka Suzuki Petrov Novak Rossi Dubois Muller Schmidt Okafor Mensah"
).split()
COMPANY_A = (
    "Acme Apex Summit Harbor Pioneer Northwind Bluewater Evergreen Silverline Redwood Granite "
    "Keystone Horizon Meridian Crescent Atlas Orion Vertex Cobalt Sterling Beacon Riverside "
    "Lakeshore Highland Golden Eastern Pacific Global United Prime Nova Zenith Falcon Maple "
    "Cedar Oakridge Sunrise Starlight Liberty Heritage Unity Sentinel Trident Quantum"
).split()
COMPANY_B = (
    "Holdings Technologies Industries Logistics Trading Systems Solutions Partners Foods "
    "Pharmaceuticals Energy Capital Consulting Manufacturing Electronics Hardware Textiles "
    "Construction Media Networks Retail Motors Chemicals Services Labs Ventures Supplies"
).split()
COMPANY_SUFFIX = (
    "Inc.",
    "LLC",
    "Ltd",
    "Limited",
    "Corp.",
    "Corporation",
    "Sdn Bhd",
    "Pte Ltd",
    "GmbH",
    "S.A.",
    "plc",
    "Co.",
    "L.P.",
    "B.V.",
)
STREETS = (
    "Main Street",
    "High Street",
    "Oak Avenue",
    "Park Road",
    "Mill Lane",
    "Station Road",
    "Church Street",
    "Market Square",
    "King's Road",
    "Jalan Bukit Bintang",
    "Jalan Ampang",
    "Harbour Road",
    "Elm Street",
    "Maple Drive",
    "Cedar Court",
    "Riverside Drive",
    "Industrial Park",
    "Commerce Way",
    "Orchard Road",
    "Collins Street",
    "Queen Street",
)
CITIES = (
    ("New York", "NY 10013"),
    ("Chicago", "IL 60601"),
    ("Austin", "TX 78701"),
    ("Seattle", "WA 98101"),
    ("Boston", "MA 02110"),
    ("Denver", "CO 80202"),
    ("London", "EC1A 1BB"),
    ("Leeds", "LS1 4AB"),
    ("Manchester", "M1 2WD"),
    ("Kuala Lumpur", "50450"),
    ("Petaling Jaya", "47301"),
    ("Shah Alam", "40000"),
    ("Johor Bahru", "80000"),
    ("Singapore", "238859"),
    ("Sydney", "NSW 2000"),
    ("Melbourne", "VIC 3000"),
    ("Toronto", "ON M5H 2N2"),
    ("Dublin", "D02 X285"),
    ("Berlin", "10115"),
    ("Amsterdam", "1012 AB"),
    ("Wilmington", "DE 19801"),
)
STATES = (
    "Delaware",
    "New York",
    "California",
    "Texas",
    "Illinois",
    "Massachusetts",
    "Nevada",
    "England and Wales",
    "Ontario",
    "New South Wales",
    "Singapore",
    "Malaysia",
    "Florida",
)
MONTHS = (
    "January February March April May June July August September October November December"
).split()
CURRENCIES = (
    ("$", "USD"),
    ("RM", "MYR"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("S$", "SGD"),
    ("A$", "AUD"),
)
UNIT_WORDS = ("day", "month", "year")
NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split()


class Fill:
    """A source of random filler values bound to one `random.Random`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def number(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def person(self) -> str:
        first, last = self.pick(FIRST), self.pick(LAST)
        return self.pick((f"{first} {last}", f"{first[0]}. {last}", f"{first} {last}"))

    def company(self) -> str:
        return f"{self.pick(COMPANY_A)} {self.pick(COMPANY_B)} {self.pick(COMPANY_SUFFIX)}"

    def street(self) -> str:
        return f"{self.number(1, 480)} {self.pick(STREETS)}"

    def city(self) -> str:
        city, code = self.rng.choice(CITIES)
        return self.pick((f"{city}, {code}", f"{code} {city}", f"{city} {code}"))

    def address(self) -> list[str]:
        lines = [self.street()]
        if self.chance(0.3):
            lines.append(self.pick(("Suite", "Unit", "Floor", "Lot")) + f" {self.number(1, 40)}")
        lines.append(self.city())
        return lines

    def phone(self) -> str:
        return self.pick(
            (
                f"+1 ({self.number(200, 999)}) {self.number(200, 999)}-{self.number(1000, 9999)}",
                f"03-{self.number(1000, 9999)} {self.number(1000, 9999)}",
                f"+44 20 {self.number(1000, 9999)} {self.number(1000, 9999)}",
                f"({self.number(100, 999)}) {self.number(100, 999)}-{self.number(1000, 9999)}",
            )
        )

    def email(self, person: str | None = None) -> str:
        name = (person or self.person()).split()[-1].lower().strip(".")
        domain = self.pick(COMPANY_A).lower()
        return f"{name}@{domain}.{self.pick(('com', 'co.uk', 'com.my', 'org', 'net'))}"

    def date(self, year: int | None = None) -> str:
        y = year or self.number(2009, 2026)
        m, d = self.number(1, 12), self.number(1, 28)
        month = MONTHS[m - 1]
        return self.pick(
            (
                f"{d:02d}/{m:02d}/{y}",
                f"{m:02d}/{d:02d}/{y}",
                f"{d}-{month[:3].upper()}-{y}",
                f"{month} {d}, {y}",
                f"{d} {month} {y}",
                f"{y}-{m:02d}-{d:02d}",
                f"{d:02d}-{m:02d}-{str(y)[2:]}",
                f"{d} {month[:3]} {y}",
            )
        )

    def long_date(self) -> str:
        return f"{self.pick(MONTHS)} {self.number(1, 28)}, {self.number(2005, 2026)}"

    def time(self) -> str:
        return self.pick(
            (
                f"{self.number(7, 22):02d}:{self.number(0, 59):02d}",
                f"{self.number(1, 12)}:{self.number(0, 59):02d} PM",
            )
        )

    def amount(self, low: float = 1, high: float = 500) -> float:
        return round(self.rng.uniform(low, high), 2)

    def money(self, value: float, symbol: str | None = None, code: bool = False) -> str:
        text = f"{value:,.2f}"
        if symbol is None:
            return text
        return f"{text} {symbol}" if code else f"{symbol}{text}"

    def currency(self) -> tuple[str, str]:
        return self.rng.choice(CURRENCIES)

    def ref(self, prefix: str = "") -> str:
        body = self.pick(
            (
                f"{self.number(10000, 999999)}",
                f"{self.number(2015, 2026)}-{self.number(1, 9999):04d}",
                f"{self.pick(('A', 'B', 'C', 'D', 'K', 'T'))}{self.number(100, 99999)}",
            )
        )
        return prefix + body

    def duration(self) -> str:
        unit = self.pick(UNIT_WORDS)
        n = self.number(1, 5) if unit == "year" else self.number(2, 36)
        plural = "s" if n > 1 else ""
        if n <= len(NUMBER_WORDS) and self.chance(0.5):
            return f"{NUMBER_WORDS[n - 1]} ({n}) {unit}{plural}"
        return f"{n} {unit}{plural}"

    def sentence(self, pool: Sequence[str], **slots: str) -> str:
        return self.pick(pool).format(**slots)

    def sample(self, pool: Sequence[str], low: int, high: int) -> list[str]:
        k = min(len(pool), self.number(low, high))
        return self.rng.sample(list(pool), k)


def table(fill: Fill, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table as text extraction renders one: aligned columns, one cell per line, or tabs."""
    style = fill.pick(("aligned", "aligned", "cells", "tabs", "spaces"))
    all_rows = [list(header), *[list(r) for r in rows]] if header else [list(r) for r in rows]
    if style == "cells":
        return "\n".join(cell for row in all_rows for cell in row if cell)
    if style == "tabs":
        return "\n".join("\t".join(row) for row in all_rows)
    if style == "spaces":
        return "\n".join(" ".join(row) for row in all_rows)
    widths = [max(len(row[i]) for row in all_rows if i < len(row)) for i in range(len(all_rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(widths[i]) if i < len(widths) else cell for i, cell in enumerate(row)
        ).rstrip()
        for row in all_rows
    )


_CONFUSIONS = {
    "l": "1I|",
    "I": "l1",
    "O": "0Q",
    "0": "OD",
    "S": "5$",
    "5": "S",
    "B": "8",
    "8": "B",
    "e": "c",
    "c": "e",
    "a": "o",
    "o": "a",
    "i": "l",
    "t": "f",
    "m": "rn",
    "n": "h",
    "u": "v",
    "g": "q",
    "T": "I",
    "G": "C",
    "E": "F",
    "D": "O",
    "1": "l]",
    ".": ",",
    ",": ".",
    ":": ";",
}


def ocr_noise(fill: Fill, text: str, level: float) -> str:
    """`text` as a weak OCR engine might read it: swapped glyphs, lost spaces, merged lines."""
    if level <= 0:
        return text
    out: list[str] = []
    for ch in text:
        r = fill.rng.random()
        if ch in _CONFUSIONS and r < level:
            out.append(fill.pick(_CONFUSIONS[ch]))
        elif ch == " " and r < level * 1.5:
            continue
        elif ch.isalpha() and r < level * 0.2:
            continue
        else:
            out.append(ch)
    lines = "".join(out).split("\n")
    if fill.chance(level * 3):
        # Column cells read as separate lines, as OCR of receipts often gives.
        lines = [part for line in lines for part in line.split("  ") if part.strip()]
    if fill.chance(level * 2) and len(lines) > 4:
        i = fill.number(0, len(lines) - 2)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return "\n".join(line.strip() for line in lines)
