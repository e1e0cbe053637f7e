"""Generators of documents that are none of the nine types: articles, prose, leaflets, lists...

"other" is a real class with many faces; the sub-kinds here are the common ones a document
pipeline meets besides business papers: encyclopedia and news articles, essays and fiction,
poems, recipes, product leaflets, price and rate sheets, menus, manuals, timetables, web pages
and articles in other languages.
"""

from __future__ import annotations

from fillers import MONTHS, Fill, table

SUBJECTS = (
    (
        "The printing press",
        "invention",
        "a device for applying pressure to an inked surface to transfer text to paper",
    ),
    ("The river Danube", "river", "the second-longest river in Europe"),
    (
        "Photosynthesis",
        "biological process",
        "the process by which plants convert light into chemical energy",
    ),
    ("The violin", "musical instrument", "a wooden string instrument played with a bow"),
    ("Glaciers", "landform", "persistent bodies of dense ice that move under their own weight"),
    (
        "The Byzantine Empire",
        "historical state",
        "the continuation of the Roman Empire in the east",
    ),
    ("Basalt", "volcanic rock", "a fine-grained rock formed from the rapid cooling of lava"),
    ("Chess", "board game", "a strategy game for two players on a checkered board"),
    ("The honey bee", "insect", "a eusocial flying insect known for producing honey"),
    ("Jazz", "music genre", "a style of music that originated in New Orleans"),
    ("Marathon", "long-distance race", "a running race of 42.195 kilometres"),
    (
        "The compass",
        "navigational instrument",
        "an instrument that shows direction relative to north",
    ),
)
ARTICLE_SENTENCES = (
    "{s} is {d}.",
    "The term was first used in the {c}th century and has since acquired several meanings.",
    "It is widely regarded as one of the most important examples of its kind.",
    "Early descriptions date from {y}, when scholars in {place} began to study it systematically.",
    "Today it is found in many parts of the world, and its popularity continues to grow.",
    "Critics have argued that its significance has been overstated.",
    "Several variants exist, differing mainly in size, shape and purpose.",
    'The name derives from a Greek word meaning "{w}".',
    "In {y}, a major study described its history and its influence on later developments.",
    "See also: history of the subject, list of related topics.",
    "Modern research has focused on its role in everyday life.",
    "Its development was shaped by trade, migration and technological change.",
)
NEWS_SENTENCES = (
    "Officials said on {day} that the new programme would begin next month.",
    '"We are seeing real progress," said {person}, a spokesperson for the city council.',
    "The announcement comes after months of debate among local residents.",
    "According to figures released this week, the number has risen by {p} percent since {y}.",
    "Experts warn that there is no single solution to the problem.",
    "Residents packed the town hall on Wednesday evening to hear the proposals.",
    "The decision was welcomed by community groups but criticised by some business owners.",
    "Police said the road would remain closed until Sunday evening.",
    "The festival, now in its {n}th year, attracted more than {k} visitors.",
    "Schools in the district will reopen on Monday after the storm.",
)
PROSE = (
    "The morning came slowly over the hills, and the village woke to the sound of rain on the "
    "roofs. She stood at the window for a long time, wondering whether he would come back.",
    "The train was late again, so she walked the last mile along the canal, counting the "
    "herons and rehearsing what she would say when she finally arrived.",
    "It was the kind of summer that seemed to last forever. We spent our days by the lake and "
    "our nights on the porch, listening to the radio and talking about the future.",
    "Every city has its hidden corners: a courtyard behind a bakery, a staircase that leads "
    "nowhere, a bench where the same old man feeds the pigeons every afternoon.",
    "The old lighthouse keeper had kept a diary for forty years. Most entries were about the "
    "weather, but some told of ships, storms and the strangers who knocked at his door.",
    "What does it mean to live a good life? The question is old, and the answers are many, but "
    "most of them begin with paying attention to the people around us.",
    "He opened the letter with trembling hands. Inside was a photograph he had never seen, and "
    "on the back, in faded ink, a date and a single word.",
    "Walking is the simplest of pleasures. It asks for nothing but time, and it gives back "
    "quiet, perspective and, now and then, a surprising idea.",
)
POEM_LINES = (
    "The river keeps its quiet song",
    "beneath a sky of silver grey",
    "and all the birds have gone",
    "I walked the long road home",
    "the lamps were lit along the way",
    "a single leaf upon the stone",
    "O winter, gentle thief of light",
    "we were young and did not know",
    "the harbour sleeps, the boats are still",
    "remember me when roses fall",
    "the wind is singing in the pines",
    "and every door was open wide",
)
INGREDIENTS = (
    "2 cups flour",
    "1 tsp salt",
    "3 eggs",
    "200 g butter",
    "1 onion, chopped",
    "2 cloves garlic",
    "400 ml coconut milk",
    "1 tbsp olive oil",
    "500 g chicken thighs",
    "1 cup sugar",
    "a pinch of nutmeg",
    "250 ml milk",
    "2 tomatoes",
    "fresh basil",
)
STEPS = (
    "Preheat the oven to 180°C.",
    "Whisk the eggs and sugar until pale.",
    "Fold in the flour gently.",
    "Fry the onion until soft, then add the garlic.",
    "Simmer for 20 minutes, stirring occasionally.",
    "Season to taste and serve warm.",
    "Bake for 35-40 minutes until golden.",
    "Leave to cool before slicing.",
)
LEAFLET = (
    "Each tablet contains {n} mg of the active substance.",
    "Read all of this leaflet carefully before you start taking this medicine.",
    "Possible side effects: like all medicines, this medicine can cause side effects.",
    "Do not take this medicine if you are allergic to any of its ingredients.",
    "Store below 25°C. Keep out of the sight and reach of children.",
    "Common (may affect up to 1 in 10 people): headache, nausea, dizziness.",
    "Uncommon (may affect up to 1 in 100 people): rash, itching.",
    "How to take this medicine",
    "What this medicine is used for",
    "If you forget to take a dose",
    "Ask your doctor or pharmacist if you are not sure.",
)
MANUAL = (
    "Before first use, remove all packaging materials.",
    "Press and hold the power button for three seconds.",
    "Insert the batteries, observing the correct polarity.",
    "The indicator light flashes green when charging.",
    "Troubleshooting",
    "If the device does not switch on, check the power supply.",
    "Safety instructions",
    "Clean the unit with a dry cloth only.",
    "Step {n}: Connect the cable to port A.",
    "Technical specifications",
    "Warranty: this product is guaranteed for two years from the date of purchase.",
)
FOREIGN = (
    (
        "de",
        "ist eine der bekanntesten Erfindungen der Neuzeit. Die weite Verbreitung wurde durch "
        "die Entwicklung neuer Verfahren ermöglicht. Heute wird sie in vielen Bereichen des "
        "täglichen Lebens eingesetzt, und ihre Bedeutung nimmt weiter zu.",
    ),
    (
        "de",
        "liegt im Süden des Landes und ist für seine Seen, Wälder und Burgen bekannt. Im "
        "Sommer kommen viele Wanderer, im Winter ist die Region ein beliebtes Skigebiet.",
    ),
    (
        "fr",
        "est une ville située au bord du fleuve. Elle est connue pour son architecture, ses "
        "marchés et ses festivals. La population a fortement augmenté au cours du siècle dernier.",
    ),
    (
        "es",
        "es un género musical que surgió a principios del siglo XX. Se caracteriza por la "
        "improvisación y el ritmo, y ha influido en muchos otros estilos.",
    ),
    (
        "nl",
        "is een rivier in het noorden van het land. De rivier is belangrijk voor de scheepvaart "
        "en de landbouw in de regio.",
    ),
)


def other(f: Fill) -> tuple[str, str]:
    kind = f.pick(
        (
            "encyclopedia",
            "news",
            "prose",
            "poem",
            "recipe",
            "leaflet",
            "rates",
            "menu",
            "manual",
            "timetable",
            "foreign",
            "web",
        )
    )

    def slots() -> dict[str, str]:
        return {
            "c": str(f.number(12, 19)),
            "y": str(f.number(1700, 2020)),
            "place": f.city().split(",")[0],
            "w": f.pick(("light", "order", "voice", "river", "stone")),
            "day": f.pick(("Monday", "Tuesday", "Thursday")),
            "person": f.person(),
            "p": str(f.number(2, 60)),
            "n": str(f.number(2, 40)),
            "k": f"{f.number(1, 90)},000",
        }

    lines: list[str] = []
    if kind in ("encyclopedia", "web"):
        subject, category, definition = f.pick(SUBJECTS)
        if f.chance(0.5):
            lines.append(
                f"{subject} - Wikipedia https://en.wikipedia.org/wiki/{subject.replace(' ', '_')}"
            )
        lines += [
            subject,
            f.pick(("From Wikipedia, the free encyclopedia", f"Article about a {category}", "")),
        ]
        body = [
            f.pick(ARTICLE_SENTENCES).format(s=subject, d=definition, **slots())
            for _ in range(f.number(3, 12))
        ]
        lines.append(body[0] if f.chance(0.5) else f"{subject} is {definition}.")
        lines += [" ".join(body[i : i + 3]) for i in range(1, len(body), 3)]
        if f.chance(0.4):
            lines.append(f.pick(("Contents", "History", "Etymology", "See also", "External links")))
    elif kind == "news":
        lines.append(
            f.pick(
                (
                    f"{f.company().split()[0]} Daily — {f.date()}",
                    f"{f.city()} — {f.long_date()}",
                    "",
                )
            )
        )
        lines.append(
            f.pick(
                (
                    "Council approves new plan for city parks",
                    "Library reopens after two-year renovation",
                    "Storm leaves thousands without power",
                    "Local team wins regional final",
                    "There's no easy answer to rising rents",
                    "New bridge opens after three years of work",
                )
            )
        )
        lines.append(f"By {f.person()}")
        lines += [
            " ".join(f.pick(NEWS_SENTENCES).format(**slots()) for _ in range(f.number(1, 3)))
            for _ in range(f.number(2, 6))
        ]
    elif kind == "prose":
        lines.append(
            f.pick(
                (
                    "On Walking",
                    f"Chapter {f.number(1, 30)}",
                    "A Walk in Autumn",
                    "Letters Never Sent",
                    "",
                )
            )
        )
        lines += f.sample(PROSE, 1, 4)
    elif kind == "poem":
        lines.append(f.pick(("Evening", "The Harbour", "Winter Song", "Untitled", "For My Father")))
        for _ in range(f.number(2, 4)):
            lines += [*f.sample(POEM_LINES, 3, 4), ""]
    elif kind == "recipe":
        lines += [
            f.pick(
                ("Lemon Drizzle Cake", "Chicken Curry", "Tomato Soup", "Banana Bread", "Pad Thai")
            ),
            f"Serves {f.number(2, 8)}. Prep time {f.number(10, 40)} minutes.",
            "Ingredients",
            *f.sample(INGREDIENTS, 4, 9),
            f.pick(("Method", "Directions", "Instructions")),
            *f.sample(STEPS, 3, 7),
        ]
    elif kind == "leaflet":
        lines += [
            f.pick(
                (
                    "Package leaflet: Information for the user",
                    "Summary of product characteristics",
                    "Product information",
                )
            ),
            f"{f.pick(('Amoxil', 'Zentrol', 'Novaprin', 'Cardiol'))} {f.number(5, 500)} mg tablets",
        ]
        lines += [s.format(n=f.number(5, 500)) for s in f.sample(LEAFLET, 4, 10)]
    elif kind in ("rates", "menu", "timetable"):
        if kind == "rates":
            lines += [
                f.pick(("Price List", "Exchange Rates", "Schedule of Fees", "Tariffs")),
                f"Valid from {f.date()}",
            ]
            rows = [
                [
                    f.pick(
                        (
                            "USD",
                            "EUR",
                            "Standard room",
                            "Delivery zone A",
                            "Hourly rate",
                            "Product code " + f.ref(),
                        )
                    ),
                    f"{f.amount(1, 900):.2f}",
                    f"{f.amount(1, 900):.2f}",
                    f"{f.number(1, 30)}%",
                ]
                for _ in range(f.number(3, 12))
            ]
            lines.append(table(f, ["Item", "Buy", "Sell", "Discount"], rows))
            lines.append(
                f.pick(("Prices are subject to change without notice.", "All prices include tax."))
            )
        elif kind == "menu":
            lines += [
                f.pick(("Lunch Menu", "MENU", "Drinks", "Specials of the Day")),
                f.company().split()[0] + " Bistro",
            ]
            rows = [
                [
                    f.pick(
                        (
                            "Soup of the day",
                            "Caesar salad",
                            "Grilled salmon",
                            "Beef burger",
                            "Margherita pizza",
                            "Espresso",
                            "Tiramisu",
                            "Fish and chips",
                            "Vegetable curry",
                        )
                    ),
                    f"{f.amount(3, 30):.2f}",
                ]
                for _ in range(f.number(4, 12))
            ]
            lines.append(table(f, [], rows))
        else:
            lines += [
                f.pick(
                    ("Bus Timetable", "Train Schedule", "Conference Programme", "Opening Hours")
                ),
                f"Valid from {f.number(1, 28)} {f.pick(MONTHS)}",
            ]
            rows = [
                [
                    f.pick(
                        (
                            f.city().split(",")[0],
                            "Central Station",
                            "Airport",
                            "Hall A",
                            "Monday - Friday",
                        )
                    ),
                    *(
                        f"{f.number(5, 23):02d}:{f.number(0, 59):02d}"
                        for _ in range(f.number(2, 5))
                    ),
                ]
                for _ in range(f.number(3, 10))
            ]
            lines.append(table(f, [], rows))
    elif kind == "manual":
        lines += [
            f.pick(
                (
                    "User Manual",
                    "Quick Start Guide",
                    "Installation Instructions",
                    "Operating Instructions",
                )
            ),
            f"Model {f.ref()}",
        ]
        lines += [s.format(n=f.number(1, 9)) for s in f.sample(MANUAL, 4, 10)]
    else:
        _, foreign = f.pick(FOREIGN)
        name = f.pick(("Der Buchdruck", "Lyon", "El jazz", "De IJssel", "Die Donau", "Bayern"))
        lines += [
            f"{name} - Wikipedia",
            name,
            f.pick(("aus Wikipedia, der freien Enzyklopädie", "")),
            f"{name} {foreign}",
        ]
    return f"other_{kind}", "\n".join(line for line in lines if line is not None)
