"""Generators of contracts (agreements of many kinds) and letters (business and personal).

Clauses and paragraphs are written here from scratch with slots for parties, dates, places and
terms; a document draws a random subset in a random order, so no two are alike.
"""

from __future__ import annotations

from fillers import STATES, Fill

AGREEMENTS = (
    "Non-Disclosure Agreement",
    "Mutual Confidentiality Agreement",
    "Services Agreement",
    "Consulting Agreement",
    "Employment Agreement",
    "Lease Agreement",
    "Software License Agreement",
    "Asset Purchase Agreement",
    "Loan Agreement",
    "Distribution Agreement",
    "Supply Agreement",
    "Separation Agreement",
    "Indemnification Agreement",
    "Amendment No. 2 to Credit Agreement",
    "Master Services Agreement",
    "Joint Venture Agreement",
    "Agency Agreement",
    "Settlement Agreement and General Release",
    "Stock Purchase Agreement",
    "Sublease",
)
CLAUSES = (
    '{n}. Definitions. As used in this Agreement, "Confidential Information" means all '
    "non-public information disclosed by either party, whether orally or in writing, that is "
    "designated as confidential or that reasonably should be understood to be confidential.",
    "{n}. Term. This Agreement shall commence on the Effective Date and shall continue for a "
    "period of {term}, unless terminated earlier in accordance with Section {m}.",
    "{n}. Termination. Either party may terminate this Agreement upon {days} days' prior written "
    "notice to the other party. Upon termination, the Recipient shall return or destroy all "
    "Confidential Information.",
    "{n}. Governing Law. This Agreement shall be governed by and construed in accordance with "
    "the laws of the State of {state}, without regard to its conflict of laws principles.",
    "{n}. Jurisdiction. The parties irrevocably submit to the exclusive jurisdiction of the "
    "courts located in {state} for any dispute arising out of or relating to this Agreement.",
    "{n}. Obligations of the Recipient. The Recipient shall hold the Confidential Information in "
    "strict confidence and shall not disclose it to any third party without the prior written "
    "consent of the Disclosing Party.",
    "{n}. Compensation. In consideration of the Services, the Company shall pay the Consultant a "
    "fee of {money} per month, payable within thirty (30) days of receipt of an invoice.",
    "{n}. Indemnification. Each party shall indemnify, defend and hold harmless the other party "
    "from and against any and all claims, losses, damages, liabilities and expenses arising out "
    "of its breach of this Agreement.",
    "{n}. Limitation of Liability. In no event shall either party be liable for any indirect, "
    "incidental, special or consequential damages, even if advised of the possibility thereof.",
    "{n}. Entire Agreement. This Agreement constitutes the entire agreement between the parties "
    "with respect to its subject matter and supersedes all prior agreements and understandings.",
    "{n}. Assignment. Neither party may assign this Agreement without the prior written consent "
    "of the other party, except to a successor to all or substantially all of its business.",
    "{n}. Notices. All notices hereunder shall be in writing and delivered by hand, by certified "
    "mail or by courier to the addresses set forth above.",
    "{n}. Severability. If any provision of this Agreement is held invalid or unenforceable, the "
    "remaining provisions shall continue in full force and effect.",
    "{n}. Counterparts. This Agreement may be executed in counterparts, each of which shall be "
    "deemed an original and all of which together shall constitute one instrument.",
    "{n}. Rent. Tenant shall pay to Landlord monthly rent of {money}, in advance, on the first "
    "day of each calendar month during the Term.",
    "{n}. Grant of License. Subject to the terms hereof, Licensor hereby grants to Licensee a "
    "non-exclusive, non-transferable license to use the Software during the Term.",
    "{n}. Representations and Warranties. Each party represents and warrants that it has full "
    "power and authority to enter into and perform this Agreement.",
    "{n}. Non-Solicitation. During the Term and for {term} thereafter, the Employee shall not "
    "solicit any employee or customer of the Company.",
    "{n}. Purchase Price. The aggregate purchase price for the Assets shall be {money}, payable "
    "at the Closing by wire transfer of immediately available funds.",
    "{n}. Remedies. The Recipient acknowledges that any breach may cause irreparable harm for "
    "which monetary damages would be inadequate, and the Disclosing Party shall be entitled to "
    "seek injunctive relief.",
    "{n}. Waiver. No failure or delay by either party in exercising any right hereunder shall "
    "operate as a waiver thereof.",
    "{n}. Force Majeure. Neither party shall be liable for any failure to perform caused by "
    "circumstances beyond its reasonable control.",
    "{n}. Return of Materials. Upon the written request of the Disclosing Party, the Recipient "
    "shall promptly return all documents and other tangible materials containing Confidential "
    "Information.",
    "{n}. Amendment. This Agreement may be amended only by a written instrument signed by both "
    "parties hereto.",
)
RECITALS = (
    "WHEREAS, the Company desires to engage the Consultant to provide certain services; and",
    "WHEREAS, the parties wish to explore a possible business relationship and, in connection "
    "therewith, may disclose to each other certain confidential information;",
    "WHEREAS, the Landlord is the owner of the premises located at {address};",
    "WHEREAS, the Seller desires to sell, and the Buyer desires to purchase, the Assets on the "
    "terms set forth herein;",
    "WHEREAS, the Employee wishes to be employed by the Company on the terms set forth herein;",
)


ROLES = ("Consultant", "Recipient", "Employee", "Buyer", "Tenant", "Licensee")
TITLES = ("Chief Executive Officer", "President", "Director", "General Counsel", "Managing Partner")


def contract(f: Fill) -> tuple[str, str]:
    a, b = f.company(), f.pick((f.company(), f.person()))
    title = f.pick(AGREEMENTS)
    lines = []
    if f.chance(0.2):
        lines.append(f"{f.pick(('Schedule', 'Annex', 'Appendix'))} {f.pick(('A', 'B', '1', '2'))}")
    lines.append(title.upper() if f.chance(0.6) else title)
    opening = f.pick(
        (
            f'This {title} (the "Agreement") is made and entered into as of {f.long_date()} '
            f'(the "Effective Date") by and between {a}, a {f.pick(STATES)} corporation '
            f'(the "Company"), and {b} (the "{f.pick(ROLES)}").',
            f"THIS AGREEMENT is dated {f.long_date()} and is entered into between {a} "
            f'(hereinafter referred to as the "Disclosing Party") and {b} (hereinafter the '
            f'"Receiving Party"), each a "Party" and together the "Parties".',
            f"This {title} is entered into on {f.long_date()} by and among {a}, {b} and the other "
            f"parties listed on the signature pages hereto.",
        )
    )
    lines.append(opening)
    if f.chance(0.7):
        lines.append("RECITALS" if f.chance(0.5) else "")
        lines += [r.format(address=", ".join(f.address())) for r in f.sample(RECITALS, 1, 3)]
        lines.append(
            "NOW, THEREFORE, in consideration of the mutual covenants contained herein and for "
            "other "
            "good and valuable consideration, the receipt and sufficiency of which are hereby "
            "acknowledged, the parties agree as follows:"
        )
    clauses = f.sample(CLAUSES, 6, len(CLAUSES))
    for n, clause in enumerate(clauses, start=1):
        lines.append(
            clause.format(
                n=n,
                m=f.number(1, len(clauses)),
                term=f.duration(),
                days=f.pick(("thirty (30)", "sixty (60)", "ten (10)", "90")),
                state=f.pick(STATES),
                money=f.money(f.amount(500, 90000), "$"),
            )
        )
        if f.chance(0.12):
            lines.append(f"\f{f.number(2, 30)}")
    lines.append(
        f.pick(
            (
                "IN WITNESS WHEREOF, the parties hereto have executed this Agreement as of the "
                "date "
                "first written above.",
                "IN WITNESS WHEREOF, the parties have caused this Agreement to be executed by "
                "their "
                "duly authorized representatives.",
            )
        )
    )
    for party in (a, b):
        lines += [
            party,
            "By: ______________________",
            f"Name: {f.person()}",
            f"Title: {f.pick(TITLES)}",
        ]
    return "contract", "\n".join(lines)


LETTER_BODIES = {
    "thanks": (
        "I am writing to thank you for your help with {topic}. Your team's care and attention "
        "made a real difference, and we look forward to working with you again.",
        "On behalf of everyone at {org}, please accept our sincere thanks for your generous "
        "support of {topic}.",
    ),
    "complaint": (
        "I am writing to complain about {topic}. Despite several telephone calls, the matter has "
        "not been resolved, and I would ask you to look into it urgently.",
        "I wish to draw your attention to a problem with {topic}, which I reported on {date} and "
        "which remains outstanding.",
    ),
    "notice": (
        "We write to inform you that {topic} will take effect from {date}. No action is required "
        "on your part, but please keep this letter for your records.",
        "Please be advised that, following our review, {topic}. If you have any questions, please "
        "contact our office.",
    ),
    "reference": (
        "It is my pleasure to recommend {person}, who worked with us as a {role} for four years. "
        "In that time {person} proved reliable, thoughtful and quick to learn.",
        "I have known {person} for several years in my capacity as {role}, and I recommend "
        "{person} without reservation.",
    ),
    "offer": (
        "Further to your recent interview, we are delighted to offer you the position of {role} "
        "at {org}, starting on {date}.",
        "We are pleased to confirm our offer regarding {topic}, on the terms discussed at our "
        "meeting last week.",
    ),
    "request": (
        "I would be grateful if you could send me information about {topic}. I am particularly "
        "interested in the timetable and the costs involved.",
        "We kindly request that you provide the documents relating to {topic} by {date}, so that "
        "we may complete our review.",
    ),
    "reply": (
        "Thank you for your letter of {date} concerning {topic}. We have reviewed the matters you "
        "raised and set out our response below.",
        "In reply to your enquiry regarding {topic}, we have examined the relevant records and "
        "our findings are as follows.",
    ),
}
TOPICS = (
    "the move of our office last month",
    "the delayed delivery of order {ref}",
    "the annual charity dinner",
    "the change in our opening hours",
    "your account {ref}",
    "the renewal of your membership",
    "the planning application for {street}",
    "the financial matters raised in your enquiry",
    "the repairs to the heating system",
    "our new pricing structure",
    "the community garden project",
    "the audit of the accounts",
)
CLOSINGS = (
    "Yours sincerely,",
    "Sincerely,",
    "Yours faithfully,",
    "Kind regards,",
    "Best regards,",
    "Yours truly,",
    "With best wishes,",
    "Respectfully,",
)


def letter(f: Fill) -> tuple[str, str]:
    kind = f.pick(tuple(LETTER_BODIES))
    sender, recipient = f.person(), f.person()
    org = f.company()
    lines = []
    if f.chance(0.6):
        lines += [org, *f.address(), f"Tel: {f.phone()}"]
    lines.append(f.date() if f.chance(0.5) else f"{f.city().split(',')[0]}, {f.long_date()}")
    if f.chance(0.7):
        lines += [recipient, f.pick(("", f.company())), *f.address()]
    if f.chance(0.4):
        lines.append(f"{f.pick(('Re:', 'RE:', 'Subject:', 'Our ref:', 'Your ref:'))} {f.ref()}")
    title = f.pick(("Mr", "Ms", "Mrs", "Dr"))
    lines.append(
        f.pick(
            (
                f"Dear {title} {recipient.split()[-1]},",
                "Dear Sir or Madam,",
                f"Dear {recipient.split()[0]},",
                "To whom it may concern,",
                "Dear Customer,",
            )
        )
    )
    slots = {
        "topic": f.pick(TOPICS).format(ref=f.ref(), street=f.street()),
        "org": org,
        "date": f.date(),
        "person": f.person(),
        "role": f.pick(("project manager", "teacher", "analyst", "nurse", "supervisor")),
    }
    paragraphs = [f.pick(LETTER_BODIES[kind]).format(**slots)]
    extra = (
        "Please do not hesitate to contact me if you need any further information.",
        "I enclose a copy of the relevant documents for your reference.",
        "We apologise for any inconvenience this may cause and thank you for your patience.",
        "I look forward to hearing from you at your earliest convenience.",
        "Should you wish to discuss this further, my direct line is {phone}.",
        "We value your custody of this matter and will keep you informed of any developments.",
    )
    paragraphs += [p.format(phone=f.phone()) for p in f.sample(extra, 1, 3)]
    lines += paragraphs
    lines += [f.pick(CLOSINGS), "", sender]
    if f.chance(0.6):
        lines.append(
            f.pick(
                ("Director", "Customer Services Manager", "Head of Finance", "Secretary", "Partner")
            )
        )
    if f.chance(0.3):
        lines.append(f.pick(("Enclosure", "Encl.", "cc: File", "Enclosures: 2")))
    return f"letter_{kind}", "\n".join(lines)
