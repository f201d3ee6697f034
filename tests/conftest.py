import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# The pathological notes of the growth tests are the benchmark's too.
sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
