"""Files in and out: register YAML, iCalendar, CSV/Markdown/HTML reports."""
