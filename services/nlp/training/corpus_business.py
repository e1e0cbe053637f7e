"""Generators of transactional documents: receipts, invoices, statements and forms.

Each generator returns `(kind, text)`: a sub-kind name (its own embedding prototype) and the text
as a reader might extract it. Layouts, wording and totals vary at random.
"""

from __future__ import annotations

from fillers import Fill, table

PRODUCTS = (
    "Latte",
    "Cappuccino",
    "Croissant",
    "Chicken Rice",
    "Nasi Lemak",
    "Mineral Water 500ml",
    "Teh Tarik",
    "Milo Ais",
    "Fried Noodles",
    "Burger Set",
    "Fries (L)",
    "Coke Zero",
    "Bread Loaf",
    "Fresh Milk 1L",
    "Eggs Grade A 10s",
    "Rice 5kg",
    "Cooking Oil 2kg",
    "Detergent 3kg",
    "Toothpaste",
    "Shampoo 400ml",
    "Paper Towel",
    "A4 Paper 80gsm",
    "Ball Pen Blue",
    "Stapler",
    "Measuring Tape 5M",
    "Screwdriver Set",
    'PVC Pipe 1/2"',
    "Wall Plug 6mm",
    'Paint Brush 2"',
    "LED Bulb 9W",
    "Extension Cord",
    "Padlock 40mm",
    "Panadol 500mg",
    "Vitamin C 1000mg",
    "Face Mask 50pcs",
    "Hand Sanitizer",
    "Plaster",
    "Unleaded 95",
    "Diesel",
    "Car Wash",
    "Notebook A5",
    "Glue Stick",
    "Batteries AA 4pk",
)
SERVICES = (
    "Consulting services",
    "Software development",
    "Website maintenance",
    "Annual licence fee",
    "Cloud hosting (monthly)",
    "Design work",
    "Installation and setup",
    "Freight charges",
    "Legal advisory",
    "Translation services",
    "Training workshop",
    "Support retainer",
    "Office cleaning",
    "Equipment rental",
    "Audit fee",
    "Marketing campaign",
    "Data migration",
    "Catering for 40 guests",
    "Repair labour",
    "Spare parts",
    "Printing of brochures",
)


def receipt(f: Fill) -> tuple[str, str]:
    symbol, _ = f.currency()
    kind = f.pick(("retail", "restaurant", "fuel", "pharmacy", "hardware", "cafe", "grocery"))
    shop = f.company().upper() if f.chance(0.6) else f.company()
    lines = [shop]
    if f.chance(0.5):
        lines.append(f"({f.number(100000, 999999)}-{f.pick(('A', 'K', 'P', 'V'))})")
    lines += f.address()
    if f.chance(0.6):
        lines.append(f"{f.pick(('GST Reg No', 'GST ID', 'VAT No', 'Tax ID', 'SST No'))}: {f.ref()}")
    if f.chance(0.5):
        lines.append(f"Tel: {f.phone()}")
    # In GST/VAT countries a till slip is often headed "Tax Invoice" with an "Invoice No".
    tax_slip = f.chance(0.4)
    lines.append(
        f.pick(("TAX INVOICE", "Tax Invoice", "SIMPLIFIED TAX INVOICE"))
        if tax_slip
        else f.pick(
            (
                "RECEIPT",
                "CASH BILL",
                "OFFICIAL RECEIPT",
                "SALES RECEIPT",
                "CASH SALE",
                "Receipt",
                "",
            )
        )
    )
    number = (
        ("Invoice No", "Inv No", "Document No")
        if tax_slip
        else ("Receipt No", "Bill No", "Doc No", "Trans #", "Chk", "Ticket No")
    )
    lines.append(f"{f.pick(number)}: {f.ref()}")
    lines.append(f"{f.pick(('Date', 'DATE', 'Date/Time'))}: {f.date()} {f.time()}")
    if f.chance(0.6):
        lines.append(
            f"{f.pick(('Cashier', 'Served by', 'Staff', 'Counter'))}: {f.person().split()[0]}"
        )
    if kind == "restaurant" and f.chance(0.6):
        lines.append(f"Table: {f.number(1, 40)}  Pax: {f.number(1, 8)}")
    items = f.sample(PRODUCTS, 1, 8)
    subtotal = 0.0
    rows = []
    for item in items:
        qty = f.number(1, 4)
        price = f.amount(0.8, 60)
        total = round(qty * price, 2)
        subtotal += total
        rows.append([item, str(qty), f"{price:.2f}", f"{total:.2f}"])
    header = ["Item", "Qty", "Price", "Amount"] if f.chance(0.5) else []
    lines.append(table(f, header, rows))
    tax = round(subtotal * f.pick((0.0, 0.0, 0.06, 0.08, 0.1, 0.2)), 2)
    total = round(subtotal + tax, 2)
    lines.append(
        f"{f.pick(('Subtotal', 'Sub Total', 'SUBTOTAL', 'Total Excl. GST'))}: {subtotal:.2f}"
    )
    if tax:
        lines.append(f"{f.pick(('GST 6%', 'SST', 'VAT', 'Tax', 'Service Tax'))}: {tax:.2f}")
    if f.chance(0.4):
        lines.append(f"Rounding Adj: {f.pick(('0.01', '-0.02', '0.00'))}")
    lines.append(
        f"{f.pick(('TOTAL', 'Total', 'Grand Total', 'Total Amount', 'NETT TOTAL'))}: "
        f"{f.money(total, symbol if f.chance(0.5) else None)}"
    )
    paid = total + f.amount(0, 50)
    method = f.pick(("CASH", "Cash", "VISA", "MASTERCARD", "Debit Card", "E-Wallet"))
    lines.append(f"{method}: {paid:.2f}")
    if method.lower() == "cash":
        lines.append(f"{f.pick(('Change', 'CHANGE', 'Change Due'))}: {paid - total:.2f}")
    else:
        lines.append(f"Card No: ************{f.number(1000, 9999)}")
    if f.chance(0.5):
        lines.append(f"Total Qty: {len(items)}")
    lines.append(
        f.pick(
            (
                "THANK YOU, PLEASE COME AGAIN",
                "Thank you for shopping with us!",
                "Goods sold are not returnable",
                "Thank you. Have a nice day!",
                "Please keep this receipt for exchange within 7 days",
                "*** THANK YOU ***",
                "Exchange with original receipt only",
            )
        )
    )
    return f"receipt_{kind}", "\n".join(lines)


def invoice(f: Fill) -> tuple[str, str]:
    symbol, code = f.currency()
    seller, buyer = f.company(), f.company()
    lines = []
    if f.chance(0.5):
        lines.append(f.pick(("INVOICE", "Invoice", "TAX INVOICE", "COMMERCIAL INVOICE", "Bill")))
    lines += [seller, *f.address()]
    if f.chance(0.5):
        lines.append(f"{f.pick(('VAT Reg. No', 'Tax ID', 'ABN', 'EIN', 'GST No'))}: {f.ref()}")
    if f.chance(0.5):
        lines.append(f"Phone: {f.phone()}  Email: {f.email()}")
    if len(lines) and lines[0].lower() not in {
        "invoice",
        "tax invoice",
        "commercial invoice",
        "bill",
    }:
        lines.append(f.pick(("INVOICE", "Invoice", "TAX INVOICE", "PRO FORMA INVOICE")))
    meta = [
        f"{f.pick(('Invoice No', 'Invoice Number', 'Invoice #', 'Inv. No.'))}: {f.ref('INV-')}",
        f"{f.pick(('Invoice Date', 'Date', 'Date of issue'))}: {f.date()}",
        f"{f.pick(('Due Date', 'Payment Due', 'Due'))}: {f.date()}",
    ]
    if f.chance(0.5):
        meta.append(f"{f.pick(('PO Number', 'Purchase Order', 'Your Ref', 'Order No'))}: {f.ref()}")
    if f.chance(0.4):
        meta.append(f"Customer ID: {f.ref('C')}")
    lines += meta
    lines.append(
        f.pick(("Bill To:", "Billed To:", "BILL TO", "Customer:", "Invoice to:", "Sold To:"))
    )
    lines += [buyer, f.person(), *f.address()]
    if f.chance(0.4):
        lines.append(f.pick(("Ship To:", "Deliver To:")))
        lines += f.address()
    pool = SERVICES if f.chance(0.6) else PRODUCTS
    rows, subtotal = [], 0.0
    for item in f.sample(pool, 1, 9):
        qty = f.number(1, 40)
        price = f.amount(5, 2500)
        amount = round(qty * price, 2)
        subtotal += amount
        rows.append([item, str(qty), f.money(price), f.money(amount)])
    header = [
        f.pick(("Description", "Item", "Service")),
        f.pick(("Qty", "Quantity", "Hours")),
        f.pick(("Unit Price", "Rate", "Price")),
        f.pick(("Amount", "Total", "Line Total")),
    ]
    lines.append(table(f, header, rows))
    rate = f.pick((0.0, 0.05, 0.06, 0.1, 0.19, 0.2))
    tax = round(subtotal * rate, 2)
    lines.append(f"Subtotal: {f.money(subtotal, symbol)}")
    if tax:
        lines.append(
            f"{f.pick(('VAT', 'Sales Tax', 'GST', 'Tax'))} ({rate:.0%}): {f.money(tax, symbol)}"
        )
    if f.chance(0.3):
        lines.append(f"Shipping: {f.money(f.amount(5, 200), symbol)}")
    lines.append(
        f"{f.pick(('Total', 'Amount Due', 'Balance Due', 'Total Due', 'TOTAL', 'Grand Total'))}: "
        f"{f.money(subtotal + tax, symbol if f.chance(0.7) else code, code=not f.chance(0.7))}"
    )
    if f.chance(0.7):
        lines.append(
            f.pick(
                (
                    f"Payment terms: Net {f.pick(('15', '30', '45', '60'))} days",
                    "Payment is due within 30 days of the invoice date.",
                    "Please pay by bank transfer quoting the invoice number.",
                    "Terms: due on receipt",
                    "Late payments are subject to a 1.5% monthly charge.",
                )
            )
        )
    if f.chance(0.6):
        lines.append(
            f"{f.pick(('Bank details', 'Remit to', 'Payment details'))}: {f.company()} "
            f"IBAN {f.pick(('GB', 'DE', 'NL', 'FR'))}{f.number(10, 99)} {f.number(1000, 9999)} "
            f"{f.number(1000, 9999)} {f.number(1000, 9999)} "
            f"SWIFT {f.pick(('NWBKGB2L', 'DEUTDEFF', 'CHASUS33'))}"
        )
    if f.chance(0.5):
        lines.append(f.pick(("Thank you for your business!", "We appreciate your prompt payment.")))
    return "invoice", "\n".join(lines)


OPENING = ("Opening Balance", "Previous Balance", "Balance Brought Forward", "Beginning Balance")
CLOSING = ("Closing Balance", "New Balance", "Ending Balance", "Balance Carried Forward")


def statement(f: Fill) -> tuple[str, str]:
    symbol, _ = f.currency()
    kind = f.pick(("bank", "card", "account", "brokerage", "utility"))
    bank = (
        f.pick(("Bank", "Savings Bank", "Credit Union", "Financial", "Trust"))
        + " "
        + f.pick(("First National", "Harbor", "Summit", "United", "Pacific", "Meridian"))
    )
    lines = [bank if kind != "utility" else f.company()]
    title = {
        "bank": (
            "Account Statement",
            "Bank Statement",
            "Statement of Account",
            "Current Account Statement",
        ),
        "card": ("Credit Card Statement", "Card Account Statement", "Monthly Statement"),
        "account": ("Statement of Account", "Customer Account Statement", "Statement"),
        "brokerage": ("Investment Account Statement", "Portfolio Statement", "Quarterly Statement"),
        "utility": ("Account Statement", "Statement of Charges", "Billing Statement"),
    }[kind]
    lines.append(f.pick(title))
    lines += [f.person(), *f.address()]
    lines.append(
        f"{f.pick(('Account Number', 'Account No', 'Card Number', 'Customer No'))}: "
        f"{f.pick(('****', 'XXXX-XXXX-'))}{f.number(1000, 9999)}"
    )
    lines.append(
        f"{f.pick(('Statement Period', 'Period', 'Statement Date'))}: {f.date()} to {f.date()}"
    )
    balance = f.amount(100, 20000)
    lines.append(f"{f.pick(OPENING)}: {f.money(balance, symbol)}")
    rows = []
    descriptions = (
        "POS PURCHASE {}",
        "ATM WITHDRAWAL",
        "DIRECT DEBIT {}",
        "SALARY {}",
        "TRANSFER TO {}",
        "CARD PAYMENT {}",
        "INTEREST PAID",
        "MONTHLY FEE",
        "CHEQUE DEPOSIT",
        "ONLINE PAYMENT {}",
        "STANDING ORDER {}",
        "REFUND {}",
        "DIVIDEND {}",
        "BUY 100 SHS {}",
        "ELECTRICITY USAGE",
    )
    for _ in range(f.number(4, 18)):
        amount = f.amount(2, 3000)
        credit = f.chance(0.3)
        balance = round(balance + (amount if credit else -amount), 2)
        desc = f.pick(descriptions).format(
            f.pick(("AMAZON", "TESCO", "SHELL", "NETFLIX", f.company().upper()))
        )
        rows.append(
            [
                f.date(),
                desc,
                "" if credit else f"{amount:,.2f}",
                f"{amount:,.2f}" if credit else "",
                f"{balance:,.2f}",
            ]
        )
    lines.append(table(f, ["Date", "Description", "Withdrawals", "Deposits", "Balance"], rows))
    lines.append(f"{f.pick(CLOSING)}: {f.money(balance, symbol)}")
    if kind == "card":
        lines.append(
            f"Minimum Payment Due: {f.money(f.amount(25, 300), symbol)}  "
            f"Payment Due Date: {f.date()}"
        )
        lines.append(
            f"Credit Limit: {f.money(f.amount(1000, 20000), symbol)}  "
            f"Available Credit: {f.money(f.amount(100, 9000), symbol)}"
        )
    if f.chance(0.5):
        lines.append(
            f.pick(
                (
                    "Please examine this statement and report any discrepancy within 14 days.",
                    "Deposits are insured up to the applicable limit.",
                    "Total deposits and other credits",
                    "Interest earned this period",
                )
            )
        )
    return f"statement_{kind}", "\n".join(lines)


FORM_FIELDS = (
    "Full Name",
    "First Name",
    "Last Name",
    "Middle Initial",
    "Date of Birth (MM/DD/YYYY)",
    "Address",
    "City",
    "State",
    "ZIP Code",
    "Telephone",
    "Email Address",
    "Social Security Number",
    "Employer",
    "Occupation",
    "Marital Status",
    "Gender",
    "Nationality",
    "Passport No",
    "Emergency Contact",
    "Relationship",
    "Policy Number",
    "Claim Number",
    "Date of Incident",
    "Place of Incident",
    "Vehicle Registration",
    "Amount Claimed",
    "Bank Account Number",
    "Signature of Applicant",
    "Date",
    "Print Name",
    "Position Applied For",
    "Department",
    "Student ID",
    "Course Code",
    "Insurance Provider",
    "Physician's Name",
    "Allergies",
    "Current Medications",
    "Reference Number",
    "Branch",
    "Country of Residence",
    "Age",
)
FORM_TITLES = (
    "Application Form",
    "Registration Form",
    "Claim Form",
    "Employment Application",
    "Patient Intake Form",
    "Change of Address Form",
    "Request for Taxpayer Identification Number",
    "Membership Application",
    "Incident Report Form",
    "Leave Request Form",
    "Enrollment Form",
    "Expense Reimbursement Form",
    "Consent Form",
    "Visitor Registration",
    "Permit Application",
    "Vendor Registration Form",
    "Customer Feedback Form",
    "Return Authorisation Form",
)


def form(f: Fill) -> tuple[str, str]:
    kind = f.pick(("blank", "filled"))
    lines = []
    if f.chance(0.6):
        lines.append(
            f"{f.pick(('Form', 'FORM', 'Ref.', 'OMB No.'))} {f.ref()}"
            f"{f.pick(('', ' (Rev. 2021)', ' (version 3)', ' Rev. 2019'))}"
        )
    lines.append(f.pick(FORM_TITLES))
    if f.chance(0.7):
        lines.append(
            f.pick(
                (
                    "Please complete all sections in BLOCK CAPITALS.",
                    "Please print clearly in black ink.",
                    "Complete this form and return it to the office below.",
                    "Incomplete applications cannot be processed.",
                    "Fields marked * are required.",
                    "Read the instructions before completing this form.",
                    "Check the box that applies.",
                )
            )
        )
    sections = f.sample(
        (
            "Part I",
            "Part II",
            "Section A",
            "Section B",
            "Applicant Information",
            "Personal Details",
            "Details of Claim",
            "Declaration",
            "Dependants",
            "Incident Details",
            "Contact Information",
            "Employment History",
        ),
        1,
        4,
    )
    fields = f.sample(FORM_FIELDS, 5, 16)
    per = max(1, len(fields) // len(sections))
    for i, section in enumerate(sections):
        lines.append(section)
        for name in fields[i * per : (i + 1) * per]:
            if kind == "filled":
                value = f.pick(
                    (f.person(), f.date(), f.city(), str(f.number(1, 90)), "Yes", "No", f.ref())
                )
                lines.append(f"{name}:" + (f"\n{value}" if f.chance(0.5) else f" {value}"))
            else:
                lines.append(
                    f"{name}: " + f.pick(("________________", "", "[ ]", "_____ / _____ / ______"))
                )
        if f.chance(0.5):
            lines.append(
                f.pick(
                    (
                        "☐ Yes ☐ No",
                        "[ ] Yes [ ] No",
                        "Yes No",
                        "□ Male □ Female",
                        "Check one: ☐ Single ☐ Married ☐ Other",
                        "( ) Approved ( ) Denied",
                    )
                )
            )
    lines.append(
        f.pick(
            (
                "I certify that the information given above is true and complete.",
                "By signing below I declare that the information is correct.",
                "Signature: ____________________  Date: ___________",
            )
        )
    )
    if f.chance(0.5):
        lines.append(
            f.pick(("FOR OFFICE USE ONLY", "Office use only: Received by ______", "Official use"))
        )
    return f"form_{kind}", "\n".join(lines)
