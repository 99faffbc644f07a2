"""Settings for the test suite: the same module, with the test profile's defaults.

Redis database 15 keeps the suite's broker and cache away from a running platform.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_ENV", "test")
# The suite's matching indexes never meet a running platform's snapshots; a worker the
# suite starts inherits the same folder.
os.environ.setdefault("MATCHING_INDEX_DIR", tempfile.mkdtemp(prefix="borderless-index-"))
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: E402,F403
