"""Make sure DocFleet's custom search attributes exist before any workflow sets them.

A workflow that sets an unregistered attribute fails its workflow task over and over, so the
orchestrator worker checks at start and registers what is missing (the dev server and
self-hosted clusters allow it). Where it may not (Temporal Cloud without the permission), the
worker stops with the command an operator can run instead.
"""

from __future__ import annotations

import logging

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError

from docfleet_contracts import search

log = logging.getLogger(__name__)


class SearchAttributesMissing(RuntimeError):
    """DocFleet's search attributes are not registered and could not be."""


async def ensure_search_attributes(client: Client) -> list[str]:
    """Register DocFleet's keyword attributes that the namespace lacks; returns their names."""
    namespace = client.namespace
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    missing = [key.name for key in search.ALL if key.name not in listed.custom_attributes]
    if not missing:
        return []
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=namespace,
                search_attributes=dict.fromkeys(
                    missing, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
                ),
            )
        )
    except RPCError as exc:
        commands = "; ".join(
            f"temporal operator search-attribute create --namespace {namespace} "
            f"--name {name} --type Keyword"
            for name in missing
        )
        raise SearchAttributesMissing(
            f"search attributes {missing} are not registered on namespace {namespace!r} and "
            f"registering them failed ({exc.message}); run: {commands}"
        ) from exc
    log.info("registered search attributes %s on namespace %s", missing, namespace)
    return missing
