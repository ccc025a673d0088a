"""Reports saved as files: a `Document` (what the screen shows, with whose and when it is)
written as CSV for spreadsheets or as PDF for reading and printing."""
