"""Rich renderings of batch progress and results for the `docfleet` CLI."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from docfleet_contracts import BatchProgress, BatchResult, DocumentProgress, DocumentResult

_STATUS_STYLE = {"succeeded": "green", "partial": "yellow", "failed": "red"}


def progress_view(batch: BatchProgress, documents: list[DocumentProgress]) -> RenderableType:
    done = batch.succeeded + batch.partial + batch.failed
    header = Text.assemble(
        (f"batch {batch.batch_id}  ", "bold"),
        f"{done}/{batch.total} done  ",
        (f"{batch.succeeded} succeeded  ", "green"),
        (f"{batch.partial} partial  " if batch.partial else "", "yellow"),
        (f"{batch.failed} failed  ", "red" if batch.failed else ""),
        f"{batch.running} running  {batch.pending} waiting",
    )
    table = Table(box=None, show_header=bool(documents), pad_edge=False)
    table.add_column("document")
    table.add_column("stage")
    table.add_column("pages", justify="right")
    for doc in documents:
        pages = f"{doc.pages_done}/{doc.pages_total}" if doc.pages_total else ""
        table.add_row(doc.document_id, doc.stage, pages)
    bar = ProgressBar(total=max(batch.total, 1), completed=done, width=50)
    return Group(header, bar, table)


def results_table(result: BatchResult, rows: list[DocumentResult] | None = None) -> Table:
    """A row per document when `rows` (the results manifest) is given, else the failure sample."""
    table = Table(
        title=(
            f"batch {result.batch_id}: {result.succeeded}/{result.total} succeeded, "
            + (f"{result.partial} partial, " if result.partial else "")
            + (f"{result.cached} from cache, " if result.cached else "")
            + f"{result.pages} pages ({result.text_layer_pages} text layer, "
            f"{result.ocr_pages} OCR), {result.entities} entities"
            + (f", {result.runs} runs" if result.runs > 1 else "")
        ),
        caption=None if result.results is None else f"every document: {result.results.uri}",
    )
    for column in ("document", "status", "type", "pages", "entities", "text / error"):
        table.add_column(column, overflow="fold")
    if rows is None:
        for failure in result.failure_sample:
            table.add_row(
                Text(failure.document_id),
                Text("failed", style=_STATUS_STYLE["failed"]),
                "",
                "",
                "",
                f"{failure.error_type}: {failure.error_message}",
            )
        return table
    for doc in rows:
        if doc.status != "failed":
            pages = f"{doc.page_count} ({doc.text_layer_pages} text, {doc.ocr_pages} OCR)"
            sample = ", ".join(f"{e.label}:{e.text}" for e in doc.entity_sample[:4])
            entities = f"{doc.entity_count}  {sample}"
            where = doc.text_uri or ""
            where += "".join(f"\n{d.stage} skipped: {d.error_type}" for d in doc.degraded)
            where += "\n(reused from cache)" if doc.cached else ""
            doc_type = (
                f"{doc.document_type} ({doc.type_confidence or 0:.2f})" if doc.document_type else ""
            )
        else:
            pages, entities, doc_type = "", "", ""
            where = f"{doc.error_type}: {doc.error_message}"
        table.add_row(
            Text(doc.document_id),
            Text(doc.status, style=_STATUS_STYLE.get(doc.status, "")),
            doc_type,
            pages,
            entities,
            where,
        )
    return table
