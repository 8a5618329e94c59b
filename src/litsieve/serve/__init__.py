"""The screening page (``litsieve screen serve``): one record at a time, over the same files.

- :mod:`.session`: one screener's queue (decide, undo, skip, re-rank, merge with saves
  made elsewhere); :mod:`.adjudication`: the third person's disagreements;
- :mod:`.highlight`, :mod:`.links`, :mod:`.progress`: what the page shows;
- :mod:`.app`: the Flask application (token, CSRF, escaping); :mod:`.cli`: the command.

docs/screening.md says when to use the page and when the spreadsheet.
"""
