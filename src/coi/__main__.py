from coi.cli.app import main

main()
