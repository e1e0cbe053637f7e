"""`AnalyticsWorkflow`: records one document's figures, outliving the workflow that started it."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from pydantic import ValidationError

    from docfleet_contracts import AnalyticsInput, AnalyticsRecorded
    from docfleet_contracts import activities as acts
    from docfleet_contracts.policies import in_force


# Invalid input (say, from `temporal workflow start`) fails the run with pydantic's message
# instead of retrying a workflow task forever.
@workflow.defn(name=acts.ANALYTICS_WORKFLOW, failure_exception_types=[ValidationError])
class AnalyticsWorkflow:
    """Retries until Redis takes the record (for up to a day): analytics are never dropped."""

    @workflow.run
    async def run(self, record: AnalyticsInput) -> AnalyticsRecorded:
        return await acts.RECORD_ANALYTICS.execute(record, **in_force().analytics.options())
