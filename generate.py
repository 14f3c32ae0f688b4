#!/usr/bin/env python3
"""Build Pressroom publications. Run `python generate.py --help`."""

import sys

from pressroom.cli import main

if __name__ == "__main__":
    sys.exit(main())
