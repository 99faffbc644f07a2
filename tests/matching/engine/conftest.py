"""The engine's tests need no database, only their own world (see ``builders``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps its example database (failures to replay) and a constants cache in
# .hypothesis/, which .gitignore does not list: keep them out of the working tree.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "borderless-hypothesis")
