"""DocFleet OCR worker: reads PDF and image pages (text layer or PP-OCR) into the blob store."""
