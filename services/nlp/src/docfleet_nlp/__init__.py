"""DocFleet NLP worker: document classification and entity extraction with spaCy."""
