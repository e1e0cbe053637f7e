"""`python -m docfleet_ocr` runs the OCR worker."""

from docfleet_ocr.worker import main

main()
