"""Generators of scientific papers, reports (business, technical, market, results, lab), slides."""

from __future__ import annotations

from fillers import MONTHS, Fill, table

FIELDS = (
    ("graph neural networks", "node classification", "message passing"),
    ("protein folding", "structure prediction", "molecular dynamics"),
    ("image segmentation", "medical imaging", "convolutional networks"),
    ("colour management", "colour space conversion", "perceptual uniformity"),
    ("soil microbiology", "nitrogen fixation", "field trials"),
    ("quantum error correction", "surface codes", "decoding"),
    ("urban heat islands", "remote sensing", "land surface temperature"),
    ("speech recognition", "low-resource languages", "self-supervised learning"),
    ("battery degradation", "lithium-ion cells", "state of health estimation"),
    ("randomised controlled trials", "hypertension", "blood pressure"),
)
PAPER_SENTENCES = (
    "Recent work on {a} has shown promising results, but {b} remains challenging.",
    "We propose a novel method for {b} based on {c}.",
    "Our approach outperforms the state of the art on three benchmark datasets.",
    "Experiments demonstrate that the proposed method reduces the error by {p}% compared with "
    "the baseline.",
    "In this paper, we study {b} in the context of {a}.",
    "Previous studies [{r}] have addressed {c}, yet their assumptions rarely hold in practice.",
    "The remainder of this paper is organised as follows. Section 2 reviews related work.",
    "Table {r} summarises the results, and Fig. {r} shows the learning curves.",
    "We evaluate the method on a dataset of {n} samples collected between {y1} and {y2}.",
    "Statistical significance was assessed with a two-sided t-test (p < 0.05).",
    "These findings suggest that {c} plays a central role in {b}.",
    "Let x denote the input and f(x) the model output; we minimise the loss in Eq. ({r}).",
    "Theorem {r}. Under assumptions A1-A3 the estimator is consistent.",
    "Proof. The result follows from Lemma {r} and the triangle inequality.",
)
SECTIONS = (
    "Introduction",
    "Related Work",
    "Background",
    "Method",
    "Methodology",
    "Experimental Setup",
    "Experiments",
    "Results",
    "Discussion",
    "Conclusion",
    "Materials and Methods",
    "Evaluation",
    "Limitations",
)
VENUES = (
    "IEEE Transactions on Image Processing",
    "Proceedings of the ACM Conference on",
    "Nature Communications",
    "Journal of Applied Physics",
    "arXiv preprint",
    "Proc. of NeurIPS",
    "PLoS ONE",
    "The Lancet",
    "Physical Review Letters",
)


def paper(f: Fill) -> tuple[str, str]:
    a, b, c = f.pick(FIELDS)

    def slots() -> dict[str, str]:
        return {
            "a": a,
            "b": b,
            "c": c,
            "p": str(f.number(3, 40)),
            "r": str(f.number(1, 40)),
            "n": f"{f.number(100, 90000):,}",
            "y1": str(f.number(1990, 2015)),
            "y2": str(f.number(2016, 2025)),
        }

    def para(k: int) -> str:
        return " ".join(f.pick(PAPER_SENTENCES).format(**slots()) for _ in range(k))

    title = f.pick(
        (
            f"{c.title()} for {b.title()}",
            f"On {b.capitalize()} with {c.capitalize()}",
            f"Towards Robust {b.title()}: A {c.title()} Approach",
            f"A Study of {a.title()} and {b.title()}",
        )
    )
    lines = []
    if f.chance(0.4):
        lines.append(
            f.pick(VENUES)
            + f", vol. {f.number(1, 60)}, no. {f.number(1, 12)}, {f.number(2000, 2025)}"
        )
    lines.append(title)
    authors = [f.person() for _ in range(f.number(1, 6))]
    lines.append(", ".join(authors))
    lines.append(
        f"{f.pick(('Department of', 'School of', 'Institute of'))} "
        f"{f.pick(('Computer Science', 'Physics', 'Biology', 'Engineering', 'Medicine'))}, "
        f"{f.pick(('University of', 'Technical University of'))} {f.city().split(',')[0]}"
    )
    if f.chance(0.5):
        lines.append(f.email())
    lines.append(
        f.pick(("Abstract", "ABSTRACT", "Abstract—", "Summary"))
        + (" " if f.chance(0.5) else "\n")
        + para(f.number(3, 6))
    )
    if f.chance(0.6):
        lines.append(f"{f.pick(('Keywords', 'Index Terms', 'Key words'))}: {a}, {b}, {c}")
    for i, section in enumerate(f.sample(SECTIONS, 3, 7), start=1):
        lines.append(
            f"{i} {section}"
            if f.chance(0.6)
            else f"{['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'][i - 1]}. {section.upper()}"
        )
        lines.append(para(f.number(2, 7)))
        if f.chance(0.3):
            lines.append("\f")
    if f.chance(0.8):
        lines.append(f.pick(("References", "REFERENCES", "Bibliography")))
        for r in range(1, f.number(4, 14)):
            who = f"{f.person()} et al." if f.chance(0.6) else f"{f.person()} and {f.person()}"
            lines.append(
                f'[{r}] {who}, "{f.pick(FIELDS)[f.number(0, 2)].capitalize()}", '
                f"{f.pick(VENUES)}, {f.number(1995, 2025)}."
                + (f" doi:10.{f.number(1000, 9999)}/{f.ref()}" if f.chance(0.3) else "")
            )
    return "paper", "\n".join(lines)


REPORT_SENTENCES = (
    "Revenue increased by {p}% year on year, driven by strong demand in {region}.",
    "The audit identified {n} findings, of which two are rated high priority.",
    "This report summarises the activities carried out during the period under review.",
    "Operating costs remained in line with the budget approved by the board.",
    "We recommend that management strengthen controls over supplier payments.",
    "Customer satisfaction scores improved in every region except {region}.",
    "The inspection found the premises to be in satisfactory condition overall.",
    "Key performance indicators for the quarter are presented in the table below.",
    "Prices were mostly steady compared with the previous week, with {region} slightly higher.",
    "The project remains on schedule; the next milestone is due in {month}.",
    "Net profit attributable to shareholders was {money} for the reporting period.",
    "Sample results outside the reference range are flagged for clinical review.",
)
REGIONS = (
    "the Midwest",
    "Europe",
    "Asia Pacific",
    "the northern region",
    "Bavaria",
    "Ontario",
    "Latin America",
    "the UK",
    "Southeast Asia",
)
REPORT_TITLES = {
    "business": (
        "Annual Report {y}",
        "Quarterly Report Q{q} {y}",
        "Interim Report",
        "Management Report",
        "Sustainability Report {y}",
        "Financial Report for the year ended 31 December {y}",
    ),
    "technical": (
        "Technical Report TR-{n}",
        "Inspection Report",
        "Audit Report",
        "Project Status Report",
        "Incident Investigation Report",
        "Feasibility Study Report",
    ),
    "market": (
        "Weekly Market Report",
        "Monthly Price Report",
        "Daily Market Summary",
        "Metals Market Report",
        "Housing Market Report",
    ),
    "results": (
        "Official Results",
        "Results Summary",
        "Race Results - Final",
        "Examination Results Report",
        "Test Results Report",
        "League Table Report",
    ),
    "lab": (
        "Laboratory Test Report",
        "Laboratory Report",
        "Blood Test Results",
        "Analysis Report",
        "Certificate of Analysis",
    ),
}


def report(f: Fill) -> tuple[str, str]:
    kind = f.pick(tuple(REPORT_TITLES))

    def slots() -> dict[str, str]:
        return {
            "p": str(f.number(1, 30)),
            "n": str(f.number(2, 40)),
            "region": f.pick(REGIONS),
            "month": f.pick(MONTHS),
            "money": f.money(f.amount(1e5, 9e7), "$"),
        }

    lines = [
        f.pick(REPORT_TITLES[kind]).format(
            y=f.number(2010, 2025), q=f.number(1, 4), n=f.number(10, 999)
        )
    ]
    if f.chance(0.6):
        lines.append(
            f.pick(
                (
                    f.company(),
                    f.pick(
                        (
                            "Department of Agriculture",
                            "Ministry of Health",
                            "Market News Service",
                            "Internal Audit",
                        )
                    ),
                )
            )
        )
    lines.append(
        f"{f.pick(('Reporting period', 'Period', 'Week ending', 'Date', 'Prepared on'))}: "
        f"{f.date()}"
    )
    if kind in ("business", "technical"):
        for heading in f.sample(
            (
                "Executive Summary",
                "Introduction",
                "Scope",
                "Findings",
                "Recommendations",
                "Financial Highlights",
                "Outlook",
                "Conclusion",
                "Background",
                "Methodology",
            ),
            2,
            6,
        ):
            lines.append(heading)
            lines.append(
                " ".join(f.pick(REPORT_SENTENCES).format(**slots()) for _ in range(f.number(1, 4)))
            )
            if f.chance(0.3):
                rows = [
                    [
                        f.pick(REGIONS).title(),
                        f"{f.amount(1, 900):,.1f}",
                        f"{f.amount(1, 900):,.1f}",
                        f"{f.number(-20, 30)}%",
                    ]
                    for _ in range(f.number(2, 6))
                ]
                lines.append(table(f, ["Segment", "This year", "Last year", "Change"], rows))
            if f.chance(0.2):
                lines.append("\f")
    elif kind == "market":
        lines.append(f.pick(REPORT_SENTENCES[8:9]).format(**slots()))
        for _ in range(f.number(2, 5)):
            product = f.pick(
                (
                    "Copper (USD/t)",
                    "Coffee (USc/lb)",
                    "Wheat (EUR/t)",
                    "Aluminium (USD/t)",
                    "Apartments (median price)",
                    "Crude oil (USD/bbl)",
                    "Rice (USD/t)",
                )
            )
            lines.append(product)
            rows = [
                [
                    f.pick(REGIONS).replace("the ", "").title(),
                    f"{f.amount(1, 5):.2f} - {f.amount(5, 9):.2f}",
                    f"{f.amount(1, 9):.2f}",
                    f.pick(("n/a", "steady", "up", "down")),
                ]
                for _ in range(f.number(2, 6))
            ]
            lines.append(table(f, ["Location", "This week", "Last week", "Trend"], rows))
    elif kind == "results":
        rows = [
            [
                str(i),
                f.person(),
                f.pick(("Harriers AC", "City RC", "North School", "Team Blue", "Westside")),
                f"{f.number(0, 2)}:{f.number(10, 59)}:{f.number(10, 59)}",
                f"{f.amount(40, 100):.1f}",
            ]
            for i in range(1, f.number(4, 12))
        ]
        lines.append(table(f, ["Position", "Name", "Club", "Time", "Points"], rows))
        if f.chance(0.5):
            lines.append(f"Results certified by the referee, {f.person()}.")
    else:
        lines += [
            f"Patient: {f.person()}",
            f"Age: {f.number(1, 90)}",
            f"Sample type: {f.pick(('Blood', 'Serum', 'Urine', 'Water', 'Soil'))}",
            f"Collected: {f.date()} {f.time()}",
        ]
        rows = [
            [
                f.pick(
                    (
                        "White blood cells",
                        "Haemoglobin",
                        "Glucose",
                        "Cholesterol",
                        "Sodium",
                        "pH",
                        "Lead",
                        "Nitrate",
                        "Platelets",
                        "Creatinine",
                    )
                ),
                f"{f.amount(0.1, 300):.1f}",
                f.pick(("g/L", "mmol/L", "10^9/L", "mg/L", "%")),
                f"[{f.amount(0, 5):.1f}-{f.amount(5, 200):.1f}]",
            ]
            for _ in range(f.number(3, 12))
        ]
        lines.append(table(f, ["Test", "Result", "Unit", "Reference range"], rows))
        if f.chance(0.5):
            lines.append(REPORT_SENTENCES[-1])
    if f.chance(0.4):
        lines.append(f"Prepared by: {f.person()}")
    return f"report_{kind}", "\n".join(lines)


SLIDE_TITLES = (
    "Agenda",
    "Overview",
    "Background",
    "Market Opportunity",
    "Our Solution",
    "Roadmap",
    "Key Takeaways",
    "Next Steps",
    "Timeline",
    "Team",
    "Financials",
    "Results at a Glance",
    "Why Now?",
    "Challenges",
    "Questions?",
    "Thank You",
    "Q&A",
    "Summary",
    "Objectives",
)
BULLETS = (
    "Grow revenue by {p}% in FY{y}",
    "Launch in {n} new markets",
    "Reduce churn",
    "Improve onboarding experience",
    "Pilot with {n} customers",
    "Hire {n} engineers",
    "Cloud migration complete",
    "Customer NPS up {p} points",
    "Focus on core products",
    "Streamline approvals",
    "Partnerships with key vendors",
    "Lessons learned",
    "Budget: {money}",
    "Phase {n}: rollout",
    "Risks and mitigations",
    "Open discussion",
)


DECKS = (
    "Quarterly Business Review",
    "Project Kickoff",
    "Product Strategy",
    "Investor Update",
    "Training Session",
    "Annual Planning",
)


def presentation(f: Fill) -> tuple[str, str]:
    slides = [
        f"{f.pick(DECKS)}\n"
        f"{f.pick(('Presented by', 'Presenter:', ''))} {f.person()}\n{f.company()}\n{f.date()}"
    ]
    for number, title in enumerate(f.sample(SLIDE_TITLES, 3, 12), start=2):
        bullets = [
            ("• " if f.chance(0.6) else "- " if f.chance(0.5) else "")
            + f.pick(BULLETS).format(
                p=f.number(2, 40),
                y=f.number(20, 28),
                n=f.number(2, 12),
                money=f.money(f.amount(1e4, 1e6), "$"),
            )
            for _ in range(f.number(0, 5))
        ]
        footer = [str(number)] if f.chance(0.6) else []
        slides.append("\n".join([title, *bullets, *footer]))
    return "presentation", "\f".join(slides)
