"""Settings for the test suite: the same module, with the test profile's defaults.

Redis database 15 keeps the suite's broker and cache away from a running platform.
"""

import os

os.environ.setdefault("DJANGO_ENV", "test")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: E402,F403
