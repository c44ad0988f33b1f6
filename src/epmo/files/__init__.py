"""The file kit: read CSV and Excel uploads, match headers, check cells, list problems by row.

Shared by the inventory import (``epmo.imports``) and the status-report upload
(``epmo.reporting.upload``); it knows no domain and no web framework.
"""
