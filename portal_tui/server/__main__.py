from portal_tui.server.cli import main

main()
