"""`python -m docfleet_fetcher` runs the fetcher worker."""

from docfleet_fetcher.worker import main

main()
