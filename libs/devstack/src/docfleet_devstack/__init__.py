"""A local DocFleet stack for the demo and the tests: real servers and workers as processes."""
