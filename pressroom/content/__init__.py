"""The content model: sources on disk to typed, validated publications."""
