"""Weighted phrase evidence per document type, the knowledge behind `KeywordClassifier`.

Weights are rough: 3 for a phrase that almost names the type ("invoice date", "whereas"),
2 for a strong cue, 1 for a weak one that only counts together with others. Phrases are matched
case-insensitively as whole words, with any whitespace between their words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

LABELS: Final = (
    "receipt",
    "invoice",
    "contract",
    "scientific_paper",
    "form",
    "report",
    "letter",
    "statement",
    "presentation",
    "other",
)
"""Document types `nlp.classify` returns; "other" means no type had enough evidence."""

FALLBACK_LABEL: Final = "other"

Rules = Mapping[str, Sequence[tuple[str, float]]]

# A table reads better packed than one phrase per line.
# fmt: off
DEFAULT_RULES: Final[Rules] = {
    "receipt": [
        ("receipt", 3), ("cashier", 2), ("cash", 1.5), ("change", 1.5), ("change due", 2),
        ("tax invoice", 2),
        ("subtotal", 1.5), ("sub total", 1.5), ("total", 0.5), ("thank you", 1.5),
        ("thank you for shopping", 3), ("please come again", 3), ("rounding", 1.5),
        ("tendered", 2), ("qty", 1), ("item(s)", 1.5), ("gst", 1), ("tax", 0.5),
        ("visa", 0.5), ("mastercard", 0.5), ("card no", 1), ("goods sold", 2), ("counter", 1),
        ("小票", 3), ("收银", 2), ("找零", 3), ("实收", 2), ("谢谢惠顾", 3),
    ],
    "invoice": [
        ("invoice", 1.5), ("invoice no", 2), ("invoice number", 2.5), ("invoice date", 3),
        ("bill to", 3), ("billed to", 3), ("ship to", 1.5), ("amount due", 3), ("balance due", 3),
        ("due date", 2), ("payment terms", 2.5), ("net 30", 2), ("vat", 1.5), ("vat no", 2),
        ("remit to", 2.5), ("po number", 2), ("purchase order", 1), ("unit price", 1.5),
        ("description", 0.5), ("total", 0.5), ("tax", 0.5), ("bank details", 1.5), ("iban", 1.5),
        ("发票", 3), ("价税合计", 3), ("开票日期", 3), ("税额", 1.5),
    ],
    "contract": [
        ("agreement", 2.5), ("party", 1), ("parties", 1.5), ("hereby", 1.5), ("shall", 1),
        ("confidential", 1), ("confidentiality", 1.5), ("term", 0.5), ("whereas", 3),
        ("in witness whereof", 3), ("governing law", 3), ("terminate", 1), ("termination", 1.5),
        ("hereinafter", 2.5), ("hereto", 2), ("indemnify", 2), ("effective date", 2),
        ("obligations", 1), ("non-disclosure", 2.5), ("breach", 1), ("jurisdiction", 1),
        ("by and between", 3), ("executed", 1), ("signature", 0.5),
        ("合同", 3), ("协议", 2.5), ("甲方", 2.5), ("乙方", 2.5), ("违约", 2),
    ],
    "scientific_paper": [
        ("abstract", 2.5), ("references", 2), ("et al", 2.5), ("doi", 2), ("introduction", 1),
        ("conclusion", 1), ("conclusions", 1.5), ("related work", 2.5), ("methodology", 1.5),
        ("experiments", 1.5), ("results", 0.5), ("ieee", 1.5), ("arxiv", 2.5),
        ("proceedings", 1.5), ("journal", 1), ("university", 1), ("theorem", 2), ("lemma", 2),
        ("proof", 1), ("keywords", 1), ("acknowledgments", 2), ("acknowledgements", 2),
        ("fig.", 1), ("eq.", 1),
        ("摘要", 2), ("关键词", 2.5), ("参考文献", 3), ("引言", 2),
    ],
    "form": [
        ("form", 1.5), ("please complete", 2.5), ("please print", 2.5), ("fill in", 1.5),
        ("checkbox", 2), ("check box", 1.5), ("check one", 2.5), ("tick", 1),
        ("date of birth", 2), ("signature", 1), ("applicant", 2), ("application", 1),
        ("office use only", 3), ("required", 0.5), ("complete this", 2), ("yes no", 1.5),
        ("radio button", 2), ("dropdown", 1.5), ("mm/dd/yyyy", 2.5), ("name:", 1),
        ("申请表", 3), ("登记表", 3), ("填写", 1.5), ("申请人", 2),
    ],
    "report": [
        ("report", 2), ("annual report", 3), ("quarterly report", 3), ("summary", 1),
        ("executive summary", 2.5), ("findings", 1.5), ("recommendations", 1.5), ("analysis", 1),
        ("quarter", 1), ("fiscal year", 1.5), ("prepared by", 1.5), ("overview", 0.5),
        ("table", 0.5), ("results", 0.5), ("weekly", 1), ("monthly", 1), ("round-up", 1.5),
        ("test results", 2), ("reference range", 2.5), ("specimen", 1.5),
        ("报告", 3), ("季度", 1.5), ("检验", 2), ("参考范围", 3), ("结果", 1),
    ],
    "letter": [
        ("dear", 3), ("sincerely", 3), ("yours sincerely", 3), ("yours faithfully", 3),
        ("yours truly", 3), ("best regards", 2), ("kind regards", 2), ("regards", 1),
        ("re:", 1), ("enclosure", 1.5), ("enclosed", 1), ("cc:", 1), ("gentlemen", 2),
        ("to whom it may concern", 3), ("i am writing", 2.5), ("please do not hesitate", 2),
        ("尊敬的", 2.5), ("此致", 3), ("敬礼", 2), ("来函", 3), ("函复", 3), ("复函", 3), ("函", 1),
    ],
    "statement": [
        ("statement", 2), ("account statement", 3), ("bank statement", 3),
        ("statement period", 3), ("statement date", 3), ("opening balance", 3),
        ("closing balance", 3), ("balance brought forward", 3), ("account number", 1.5),
        ("deposits", 1.5), ("withdrawals", 2), ("available balance", 2.5), ("balance", 1),
        ("transactions", 1), ("direct debit", 2), ("interest paid", 1.5),
        ("对账单", 3), ("期初余额", 3), ("期末余额", 3), ("交易明细", 2.5),
    ],
    "presentation": [
        ("slide", 2), ("slides", 2), ("agenda", 2), ("q&a", 2.5), ("questions?", 2.5),
        ("key takeaways", 3), ("next steps", 1.5), ("overview", 0.5), ("roadmap", 1.5),
        ("thank you", 0.5), ("presented by", 2.5), ("presentation", 2),
        ("汇报人", 3), ("目录", 1), ("谢谢", 1),
    ],
}
# fmt: on
"""Phrase evidence per label; "other" has none, it wins when nothing else is convincing."""
