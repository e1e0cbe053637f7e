"""`make bench`: DocFleet's throughput and overhead, measured side by side in one run."""
