import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# The pathological notes of the growth tests are the benchmark's too.
sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

import pytest


@pytest.fixture(autouse=True, scope="session")
def _cache_key_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The cache's signing key lives in the user's cache directory: a test session
    has its own, never the developer's (subprocesses inherit it)."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
