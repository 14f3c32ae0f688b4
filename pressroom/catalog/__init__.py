"""The web catalog: find and download publications, order printed copies,
and the staff pages that fulfil orders and track stock."""
