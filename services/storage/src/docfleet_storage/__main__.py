from docfleet_storage.worker import main

main()
