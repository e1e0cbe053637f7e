"""The orchestrator's workflows; the only module the worker registers."""

from docfleet_orchestrator.analytics import AnalyticsWorkflow
from docfleet_orchestrator.batch import OrchestratorWorkflow
from docfleet_orchestrator.document import DocumentWorkflow

WORKFLOWS = (OrchestratorWorkflow, DocumentWorkflow, AnalyticsWorkflow)

__all__ = ["WORKFLOWS", "AnalyticsWorkflow", "DocumentWorkflow", "OrchestratorWorkflow"]
