"""DocFleet orchestrator: the batch, document and analytics workflows, and the `docfleet` CLI.

It imports contracts only, never a service or an OCR/NLP library: activities are called by name.
"""
