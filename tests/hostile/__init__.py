"""A corpus of hostile sources: each case writes its sources into a test's
tree and names what check and build must say about them."""
