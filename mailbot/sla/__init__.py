"""Service levels: business calendars, targets in working time, and the clocks that run against them.

Pure rules (no I/O): a `Calendar` says when the vendor works — weekly hours in its time zone, a country's public
holidays, extra closed or open dates — and turns "4 working hours from now" into a moment, or the time between two
moments into working minutes. 24/7 is a calendar too, on which time is real elapsed time.
"""
