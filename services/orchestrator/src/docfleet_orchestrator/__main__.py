from docfleet_orchestrator.worker import main

main()
