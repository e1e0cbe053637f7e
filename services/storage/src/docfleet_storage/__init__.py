"""DocFleet storage worker: document result files and Redis analytics aggregates."""
