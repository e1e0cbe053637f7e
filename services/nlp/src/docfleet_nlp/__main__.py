"""`python -m docfleet_nlp` runs the worker."""

from docfleet_nlp.worker import main

main()
