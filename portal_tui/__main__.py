from portal_tui.cli import main

main()
