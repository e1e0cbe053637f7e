"""Run the fetch activity the way a worker would, for the fetcher's tests."""

from __future__ import annotations

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_contracts import FetchInput, FetchResult
from docfleet_fetcher.activities import FetchActivities

BATCH_ID = "batch-1"
DOCUMENT_ID = "doc-1"
SOURCE_KEY = f"sources/{BATCH_ID}/{DOCUMENT_ID}"
"""Where the fetched document lands in the blob store."""


async def fetch(
    activities: FetchActivities, url: str, env: ActivityEnvironment | None = None
) -> FetchResult:
    """Fetch `url` as document `DOCUMENT_ID` of batch `BATCH_ID`."""
    request = FetchInput(batch_id=BATCH_ID, document_id=DOCUMENT_ID, url=url)
    result: FetchResult = await (env or ActivityEnvironment()).run(
        activities.fetch_document, request
    )
    return result


async def failure(activities: FetchActivities, url: str) -> ApplicationError:
    """The typed error fetching `url` fails with."""
    with pytest.raises(ApplicationError) as info:
        await fetch(activities, url)
    return info.value
