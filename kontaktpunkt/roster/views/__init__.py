"""The roster pages: plans and the grid (plans.py), downloads and the calendar feed
(downloads.py), one's own duties (mine.py), imports (uploads.py)."""
