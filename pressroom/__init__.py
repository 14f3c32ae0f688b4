"""Pressroom: printable health publications from structured sources."""

__version__ = "0.1.0"
